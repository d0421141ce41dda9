"""What every benchmark shares: sizes, table rows, the machine, process figures, inputs.

Every timed figure is measured ``repeats`` times, interleaved with its baselines so that
a noisy neighbour slows both sides alike; a ratio is computed per repeat, and the table
shows min / median / max of the figures and of the ratios (judged on the median). Memory
figures come from ``/proc`` (RSS, threads) or from ``ru_maxrss`` of a fresh process.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orggen

__all__ = [
    "EXAMPLE_FACTS",
    "FULL",
    "HERE",
    "QUICK",
    "ROOT",
    "SMOKE",
    "Row",
    "Sizes",
    "cpu_seconds",
    "ensure_org",
    "has_command",
    "jsonl",
    "machine",
    "peak_rss_mb",
    "ratio_row",
    "rss_mb",
    "servresp_command",
    "thread_count",
    "timed",
    "wait_idle",
]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLE_FACTS = ROOT / "examples" / "october.jsonl"


@dataclass(frozen=True)
class Sizes:
    """How big and how often: `FULL` for ``make bench``, `QUICK` for ``--quick``."""

    name: str
    repeats: int = 5
    b1_repeats: int = 10
    b2_org: tuple[int, int] = (200, 5)
    b2_events_per_signal: int = 4
    b2_inner: int = 10
    b3_org: tuple[int, int] = (1000, 10)
    b3_broken: float = 0.01
    """Share of broken signals in B3's facts: a realistic incident, not a meltdown."""
    b3_budget_s: float = 150.0
    b4_org: tuple[int, int] = (1000, 10)
    b4_repeats: int = 5
    b9_repeats: int = 3
    b5_calls: int = 1000
    """``evaluate()`` calls after warm-up whose RSS growth B5 measures."""
    b6_events: tuple[int, int] = (10_000, 1_000_000)
    b8_rows: int = 1_000_000
    """Calls in B8's log (``--large``: 10,000,000)."""
    b8_python: bool = True
    """Also time the Python reader once and compare the outputs (off for ``--large``)."""


FULL = Sizes("full")
QUICK = Sizes("quick", repeats=3, b1_repeats=3, b2_org=orggen.BUNDLED_SIZE,
              b3_org=orggen.BUNDLED_SIZE, b3_broken=0.2, b3_budget_s=30.0,
              b4_org=orggen.BUNDLED_SIZE, b4_repeats=3, b9_repeats=2, b5_calls=200,
              b6_events=(1_000, 10_000), b8_rows=100_000)
SMOKE = Sizes("smoke", repeats=1, b1_repeats=1, b2_org=(6, 3), b2_events_per_signal=1,
              b2_inner=1, b3_org=(6, 3), b3_broken=0.3, b3_budget_s=10.0, b4_org=(6, 3),
              b4_repeats=1, b9_repeats=1, b5_calls=10, b6_events=(50, 200), b8_rows=2_000)


@dataclass
class Row:
    """One line of the table: a figure (values over repeats) or a ratio, with its target."""

    bench: str
    what: str
    unit: str
    values: list[float] = field(default_factory=list)
    target: str = ""
    ok: bool | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the row as plain JSON."""
        return asdict(self)


def ratio_row(bench: str, what: str, ratios: list[float], target: str,
               check: Callable[[float], bool] | None = None, note: str = "") -> Row:
    """Judge the median ratio against the target (noisy machines: one repeat is not enough)."""
    ok = check(statistics.median(ratios)) if check is not None and ratios else None
    return Row(bench, what, "×", ratios, target, ok, note)


# --- machine and process figures -------------------------------------------------------------


def machine() -> dict[str, str]:
    """Describe the machine: CPU model, cores, Python and the libraries measured."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib import metadata  # noqa: PLC0415 - only here

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "?"

    import yaml  # noqa: PLC0415

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} ({usable} usable)",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "libraries": (f"durable_rules {version('durable_rules')}, networkx {version('networkx')}, "
                      f"PyYAML {version('PyYAML')} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'}), "
                      f"attrs {version('attrs')}"),
    }


def _status(pid: int | str, key: str) -> int:
    """Read one ``/proc/<pid>/status`` figure (kB for memory)."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    return 0


def rss_mb(pid: int | str = "self") -> float:
    """Resident set size in MB."""
    return _status(pid, "VmRSS") / 1024


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident set size in MB (``VmHWM``: reset by exec, unlike ``ru_maxrss``)."""
    return _status(pid, "VmHWM") / 1024


def thread_count(pid: int | str = "self") -> int:
    """OS threads of the process (C threads included)."""
    return _status(pid, "Threads")


def cpu_seconds(pid: int | str = "self") -> float:
    """CPU time (user + system) the process has used so far."""
    return _cpu_ticks(pid) / os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid: int | str) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_idle(pid: int, *, quiet_s: float = 0.3, timeout_s: float = 120.0) -> None:
    """Wait until ``pid`` has used no CPU for ``quiet_s`` (it has read all its input)."""
    deadline = time.monotonic() + timeout_s
    last, since = _cpu_ticks(pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = _cpu_ticks(pid)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return


def timed(fn: Callable[[], object]) -> float:
    """Return the seconds ``fn()`` took."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def ensure_org(work: Path, size: tuple[int, int], seed: int = 1) -> Path:
    """Generate (once per work folder) the synthetic organisation of ``size``."""
    units, duties = size
    path = work / f"org-{units}x{duties}-s{seed}"
    if not (path / ".complete").exists():
        orggen.generate_org(path, units=units, duties_per_unit=duties, seed=seed)
        (path / ".complete").write_text("", encoding="utf-8")
    return path


def jsonl(facts: Iterable[dict[str, Any]]) -> str:
    """Return facts as JSONL text."""
    return "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in facts)


def servresp_command() -> list[str]:
    """Return how to run the ``servresp`` command of this interpreter's environment."""
    script = Path(sys.executable).with_name("servresp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "servresp"]


def has_command(name: str) -> bool:
    """Return whether ``servresp NAME --help`` works (a command still being built may not)."""
    result = subprocess.run([*servresp_command(), name, "--help"], capture_output=True, text=True,
                            check=False, timeout=60)
    return result.returncode == 0
