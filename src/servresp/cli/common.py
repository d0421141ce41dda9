"""What every command shares: the parser class, exit codes, the rules and facts options."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from servresp.errors import FactError, Problem, ServrespError, UnknownIdError
from servresp.i18n import gettext as _

if TYPE_CHECKING:
    from servresp.model.classes import Model
    from servresp.trace.report import Report

__all__ = [
    "EXIT_BUG",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PIPE",
    "EXIT_USAGE",
    "Handler",
    "ModelCheckError",
    "Parser",
    "Subparsers",
    "UsageError",
    "add_facts",
    "add_no_check",
    "add_rules",
    "ids_after_facts",
    "load_checked",
    "printable",
    "read_report",
    "rules_dir",
    "stdin",
]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_BUG = 70
"""An unexpected exception: a bug in servresp (sysexits.h EX_SOFTWARE), never 1 (findings)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT), as shells report it."""
EXIT_PIPE = 141
"""The reader closed the output (128 + SIGPIPE), as ``yes | head -1`` reports it."""

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]
"""A command: parsed arguments, stdout, stderr → exit code."""


class UsageError(Exception):
    """Bad arguments: argparse's own message, exit 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser that raises `UsageError` instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Raise the message as a `UsageError`."""
        raise UsageError(f"{self.prog}: error: {message}")


if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[Parser]  # noqa: SLF001 - argparse's own type
else:
    Subparsers = argparse._SubParsersAction  # noqa: SLF001 - not subscriptable at run time


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters (terminal escapes) and bidi overrides; newlines and tabs stay."""


def printable(text: str) -> str:
    r"""Return ``text`` with control characters written as ``\xNN`` (or ``\uNNNN``).

    So a name in a model cannot drive the terminal it is shown on (escapes, bidi overrides).
    """
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1] if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", text)


def stdin() -> TextIO:
    """Return stdin as UTF-8 text whose invalid bytes read as lone surrogates.

    The readers reject just the lines holding them ("not UTF-8 text"), as they do in files,
    whatever the locale; the strict default would end the whole run on one bad byte.
    """
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:  # the same stream, so nothing closes fd 0 behind our back
        with contextlib.suppress(ValueError, OSError):  # data already read: keep its encoding
            reconfigure(encoding="utf-8", errors="surrogateescape")
    return sys.stdin


def ids_after_facts(args: argparse.Namespace, names: tuple[str, ...], err: TextIO, *,
                    required: bool = True) -> None:
    """Take ids that ``--facts FILE…`` swallowed back (``trace --facts f.jsonl PROMISE``).

    ``--facts`` takes every word after it; trailing words that are no file and no ``-`` fill
    the last of the positional ``names`` still empty, with a note on how to write them.
    With ``required``, a name still empty is a `UsageError`.
    """
    missing = [name for name in names if getattr(args, name) is None]
    taken: list[str] = []
    while len(taken) < len(missing) and len(args.facts) > 1 and args.facts[-1] != "-" \
            and not Path(args.facts[-1]).exists():
        taken.insert(0, args.facts.pop())
    filled = missing[len(missing) - len(taken):]
    for name, value in zip(filled, taken, strict=True):
        setattr(args, name, value)
    if taken:
        print(f"note: read {' '.join(repr(t) for t in taken)} as {', '.join(filled)}, not fact files; "
              "write them before --facts to silence this note", file=err)
    still = [name for name in names if getattr(args, name) is None]
    if still and required:
        raise UsageError(f"servresp: error: missing {', '.join(still)}; write them before --facts")


def rules_dir(args: argparse.Namespace) -> Path:
    """Return the folder given with ``--rules``, or the bundled model's."""
    if args.rules:
        return Path(args.rules)
    from servresp.model.load import default_rules_dir  # noqa: PLC0415 - see load_keyed

    return default_rules_dir()


def load_keyed(path: Path) -> tuple[Model, str | None]:
    """Return `servresp.model.load.load_keyed`; the model stage (networkx) is imported here.

    Commands that read no model (`indicators`, `explain`…) then start without it.
    """
    from servresp.model.load import load_keyed as load  # noqa: PLC0415 - lazy, as the docstring says

    return load(path)


def add_rules(parser: argparse.ArgumentParser) -> None:
    """Add ``--rules DIR``."""
    parser.add_argument("--rules", metavar="DIR", help="rules folder (default: the bundled model)")


def add_no_check(parser: argparse.ArgumentParser) -> None:
    """Add ``--no-check``."""
    parser.add_argument("--no-check", action="store_true",
                        help="use the model even when `servresp check` finds errors in it")


class ModelCheckError(ServrespError):
    """The model has errors that `servresp check` reports: refuse to trace with it."""


def load_checked(args: argparse.Namespace) -> Model:
    """Load the model; unless ``--no-check``, refuse it (exit 2) when `check` finds errors."""
    model, key = load_keyed(rules_dir(args))
    if getattr(args, "no_check", False):
        return model
    from servresp.lint.verdict import errors_of  # noqa: PLC0415 - lazy: keep start-up fast

    errors = errors_of(model, key)
    if errors:
        tail = (f"the model has {len(errors)} error(s) that `servresp check` reports; "
                "fix them, or pass --no-check")
        raise ModelCheckError("\n".join([*(str(f) for f in errors), tail]))
    return model


def add_facts(parser: argparse.ArgumentParser) -> None:
    """Add ``--facts FILE…``, ``--rules``, ``--period`` and ``--no-check``."""
    parser.add_argument("--facts", metavar="FILE", nargs="+", required=True,
                        help="fact files: JSON, JSONL or CSV; '-' reads stdin")
    add_rules(parser)
    parser.add_argument("--period", metavar="P", help="YYYY-MM, YYYY-Www or YYYY-MM-DD (default: latest)")
    add_no_check(parser)


def read_report(args: argparse.Namespace, err: TextIO, promises: list[str] | None) -> Report:
    """Load, read, evaluate and trace; rejected lines go to stderr, one a line."""
    from servresp.evaluate.facts import read_facts  # noqa: PLC0415 - lazy import
    from servresp.evaluate.periods import parse_period  # noqa: PLC0415
    from servresp.trace.report import build_report  # noqa: PLC0415

    model = load_checked(args)
    for promise in promises or ():
        if promise not in model.promises:
            raise UnknownIdError("promise", promise, model.promises)
    if args.period is not None:
        try:
            parse_period(args.period)
        except ValueError as exc:
            raise FactError([Problem("--period", 0, "", str(exc))]) from None
    facts = read_facts(args.facts, model, stdin=stdin())
    for problem in facts.rejected:
        print(_("rejected: {problem}").format(problem=problem), file=err)
    for unknown in facts.unknown:
        hint = _("; did you mean {name}?").format(name=repr(unknown.suggestion)) if unknown.suggestion else ""
        print(_("unknown: {file}:{line}: {kind} {name}{hint}").format(
            file=unknown.source, line=unknown.line, kind=_(unknown.kind), name=repr(unknown.name), hint=hint),
              file=err)
    if not facts.facts:
        raise FactError([Problem(", ".join(args.facts), 0, "", _("no readable fact to evaluate"))])
    return build_report(model, facts, promises=promises, period=args.period)
