"""Evidence coverage (issue 13): which duties some fact can implicate, which units can share.

The property over the bundled model: for every observable duty, facts that implicate only
that duty trace to the duty's accountable unit as the top owner outside management.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servresp.evaluate.engine import Engine
from servresp.evaluate.facts import parse_facts
from servresp.lint.coverage import evidence_coverage, observable_duties
from servresp.model.classes import Comparator, EventCondition, Model, StandardStatus
from servresp.model.load import load_default
from servresp.trace.tracer import Trace, trace

PERIOD = "2026-10"


@cache
def bundled() -> Model:
    return load_default()


@cache
def engine() -> Engine:
    return Engine(bundled())  # one compiled engine for every case: facts are retracted after each


Source = tuple[str, str]
"""(``rule`` or ``standard``, its id)."""


@cache
def single_sources() -> dict[str, Source]:
    """Duty → a rule or standard whose signal implicates that duty and no other."""
    model = bundled()
    by_signal: defaultdict[str, set[str]] = defaultdict(set)
    sources: list[tuple[str, Source, set[str]]] = []
    for standard in model.standards.values():
        if standard.status is StandardStatus.STANDARD:
            by_signal[standard.metric].update(standard.served_by)
            sources.append((standard.metric, ("standard", standard.id), set(standard.served_by)))
    for rule in model.rules.values():
        by_signal[rule.when.signal].update(rule.implicates)
        sources.append((rule.when.signal, ("rule", rule.id), set(rule.implicates)))
    found: dict[str, Source] = {}
    for signal, source, duties in sorted(sources):
        if len(duties) == 1 and by_signal[signal] == duties:
            found.setdefault(next(iter(duties)), source)
    return found


def _beyond(comparator: Comparator, line: float, by: float) -> float:
    """Return a value on the firing side of ``value <comparator> line``."""
    return line - by if comparator in (Comparator.LT, Comparator.LE) else line + by


def failing_rows(model: Model, source: Source, by: float, unit: str) -> list[dict[str, Any]]:
    """Facts that fire the rule (or breach the standard) ``source`` in `PERIOD`."""
    kind, id_ = source
    if kind == "standard":
        standard = model.standards[id_]
        breach_side = {Comparator.GE: Comparator.LT, Comparator.GT: Comparator.LE,
                       Comparator.LE: Comparator.GT, Comparator.LT: Comparator.GE}[standard.comparator]
        value = _beyond(breach_side, standard.target, by)
        label = {"month": PERIOD, "week": "2026-W42", "day": f"{PERIOD}-15"}[str(standard.window)]
        return [{"metric": standard.metric, "value": _clamp(model, standard.metric, value),
                 "period": label, "unit": unit}]
    rule = model.rules[id_]
    when = rule.when
    if isinstance(when, EventCondition):
        return [{"event": when.event, "at": f"{PERIOD}-{day:02}T09:00:00Z", "unit": unit,
                 **dict(when.where)} for day in range(1, when.count + 1)]
    value = _beyond(when.comparator, when.value, by)
    return [{"metric": when.metric, "value": _clamp(model, when.metric, value), "period": PERIOD,
             "unit": unit}]


def _clamp(model: Model, metric: str, value: float) -> float:
    bounds = model.signals[metric].range
    return min(max(value, bounds[0]), bounds[1]) if bounds else value


def traces_of(rows: list[dict[str, Any]]) -> list[Trace]:
    model = bundled()
    facts = parse_facts("\n".join(json.dumps(r) for r in rows), model, source="f.jsonl")
    evaluation = engine().evaluate(facts)
    return [trace(model, evaluation, p) for p in model.promises]


def check_top_owner(duty_id: str, by: float) -> None:
    """Facts implicating only ``duty_id`` put its accountable unit first outside management."""
    model = bundled()
    accountable = model.duties[duty_id].raci.accountable
    rows = failing_rows(model, single_sources()[duty_id], by, accountable)
    failing = [t for t in traces_of(rows) if t.owners]
    assert failing, (duty_id, rows)
    management = set(model.management_tiers)
    for item in failing:
        assert {e.duty for o in item.owners for e in o.evidence} == {duty_id}, duty_id
        ranked = [o.unit for o in item.owners
                  if accountable in management or o.unit not in management]
        assert ranked[0] == accountable, (duty_id, item.promise, [(o.unit, o.share) for o in item.owners])


def test_bundled_coverage_is_at_least_90_percent():
    coverage = evidence_coverage(bundled())
    assert coverage.ratio >= 0.9
    assert all(u.can_take_share for u in coverage.units)
    assert set(observable_duties(bundled())) == set(bundled().duties) - set(coverage.unobservable)


def test_nearly_every_duty_has_evidence_of_its_own():
    """At least 90 % of the duties have a signal that implicates that duty alone."""
    assert len(single_sources()) >= 0.9 * len(bundled().duties)


@pytest.mark.parametrize("duty_id", sorted(single_sources()))
def test_a_failing_duty_traces_to_its_accountable_unit(duty_id: str):
    check_top_owner(duty_id, 0.01)


@settings(max_examples=25, deadline=None)
@given(duty_id=st.sampled_from(sorted(single_sources())), by=st.floats(1e-6, 0.5))
def test_top_owner_does_not_depend_on_how_badly_it_fails(duty_id: str, by: float):
    check_top_owner(duty_id, by)
