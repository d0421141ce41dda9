r"""CPU time (user + system, from ``wait4``) and wall time of commands, interleaved; medians.

On a loaded machine a process's wall time mostly measures its neighbours; its CPU time
much less so. Each repeat runs every command once, in alternating order (one warm-up round
first), from the repository's root.

    python benchmarks/cputime.py 11 \
        "imports=.venv/bin/python|-c|import networkx, durable.engine, yaml, attrs" \
        "trace=.venv/bin/servresp|trace|--facts|examples/october.jsonl"

Each command is ``NAME=ARG|ARG|…``; the first one is the baseline of the printed ratios.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(command: list[str]) -> tuple[float, float]:
    """Return the CPU seconds and wall seconds of one run of ``command``."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed")
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - start


def main(argv: list[str]) -> None:
    """Time each command ``argv[0]`` times; print medians, spreads and CPU ratios to the first."""
    repeats = int(argv[0])
    commands = {name: text.split("|") for name, text in (a.split("=", 1) for a in argv[1:])}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    wall: dict[str, list[float]] = {name: [] for name in commands}
    for repeat in range(repeats + 1):
        order = list(commands.items())
        for name, command in order if repeat % 2 else reversed(order):
            used, elapsed = _run(command)
            if repeat:  # round 0 warms the page cache and the model cache
                cpu[name].append(used)
                wall[name].append(elapsed)
    baseline = statistics.median(cpu[next(iter(commands))])
    for name in commands:
        median = statistics.median(cpu[name])
        print(f"{name:12} cpu median {median * 1000:6.1f} ms (min {min(cpu[name]) * 1000:6.1f}, "
              f"max {max(cpu[name]) * 1000:6.1f}) ratio {median / baseline:.2f}  "
              f"wall median {statistics.median(wall[name]) * 1000:6.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
