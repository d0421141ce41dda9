"""`check`'s verdict before tracing, remembered for a model whose files did not change.

`trace`, `why` and `report` refuse a model in which `check` finds errors
(`servresp.cli.common.load_checked`); importing and running the checks costs about as much
as loading the bundled model. A model with no error is remembered in the model cache
(`servresp.model._cache`) under a SHA-256 of its key there (every file's name and bytes,
and the source of ``servresp/model``, which reads them), its name, networkx's version and
the source of the checks (``lint/``, ``errors.py``); the next load of the same files by the
same code then neither imports nor runs the checks. Only "no error" is remembered: a model with
errors is checked every time, and its errors are reported as before. ``SERVRESP_NO_CACHE=1``
turns it off.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from servresp import errors
from servresp.model import _cache

if TYPE_CHECKING:
    from servresp.lint.runner import Finding
    from servresp.model.classes import Model

__all__ = ["errors_of"]

_FORMAT = 1
"""Bumped when what the verdict means changes."""
_VERDICT = "checked"
"""The entry's suffix: `check` found no error."""


def errors_of(model: Model, model_key: str | None) -> tuple[Finding, ...]:
    """Return the errors `check` finds in ``model``, of key ``model_key`` in the model cache.

    ``model_key`` is `servresp.model.load.load_keyed`'s; None checks without the cache.
    """
    key = _verdict_key(model_key, model.name) if model_key else None
    if key is not None and _cache.recalls(key, _VERDICT):
        return ()
    from servresp.lint.runner import lint  # noqa: PLC0415 - only when no verdict is remembered

    found = lint(model).errors
    if key is not None and not found:
        _cache.remember(key, _VERDICT)
    return found


def _sources() -> list[Path]:
    """Return the modules that check a model: their bytes are part of the key."""
    package = Path(errors.__file__).parent
    return [package / "errors.py", *sorted((package / "lint").glob("*.py"))]


def _verdict_key(model_key: str, name: str) -> str | None:
    """Return the key of the verdict on a model, or None when a source cannot be read."""
    header = (f"servresp check/{_FORMAT}\n{model_key}\n{len(name)}:{name}\n"
              f"networkx {nx.__version__}\n")
    return _cache.digest(header, ((f"{p.parent.name}/{p.name}", p) for p in _sources()))
