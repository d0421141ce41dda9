"""Run the benchmarks of issues 9, 18 and 20 (what ``make bench`` runs): B1–B9, one table of figures.

Each benchmark runs in a fresh child process (``run.py --child B2``) that prints its rows
as JSON; this process collects them and prints one table with min / median / max over
the repeats, the targets and the machine. ``--markdown FILE`` writes the same table as
Markdown (docs/performance.md quotes it).

    python benchmarks/run.py                  # full sizes (make bench), ~5-10 minutes
    python benchmarks/run.py --quick          # the smallest sizes, ~1 minute
    python benchmarks/run.py --only B2,B3 --repeats 3 --markdown /tmp/bench.md
    python benchmarks/run.py --only B8 --large   # B8 on 10,000,000 calls
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import bench_cli
import bench_engine
import bench_faulttree
import bench_model
import bench_records
import bench_service
from bench_common import FULL, QUICK, SMOKE, Row, Sizes, machine

__all__ = ["BENCHES", "main", "render_markdown", "render_text", "run_bench"]

BENCHES: dict[str, Callable[[Sizes, Path], list[Row]]] = {
    "B1": bench_cli.b1_cli,
    "B2": bench_engine.b2_evaluate,
    "B3": bench_model.b3_trace,
    "B4": bench_model.b4_load,
    "B5": bench_engine.b5_engines,
    "B6": bench_cli.b6_watch,
    "B7": bench_service.b7_service,
    "B8": bench_records.b8_indicators,
    "B9": bench_model.b9_check,
    "FT1": bench_faulttree.ft1_faulttree,
}
SIZES = {s.name: s for s in (FULL, QUICK, SMOKE)}
COLUMNS = ("bench", "measure", "n", "min", "median", "max", "unit", "target", "verdict")


def run_bench(name: str, sizes: Sizes, work: Path, *, repeats: int | None = None,
              large: bool = False) -> list[Row]:
    """Run one benchmark in this process; ``repeats`` overrides every repeat count.

    ``large``: B8 on a 10,000,000-row call log (about 620 MB), without the Python reader.
    """
    from dataclasses import replace  # noqa: PLC0415

    if repeats is not None:
        sizes = replace(sizes, repeats=repeats, b1_repeats=repeats, b4_repeats=repeats,
                        b9_repeats=repeats)
    if large:
        sizes = replace(sizes, b8_rows=10_000_000, b8_python=False)
    work.mkdir(parents=True, exist_ok=True)
    return BENCHES[name](sizes, work)


# --- the table -----------------------------------------------------------------------------------


def _number(value: float, unit: str) -> str:
    if unit == "×":
        return f"{value:.2f}" if value >= 0.1 else f"{value:.2g}"
    if unit.endswith("/s"):
        return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"
    if unit == "s":
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    if unit == "threads":
        return f"{value:.0f}"
    return f"{value:.1f}"


def _cells(row: Row) -> list[str]:
    verdict = {True: "ok", False: "MISS", None: ""}[row.ok]
    if not row.values:
        return [row.bench, row.what, "", "", "", "", row.unit, row.target, verdict]
    low, mid, high = min(row.values), statistics.median(row.values), max(row.values)
    unit = row.unit
    return [row.bench, row.what, str(len(row.values)), _number(low, unit), _number(mid, unit),
            _number(high, unit), unit, f"{row.target} {unit}".strip() if row.target else "",
            verdict]


def _header(info: dict[str, str], meta: dict[str, str]) -> list[tuple[str, str]]:
    return [
        ("run", f"{meta['sizes']} sizes, {meta['date']}, {meta['wall']} in all"),
        ("command", meta["command"]),
        ("machine", f"{info['cpu']}, {info['cores']} cores, {info['os']}"),
        ("python", info["python"]),
        ("libraries", info["libraries"]),
    ]


_LEGEND = ("n = repeats; ratios are computed per repeat (each repeat interleaves the figure "
           "with its baselines) and judged on the median.")


def render_text(rows: Sequence[Row], info: dict[str, str], meta: dict[str, str]) -> str:
    """Return the table as aligned plain text, notes indented under their rows."""
    table = [list(COLUMNS), *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    right = {2, 3, 4, 5}
    out = [f"{key}: {value}" for key, value in _header(info, meta)]
    out.append("")
    for index, line in enumerate(table):
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(line, widths,
                                                                                      strict=True))]
        out.append("  ".join(cells).rstrip())
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
        elif rows[index - 1].note:
            out.append(" " * (widths[0] + 4) + f"({rows[index - 1].note})")
    out.extend(["", _LEGEND])
    return "\n".join(out) + "\n"


def render_markdown(rows: Sequence[Row], info: dict[str, str], meta: dict[str, str]) -> str:
    """Return the table as Markdown, notes in italics under the measure."""
    out = [f"- **{key}**: {value}" if key != "command" else f"- **{key}**: `{value}`"
           for key, value in _header(info, meta)]
    out.extend(["", "| " + " | ".join(COLUMNS) + " |",
                "|" + "|".join("---:" if c in ("n", "min", "median", "max") else "---"
                               for c in COLUMNS) + "|"])
    for row in rows:
        cells = _cells(row)
        if row.note:
            cells[1] = f"{cells[1]}<br>*{row.note}*"
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    out.extend(["", _LEGEND])
    return "\n".join(out) + "\n"


# --- running ---------------------------------------------------------------------------------------


def _child(name: str, args: argparse.Namespace, work: Path) -> tuple[list[Row], str]:
    """Run one benchmark in a fresh process; return its rows, or a failure row and why."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--sizes",
               args.sizes, "--work", str(work)]
    if args.repeats is not None:
        command += ["--repeats", str(args.repeats)]
    if args.large:
        command.append("--large")
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False,
                                timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return [Row(name, f"failed: no result within {args.timeout:.0f} s", "", ok=False)], "timeout"
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        why = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return [Row(name, f"failed: {why}", "", ok=False)], result.stderr
    return [Row(**r) for r in json.loads(lines[-1])], ""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; return 0, or 1 when one of them failed to run (not on a missed target)."""
    parser = argparse.ArgumentParser(prog="run.py", description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", dest="sizes", action="store_const", const="quick",
                      help="the smallest sizes (bundled-size organisations, 10k-fact stream)")
    size.add_argument("--smoke", dest="sizes", action="store_const", const="smoke",
                      help="tiny sizes, one repeat: only checks that everything runs (tests)")
    size.add_argument("--sizes", dest="sizes", choices=sorted(SIZES), help=argparse.SUPPRESS)
    parser.add_argument("--only", metavar="B2,B3", help="run only these benchmarks")
    parser.add_argument("--repeats", type=int, help="override every repeat count")
    parser.add_argument("--large", action="store_true",
                        help="B8 on 10,000,000 calls (~620 MB; with --only B8: ~2-4 min)")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    parser.add_argument("--work", metavar="DIR", help="folder for generated organisations "
                        "(kept; default: a temporary folder, removed)")
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="seconds allowed per benchmark (default 900)")
    parser.add_argument("--child", choices=sorted(BENCHES), help=argparse.SUPPRESS)
    parser.set_defaults(sizes="full")
    args = parser.parse_args(argv)
    sizes = SIZES[args.sizes]
    if args.child:
        rows = run_bench(args.child, sizes, Path(args.work), repeats=args.repeats, large=args.large)
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False))
        return 0
    selected = [b.strip().upper() for b in args.only.split(",")] if args.only else list(BENCHES)
    unknown = [b for b in selected if b not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="servresp-bench-"))
    started = time.perf_counter()
    rows: list[Row] = []
    failed = False
    try:
        for name in selected:
            print(f"{name} ...", end=" ", file=sys.stderr, flush=True)
            begun = time.perf_counter()
            got, error = _child(name, args, work)
            rows.extend(got)
            print(f"{time.perf_counter() - begun:.0f} s" + (" FAILED" if error else ""),
                  file=sys.stderr, flush=True)
            if error:
                failed = True
                print(error[-2000:], file=sys.stderr)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    shown = " ".join(["python", "benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    meta = {"sizes": args.sizes, "command": shown.strip(),
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "wall": f"{time.perf_counter() - started:.0f} s"}
    info = machine()
    print(render_text(rows, info, meta), end="")
    if args.markdown:
        Path(args.markdown).write_text(render_markdown(rows, info, meta), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
