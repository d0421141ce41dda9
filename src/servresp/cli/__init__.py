"""The ``servresp`` command: arguments → library calls → exit code. No logic of its own.

Each group of commands lives in its own module with a ``register(sub)`` that adds its
parsers and returns its handlers; add a group by adding it to `GROUPS`.

Exit codes are a contract (docs/cli.md): 0 ok, 1 findings, 2 bad input or usage, 70 a bug
in servresp (one line on stderr; ``--debug`` or ``SERVRESP_DEBUG=1`` shows the traceback),
130 interrupted (Ctrl-C) and 141 output closed (``| head -1``), both without a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import importlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NoReturn, Protocol, TextIO, cast

from servresp.cli.common import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_PIPE,
    EXIT_USAGE,
    Handler,
    Parser,
    Subparsers,
    UsageError,
    printable,
)
from servresp.cli.lang import add_lang, speaking
from servresp.errors import FaultTreeError, ModelError, ServrespError
from servresp.i18n import gettext as _

__all__ = ["DEBUG_VARIABLE", "GROUPS", "main", "run"]

GROUPS: Mapping[str, tuple[str, ...]] = {
    "model_cmds": ("check", "show", "docs"),
    "trace_cmds": ("trace", "why", "report"),
    "records_cmds": ("indicators", "watch"),
    "impact_cmds": ("impact", "diff"),
    "analysis_cmds": ("cutsets",),
    "service_cmds": ("serve", "mcp"),
    "interop_cmds": ("raci", "backstage", "openslo"),
    "explorer_cmds": ("site",),
}
"""The command modules of ``servresp.cli`` and the commands each adds, in the order ``--help``
lists them. A command line that starts with a command imports and builds only its module's."""

DEBUG_VARIABLE = "SERVRESP_DEBUG"
"""Set to a non-empty value other than ``0`` to see the traceback of a bug."""

_FULL_DISK = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


@contextlib.contextmanager
def _reporting_errors(stderr: TextIO) -> Iterator[list[int]]:
    """Turn a `ServrespError` into lines on stderr and exit code 2."""
    status = [0]
    try:
        yield status
    except ModelError as exc:
        from servresp.lint.runner import load_findings  # noqa: PLC0415 - only on a broken model

        for finding in load_findings(exc.problems):  # file:line: error SR000 path: message
            print(printable(str(finding)), file=stderr)
        status[0] = EXIT_USAGE
    except FaultTreeError as exc:
        for problem in exc.problems:
            print(printable(str(problem)), file=stderr)
        status[0] = EXIT_USAGE
    except ServrespError as exc:
        print(_("error: {message}").format(message=exc), file=stderr)
        status[0] = EXIT_USAGE


def _version() -> str:
    from servresp._version import __version__  # noqa: PLC0415 - read once, when asked

    return f"servresp {__version__}"


class _Version(argparse._VersionAction):  # noqa: SLF001 - argparse's own --version, same output
    """``--version``, which reads the version (the package metadata, ~1 ms) only when given."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        self.version = _version()
        super().__call__(parser, namespace, values, option_string)


class _Group(Protocol):
    """A command module: ``register(sub)`` adds its parsers and returns their handlers."""

    def register(self, sub: Subparsers) -> dict[str, Handler]:
        """Add the group's commands to ``sub``; return their handlers by name."""


def _groups(words: Sequence[str]) -> list[_Group]:
    """Return the module of the command ``words`` start with, or every module."""
    chosen = [name for name, commands in GROUPS.items() if words and words[0] in commands]
    return [cast("_Group", importlib.import_module(f"{__name__}.{name}")) for name in chosen or GROUPS]


def _build_parser(words: Sequence[str] = ()) -> tuple[Parser, dict[str, Handler]]:
    """Return the parser and the handlers by command name.

    When the first word names a command, only its group's module is imported and its commands
    added: parsing and every message come from that command's own parser, the same either way,
    and building the other ~20 parsers would take longer than most of the command's own work
    (benchmarks/, B1).
    """
    parser = Parser(prog="servresp", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--version", action=_Version)
    debug_help = f"show the traceback of a bug (or set {DEBUG_VARIABLE}=1)"
    parser.add_argument("--debug", action="store_true", help=debug_help)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    handlers: dict[str, Handler] = {}
    for group in _groups(words):
        handlers.update(group.register(sub))
    add_lang(sub)
    for command in sub.choices.values():  # `servresp trace --debug …` works too
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help=argparse.SUPPRESS)
    return parser, handlers


def _debugging(argv: Sequence[str] | None) -> bool:
    """Return whether a bug should show its traceback (read before parsing, which may fail)."""
    words = sys.argv[1:] if argv is None else argv
    flag = "--debug" in words[: list(words).index("--")] if "--" in words else "--debug" in words
    return flag or os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")


def _tolerant(stream: TextIO) -> None:
    """Let a stream that cannot encode a character write an escape instead (ASCII, Latin-1)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and getattr(stream, "errors", "") == "strict":
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the exit-time flush stays quiet."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def run() -> NoReturn:
    """Run the command line as a process (the ``servresp`` script, ``python -m servresp``) and exit.

    What the command leaves behind is frozen out of the interpreter's exit-time garbage
    collection, which would otherwise walk the model, its graphs and the traces just to end
    the process (~30 ms of a bundled-model ``trace``; docs/performance.md, B1). Everything
    is still flushed and closed: files by their ``with`` blocks, stdout by `main` and the
    interpreter, ``atexit`` and `weakref.finalize` hooks as usual.
    """
    status = main()
    gc.freeze()
    sys.exit(status)


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line; return 0 ok, 1 findings, 2 usage or input error (see the module)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    for stream in (out, err):
        _tolerant(stream)
    debug = _debugging(argv)
    try:
        status = _run(argv, out, err)
        out.flush()
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        if stdout is None:
            _silence_stdout()
        return EXIT_PIPE
    except OSError as exc:
        if debug:
            raise
        print(_system_refused(exc), file=err)
        return EXIT_USAGE
    except Exception as exc:
        if debug:
            raise
        print(f"servresp: internal error (a bug, not your input): {type(exc).__name__}: "
              f"{_first_line(exc)}; run again with --debug or {DEBUG_VARIABLE}=1 to see the "
              f"traceback, and report it", file=err)
        return EXIT_BUG
    return status


def _system_refused(exc: OSError) -> str:
    """Say what the system refused: a full disk on output, or a path the user gave.

    An OSError that reaches `main` names the file it was about (a path from the command
    line, a full disk, a read-only folder): a problem of the input or the machine, exit 2.
    """
    if exc.errno in _FULL_DISK and exc.filename is None:
        return f"error: cannot write the output: {exc.strerror}"
    name = f"{str(exc.filename)[:200]!r}: " if exc.filename is not None else ""
    return f"error: {name}{exc.strerror or exc}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else "no message"


def _run(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
    words = sys.argv[1:] if argv is None else argv
    for number, word in enumerate(words, start=1):
        try:
            os.fsencode(word)  # what came from the OS always encodes back; anything else no path holds
        except UnicodeEncodeError:
            print(f"servresp: error: argument {number} is not valid text: {word!r}", file=err)
            return EXIT_USAGE
    try:
        with contextlib.redirect_stdout(out):  # --help writes to the stream we were given
            parser, handlers = _build_parser(words)
            args = parser.parse_args(argv)
    except UsageError as exc:
        print(exc, file=err)
        return EXIT_USAGE
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)
    try:
        with speaking(args), _reporting_errors(err) as status:
            status[0] = handlers[args.command](args, out, err)
    except UsageError as exc:
        print(exc, file=err)
        return EXIT_USAGE
    return status[0]
