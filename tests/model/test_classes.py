"""Tests for `servresp.model`: frozen attrs classes whose validators check one object each."""

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servresp.model.classes import (
    Citation,
    Comparator,
    DiagnosticRule,
    Domain,
    Duty,
    EventCondition,
    Faces,
    MetricCondition,
    Model,
    Promise,
    Raci,
    Role,
    Signal,
    SignalKind,
    Source,
    Standard,
    StandardStatus,
    Text,
    TracingParameters,
    Unit,
    UnitKind,
    Window,
)
from strategies import models

TEXT = Text("Answer calls", "接听电话")
CITE = Citation("S4", "3.客户服务部")


@contextlib.contextmanager
def raises(message: str) -> Iterator[None]:
    """Expect a ValueError with exactly ``message``."""
    with pytest.raises(ValueError) as caught:  # noqa: PT011 - the text is checked below
        yield
    assert str(caught.value) == message


def standard(comparator: Comparator = Comparator.GE, target: float = 0.96,
             **changes: Any) -> Standard:
    fields: dict[str, Any] = {
        "id": "calls_answered", "text": TEXT, "promise": "service_ok",
        "metric": "call.answered_rate", "comparator": comparator, "target": target,
        "window": Window.MONTH, "domain": Domain.TIME_LIMITS,
        "served_by": ("desk.answer_calls",), "source": CITE,
    }
    return Standard(**(fields | changes))


def duty(**changes: Any) -> Duty:
    fields: dict[str, Any] = {
        "id": "desk.answer_calls", "owner": "desk", "text": TEXT,
        "raci": Raci("desk", ("desk",)), "supports": ("service_ok",), "source": CITE,
    }
    return Duty(**(fields | changes))


# --------------------------------------------------------------------------- validators


@pytest.mark.parametrize(("build", "message"), [
    (lambda: Unit("Desk", UnitKind.DEPARTMENT, TEXT, Faces.EXTERNAL),
     "id 'Desk' is not a valid unit id"),
    (lambda: Unit("1desk", UnitKind.DEPARTMENT, TEXT, Faces.EXTERNAL),
     "id '1desk' is not a valid unit id"),
    (lambda: Unit("desk.x", UnitKind.DEPARTMENT, TEXT, Faces.EXTERNAL),
     "id 'desk.x' is not a valid unit id"),
    (lambda: Unit("desk\n", UnitKind.DEPARTMENT, TEXT, Faces.EXTERNAL),
     "id 'desk\\n' is not a valid unit id"),
    (lambda: duty(id="desk"), "id 'desk' is not a valid duty id (unit.slug)"),
    (lambda: duty(id="desk.answer.calls"), "id 'desk.answer.calls' is not a valid duty id (unit.slug)"),
    (lambda: Promise("Service OK", TEXT, CITE), "id 'Service OK' is not a valid promise id"),
    (lambda: standard(id="calls-answered"), "id 'calls-answered' is not a valid standard id"),
    (lambda: standard(metric="calls"), "metric 'calls' is not a valid metric name"),
    (lambda: Source("s4", "Title", "004.txt"), "id 's4' is not a valid source id"),
    (lambda: Citation("4", "x"), "source '4' is not a valid source id"),
    (lambda: Signal("Call.rate", SignalKind.METRIC, TEXT),
     "name 'Call.rate' is not a valid signal name"),
    (lambda: DiagnosticRule("late", EventCondition("a.b"), ("desk.x",), 1.0, TEXT, CITE),
     "id 'late' is not a valid rule id (unit.slug)"),
])
def test_bad_ids_are_rejected(build: Any, message: str):
    """Every id field checks its pattern and names itself in the message."""
    with raises(message):
        build()


@pytest.mark.parametrize(("build", "message"), [
    (lambda: Text("", "接听"), "en must not be empty"),
    (lambda: Text("Answer", " \n"), "zh must not be empty"),
    (lambda: Citation("S4", "  "), "section must not be empty"),
    (lambda: Source("S4", "", "004.txt"), "title must not be empty"),
    (lambda: Source("S4", "Title", " "), "file must not be empty"),
])
def test_empty_text_is_rejected(build: Any, message: str):
    """Texts, sections, titles and file names must hold more than white space."""
    with raises(message):
        build()


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_rejected(value: float):
    """Targets, baselines, thresholds and weights must be finite."""
    with raises(f"target must be a finite number, not {value!r}"):
        standard(target=value)
    with raises(f"baseline must be a finite number, not {value!r}"):
        standard(baseline=value)
    with raises(f"value must be a finite number, not {value!r}"):
        MetricCondition("call.answered_rate", Comparator.LT, value)
    with raises(f"weight must be a positive finite number, not {value!r}"):
        DiagnosticRule("desk.x", EventCondition("a.b"), ("desk.y",), value, TEXT, CITE)


@pytest.mark.parametrize("weight", [0.0, -1.0])
def test_rule_weight_must_be_positive(weight: float):
    """A rule carries positive evidence mass."""
    with raises(f"weight must be a positive finite number, not {weight!r}"):
        DiagnosticRule("desk.x", EventCondition("a.b"), ("desk.y",), weight, TEXT, CITE)


def test_duty_id_must_be_prefixed_by_its_owner():
    """A duty's id starts with its owner's id and a dot; a shared prefix is not enough."""
    with raises("duty id 'desk.answer_calls' must start with its owner 'buyer'"):
        duty(owner="buyer")
    with raises("duty id 'desk.answer_calls' must start with its owner 'des'"):
        duty(owner="des")
    assert duty().owner == "desk"


def test_event_count_must_be_at_least_one():
    """An event condition fires on one or more events."""
    with raises("count must be at least 1, not 0"):
        EventCondition("supplier.late_delivery", count=0)
    assert EventCondition("supplier.late_delivery").count == 1


@pytest.mark.parametrize("bounds", [(1.0, 0.0), (0.0, math.inf), (math.nan, 1.0)])
def test_signal_range_must_be_finite_and_ordered(bounds: tuple[float, float]):
    """A range is two finite numbers, low first."""
    with raises(f"range [{bounds[0]}, {bounds[1]}] must be two finite numbers, low first"):
        Signal("call.answered_rate", SignalKind.METRIC, TEXT, bounds)


def test_objects_are_frozen():
    """Model objects cannot be changed after they are built."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        duty().owner = "buyer"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        TEXT.en = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------- behaviour


@pytest.mark.parametrize(("comparator", "actual", "target", "holds"), [
    (Comparator.GE, 0.96, 0.96, True), (Comparator.GE, 0.95, 0.96, False),
    (Comparator.LE, 2.0, 2.0, True), (Comparator.LE, 2.1, 2.0, False),
    (Comparator.GT, 1.0, 0.0, True), (Comparator.GT, 0.0, 0.0, False),
    (Comparator.LT, -1.0, 0.0, True), (Comparator.LT, 0.0, 0.0, False),
    (Comparator.EQ, 0.0, 0.0, True), (Comparator.EQ, 0.5, 0.0, False),
])
def test_comparator_holds(comparator: Comparator, actual: float, target: float, holds: bool):
    """`Comparator.holds` reads as ``actual <op> target``."""
    assert comparator.holds(actual, target) is holds


@given(st.sampled_from(Comparator), st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_comparator_agrees_with_python(comparator: Comparator, actual: float, target: float):
    """Each comparator is Python's operator of the same spelling."""
    assert comparator.holds(actual, target) is eval(f"actual {comparator} target")  # noqa: S307


def test_standard_gap():
    """The gap is how far the actual value is on the wrong side; 0 when met."""
    s3 = standard()
    assert s3.gap(0.90) == pytest.approx(0.06)
    assert s3.gap(0.96) == 0.0
    assert s3.gap(0.99) == 0.0
    assert standard(Comparator.LE, 2.0).gap(5.0) == 3.0
    assert standard(Comparator.EQ, 0.0).gap(-2.0) == 2.0
    assert standard(Comparator.LT, 0.0).gap(0.0) == math.ulp(0.0)  # on the line, not met: the least gap
    assert not standard(Comparator.LT, 0.0).is_met(0.0)


@given(st.sampled_from(Comparator), st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_gap_is_zero_exactly_when_met_or_on_the_line(comparator: Comparator, actual: float,
                                                     target: float):
    """A standard's gap is never negative, and positive exactly when it is not met."""
    s = standard(comparator, target)
    assert s.gap(actual) >= 0
    assert (s.gap(actual) > 0) == (not s.is_met(actual))


@pytest.mark.parametrize(("comparator", "target", "budget"), [
    (Comparator.GE, 0.96, 0.04), (Comparator.GT, 0.9, 0.1),
    (Comparator.LE, 0.05, 0.05), (Comparator.LT, 0.2, 0.2),
    (Comparator.GE, 1.0, None), (Comparator.GE, 0.0, None), (Comparator.LE, 0.0, None),
    (Comparator.LE, 3.0, None), (Comparator.EQ, 0.5, None),
])
def test_error_budget(comparator: Comparator, target: float, budget: float | None):
    """A rate target strictly between 0 and 1 leaves a budget (S3: 96% leaves 4%); others none."""
    result = standard(comparator, target).error_budget()
    assert result == (pytest.approx(budget) if budget is not None else None)


def test_signal_accepts():
    """A signal accepts values inside its range, both ends included, or any without one."""
    rate = Signal("call.answered_rate", SignalKind.METRIC, TEXT, (0.0, 1.0))
    assert rate.accepts(0.0)
    assert rate.accepts(1.0)
    assert not rate.accepts(1.01)
    assert not rate.accepts(-0.01)
    assert Signal("queue.length", SignalKind.METRIC, TEXT).accepts(1e9)


def test_raci_roles_and_units():
    """`Raci.roles_of` lists held roles in rank order; `units` names everyone once, sorted."""
    raci = Raci("desk", ("desk", "buyer"), consulted=("boss",), informed=("buyer",))
    assert raci.roles_of("desk") == (Role.ACCOUNTABLE, Role.RESPONSIBLE)
    assert raci.roles_of("buyer") == (Role.RESPONSIBLE, Role.INFORMED)
    assert raci.roles_of("boss") == (Role.CONSULTED,)
    assert raci.roles_of("nobody") == ()
    assert raci.units() == ("boss", "buyer", "desk")


def test_text_in_lang():
    """`Text.in_lang` picks Chinese for ``zh`` and English otherwise."""
    assert TEXT.in_lang("zh") == "接听电话"
    assert TEXT.in_lang("en") == "Answer calls"


def test_citation_str():
    """A citation prints as ``S4 §section``."""
    assert str(CITE) == "S4 §3.客户服务部"


def test_conditions_name_their_signal():
    """Metric and event conditions expose the signal they read."""
    assert MetricCondition("call.answered_rate", Comparator.LT, 0.9).signal == "call.answered_rate"
    assert EventCondition("supplier.late_delivery").signal == "supplier.late_delivery"


def test_tracing_weight_of():
    """Role weights default to 3/2/1; a role not listed weighs 0."""
    tracing = TracingParameters()
    assert [tracing.weight_of(r) for r in Role] == [3.0, 2.0, 1.0, 0.0]


def test_standard_defaults():
    """A standard is a `standard` (not an aspiration) without baseline or note unless told."""
    s = standard()
    assert (s.status, s.baseline, s.note) == (StandardStatus.STANDARD, None, "")


# --------------------------------------------------------------------------- Model


def test_model_sorts_and_freezes_its_mappings():
    """Model mappings are read-only and in id order, whatever order they were given in."""
    units = {u: Unit(u, UnitKind.DEPARTMENT, TEXT, Faces.BOTH) for u in ("zeta", "alpha")}
    model = Model(units=units, duties={}, promises={}, standards={}, rules={}, signals={},
                  sources={})
    assert list(model.units) == ["alpha", "zeta"]
    with pytest.raises(TypeError):
        model.units["beta"] = units["alpha"]  # type: ignore[index]
    units["beta"] = units["alpha"]
    assert "beta" not in model.units
    assert model.location("alpha") == ""


@settings(max_examples=30)
@given(models())
def test_equality_ignores_graph_and_locations(model: Model):
    """Two models with the same content are equal; graph and locations play no part."""
    again = attrs.evolve(model, graph=None, locations={"x": ("f.yaml", 1)})
    assert again == model
    assert again.graph is not model.graph
    assert sorted(again.graph.edges(data=True)) == sorted(model.graph.edges(data=True))


@settings(max_examples=30)
@given(models())
def test_standards_of(model: Model):
    """`Model.standards_of` returns the standards that measure a promise, by id."""
    for promise in model.promises:
        found = model.standards_of(promise)
        assert [s.id for s in found] == sorted(s.id for s in found)
        assert {s.id for s in found} == {s.id for s in model.standards.values()
                                         if s.promise == promise}
