"""The model commands: ``check``, ``show`` and ``docs``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from servresp.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    Handler,
    Subparsers,
    add_rules,
    printable,
    rules_dir,
)
from servresp.errors import ModelError
from servresp.i18n import gettext as _
from servresp.model.load import load_model

__all__ = ["register"]


def register(sub: Subparsers) -> dict[str, Handler]:
    """Add the model commands to ``sub``; return their handlers by name."""
    check = sub.add_parser("check", help="lint the model")
    add_rules(check)
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--format", choices=("text", "json"), default="text")
    show = sub.add_parser("show", help="a unit, duty or promise with its neighbourhood")
    show.add_argument("id", help="unit, duty, promise, standard or rule id")
    add_rules(show)
    show.add_argument("--lang", choices=("en", "zh"), default="en")
    docs = sub.add_parser("docs", help="write responsibility charts into a folder")
    docs.add_argument("out", metavar="OUT", help="output folder, e.g. docs/charts")
    add_rules(docs)
    docs.add_argument("--lang", choices=("en", "zh"), default="en")
    docs.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 when OUT differs from what would be written")
    return {"check": _check, "show": _show, "docs": _docs}


def _check(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    from servresp.lint.runner import (  # noqa: PLC0415 - lazy: keep start-up fast
        lint,
        load_findings,
        render_findings,
    )

    try:
        model = load_model(rules_dir(args))
    except ModelError as exc:  # tools still get JSON (the text form is the common one line each)
        if args.format != "json":
            raise
        out.write(render_findings(load_findings(exc.problems), fmt="json"))
        return EXIT_USAGE
    report = lint(model)
    text = render_findings(report, fmt=args.format)
    out.write(text if args.format == "json" else printable(text))
    return EXIT_FINDINGS if report.fails(strict=args.strict) else EXIT_OK


def _show(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    from servresp.render.neighbourhood import render_neighbourhood  # noqa: PLC0415 - lazy import

    model = load_model(rules_dir(args))
    out.write(printable(render_neighbourhood(model, args.id, lang=args.lang)))
    return EXIT_OK


def _docs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.render import charts  # noqa: PLC0415 - lazy import

    model = load_model(rules_dir(args))
    generated = charts.generate(model, lang=args.lang)
    target = Path(args.out)
    if args.check:
        stale = charts.stale(target, generated)
        for relpath in stale:
            print(_("stale: {path}").format(path=target / relpath), file=err)
        return EXIT_FINDINGS if stale else EXIT_OK
    for relpath in charts.write(target, generated):
        print(_("wrote {path}").format(path=target / relpath), file=out)
    svg_written, note = charts.write_svgs(target, generated)
    for relpath in svg_written:
        print(_("wrote {path}").format(path=target / relpath), file=out)
    if note:
        print(_("note: {note}").format(note=_(note)), file=err)
    return EXIT_OK
