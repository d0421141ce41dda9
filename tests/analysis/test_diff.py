"""servresp.analysis.diff: two models compared field by field, with what the change means."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import jsonschema
import referencing
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import servresp
from servresp.analysis.diff import KINDS, SCHEMA, diff_models
from servresp.model.classes import Model, Role
from strategies import models, write_model

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "schema"
MODEL = servresp.load_default()


def validator() -> jsonschema.Draft202012Validator:
    """Return the diff schema's validator, with the impact schema it refers to."""
    resources = []
    for name in ("impact", "diff"):
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
    registry = referencing.Registry().with_resources(resources)
    diff = json.loads((SCHEMAS / "diff.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(diff, registry=registry)


def rebuilt(model: Model, **tables: object) -> Model:
    """``model`` with some tables replaced, its graph built afresh."""
    return attrs.evolve(model, **tables, graph=None, dependencies=None, supports=None)


def with_duty(model: Model, duty_id: str, **changes: object) -> Model:
    duties = dict(model.duties)
    duties[duty_id] = attrs.evolve(duties[duty_id], **changes)
    return rebuilt(model, duties=duties)


def test_schema_is_valid_draft_2020_12():
    """docs/schema/diff.schema.json is itself a valid draft 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(
        json.loads((SCHEMAS / "diff.schema.json").read_text(encoding="utf-8")))


def test_accountable_moved():
    """Moving A: the field, the RACI moves, and both the old and new accountable units to consult."""
    duty = MODEL.duties["sales.long_term_relationships"]
    raci = attrs.evolve(duty.raci, accountable="marketing")
    result = diff_models(MODEL, with_duty(MODEL, duty.id, raci=raci))
    [change] = result.changed
    assert (change.kind, change.id) == ("duties", duty.id)
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("raci.accountable", "sales", "marketing")]
    moves = {(m.role, m.unit, m.move) for m in result.raci}
    assert moves == {(Role.ACCOUNTABLE, "marketing", "gained"), (Role.ACCOUNTABLE, "sales", "lost")}
    consulted = {i.unit: {str(r.why) for r in i.reasons} for i in result.consult}
    assert "accountable" in consulted["sales"]
    assert "accountable" in consulted["marketing"]


def test_target_raised_past_feasibility():
    """A target 25 points above the baseline is infeasible (SR204), a new error, and fails."""
    standards = dict(MODEL.standards)
    standards["call_answer_ring3"] = attrs.evolve(standards["call_answer_ring3"], target=0.95)
    result = diff_models(MODEL, rebuilt(MODEL, standards=standards))
    [target] = result.targets
    assert target.verdict == "infeasible"
    assert target.old is not None
    assert (target.old["target"], target.new["target"], target.new["baseline"]) == (0.75, 0.95, 0.7)
    assert "25% of the metric's range away from the baseline 0.7" in target.findings[0]
    assert [(f.code, str(f.severity)) for f in result.new_findings] == [("SR204", "error")]
    assert result.fails()


def test_a_feasible_step_passes():
    """A target within S3's step of the baseline is feasible and introduces nothing."""
    standards = dict(MODEL.standards)
    standards["call_answer_ring3"] = attrs.evolve(standards["call_answer_ring3"], target=0.8)
    result = diff_models(MODEL, rebuilt(MODEL, standards=standards))
    assert [t.verdict for t in result.targets] == ["feasible"]
    assert result.new_findings == ()
    assert not result.fails()


def test_supports_edge_removed_orphans_a_duty():
    """Cutting a duty's only supports edge orphans it: listed, SR103 new, exit-worthy."""
    duty = "employee.share_information"
    assert MODEL.duties[duty].supports == ("employee.serve_internal_customers",)
    result = diff_models(MODEL, with_duty(MODEL, duty, supports=()))
    assert result.orphaned == (duty,)
    assert [(f.code, f.subject) for f in result.new_findings] == [("SR103", duty)]
    assert result.fails()
    owners = {i.unit for i in result.consult}
    assert {"employee", "production", "sales"} <= owners  # downstream owners, read in the old model


def test_consulted_list_emptied():
    """Emptying the consulted list: nine departments lose C, and each is still on the consult list."""
    duty = MODEL.duties["top_management.consult_before_change"]
    result = diff_models(MODEL, with_duty(MODEL, duty.id, raci=attrs.evolve(duty.raci, consulted=())))
    lost = sorted(m.unit for m in result.raci if m.move == "lost" and m.role is Role.CONSULTED)
    assert lost == sorted(duty.raci.consulted)
    consulted = {i.unit: {str(r.why) for r in i.reasons} for i in result.consult}
    assert all("consulted" in consulted[unit] for unit in lost)
    assert not result.fails()


def test_unobservable_duty():
    """A duty whose only observer goes away is newly unobservable."""
    rule = MODEL.rules["top_management.policy_without_consultation"]
    rules = {k: v for k, v in MODEL.rules.items() if k != rule.id}
    result = diff_models(MODEL, rebuilt(MODEL, rules=rules))
    assert result.removed["rules"] == (rule.id,)
    assert result.unobservable == ("top_management.consult_before_change",)


@settings(max_examples=20)
@given(model=models())
def test_a_model_against_itself_is_empty(model: Model) -> None:
    """The diff of a model with itself is empty, finds nothing new, and validates."""
    result = diff_models(model, model)
    assert result.is_empty
    assert (result.raci, result.targets, result.orphaned, result.unobservable) == ((), (), (), ())
    assert (result.new_findings, result.consult, result.inform) == ((), (), ())
    validator().validate(result.to_dict())


@settings(max_examples=20)
@given(old=models(), new=models())
def test_added_are_exactly_the_new_ids(old: Model, new: Model) -> None:
    """diff(A, B) lists exactly the ids added in B and removed from A; the reverse swaps them."""
    result = diff_models(old, new)
    back = diff_models(new, old)
    for kind in KINDS:
        before = set(getattr(old, kind)) if kind != "tracing" else {"tracing"}
        after = set(getattr(new, kind)) if kind != "tracing" else {"tracing"}
        assert set(result.added[kind]) == after - before
        assert set(result.removed[kind]) == before - after
        assert back.added[kind] == result.removed[kind]
    document = result.to_dict()
    assert document["schema"] == SCHEMA
    validator().validate(document)
    assert json.dumps(document, sort_keys=True) == json.dumps(diff_models(old, new).to_dict(),
                                                              sort_keys=True)


@settings(max_examples=10)
@given(model=models())
def test_a_model_against_its_written_copy_is_empty(tmp_path_factory, model: Model) -> None:
    """A model written to YAML and loaded again differs in nothing but where things are."""
    folder = write_model(model, tmp_path_factory.mktemp("model"))
    loaded = servresp.load_model(folder, name=model.name)
    assert diff_models(model, loaded).is_empty


def test_new_objects_count_as_added_with_their_people():
    """A new duty is added; its units gain their roles and are consulted."""
    duty = MODEL.duties["sales.long_term_relationships"]
    new_duty = attrs.evolve(duty, id="sales.new_policy")
    result = diff_models(MODEL, rebuilt(MODEL, duties={**MODEL.duties, new_duty.id: new_duty}))
    assert result.added["duties"] == ("sales.new_policy",)
    assert (Role.ACCOUNTABLE, "sales", "gained") in {(m.role, m.unit, m.move) for m in result.raci}
    assert any(r.subject == "sales.new_policy" for i in result.consult for r in i.reasons)


@settings(max_examples=15)
@given(data=st.data(), model=models())
def test_moving_an_accountable_unit_is_one_change(data: st.DataObject, model: Model) -> None:
    """Any duty whose A moves to another unit: one changed field, one gain, one loss, both consulted."""
    duty = model.duties[data.draw(st.sampled_from(sorted(model.duties)))]
    others = sorted(set(model.units) - {duty.raci.accountable})
    assume(others)
    unit = data.draw(st.sampled_from(others))
    moved = with_duty(model, duty.id, raci=attrs.evolve(duty.raci, accountable=unit))
    result = diff_models(model, moved)
    assert [(c.id, [f.field for f in c.fields]) for c in result.changed] == [
        (duty.id, ["raci.accountable"])]
    accountable = {(m.unit, m.move) for m in result.raci if m.role is Role.ACCOUNTABLE}
    assert accountable == {(unit, "gained"), (duty.raci.accountable, "lost")}
    consulted = {i.unit for i in result.consult}
    assert {unit, duty.raci.accountable} <= consulted
