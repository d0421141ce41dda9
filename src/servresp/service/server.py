"""Run the API under uvicorn: one process, or ``workers`` processes behind uvicorn's supervisor.

The model is loaded once at start. On SIGHUP a process loads the rules again in a thread and
swaps the model whole; a bad model keeps the old one and the log says why. Access logs and
service messages go to stderr, one line each (the access lines are JSON).
"""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import uvicorn

from servresp.model.classes import Model
from servresp.service.api import app
from servresp.service.limits import Limits
from servresp.service.served import Served

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["LOG_CONFIG", "serve", "worker_app"]

_ENV_RULES = "SERVRESP_SERVE_RULES"
_ENV_LIMITS = "SERVRESP_SERVE_LIMITS"

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line",
                            "stream": "ext://sys.stderr"}},
    "loggers": {
        "servresp.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "servresp.service": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
"""Logging for `serve`: plain lines on stderr; uvicorn's own access log is off (ours is JSON)."""


def _reload_on_sighup(served: Served) -> None:
    """Reload the rules in a thread when SIGHUP arrives (the loop keeps answering meanwhile)."""
    def handle(_signum: int, _frame: object) -> None:
        threading.Thread(target=served.reload, name="servresp-reload", daemon=True).start()

    signal.signal(signal.SIGHUP, handle)


def worker_app() -> FastAPI:
    """Build one worker's app from the environment `serve` sets (uvicorn's factory for ``workers``)."""
    rules = os.environ.get(_ENV_RULES) or None
    limits = Limits(**json.loads(os.environ.get(_ENV_LIMITS, "{}")))
    api = app(rules=Path(rules) if rules else None, limits=attrs.evolve(
        limits, cors_origins=tuple(limits.cors_origins)))
    _reload_on_sighup(api.state.served)
    return api


def serve(model: Model, *, rules: Path | None, host: str = "127.0.0.1", port: int = 8000,
          workers: int = 1, limits: Limits | None = None) -> None:
    """Serve until SIGINT or SIGTERM; ``model`` is the one loaded from ``rules`` (checked first)."""
    limits = limits or Limits()
    if workers <= 1:
        api = app(model, rules=rules, limits=limits)
        config = uvicorn.Config(api, host=host, port=port, log_config=LOG_CONFIG, access_log=False,
                                server_header=False)
        server = uvicorn.Server(config)
        _reload_on_sighup(api.state.served)
        server.run()
        return
    os.environ[_ENV_RULES] = str(rules) if rules else ""
    os.environ[_ENV_LIMITS] = json.dumps(attrs.asdict(limits))
    uvicorn.run("servresp.service.server:worker_app", factory=True, host=host, port=port,
                workers=workers, log_config=LOG_CONFIG, access_log=False, server_header=False)
