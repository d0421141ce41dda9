"""servresp.render.documents: the model as JSON documents, as the API serves them."""

import json

import pytest
from hypothesis import given, settings

import servresp
from servresp.errors import UnknownIdError
from servresp.render.documents import (
    MODEL_SCHEMA,
    NODE_SCHEMA,
    dumps,
    duty_document,
    model_document,
    node_document,
    promise_document,
    unit_document,
)
from strategies import models

DEFAULT = servresp.load_default()


def test_model_document_lists_every_object_sorted_by_id() -> None:
    document = model_document(DEFAULT)
    assert document["schema"] == MODEL_SCHEMA
    assert [d["id"] for d in document["duties"]] == sorted(DEFAULT.duties)
    assert [u["id"] for u in document["units"]] == sorted(DEFAULT.units)
    assert len(document["edges"]) == DEFAULT.graph.number_of_edges()
    assert json.loads(dumps(document)) == document


def test_duty_document_carries_its_neighbourhood() -> None:
    document = duty_document(DEFAULT, "customer_service.resolve_on_the_spot")
    assert document["schema"] == NODE_SCHEMA
    assert document["object"]["owner"] == "customer_service"
    assert document["raci"]["customer_service"] == ["accountable", "responsible"]
    assert "commitment_kept" in document["promises"]
    assert "top_management.back_customer_service" in document["suppliers"]
    assert set(document["suppliers"]) <= set(document["upstream"])


def test_unit_and_promise_documents() -> None:
    rnd = unit_document(DEFAULT, "rnd")
    assert rnd["owns"]
    assert all(d.startswith("rnd.") for d in rnd["owns"])
    promise = promise_document(DEFAULT, "product_works")
    assert "product_defect_rate" in promise["standards"]
    assert node_document(DEFAULT, "rnd") == rnd


@pytest.mark.parametrize("build", [unit_document, duty_document, promise_document, node_document])
def test_unknown_ids_are_refused_with_a_suggestion(build) -> None:
    with pytest.raises(UnknownIdError):
        build(DEFAULT, "no_such_id")


@given(models())
@settings(max_examples=15)
def test_documents_are_deterministic_json(model) -> None:
    first = dumps(model_document(model))
    assert first == dumps(model_document(model))
    json.loads(first)
    for duty in model.duties:
        assert duty_document(model, duty)["id"] == duty
