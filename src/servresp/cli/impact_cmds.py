"""The change commands: ``impact`` (who to involve in a change) and ``diff`` (two models)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from servresp.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Handler, Subparsers, add_rules, rules_dir
from servresp.errors import ModelError, Problem
from servresp.model.load import load_model

if TYPE_CHECKING:
    from collections.abc import Callable

    from servresp.model.classes import Model

__all__ = ["register"]


def register(sub: Subparsers) -> dict[str, Handler]:
    """Add ``impact`` and ``diff`` to ``sub``; return their handlers by name."""
    impact = sub.add_parser("impact", help="who to consult and inform before changing an id")
    impact.add_argument("id", help="duty, standard, rule, signal, unit or promise id")
    add_rules(impact)
    impact.add_argument("--format", choices=("text", "json"), default="text")
    impact.add_argument("--lang", choices=("en", "zh"), default="en")
    diff = sub.add_parser(
        "diff", help="what a change to the rules does: two folders, or two git revisions",
        description="Compare two rules folders, or with --git two revisions of one "
                    "(NEW defaults to the working tree). Exit 1 when the change introduces a "
                    "check error.")
    diff.add_argument("old", metavar="OLD", help="rules folder, or a git revision with --git")
    diff.add_argument("new", metavar="NEW", nargs="?",
                      help="rules folder, or a git revision with --git (default: working tree)")
    diff.add_argument("--git", action="store_true", help="OLD and NEW are git revisions")
    diff.add_argument("--rules", metavar="DIR", default="rules",
                      help="with --git: the rules folder, relative to the repository's top "
                           "(default: rules)")
    diff.add_argument("--strict", action="store_true",
                      help="exit 1 when the change introduces a check warning too")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    diff.add_argument("--lang", choices=("en", "zh"), default="en")
    return {"impact": _impact, "diff": _diff}


def _impact(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    from servresp.analysis.impact import impact  # noqa: PLC0415 - lazy: keep start-up fast
    from servresp.render.impact_text import render_impact  # noqa: PLC0415

    model = load_model(rules_dir(args))
    out.write(render_impact(impact(model, args.id), fmt=args.format, lang=args.lang))
    return EXIT_OK


def _sides(args: argparse.Namespace) -> tuple[tuple[str, Callable[[], Model]], ...]:
    """(label, loader) for OLD and NEW."""
    from servresp.analysis import gitrev  # noqa: PLC0415 - lazy import

    if not args.git:
        return tuple((folder, lambda f=folder: load_model(Path(f))) for folder in (args.old, args.new))
    rules = args.rules
    old = (f"{args.old}:{rules}", lambda: gitrev.load_revision(args.old, rules))
    if args.new is None:
        return old, (rules, lambda: gitrev.load_worktree(rules))
    return old, (f"{args.new}:{rules}", lambda: gitrev.load_revision(args.new, rules))


def _diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.analysis.diff import diff_models  # noqa: PLC0415 - lazy import
    from servresp.render.diff_text import render_diff  # noqa: PLC0415

    if args.new is None and not args.git:
        print("servresp diff: error: give two rules folders OLD NEW, or --git OLD [NEW]", file=err)
        return EXIT_USAGE
    models: list[Model] = []
    problems: list[Problem] = []
    sides = _sides(args)
    for _label, load in sides:
        try:
            models.append(load())
        except ModelError as exc:  # report both sides' problems, not just the first side's
            problems += exc.problems
    if problems:
        raise ModelError(problems)
    result = diff_models(models[0], models[1], old_label=sides[0][0], new_label=sides[1][0])
    out.write(render_diff(result, fmt=args.format, lang=args.lang))
    return EXIT_FINDINGS if result.fails(strict=args.strict) else EXIT_OK
