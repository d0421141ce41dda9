"""The explorer command: ``site`` writes the web explorer as a static site."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from servresp.cli.common import EXIT_OK, Handler, Subparsers, add_rules, rules_dir
from servresp.model.load import load_model

__all__ = ["register"]


def register(sub: Subparsers) -> dict[str, Handler]:
    """Add the explorer commands to ``sub``; return their handlers by name."""
    site = sub.add_parser("site", help="write the web explorer as a static site (opens from the file system)")
    site.add_argument("out", metavar="OUT", help="output folder, e.g. build/site")
    add_rules(site)
    site.add_argument("--facts", metavar="FILE", nargs="*", default=[],
                      help="fact files to trace into the site; each becomes an example to pick")
    return {"site": _site}


def _site(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.evaluate.facts import read_facts  # noqa: PLC0415 - lazy: keep start-up fast
    from servresp.service.explorer.site import render_site, write_site  # noqa: PLC0415

    model = load_model(rules_dir(args))
    examples = []
    for path in args.facts:
        facts = read_facts([path], model)
        for problem in facts.rejected:
            print(f"rejected: {problem}", file=err)
        examples.append((path, facts))
    target = Path(args.out)
    for relpath in write_site(target, render_site(model, examples)):
        print(f"wrote {target / relpath}", file=out)
    return EXIT_OK
