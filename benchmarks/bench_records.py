"""B8: ``servresp indicators`` over a large call log against one DuckDB SQL statement.

Both run as whole processes on the same file, one after the other in each repeat; the
ratio is baseline time / servresp time (1.0 = as fast as hand-written SQL). Peak memory
comes from ``wait4``'s rusage of the child, which is its own (the parent is small).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import recordgen
from bench_common import ROOT, Row, Sizes, ratio_row, servresp_command

__all__ = ["b8_indicators"]

_BASELINE = """
import sys, duckdb
c = duckdb.connect()
rows = c.sql('''
SELECT strftime(timezone('Asia/Shanghai', received_at), '%Y-%m') AS period, count(*) AS n,
       count(*) FILTER (WHERE rings <= 2) AS ring2, count(*) FILTER (WHERE rings <= 3) AS ring3
FROM read_csv(?, header = true, columns = {'received_at': 'TIMESTAMPTZ',
     'answered_at': 'TIMESTAMPTZ', 'abandoned': 'BOOLEAN', 'rings': 'INTEGER', 'agent': 'VARCHAR'})
GROUP BY period ORDER BY period'''.replace('?', repr(sys.argv[1]))).fetchall()
for period, n, ring2, ring3 in rows:
    print(period, n, ring2 / n, ring3 / n)
"""


def _run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, bytes]:
    """Run ``cmd``; return its wall seconds, its peak RSS in MB and its stdout."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env=env)
    out = process.stdout.read() if process.stdout else b""
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024, out


def b8_indicators(sizes: Sizes, work: Path) -> list[Row]:
    """``servresp indicators --tz Asia/Shanghai`` on a call log vs a DuckDB SQL baseline."""
    path = work / f"calls-{sizes.b8_rows}.csv"
    if not path.exists():
        recordgen.write_calls(path.with_suffix(".tmp"), sizes.b8_rows)
        path.with_suffix(".tmp").rename(path)
    size_mb = path.stat().st_size / 2**20
    ours = [*servresp_command(), "indicators", "--tz", "Asia/Shanghai", "--min-count", "0", str(path)]
    baseline = [sys.executable, "-c", _BASELINE, str(path)]
    _run(ours)  # warm: the page cache, .pyc files
    _run(baseline)
    times: dict[str, list[float]] = {"ours": [], "base": []}
    peaks: list[float] = []
    ratios: list[float] = []
    output = b""
    for repeat in range(sizes.repeats):
        order = ["ours", "base"] if repeat % 2 == 0 else ["base", "ours"]
        for which in order:
            seconds, peak, out = _run(ours if which == "ours" else baseline)
            times[which].append(seconds)
            if which == "ours":
                peaks.append(peak)
                output = out
        ratios.append(times["base"][-1] / times["ours"][-1])
    rows = [
        Row("B8", "servresp indicators --tz Asia/Shanghai (DuckDB path)", "s", times["ours"],
            note=f"{sizes.b8_rows:,} calls, {size_mb:.0f} MB CSV; "
                 f"{sizes.b8_rows / min(times['ours']):,.0f} rows/s at best"),
        Row("B8", "DuckDB: one SQL statement over the same file (baseline)", "s", times["base"]),
        ratio_row("B8", "baseline / servresp", ratios, "≥ 0.3", lambda r: r >= 0.3),
        Row("B8", "peak RSS of servresp indicators", "MB", [max(peaks)], "≤ 1024",
            max(peaks) <= 1024),
    ]
    if sizes.b8_python:  # the Python reader, once: its time, and that the output is the same
        env = {**os.environ, "SERVRESP_NO_DUCKDB": "1"}
        seconds, peak, python_out = _run(ours, env)
        rows.append(Row("B8", "the Python reader (SERVRESP_NO_DUCKDB=1), once", "s", [seconds],
                        note=f"peak RSS {peak:.0f} MB; output identical to the DuckDB path: "
                             f"{'yes' if python_out == output else 'NO'}"))
        rows.append(Row("B8", "DuckDB path output == Python path output", "same", [1.0],
                        "yes", python_out == output))
    return rows
