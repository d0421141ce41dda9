"""``--lang`` on every command that prints for people, and the language a command runs in.

The default comes from the environment (`servresp.i18n.default_lang`: SERVRESP_LANG, then
the locale, English when neither says Chinese). ``docs`` keeps its own ``--lang`` (English by
default): it chooses the language of the charts, which are committed files; its messages
follow the environment. ``serve``, ``mcp`` and ``site`` get none: they serve documents to
tools and to the web explorer, which has its own English/Chinese switch; they run in English.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator

from servresp.cli.common import Subparsers
from servresp.i18n import LANGS, default_lang, use

__all__ = ["KEEP_OWN", "NO_LANG", "add_lang", "speaking"]

KEEP_OWN = frozenset({"docs"})
"""Commands whose ``--lang`` keeps its own default."""
NO_LANG = frozenset({"serve", "mcp", "site"})
"""Commands that print no text for people: no ``--lang``, English documents."""


def add_lang(sub: Subparsers) -> None:
    """Give every command ``--lang en|zh|zh_Hant``, defaulting to the environment's language."""
    default = default_lang(os.environ)
    for name, parser in sub.choices.items():
        if name in KEEP_OWN | NO_LANG:
            continue
        own = [a for a in parser._actions if "--lang" in a.option_strings]  # noqa: SLF001 - argparse's list
        for action in own:  # a command's older en|zh option: widen it
            action.choices, action.default = LANGS, default
        if not own:
            parser.add_argument("--lang", choices=LANGS, default=default,
                                help="language of what is printed for people "
                                     "(default: SERVRESP_LANG, then the locale, else en)")


@contextlib.contextmanager
def speaking(args: argparse.Namespace) -> Iterator[str]:
    """Run a command in its ``--lang``, the environment's (`KEEP_OWN`), or English (`NO_LANG`)."""
    own = getattr(args, "command", None) in KEEP_OWN
    with use(default_lang(os.environ) if own else getattr(args, "lang", None) or "en") as lang:
        yield lang
