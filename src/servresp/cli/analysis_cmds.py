"""The fault-tree command: ``cutsets`` (a promise of the model, or an Open-PSA MEF file)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from servresp.cli.common import EXIT_OK, Handler, Subparsers, add_rules, rules_dir
from servresp.errors import FactError, FaultTreeError, Problem, UnknownIdError

if TYPE_CHECKING:
    from servresp.model.faulttree import FaultTree

__all__ = ["register"]


def register(sub: Subparsers) -> dict[str, Handler]:
    """Add ``cutsets`` to ``sub``; return its handler by name."""
    cutsets = sub.add_parser("cutsets", help="fault-tree analysis: minimal cut sets, P(top), importance")
    cutsets.add_argument("promise", nargs="?", help="promise id (default: every promise)")
    add_rules(cutsets)
    cutsets.add_argument("--facts", metavar="FILE", nargs="+",
                         help="fact history: each duty's failure probability is the smoothed "
                              "share of periods it was implicated in")
    cutsets.add_argument("--probabilities", metavar="FILE",
                         help='JSON {"event": probability}; overrides the history')
    cutsets.add_argument("--mef", metavar="FILE", nargs="+", help="analyse Open-PSA MEF XML files instead")
    cutsets.add_argument("--top", metavar="NAME",
                         help="with --mef: the top gate (default: the one gate nothing uses)")
    cutsets.add_argument("--format", choices=("text", "json", "mef"), default="text",
                         help="mef: write the tree as Open-PSA MEF XML")
    return {"cutsets": _cutsets}


def _usage(message: str) -> FaultTreeError:
    return FaultTreeError([Problem("servresp cutsets", 0, "", message)])


def _trees(args: argparse.Namespace, err: TextIO) -> list[FaultTree]:
    from servresp.analysis.history import probabilities_from_history, read_probabilities  # noqa: PLC0415
    from servresp.analysis.mef import read_mef  # noqa: PLC0415
    from servresp.evaluate.facts import read_facts  # noqa: PLC0415
    from servresp.model.faulttree import fault_tree  # noqa: PLC0415
    from servresp.model.load import load_model  # noqa: PLC0415

    if args.mef:
        if args.promise or args.facts or args.rules:
            raise _usage("--mef takes no PROMISE, --rules or --facts")
        tree = read_mef(args.mef, top=args.top)
        if args.probabilities:
            tree = tree.with_probabilities(read_probabilities(args.probabilities, tree.events))
        return [tree]
    if args.top:
        raise _usage("--top goes with --mef")
    model = load_model(rules_dir(args))
    if args.promise and args.promise not in model.promises:
        raise UnknownIdError("promise", args.promise, model.promises)
    trees = [fault_tree(model, p) for p in ([args.promise] if args.promise else sorted(model.promises))]
    history: dict[str, float] = {}
    if args.facts:
        facts = read_facts(args.facts, model, stdin=sys.stdin)
        for problem in facts.rejected:
            print(f"rejected: {problem}", file=err)
        if not facts.facts:
            raise FactError([Problem(", ".join(args.facts), 0, "", "no readable fact to learn from")])
        history = probabilities_from_history(model, facts)
    given = read_probabilities(args.probabilities, model.duties) if args.probabilities else {}
    return [t.with_duty_probabilities(history, given) for t in trees]


def _cutsets(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json  # noqa: PLC0415

    from servresp.analysis.cutsets_report import analyse, render_cutsets  # noqa: PLC0415
    from servresp.analysis.mef import write_mef  # noqa: PLC0415

    trees = _trees(args, err)
    if args.format == "mef":
        if len(trees) != 1:
            raise _usage("--format mef writes one tree: name a promise")
        out.write(write_mef(trees[0]))
        return EXIT_OK
    reports = [analyse(t) for t in trees]
    if args.format == "json":
        if len(reports) == 1:
            out.write(render_cutsets(reports[0], fmt="json"))
        else:
            out.write(json.dumps([r.to_dict() for r in reports], sort_keys=True, indent=2,
                                 ensure_ascii=False) + "\n")
        return EXIT_OK
    out.write("\n".join(render_cutsets(r) for r in reports))
    return EXIT_OK
