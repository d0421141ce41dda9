"""The trace commands: ``trace``, ``why`` and ``report`` (the standards report)."""

from __future__ import annotations

import argparse
from typing import TextIO

from servresp.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Handler,
    Subparsers,
    add_facts,
    ids_after_facts,
    printable,
    read_report,
)
from servresp.i18n import gettext as _

__all__ = ["register"]


def register(sub: Subparsers) -> dict[str, Handler]:
    """Add the trace commands to ``sub``; return their handlers by name."""
    trace = sub.add_parser("trace", help="facts in, ranked owners out")
    trace.add_argument("promise", nargs="?", help="promise id (default: every promise)")
    add_facts(trace)
    trace.add_argument("--format", choices=("text", "json"), default="text")
    trace.add_argument("--fail-on", choices=("breached", "at_risk"),
                       help="exit 1 when a traced promise is breached (or at risk or worse)")
    why = sub.add_parser("why", help="why a unit has its share of a promise, or none")
    why.add_argument("unit", nargs="?")
    why.add_argument("promise", nargs="?")
    add_facts(why)
    standards = sub.add_parser("report", help="the standards report: actual, target, gap, "
                                              "change, error budget, owners of each miss")
    add_facts(standards)
    standards.add_argument("--format", choices=("md", "json"), default="md")
    return {"trace": _trace, "why": _why, "report": _standards_report}


def _trace(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.render.text import render_report  # noqa: PLC0415 - lazy import

    if args.promise is None:
        ids_after_facts(args, ("promise",), err, required=False)
    report = read_report(args, err, [args.promise] if args.promise else None)
    for warning in (*report.facts.warnings, *report.evaluation.warnings):
        print(_("warning: {warning}").format(warning=warning), file=err)
    out.write(report.to_json() if args.format == "json" else printable(render_report(report)))
    failing = {"breached": {"breached"}, "at_risk": {"breached", "at_risk"}}.get(args.fail_on, set())
    return EXIT_FINDINGS if any(t.status in failing for t in report.traces) else EXIT_OK


def _why(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.render.text import render_why  # noqa: PLC0415 - lazy import

    ids_after_facts(args, ("unit", "promise"), err)
    report = read_report(args, err, [args.promise])
    out.write(printable(render_why(report, args.unit, args.promise)))
    return EXIT_OK


def _standards_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.records.monthly import build_monthly, render_json  # noqa: PLC0415 - lazy import
    from servresp.render.report_md import render_report_md  # noqa: PLC0415

    read = read_report(args, err, None)
    report = build_monthly(read.model, read.facts, period=args.period or read.evaluation.period)
    out.write(render_json(report) if args.format == "json" else printable(render_report_md(report)))
    return EXIT_OK
