"""servresp.service.openapi: the published spec is valid and the app keeps to it (schemathesis)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from servresp.model.load import load_default
from servresp.service.api import app

APP = app(load_default())
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schemathesis.serializer("application/x-ndjson")
def _text(_context: schemathesis.SerializationContext, value: object) -> bytes:
    """JSON lines are sent as the text drawn for them."""
    return str(value).encode()


def test_the_spec_is_valid_openapi() -> None:
    """/openapi.json is a valid OpenAPI 3 document with the problem and fact schemas."""
    spec = APP.openapi()
    validate(spec)
    assert {"Problem", "MetricFact", "EventFact"} <= set(spec["components"]["schemas"])


def test_cutsets_are_documented_with_their_body_and_problems() -> None:
    """GET and POST /cutsets/{promise}: the cutsets envelope, a 404 problem, POST's two body forms."""
    operations = APP.openapi()["paths"]["/cutsets/{promise}"]
    for method in ("get", "post"):
        responses = operations[method]["responses"]
        assert responses["200"]["content"]["application/json"]["schema"]["properties"]["schema"] == {
            "type": "string", "enum": ["servresp.cutsets/1"]}
        assert "application/problem+json" in responses["404"]["content"]
    body = operations["post"]["requestBody"]["content"]
    options, facts = body["application/json"]["schema"]["anyOf"]
    assert set(options["properties"]) == {"facts", "probabilities"}
    assert facts["type"] == "array"
    assert {"application/x-ndjson", "text/csv"} <= set(body)


@SCHEMA.parametrize()
@settings(max_examples=8, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_the_app_keeps_to_its_spec(case: schemathesis.Case) -> None:
    """Generated requests get no server error, and answers match the declared status and schema.

    Facts are read line by line by design, so neither data check applies to bodies: a
    schema-valid fact may name a metric the model does not know (422 when nothing else is
    readable), and a body with some bad facts is evaluated for the rest (200).
    """
    case.call_and_validate(excluded_checks=[positive_data_acceptance, negative_data_rejection])
