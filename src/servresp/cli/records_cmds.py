"""The records commands: ``indicators`` (records → metric facts) and ``watch`` (a status stream)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from servresp.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    Handler,
    Subparsers,
    add_no_check,
    add_rules,
    load_checked,
    stdin,
)
from servresp.errors import Problem

__all__ = ["register"]


def register(sub: Subparsers) -> dict[str, Handler]:
    """Add the records commands to ``sub``; return their handlers by name."""
    indicators = sub.add_parser("indicators", help="raw service records → metric facts per period")
    indicators.add_argument("records", metavar="RECORDS", nargs="*",
                            help="record files, CSV, JSONL or Parquet (docs/records.md); '-' reads stdin")
    indicators.add_argument("--sql", metavar="DB:TABLE", action="append", default=[],
                            help="also read a SQLite table, e.g. helpdesk.db:calls (repeatable)")
    indicators.add_argument("--every", choices=("month", "week", "day"), default="month")
    indicators.add_argument("--tz", metavar="ZONE", default="UTC",
                            help="IANA zone whose midnights bound the periods, and of timestamps "
                                 "without an offset (default UTC)")
    indicators.add_argument("--min-count", metavar="N", type=_count_arg, default=30,
                            help="write no metric from fewer cases than this (default 30)")
    indicators.add_argument("-o", "--output", metavar="FILE", help="write the JSONL here")
    watch = sub.add_parser("watch", help="JSONL facts on stdin → a JSON line per status change")
    add_rules(watch)
    watch.add_argument("--follow", metavar="FILE", help="read a growing file instead of stdin")
    add_no_check(watch)
    return {"indicators": _indicators, "watch": _watch}


def _count_arg(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, found {text!r}")
    return int(text)


def _indicators(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp._fs import write_output  # noqa: PLC0415
    from servresp.records import indicators  # noqa: PLC0415 - lazy import
    from servresp.records.reader import RecordError  # noqa: PLC0415

    if not args.records and not args.sql:
        raise RecordError([Problem("indicators", 0, "", "no records given",
                                   "name record files, '-' for stdin, or --sql DB:TABLE")])
    progress = indicators.terminal_progress(err) if err.isatty() else None
    result = indicators.indicators_from_files(args.records, every=args.every, tz=args.tz,
                                              min_count=args.min_count, stdin=stdin(),
                                              progress=progress, sql=args.sql)
    for message in result.messages():
        print(message, file=err)
    if not result.counted:
        raise RecordError([Problem(", ".join([*args.records, *args.sql]), 0, "", "no readable record")])
    if args.output:
        write_output(Path(args.output), result.to_jsonl())
    else:
        out.write(result.to_jsonl())
    return EXIT_OK


def _watch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.trace.watch import follow, run_watch  # noqa: PLC0415 - lazy import

    model = load_checked(args)
    lines = follow(args.follow) if args.follow else stdin()
    summary = run_watch(model, lines, out, err, source=args.follow or "-")
    return EXIT_INTERRUPTED if summary.ended == "interrupted" else EXIT_OK
