"""servresp.analysis.impact: what a change to one id touches, and whom to consult or inform."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import servresp
from servresp.analysis.impact import SCHEMA, Why, impact
from servresp.errors import UnknownIdError
from strategies import models

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "schema" / "impact.schema.json"
MODEL = servresp.load_default()


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def reasons(people, unit: str) -> set[tuple[str, str]]:
    found = next(i for i in people if i.unit == unit)
    return {(str(r.why), r.duty) for r in found.reasons}


def test_schema_is_valid_draft_2020_12():
    """docs/schema/impact.schema.json is itself a valid draft 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def test_duty_downstream_upstream_and_people():
    """A duty's impact lists what depends on it, what it depends on, and who is involved why."""
    result = impact(MODEL, "customer_service.resolve_on_the_spot")
    assert result.kind == "duty"
    assert result.affected == ("customer_service.resolve_on_the_spot",)
    assert result.downstream_duties == ("customer_service.handle_complaints",)
    assert result.downstream_promises == ("commitment_kept",)
    assert "top_management.back_customer_service" in result.upstream
    assert [i.unit for i in result.consult] == ["customer_service"]
    assert reasons(result.consult, "customer_service") == {
        ("accountable", "customer_service.resolve_on_the_spot"),
        ("responsible", "customer_service.resolve_on_the_spot"),
        ("downstream_owner", "customer_service.handle_complaints"),
    }
    assert [i.unit for i in result.inform] == ["middle_management", "top_management"]
    assert all(r.why is Why.MANAGEMENT for i in result.inform for r in i.reasons)


def test_consulted_departments_of_a_policy_duty_are_consulted():
    """S3: the departments consulted on top management's consult-before-change duty are asked."""
    result = impact(MODEL, "top_management.policy_without_consultation")
    assert result.kind == "rule"
    assert result.affected == ("top_management.consult_before_change",)
    consulted = {i.unit for i in result.consult}
    assert consulted >= {"marketing", "sales", "customer_service", "rnd", "production",
                         "purchasing", "qc", "hr", "finance", "top_management"}
    assert reasons(result.inform, "middle_management") == {
        ("informed", "top_management.consult_before_change")}


def test_standard_downstream_is_its_promise():
    """A standard's change reaches its promise; its serving duties are affected and upstream."""
    result = impact(MODEL, "call_answer_ring3")
    assert result.affected == ("customer_service.meet_service_standards",)
    assert result.downstream_promises == ("service_as_promised",)
    assert result.downstream_duties == ()
    assert "customer_service.meet_service_standards" in result.upstream


def test_signal_unit_and_promise_are_subjects():
    """A signal, a unit and a promise each have an impact; a unit's informed-only duties are not affected."""
    signal = impact(MODEL, "call.answered_by_ring3_rate")
    assert signal.kind == "signal"
    assert "call_answer_ring3" in signal.downstream_standards
    unit = impact(MODEL, "hr")
    assert all(MODEL.duties[d].owner == "hr" or set(MODEL.duties[d].raci.roles_of("hr"))
               - {servresp.model.Role.INFORMED} for d in unit.affected)
    assert "hr.train_staff" in unit.affected
    promise = impact(MODEL, "product_works")
    assert promise.downstream_promises == ()
    assert set(promise.upstream) == set(servresp.duties_serving(MODEL, "product_works"))


def test_unknown_id_suggests_the_closest():
    """An id that names nothing raises UnknownIdError with a suggestion."""
    with pytest.raises(UnknownIdError, match="did you mean 'call_answer_ring3'"):
        impact(MODEL, "call_answer_ring33")


@settings(max_examples=15)
@given(data=st.data(), model=models())
def test_properties_over_generated_models(data: st.DataObject, model: servresp.Model) -> None:
    """Any duty: its accountable unit is consulted, downstream is the graph's, no one is on both lists."""
    duty = data.draw(st.sampled_from(sorted(model.duties)))
    result = impact(model, duty)
    assert model.duties[duty].raci.accountable in {i.unit for i in result.consult}
    below = nx.descendants(model.dependencies, duty)
    assert set(result.downstream_duties) == {n for n in below if n in model.duties}
    assert set(result.downstream_promises) == {n for n in below if n in model.promises}
    assert list(result.upstream) == servresp.upstream_of(model, duty)
    assert not {i.unit for i in result.consult} & {i.unit for i in result.inform}
    assert all(r.duty in model.duties and r.subject == duty
               for i in (*result.consult, *result.inform) for r in i.reasons)
    document = result.to_dict()
    assert document["schema"] == SCHEMA
    validator().validate(document)
    assert json.dumps(impact(model, duty).to_dict(), sort_keys=True) == json.dumps(
        document, sort_keys=True)


def test_every_id_of_the_bundled_model_has_a_valid_impact():
    """Each duty, standard, rule, signal, unit and promise of the bundled model validates."""
    check = validator()
    for table in (MODEL.duties, MODEL.standards, MODEL.rules, MODEL.signals, MODEL.units,
                  MODEL.promises):
        for id_ in table:
            check.validate(impact(MODEL, id_).to_dict())
