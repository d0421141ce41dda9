"""The OpenAPI pieces FastAPI cannot infer: raw fact bodies, the documents' envelopes, problems.

The endpoints read their bodies themselves (to enforce the size limit and reject bad lines
one by one), so their request and response shapes are declared here and added to each
operation; every error response is ``application/problem+json``.
"""

from __future__ import annotations

from typing import Any

from servresp.service.problems import MEDIA_TYPE, PROBLEM_SCHEMA

__all__ = ["CUTSETS_BODY", "FACTS_BODY", "RULES_BODY", "document", "errors", "patch"]

_METRIC = {
    "type": "object",
    "required": ["metric", "value", "period"],
    "properties": {
        "metric": {"type": "string", "example": "call.answered_by_ring2_rate"},
        "value": {"type": "number", "example": 0.91},
        "period": {"type": "string", "description": "YYYY-MM, YYYY-Www or YYYY-MM-DD", "example": "2026-10"},
        "unit": {"type": "string", "example": "customer_service"},
        "n": {"type": ["integer", "null"], "minimum": 0},
    },
}
_EVENT = {
    "type": "object",
    "required": ["event", "at"],
    "properties": {
        "event": {"type": "string", "example": "supplier.late_delivery"},
        "at": {"type": "string", "description": "ISO 8601 timestamp", "example": "2026-10-03T10:00:00Z"},
        "unit": {"type": "string"},
    },
    "additionalProperties": {"type": ["string", "number", "boolean"]},
}

FACTS_BODY: dict[str, Any] = {
    "required": True,
    "description": "Facts, as for `servresp trace --facts`: a JSON list of metric and event objects, "
                   "JSON lines (`application/x-ndjson`) or CSV (`text/csv`). A bad line is rejected "
                   "with its line and field, and the rest is evaluated.",
    "content": {
        "application/json": {"schema": {"type": "array", "items": {"anyOf": [
            {"$ref": "#/components/schemas/MetricFact"}, {"$ref": "#/components/schemas/EventFact"}]}}},
        "application/x-ndjson": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
        "text/plain": {"schema": {"type": "string"}},
    },
}
"""The request body of every endpoint that evaluates facts."""


_FACT_LIST = FACTS_BODY["content"]["application/json"]["schema"]

CUTSETS_BODY: dict[str, Any] = {
    "required": True,
    "description": "Where each duty's failure probability comes from, as `servresp cutsets` options: "
                   '`{"facts": [...]}` (`--facts`: the share of periods the duty was implicated in), '
                   '`{"probabilities": {"duty": p}}` (`--probabilities`; overrides the history), or both. '
                   "Facts alone may also be sent as for `POST /trace` (a JSON list, JSON lines or CSV).",
    "content": {
        **FACTS_BODY["content"],
        "application/json": {"schema": {"anyOf": [
            {"type": "object", "additionalProperties": False, "properties": {
                "facts": _FACT_LIST,
                "probabilities": {"type": "object", "description": "duty id → failure probability",
                                  "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
            }},
            _FACT_LIST,
        ]}},
    },
}
"""The request body of ``POST /cutsets/{promise}``."""


RULES_BODY: dict[str, Any] = {
    "required": True,
    "description": "The new rules, file by file: `POST /diff` compares the served model with them.",
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["files"],
        "properties": {"files": {"type": "object", "minProperties": 1,
                                 "description": "file name (*.yaml) → its YAML text",
                                 "additionalProperties": {"type": "string"}}},
    }}},
}
"""The request body of ``POST /diff``."""


def document(schema_id: str, description: str) -> dict[str, Any]:
    """Return a 200 response carrying the ``schema_id`` document (its JSON Schema is in docs/schema/)."""
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "required": ["schema"],
        "properties": {"schema": {"type": "string", "enum": [schema_id]}},
        "description": f"`{schema_id}`: see docs/schema/ for the full JSON Schema.",
    }}}}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Return problem responses for ``statuses``."""
    reasons = {400: "Bad request", 404: "Unknown id", 413: "Body or fact count over the limit",
               415: "Unsupported body type", 422: "Bad facts or parameters",
               503: "Evaluation over the time limit"}
    return {status: {"description": reasons[status], "content": {MEDIA_TYPE: {
        "schema": {"$ref": "#/components/schemas/Problem"}}}} for status in statuses}


def patch(spec: dict[str, Any]) -> dict[str, Any]:
    """Add the shared schemas, and make every validation error a problem document."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update({"Problem": PROBLEM_SCHEMA, "MetricFact": _METRIC, "EventFact": _EVENT})
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if "422" in operation.get("responses", {}):
                operation["responses"]["422"] = errors(422)[422]
    if not schemas:
        spec["components"].pop("schemas")
    return spec
