"""The ``servresp`` command: arguments → library calls → exit code. No logic of its own."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from servresp.errors import FactError, ModelError, Problem, ServrespError, UnknownIdError
from servresp.load import default_rules_dir, load_model

if TYPE_CHECKING:
    from servresp.report import Report

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    """Bad arguments: argparse's own message, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: error: {message}")


@contextlib.contextmanager
def _reporting_errors(stderr: TextIO) -> Iterator[list[int]]:
    """Turn a `ServrespError` into lines on stderr and exit code 2."""
    status = [EXIT_OK]
    try:
        yield status
    except ModelError as exc:
        for problem in exc.problems:
            print(problem, file=stderr)
        status[0] = EXIT_USAGE
    except ServrespError as exc:
        print(f"error: {exc}", file=stderr)
        status[0] = EXIT_USAGE


def _rules_dir(args: argparse.Namespace) -> Path:
    return Path(args.rules) if args.rules else default_rules_dir()


def _add_rules(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", help="rules folder (default: the bundled model)")


def _add_facts(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--facts", metavar="FILE", nargs="+", required=True,
                        help="fact files: JSON, JSONL or CSV; '-' reads stdin")
    _add_rules(parser)
    parser.add_argument("--period", metavar="P", help="YYYY-MM, YYYY-Www or YYYY-MM-DD (default: latest)")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="servresp", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="lint the model")
    _add_rules(check)
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--format", choices=("text", "json"), default="text")
    show = sub.add_parser("show", help="a unit, duty or promise with its neighbourhood")
    show.add_argument("id", help="unit, duty, promise, standard or rule id")
    _add_rules(show)
    show.add_argument("--lang", choices=("en", "zh"), default="en")
    trace = sub.add_parser("trace", help="facts in, ranked owners out")
    trace.add_argument("promise", nargs="?", help="promise id (default: every promise)")
    _add_facts(trace)
    trace.add_argument("--format", choices=("text", "json"), default="text")
    trace.add_argument("--fail-on", choices=("breached", "at_risk"),
                       help="exit 1 when a traced promise is breached (or at risk or worse)")
    why = sub.add_parser("why", help="why a unit has its share of a promise, or none")
    why.add_argument("unit")
    why.add_argument("promise")
    _add_facts(why)
    docs = sub.add_parser("docs", help="write responsibility charts into a folder")
    docs.add_argument("out", metavar="OUT", help="output folder, e.g. docs/charts")
    _add_rules(docs)
    docs.add_argument("--lang", choices=("en", "zh"), default="en")
    docs.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 when OUT differs from what would be written")
    _add_records_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line; return 0 ok, 1 findings, 2 usage or input error."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        with contextlib.redirect_stdout(out):  # --help writes to the stream we were given
            args = _build_parser().parse_args(argv)
    except _UsageError as exc:
        print(exc, file=err)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    with _reporting_errors(err) as status:
        status[0] = _COMMANDS[args.command](args, out, err)
    return status[0]


def _check(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    model = load_model(_rules_dir(args))
    from servresp.lint import lint, render_findings  # noqa: PLC0415 - lazy: keep start-up fast

    report = lint(model)
    out.write(render_findings(report, fmt=args.format))
    return EXIT_FINDINGS if report.fails(strict=args.strict) else EXIT_OK


def _show(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    from servresp.render.neighbourhood import render_neighbourhood  # noqa: PLC0415 - lazy import

    model = load_model(_rules_dir(args))
    out.write(render_neighbourhood(model, args.id, lang=args.lang))
    return EXIT_OK


def _docs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp import charts  # noqa: PLC0415 - lazy import

    model = load_model(_rules_dir(args))
    generated = charts.generate(model, lang=args.lang)
    target = Path(args.out)
    if args.check:
        stale = charts.stale(target, generated)
        for relpath in stale:
            print(f"stale: {target / relpath}", file=err)
        return EXIT_FINDINGS if stale else EXIT_OK
    for relpath in charts.write(target, generated):
        print(f"wrote {target / relpath}", file=out)
    svg_written, note = charts.write_svgs(target, generated)
    for relpath in svg_written:
        print(f"wrote {target / relpath}", file=out)
    if note:
        print(f"note: {note}", file=err)
    return EXIT_OK


def _report(args: argparse.Namespace, err: TextIO, promises: list[str] | None) -> Report:
    """Load, read, evaluate and trace; rejected lines go to stderr, one a line."""
    from servresp.facts import read_facts  # noqa: PLC0415 - lazy import
    from servresp.periods import parse_period  # noqa: PLC0415
    from servresp.report import build_report  # noqa: PLC0415

    model = load_model(_rules_dir(args))
    for promise in promises or ():
        if promise not in model.promises:
            raise UnknownIdError("promise", promise, model.promises)
    if args.period:
        try:
            parse_period(args.period)
        except ValueError as exc:
            raise FactError([Problem("--period", 0, "", str(exc))]) from None
    facts = read_facts(args.facts, model, stdin=sys.stdin)
    for problem in facts.rejected:
        print(f"rejected: {problem}", file=err)
    for unknown in facts.unknown:
        hint = f"; did you mean {unknown.suggestion!r}?" if unknown.suggestion else ""
        print(f"unknown: {unknown.source}:{unknown.line}: {unknown.kind} {unknown.name!r}{hint}",
              file=err)
    if not facts.facts:
        raise FactError([Problem(", ".join(args.facts), 0, "", "no readable fact to evaluate")])
    return build_report(model, facts, promises=promises, period=args.period)


def _trace(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.render.text import render_report  # noqa: PLC0415 - lazy import

    report = _report(args, err, [args.promise] if args.promise else None)
    for warning in (*report.facts.warnings, *report.evaluation.warnings):
        print(f"warning: {warning}", file=err)
    out.write(report.to_json() if args.format == "json" else render_report(report))
    failing = {"breached": {"breached"}, "at_risk": {"breached", "at_risk"}}.get(args.fail_on, set())
    return EXIT_FINDINGS if any(t.status in failing for t in report.traces) else EXIT_OK


def _why(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.render.text import render_why  # noqa: PLC0415 - lazy import

    report = _report(args, err, [args.promise])
    out.write(render_why(report, args.unit, args.promise))
    return EXIT_OK


# --- records, the standards report and watch (docs/records.md) ---------------------------


def _add_records_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    indicators = sub.add_parser("indicators", help="raw service records → metric facts per period")
    indicators.add_argument("records", metavar="RECORDS", nargs="+",
                            help="record files, CSV or JSONL (docs/records.md); '-' reads stdin")
    indicators.add_argument("--every", choices=("month", "week", "day"), default="month")
    indicators.add_argument("--tz", metavar="ZONE", default="UTC",
                            help="IANA zone whose midnights bound the periods, and of timestamps "
                                 "without an offset (default UTC)")
    indicators.add_argument("--min-count", metavar="N", type=_count_arg, default=30,
                            help="write no metric from fewer cases than this (default 30)")
    indicators.add_argument("-o", "--output", metavar="FILE", help="write the JSONL here")
    standards = sub.add_parser("report", help="the standards report: actual, target, gap, "
                                              "change, error budget, owners of each miss")
    _add_facts(standards)
    standards.add_argument("--format", choices=("md", "json"), default="md")
    watch = sub.add_parser("watch", help="JSONL facts on stdin → a JSON line per status change")
    _add_rules(watch)
    watch.add_argument("--follow", metavar="FILE", help="read a growing file instead of stdin")


def _count_arg(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, found {text!r}")
    return int(text)


def _indicators(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp import indicators  # noqa: PLC0415 - lazy import
    from servresp._fs import write_atomic  # noqa: PLC0415
    from servresp.records import RecordError  # noqa: PLC0415

    progress = indicators.terminal_progress(err) if err.isatty() else None
    result = indicators.indicators_from_files(args.records, every=args.every, tz=args.tz,
                                              min_count=args.min_count, stdin=sys.stdin,
                                              progress=progress)
    for message in result.messages():
        print(message, file=err)
    if not result.counted:
        raise RecordError([Problem(", ".join(args.records), 0, "", "no readable record")])
    if args.output:
        target = Path(args.output)
        write_atomic(target.parent, target.name, result.to_jsonl())
    else:
        out.write(result.to_jsonl())
    return EXIT_OK


def _standards_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.monthly import build_monthly, render_json  # noqa: PLC0415 - lazy import
    from servresp.render.report_md import render_report_md  # noqa: PLC0415

    read = _report(args, err, None)
    report = build_monthly(read.model, read.facts, period=args.period or read.evaluation.period)
    out.write(render_json(report) if args.format == "json" else render_report_md(report))
    return EXIT_OK


def _watch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.watch import follow, run_watch  # noqa: PLC0415 - lazy import

    model = load_model(_rules_dir(args))
    lines = follow(args.follow) if args.follow else sys.stdin
    run_watch(model, lines, out, err, source=args.follow or "-")
    return EXIT_OK


_COMMANDS = {"check": _check, "docs": _docs, "show": _show, "trace": _trace, "why": _why,
             "indicators": _indicators, "report": _standards_report, "watch": _watch}
