"""The service commands: ``serve`` (the HTTP API and explorer) and ``mcp`` (tools for agents)."""

from __future__ import annotations

import argparse
import math
from typing import TextIO

from servresp.cli.common import EXIT_OK, Handler, Subparsers, add_rules, rules_dir
from servresp.model.load import load_model

__all__ = ["register"]


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


_MAX_WORKERS = 64
"""More worker processes than this is a typo: 10**20 spawned hundreds before failing."""


def _workers(text: str) -> int:
    value = _positive(text)
    if value > _MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"{text} workers; at most {_MAX_WORKERS}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, found {text!r}")
    return value


def _port(text: str) -> int:
    """Read a TCP port, 0-65535 (bind() would raise OverflowError past it)."""
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, found {text!r}")
    return int(text)


def register(sub: Subparsers) -> dict[str, Handler]:
    """Add the service commands to ``sub``; return their handlers by name."""
    serve = sub.add_parser("serve", help="serve the HTTP API (OpenAPI at /openapi.json, docs at /docs)")
    add_rules(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--workers", type=_workers, default=1, help="worker processes (default: 1)")
    serve.add_argument("--max-body", type=_positive, metavar="BYTES", default=2 * 1024 * 1024,
                       help="largest request body (default: 2 MiB)")
    serve.add_argument("--max-facts", type=_positive, metavar="N", default=20_000,
                       help="most facts in one request (default: 20000)")
    serve.add_argument("--time-limit", type=_seconds, metavar="S", default=10.0,
                       help="seconds one evaluation may take (default: 10)")
    serve.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                       help="allow browser calls from ORIGIN (repeatable; default: CORS off)")
    mcp = sub.add_parser("mcp", help="serve MCP tools for agents over stdio")
    add_rules(mcp)
    return {"serve": _serve, "mcp": _mcp}


def _serve(args: argparse.Namespace, _out: TextIO, _err: TextIO) -> int:
    from servresp.service.limits import Limits  # noqa: PLC0415 - lazy: the web stack loads on use
    from servresp.service.server import serve  # noqa: PLC0415

    rules = rules_dir(args)
    model = load_model(rules)  # a bad model stops here, with the CLI's problem lines
    limits = Limits(max_body_bytes=args.max_body, max_facts=args.max_facts, time_limit=args.time_limit,
                    cors_origins=tuple(args.cors_origin))
    serve(model, rules=rules, host=args.host, port=args.port, workers=args.workers, limits=limits)
    return EXIT_OK


def _mcp(args: argparse.Namespace, _out: TextIO, _err: TextIO) -> int:
    from servresp.service.tools import mcp_server  # noqa: PLC0415 - lazy: the SDK loads on use

    mcp_server(load_model(rules_dir(args))).run("stdio")
    return EXIT_OK
