"""The ``servresp`` command: arguments → library calls → exit code. No logic of its own.

Each group of commands lives in its own module with a ``register(sub)`` that adds its
parsers and returns its handlers; add a group by adding it to `GROUPS`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from servresp.cli import (
    analysis_cmds,
    explorer_cmds,
    impact_cmds,
    interop_cmds,
    model_cmds,
    records_cmds,
    service_cmds,
    trace_cmds,
)
from servresp.cli.common import EXIT_USAGE, Handler, Parser, UsageError
from servresp.cli.lang import add_lang, speaking
from servresp.errors import FaultTreeError, ModelError, ServrespError
from servresp.i18n import gettext as _

__all__ = ["GROUPS", "main"]

GROUPS = (model_cmds, trace_cmds, records_cmds, impact_cmds, analysis_cmds, service_cmds, interop_cmds,
          explorer_cmds)
"""The command modules, in the order ``--help`` lists them."""


@contextlib.contextmanager
def _reporting_errors(stderr: TextIO) -> Iterator[list[int]]:
    """Turn a `ServrespError` into lines on stderr and exit code 2."""
    status = [0]
    try:
        yield status
    except (ModelError, FaultTreeError) as exc:
        for problem in exc.problems:
            print(problem, file=stderr)
        status[0] = EXIT_USAGE
    except ServrespError as exc:
        print(_("error: {message}").format(message=exc), file=stderr)
        status[0] = EXIT_USAGE


def _version() -> str:
    from servresp._version import __version__  # noqa: PLC0415 - read once, when asked

    return f"servresp {__version__}"


def _build_parser() -> tuple[Parser, dict[str, Handler]]:
    parser = Parser(prog="servresp", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    handlers: dict[str, Handler] = {}
    for group in GROUPS:
        handlers.update(group.register(sub))
    add_lang(sub)
    return parser, handlers


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line; return 0 ok, 1 findings, 2 usage or input error."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        with contextlib.redirect_stdout(out):  # --help writes to the stream we were given
            parser, handlers = _build_parser()
            args = parser.parse_args(argv)
    except UsageError as exc:
        print(exc, file=err)
        return EXIT_USAGE
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)
    with speaking(args), _reporting_errors(err) as status:
        status[0] = handlers[args.command](args, out, err)
    return status[0]
