"""B1 (the CLI against its imports) and B6 (``servresp watch`` on a long stream)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

import orggen
from bench_common import (
    EXAMPLE_FACTS,
    ROOT,
    Row,
    Sizes,
    cpu_seconds,
    has_command,
    ratio_row,
    rss_mb,
    servresp_command,
    wait_idle,
)

__all__ = ["b1_cli", "b6_watch"]


# --- B1: the CLI against its imports -----------------------------------------------------------


def b1_cli(sizes: Sizes, _work: Path) -> list[Row]:
    """Wall time of ``servresp trace`` on the bundled model vs a bare import of its libraries."""
    if not has_command("trace"):
        return [Row("B1", "servresp trace: not available yet", "", note="no 'trace' command")]
    trace_cmd = [*servresp_command(), "trace", "--facts", str(EXAMPLE_FACTS)]
    import_cmd = [sys.executable, "-c", "import networkx, durable.engine, yaml, attrs"]
    bare_cmd = [sys.executable, "-c", "pass"]
    # the same command through `main` alone: without the process entry's exit-time gc.freeze()
    unfrozen_cmd = [sys.executable, "-c", ("import sys; from servresp.cli import main; "
                    f"sys.exit(main(['trace', '--facts', {str(EXAMPLE_FACTS)!r}]))")]

    def wall(cmd: list[str]) -> float:
        start = time.perf_counter()
        result = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, check=False, timeout=120)
        elapsed = time.perf_counter() - start
        if result.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(cmd)} exited {result.returncode}: {result.stderr.strip()}")
        return elapsed

    for cmd in (trace_cmd, import_cmd, bare_cmd, unfrozen_cmd):  # warm the page cache and .pyc files
        wall(cmd)
    traced, imported, bare, unfrozen, ratios, unfrozen_ratios = [], [], [], [], [], []
    for repeat in range(sizes.b1_repeats):
        order = [trace_cmd, import_cmd, bare_cmd, unfrozen_cmd]
        if repeat % 2:
            order.reverse()
        times = {id(cmd): wall(cmd) for cmd in order}
        traced.append(times[id(trace_cmd)])
        imported.append(times[id(import_cmd)])
        bare.append(times[id(bare_cmd)])
        unfrozen.append(times[id(unfrozen_cmd)])
        ratios.append(traced[-1] / imported[-1])
        unfrozen_ratios.append(unfrozen[-1] / imported[-1])
    return [
        Row("B1", "servresp trace --facts examples/october.jsonl", "s", traced,
            note="the bundled model; wall time of the whole process"),
        Row("B1", "python -c 'import networkx, durable.engine, yaml, attrs'", "s", imported),
        Row("B1", "python -c pass", "s", bare, note="interpreter start, for scale"),
        ratio_row("B1", "trace / bare imports", ratios, "≤ 1.3", lambda r: r <= 1.3),
        Row("B1", "the same trace through cli.main, no exit-time gc.freeze()", "s", unfrozen,
            note="what the process entry's freeze saves"),
        ratio_row("B1", "trace through cli.main / bare imports", unfrozen_ratios, ""),
    ]



# --- B6: servresp watch on a long stream -----------------------------------------------------------


def b6_watch(sizes: Sizes, _work: Path) -> list[Row]:
    """RSS of ``servresp watch`` after a short and a long stream of facts."""
    if not has_command("watch"):
        return [Row("B6", "servresp watch: not available yet", "", note="no 'watch' command")]
    from servresp import load_default  # noqa: PLC0415

    first, total = sizes.b6_events
    lines = orggen.stream_lines(load_default(), total, seed=6)
    output = {"lines": 0}
    stderr_tail: deque[bytes] = deque(maxlen=20)

    def drain(stream: Any, keep: deque[bytes] | None) -> None:  # noqa: ANN401 - a pipe
        for line in iter(stream.readline, b""):
            if keep is None:
                output["lines"] += 1
            else:
                keep.append(line)

    marks: dict[int, float] = {}
    with subprocess.Popen([*servresp_command(), "watch"], cwd=ROOT, stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdin is not None
        threads = [threading.Thread(target=drain, args=(process.stdout, None), daemon=True),
                   threading.Thread(target=drain, args=(process.stderr, stderr_tail), daemon=True)]
        for thread in threads:
            thread.start()
        sent = 0
        try:
            for mark in (first, total):
                while sent < mark:
                    chunk = [next(lines) for _ in range(min(1000, mark - sent))]
                    process.stdin.write(("\n".join(chunk) + "\n").encode())
                    sent += len(chunk)
                process.stdin.flush()
                wait_idle(process.pid)
                marks[mark] = rss_mb(process.pid)
            busy = cpu_seconds(process.pid)
        finally:
            process.stdin.close()
            process.wait(timeout=120)
            for thread in threads:
                thread.join(timeout=5)
    if process.returncode not in (0, 1):
        tail = b"".join(stderr_tail).decode(errors="replace").strip()
        raise RuntimeError(f"servresp watch exited {process.returncode}: {tail[-500:]}")
    return [
        Row("B6", f"servresp watch: RSS after {first:,} facts", "MB", [marks[first]],
            note="the bundled model; a stream of months, each: every metric, then events"),
        Row("B6", f"servresp watch: RSS after {total:,} facts", "MB", [marks[total]],
            note=f"{total / busy:,.0f} facts per CPU-second of the watcher; "
                 f"{output['lines']:,} status-change lines out"),
        ratio_row("B6", f"RSS after {total:,} / after {first:,}", [marks[total] / marks[first]],
                  "≤ 1.1", lambda r: r <= 1.1),
    ]
