"""Gates and barriers in the model: parsed, checked, and built into a promise's fault tree."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from faulttree_strategies import gated_models, promise_broken
from servresp.analysis.cutsets import minimal_cut_sets
from servresp.errors import FaultTreeError, ModelError, UnknownIdError
from servresp.model.classes import Gate, GateKind
from servresp.model.faulttree import FaultTree, Op, TreeGate, barriers_of, fault_tree, fault_tree_issues
from servresp.model.load import load_default, load_model
from strategies import write_model

BUYER = "buyer.buy_on_time"
MINIMAL = Path(__file__).parents[1] / "data" / "minimal"


def _model(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """Copy the minimal model (boss and buyer support the desk, the desk the promise) and edit it."""
    folder = tmp_path / "rules"
    shutil.copytree(MINIMAL, folder)
    for file, (old, new) in edits.items():
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


DESK_SUPPORTS = ("    supports: [service_ok]\n", "    supports: [service_ok]\n    gate: {gate}\n")
REDUNDANT = {frozenset({"desk.answer_calls"}), frozenset({"boss.organise", "buyer.buy_on_time"})}
BOSS_SUPPORTS = ("    supports: [desk.answer_calls]\n",
                 "    supports: [desk.answer_calls]\n    catches: [{caught}]\n")


def _gate(gate: str) -> tuple[str, str]:
    return DESK_SUPPORTS[0], DESK_SUPPORTS[1].format(gate=gate)


def _sets(folder: Path, promise: str = "service_ok") -> set[frozenset[str]]:
    return {frozenset(s) for s in minimal_cut_sets(fault_tree(load_model(folder), promise))}


def test_any_is_the_old_meaning(tmp_path: Path):
    """No gate: any failing supplier breaks the desk's duty, and so the promise."""
    assert _sets(_model(tmp_path, {})) == {
        frozenset({"desk.answer_calls"}), frozenset({"boss.organise"}), frozenset({"buyer.buy_on_time"})}


def test_all_makes_suppliers_redundant(tmp_path: Path):
    """gate: all: the desk's duty breaks through its suppliers only when both fail."""
    folder = _model(tmp_path, {"desk.yaml": _gate("all")})
    assert load_model(folder).duties["desk.answer_calls"].gate == Gate(GateKind.ALL)
    assert _sets(folder) == REDUNDANT


def test_at_least_counts_failing_suppliers(tmp_path: Path):
    """gate: {at_least: 2} of two suppliers is the same as all; the gate prints as written."""
    folder = _model(tmp_path, {"desk.yaml": _gate("{at_least: 2}")})
    gate = load_model(folder).duties["desk.answer_calls"].gate
    assert str(gate) == "at_least: 2"
    assert _sets(folder) == REDUNDANT


def test_a_barrier_must_fail_with_the_cause(tmp_path: Path):
    """The boss catches the buyer's failures: they reach the desk only when both fail.

    The boss's own supports edge to the desk is its guard post, not a second supply.
    """
    folder = _model(tmp_path, {"boss.yaml": (BOSS_SUPPORTS[0], BOSS_SUPPORTS[1].format(caught=BUYER))})
    model = load_model(folder)
    assert barriers_of(model) == {"buyer.buy_on_time": ("boss.organise",)}
    tree = fault_tree(model, "service_ok")
    assert tree.gates["buyer.buy_on_time.escapes"] == TreeGate(Op.AND, ("buyer.buy_on_time", "boss.organise"))
    assert _sets(folder) == REDUNDANT
    assert tree.labels == {"boss.organise": "boss", "buyer.buy_on_time": "buyer", "desk.answer_calls": "desk"}


def test_a_barrier_cycle_is_refused(tmp_path: Path):
    """The desk catching the boss it depends on: no tree, and check says why (SR131)."""
    folder = _model(tmp_path, {"desk.yaml": ("    supports: [service_ok]\n",
                                             "    supports: [service_ok]\n    catches: [boss.organise]\n")})
    model = load_model(folder)
    with pytest.raises(FaultTreeError) as caught:
        fault_tree(model, "service_ok")
    assert "supports and catches form a cycle" in str(caught.value)
    assert [(s, f) for s, f, _ in fault_tree_issues(model)] == [("desk.answer_calls", "catches")]


def test_a_gate_that_cannot_be_met_is_an_issue(tmp_path: Path):
    """at_least 3 of 2 suppliers (SR130)."""
    folder = _model(tmp_path, {"desk.yaml": _gate("{at_least: 3}")})
    assert fault_tree_issues(load_model(folder)) == [
        ("desk.answer_calls", "gate", "at_least: 3 but only 2 duties support it")]


@pytest.mark.parametrize(("gate", "message"), [
    ("sometimes", ("desk.yaml:14: duties[0].gate: expected any, all or {at_least: k}, found the string "
                  "'sometimes' (write gate: any, gate: all or gate: {at_least: 2})")),
    ("alll", ("desk.yaml:14: duties[0].gate: expected any, all or {at_least: k}, found the string 'alll'; "
             "did you mean 'all'? (write gate: any, gate: all or gate: {at_least: 2})")),
    ("{at_least: 0}", ("desk.yaml:14: duties[0].gate.at_least: expected a whole number of at least 1, found "
                      "the number 0 (write how many suppliers must fail, e.g. {at_least: 2})")),
])
def test_bad_gates_are_located(tmp_path: Path, gate: str, message: str):
    """A malformed gate: one located line that says what to write."""
    folder = _model(tmp_path, {"desk.yaml": _gate(gate)})
    with pytest.raises(ModelError) as caught:
        load_model(folder)
    assert [str(p).replace(f"{folder}/", "") for p in caught.value.problems] == [message]


def test_bad_catches_are_located(tmp_path: Path):
    """An unknown duty gets a suggestion; a duty cannot catch itself."""
    folder = _model(tmp_path, {
        "boss.yaml": (BOSS_SUPPORTS[0], BOSS_SUPPORTS[1].format(caught="buyer.buy_ontime")),
        "buyer.yaml": ("    supports: [desk.answer_calls]\n",
                       "    supports: [desk.answer_calls]\n    catches: [buyer.buy_on_time]\n"),
    })
    with pytest.raises(ModelError) as caught:
        load_model(folder)
    assert [str(p).replace(f"{folder}/", "") for p in caught.value.problems] == [
        ("boss.yaml:11: duties[0].catches[0]: unknown duty 'buyer.buy_ontime'; "
         "did you mean 'buyer.buy_on_time'?"),
        ("buyer.yaml:11: duties[0].catches[0]: a duty cannot catch its own failure "
        "(name the duty whose failures this one stops)"),
    ]


def test_unknown_promise():
    """An unknown promise is an UnknownIdError with a suggestion."""
    with pytest.raises(UnknownIdError, match="product_work"):
        fault_tree(load_default(), "product_work")


def test_bundled_model_defects_pass_qc():
    """The bundled model: a defective product reaches the customer only past QC's inspection.

    And a problem not solved on the spot breaks the commitment only past the self-led team.
    """
    model = load_default()
    product = {frozenset(s) for s in minimal_cut_sets(fault_tree(model, "product_works"))}
    assert frozenset({"production.product_quality"}) not in product
    assert frozenset({"production.product_quality", "qc.product_quality"}) in product
    commitment = {frozenset(s) for s in minimal_cut_sets(fault_tree(model, "commitment_kept"))}
    assert frozenset({"customer_service.resolve_on_the_spot"}) not in commitment
    spot, team = "customer_service.resolve_on_the_spot", "service_team.resolve_hard_cases"
    assert frozenset({spot, team}) in commitment
    assert fault_tree_issues(model) == []


def test_tree_structure_is_checked():
    """Undefined children, a top that is not a gate and cycles are refused with their names."""
    with pytest.raises(FaultTreeError, match="names undefined event 'x'"):
        FaultTree(top="t", gates={"t": TreeGate(Op.OR, ("x",))}, events=())
    with pytest.raises(FaultTreeError, match="is not a gate"):
        FaultTree(top="a", gates={}, events=("a",))
    with pytest.raises(FaultTreeError, match="a cycle"):
        FaultTree(top="t", gates={"t": TreeGate(Op.OR, ("u",)), "u": TreeGate(Op.AND, ("t",))}, events=())


@given(gated_models())
def test_trees_of_random_gated_models_match_the_model(model):
    """Random gates and barriers: cut sets are the minimal failures that break the promise.

    The expected sets are read directly off the model (`promise_broken`), not from the tree.
    """
    for promise in model.promises:
        tree = fault_tree(model, promise)
        _, events = tree.reachable()
        duties = sorted(events)[:9]  # brute force stays small: 2⁹ states at most
        if len(events) > len(duties):
            continue
        breaking = [frozenset(c) for r in range(len(duties) + 1)
                    for c in itertools.combinations(duties, r) if promise_broken(model, promise, set(c))]
        expected = {s for s in breaking if not any(t < s for t in breaking)}
        assert {frozenset(s) for s in minimal_cut_sets(tree)} == expected


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(model=gated_models())
def test_gates_and_barriers_round_trip_through_yaml(tmp_path_factory: pytest.TempPathFactory, model):
    """A model with gates and barriers, written as YAML and loaded again, is the same model."""
    folder = write_model(model, tmp_path_factory.mktemp("rules"))
    assert load_model(folder, name=model.name) == model
