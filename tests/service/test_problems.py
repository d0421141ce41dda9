"""servresp.service.problems: library errors as RFC 9457 problem documents."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from servresp.errors import (
    EngineError,
    FactError,
    FaultTreeError,
    ModelError,
    Problem,
    ServrespError,
    UnknownIdError,
)
from servresp.service.problems import PROBLEM_SCHEMA, from_error
from servresp.service.queries import BadProbabilities, TooManyFacts

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "schema" / "service.schema.json")
                    .read_text(encoding="utf-8"))
BAD = Problem("-", 3, "value", "not a number", "write 0.9")


@pytest.mark.parametrize(("error", "status", "kind"), [
    (UnknownIdError("promise", "product_work", ["product_works"]), 404, "unknown-id"),
    (TooManyFacts([BAD]), 413, "too-many-facts"),
    (FactError([BAD, Problem("-", 0, "", "no readable fact to evaluate")]), 422, "bad-facts"),
    (ModelError([Problem("rules/sales.yaml", 4, "units.sales", "bad")]), 500, "bad-model"),
    (EngineError("durable_rules refused"), 422, "bad-input"),
    (BadProbabilities([Problem("probabilities", 0, "x", "unknown event 'x'")]), 422, "bad-probabilities"),
    (FaultTreeError([Problem("model", 0, "qc.check", "forms a cycle")]), 500, "bad-model"),
])
def test_each_error_class_has_its_status_and_kind(error: ServrespError, status: int, kind: str) -> None:
    """Each library error maps to one status and problem type, valid against both schemas."""
    document = from_error(error, instance="/trace")
    assert (document["status"], document["type"]) == (status, f"urn:servresp:problem:{kind}")
    jsonschema.Draft202012Validator({**SCHEMA, "oneOf": [{"$ref": "#/$defs/problem"}]}).validate(document)
    jsonschema.Draft202012Validator(PROBLEM_SCHEMA).validate(document)


def test_located_problems_keep_their_place_and_the_cli_line() -> None:
    """Each located reason keeps source, line, field, message, hint and the CLI's one-line text."""
    (first, _) = from_error(FactError([BAD, Problem("-", 0, "", "no readable fact to evaluate")]))["errors"]
    assert first == {"source": "-", "line": 3, "field": "value", "message": "not a number",
                     "hint": "write 0.9", "text": "-:3: value: not a number (write 0.9)"}
