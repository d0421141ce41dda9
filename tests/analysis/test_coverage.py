"""servresp.analysis.coverage: observable and orphaned duties, read from the model."""

from __future__ import annotations

import attrs
from hypothesis import given, settings

import servresp
from servresp.analysis.coverage import observers_of, orphaned_duties, unobservable_duties
from servresp.lint import lint
from servresp.model.classes import Model
from strategies import models

MODEL = servresp.load_default()


def test_observers_name_standards_and_rules():
    """A duty's observers are the standards serving it and the rules implicating it."""
    observers = observers_of(MODEL)
    assert "call_answer_ring3" in observers["customer_service.meet_service_standards"]
    assert observers["top_management.consult_before_change"] == (
        "top_management.policy_without_consultation",)


def test_a_duty_without_observers_is_unobservable():
    """Dropping the only rule on a duty makes it unobservable."""
    rules = {k: v for k, v in MODEL.rules.items() if k != "top_management.policy_without_consultation"}
    changed = attrs.evolve(MODEL, rules=rules, graph=None, dependencies=None, supports=None)
    assert "top_management.consult_before_change" in unobservable_duties(changed)
    assert "top_management.consult_before_change" not in unobservable_duties(MODEL)


@settings(max_examples=15)
@given(model=models())
def test_orphans_are_checks_sr103(model: Model) -> None:
    """Orphaned duties are exactly the subjects of check's SR103 findings."""
    assert orphaned_duties(model) == {f.subject for f in lint(model) if f.code == "SR103"}
    assert unobservable_duties(model) == {d for d, seen in observers_of(model).items() if not seen}
