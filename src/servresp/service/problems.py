"""Errors as RFC 9457 problem details (``application/problem+json``), located like the CLI's.

A problem names its kind in ``type`` (a ``urn:servresp:problem:…``), says what happened in
``title`` and ``detail``, and lists the located reasons in ``errors``: each with the source
(``-`` for a request body, as in servresp.trace/1), line, field and message of a
`servresp.errors.Problem` and the one-line ``text`` the CLI prints for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from servresp.errors import FactError, FaultTreeError, ModelError, Problem, ServrespError, UnknownIdError
from servresp.service.queries import BadProbabilities, BadRules, TooManyFacts

__all__ = ["MEDIA_TYPE", "PROBLEM_SCHEMA", "from_error", "problem"]

MEDIA_TYPE = "application/problem+json"
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "urn:servresp:problem:<kind>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object",
            "required": ["source", "line", "field", "message", "hint", "text"],
            "properties": {
                "source": {"type": "string"}, "line": {"type": "integer"}, "field": {"type": "string"},
                "message": {"type": "string"}, "hint": {"type": "string"}, "text": {"type": "string"},
            },
        }},
    },
}
"""The problem document, as JSON Schema (also in docs/schema/problem.schema.json)."""


def problem(status: int, kind: str, title: str, detail: str, *, instance: str = "",
            errors: Iterable[Problem] = ()) -> dict[str, Any]:
    """Return a problem document."""
    document: dict[str, Any] = {
        "type": f"urn:servresp:problem:{kind}", "title": title, "status": status, "detail": detail,
        "errors": [{"source": p.file, "line": p.line, "field": p.path, "message": p.message,
                    "hint": p.hint, "text": str(p)} for p in errors],
    }
    if instance:
        document["instance"] = instance
    return document


_LISTED: tuple[tuple[type[ServrespError], int, str, str, Callable[[ServrespError, int], str]], ...] = (
    (TooManyFacts, 413, "too-many-facts", "Too many facts", lambda e, _n: str(e)),
    (FactError, 422, "bad-facts", "Facts could not be evaluated", lambda e, _n: str(e).splitlines()[-1]),
    (BadProbabilities, 422, "bad-probabilities", "Probabilities could not be used",
     lambda _e, n: f"{n} problems in the probabilities sent"),
    (BadRules, 422, "bad-rules", "The rules sent do not load",
     lambda _e, n: f"{n} problems in the rules sent"),
    (ModelError, 500, "bad-model", "The model does not load",
     lambda _e, n: f"the rules folder has {n} problems"),
    (FaultTreeError, 500, "bad-model", "The model's fault tree cannot be built",  # e.g. SR131's cycle
     lambda e, _n: str(e).splitlines()[0]),
)
"""Errors that carry located problems: class (first match wins), status, kind, title, detail."""


def from_error(error: ServrespError, *, instance: str = "") -> dict[str, Any]:
    """Return the problem document for a library error (the CLI's exit 2)."""
    if isinstance(error, UnknownIdError):
        return problem(404, "unknown-id", f"Unknown {error.kind}", str(error), instance=instance)
    for kind_of, status, kind, title, detail in _LISTED:
        if isinstance(error, kind_of):
            problems: tuple[Problem, ...] = getattr(error, "problems", ())
            return problem(status, kind, title, detail(error, len(problems)), instance=instance,
                           errors=problems)
    return problem(422, "bad-input", "Input could not be processed", str(error), instance=instance)


def dumps(document: dict[str, Any]) -> bytes:
    """Return the document as compact UTF-8 JSON."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False).encode()
