"""servresp.trace: status, ranked owners with shares, management tiers, candidates and why."""

from __future__ import annotations

import json
import math
import re
import shutil
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from servresp.errors import ModelError, UnknownIdError
from servresp.evaluate.engine import Evaluation, evaluate
from servresp.evaluate.facts import FactSet, parse_facts, read_facts
from servresp.model.classes import MANAGEMENT_TIERS, EventCondition, Model
from servresp.model.graph import dependency_view, duties_reaching, management_duties_above
from servresp.model.load import load_default, load_model
from servresp.trace.report import trace_to_dict
from servresp.trace.tracer import Owner, Trace, trace
from strategies import ISLAND_METRIC, facts_for, models

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parents[1] / "data"
FACTS = DATA / "facts"
EXAMPLES = ROOT / "examples"
RATE = "call.answered_rate"
LATE = "supplier.late_delivery"
SCALE = 10_000


@cache
def minimal() -> Model:
    return load_model(DATA / "minimal")


@cache
def bundled() -> Model:
    return load_default()


def rows_to_facts(model: Model, rows: Sequence[dict[str, Any]]) -> FactSet:
    return parse_facts("\n".join(json.dumps(r) for r in rows), model, source="g.jsonl")


def traced(model: Model, facts: FactSet, promise: str) -> Trace:
    return trace(model, evaluate(model, facts), promise)


@cache
def example(name: str) -> tuple[Model, Evaluation]:
    model = bundled()
    return model, evaluate(model, read_facts([EXAMPLES / f"{name}.jsonl"], model))


def example_trace(name: str, promise: str) -> Trace:
    model, evaluation = example(name)
    return trace(model, evaluation, promise)


def implicated(model: Model, item: Trace) -> set[str]:
    """Return the duties the trace's evidence lands on."""
    reaching = duties_reaching(model.graph, item.promise)
    duties = {d for b in item.breaches for d in model.standards[b.standard].served_by}
    duties |= {d for f in item.firings for d in model.rules[f.rule].implicates if d in reaching}
    return duties


def roles_weighed(model: Model, duty: str, unit: str) -> bool:
    """Whether ``unit`` holds a role on ``duty`` that the model's role weights count."""
    return any(model.tracing.weight_of(r) > 0 for r in model.duties[duty].raci.roles_of(unit))


def share_sentence(owner: Owner, total: float) -> str:
    return (f"{owner.unit}'s share is {owner.share:.4f}: a mass of {owner.mass:.4f} "
            f"out of {total:.4f} in all.")


def check_invariants(model: Model, item: Trace) -> None:
    """Check what every trace must satisfy, whatever the model and facts."""
    owners = item.owners
    quiet = "no_data" if item.unmeasured and set(item.unmeasured) == {
        s.id for s in model.standards_of(item.promise)} else "ok"
    assert item.status == ("breached" if item.breaches else "at_risk" if item.firings else quiet)
    if owners:
        assert sum(round(o.share * SCALE) for o in owners) == SCALE
        assert all(o.share == round(o.share, 4) and 0 <= o.share <= 1 for o in owners)
        assert math.isclose(sum(o.mass for o in owners), item.mass, rel_tol=1e-9)
    keys = [(-o.share, o.unit) for o in owners]
    assert keys == sorted(keys)
    assert len({o.unit for o in owners}) == len(owners)
    duties = implicated(model, item)
    names = {o.unit for o in owners}
    for duty in duties:  # S0: the tiers above every implicated duty appear
        for above in management_duties_above(model.graph, duty):
            tier = model.management_tier_of(above)  # a duty's `tier` says whose it is
            assert tier is None or tier in names, (duty, above)
    for owner in owners:  # no evidence, no share: a weighed role on an implicated duty, management,
        assert owner.roles  # or the barrier an implicated duty's failure escaped (8D's escape point)
        assert ("management" in owner.roles or "escape" in owner.roles
                or any(roles_weighed(model, d, owner.unit) for d in duties)), owner
        assert owner.why[-1] == share_sentence(owner, item.mass)
    for candidate in item.candidates:
        assert candidate.unit not in names
        assert candidate.unit not in MANAGEMENT_TIERS
        assert candidate.duties


# --------------------------------------------------------------------------- status


def test_breached_when_a_standard_is_missed():
    """A missed standard breaches its promise; owners are those on the serving duty and above."""
    item = traced(minimal(), read_facts([FACTS / "breach.jsonl"], minimal()), "service_ok")
    assert item.status == "breached"
    assert [b.standard for b in item.breaches] == ["calls_answered"]
    assert [o.unit for o in item.owners] == ["buyer", "desk"]
    check_invariants(minimal(), item)


def test_at_risk_when_only_a_rule_fired():
    """A rule whose duty supports the promise puts it at risk; only that duty's units share it."""
    lines = [{"metric": RATE, "value": 0.97, "period": "2026-10"},
             {"event": LATE, "at": "2026-10-01T00:00:00Z"}, {"event": LATE, "at": "2026-10-02T00:00:00Z"}]
    item = traced(minimal(), rows_to_facts(minimal(), lines), "service_ok")
    assert item.status == "at_risk"
    assert item.breaches == ()
    assert [(o.unit, o.share, o.roles, o.duties) for o in item.owners] == [
        ("buyer", 1.0, ("accountable", "responsible"), ("buyer.buy_on_time",))]
    assert item.owners[0].paths == (("service_ok", "desk.answer_calls", "buyer.buy_on_time"),)


def test_ok_with_no_evidence():
    """Healthy facts: status ok, no owners, no candidates, no mass."""
    item = traced(minimal(), read_facts([FACTS / "healthy.jsonl"], minimal()), "service_ok")
    assert (item.status, item.owners, item.candidates, item.mass) == ("ok", (), (), 0.0)


def test_unknown_promise_suggests_the_closest():
    """Tracing a promise the model lacks raises UnknownIdError with a did-you-mean."""
    evaluation = evaluate(minimal(), FactSet(()))
    with pytest.raises(UnknownIdError) as caught:
        trace(minimal(), evaluation, "service_okay")
    assert str(caught.value) == "unknown promise 'service_okay'; did you mean 'service_ok'?"


def test_minimal_shares_follow_the_documented_split():
    """Breach burn 1.5 on desk.answer_calls, half of it up to buyer's implicated duty; rule 0.5."""
    item = traced(minimal(), read_facts([FACTS / "breach.jsonl"], minimal()), "service_ok")
    buyer, desk = item.owners
    assert item.mass == pytest.approx(2.0)
    assert desk.mass == pytest.approx(0.75 * 5 / 6)
    assert buyer.mass == pytest.approx(0.5 + 0.75 + 0.75 / 6)
    assert (buyer.share, desk.share) == (0.6875, 0.3125)
    assert buyer.roles == ("accountable", "responsible", "consulted", "upstream")
    assert [(e.kind, e.id, e.duty) for e in buyer.evidence] == [
        ("breach", "calls_answered", "desk.answer_calls"),
        ("rule", "desk.late_supplies", "buyer.buy_on_time")]


def test_candidate_without_evidence_has_no_share():
    """A supplier unit with no evidence is a candidate, with why and what would implicate it."""
    item = traced(minimal(), read_facts([FACTS / "breach.jsonl"], minimal()), "service_ok")
    [boss] = item.candidates
    assert (boss.unit, boss.duties, boss.would_implicate) == ("boss", ("boss.organise",), ())
    assert boss.why == (
        ("boss supplies implicated duties through boss.organise but no fact implicates it, and no rule "
         "or standard reads one: add a rule to collect that evidence."),)
    assert trace_to_dict(item)["candidates"][0]["share"] == 0


# --------------------------------------------------------------------------- the bundled examples


@pytest.mark.parametrize("promise", ["product_works", "service_as_promised", "commitment_kept"])
def test_healthy_example_is_ok_everywhere(promise):
    """examples/healthy.jsonl breaks nothing: every promise is ok with no owner."""
    item = example_trace("healthy", promise)
    assert (item.status, item.owners, item.breaches, item.firings) == ("ok", (), (), ())


@pytest.mark.parametrize(("name", "promise", "units"), [
    ("product_broken", "product_works", {"purchasing", "production"}),
    ("service_broken", "service_as_promised", {"customer_service"}),
    ("commitment_broken", "commitment_kept", {"customer_service"}),
])
def test_broken_examples_name_the_units_the_sources_point_to(name, promise, units):
    """Each broken example breaches its promise; the units it names and top management own it."""
    model, _ = example(name)
    item = example_trace(name, promise)
    assert item.status == "breached"
    owners = {o.unit for o in item.owners}
    assert units | {"top_management"} <= owners
    check_invariants(model, item)


@pytest.mark.parametrize("name", ["october", "product_broken", "service_broken", "commitment_broken",
                                  "bad_lines"])
def test_bundled_examples_keep_every_invariant(name):
    """Shares, ordering, management, evidence and why hold on every example and promise."""
    model, evaluation = example(name)
    for promise in model.promises:
        check_invariants(model, trace(model, evaluation, promise))


def test_product_broken_candidates_say_what_would_implicate_them():
    """A candidate lists the rules that would give it a share; its why quotes them."""
    item = example_trace("product_broken", "product_works")
    for candidate in item.candidates:
        assert all(c.startswith(("rule ", "standard ")) for c in candidate.would_implicate)
        for condition in candidate.would_implicate:
            assert condition in candidate.why[0]
    assert any(c.would_implicate for c in item.candidates)


def test_why_numbers_come_from_the_output():
    """Evidence sentences quote the facts' values and the masses the JSON carries."""
    model, evaluation = example("service_broken")
    data = trace_to_dict(trace(model, evaluation, "service_as_promised"))
    for owner in data["owners"]:
        total = data["mass"]
        assert owner["why"][-1] == (f"{owner['unit']}'s share is {owner['share']:.4f}: a mass of "
                                    f"{owner['mass']:.4f} out of {total:.4f} in all.")
        for item in owner["evidence"]:
            if item["duty"] not in owner["duties"]:
                continue  # evidence on the duty below a transfer: quoted in that owner's sentence
            sentence = next(s for s in owner["why"] if f"on {item['duty']}" in s and item["id"] in s)
            assert f"{item['mass']:.4f}" in sentence
            for fact in item["facts"]:
                assert f"{fact['source']}:{fact['line']}" in sentence
                if "value" in fact:
                    assert f"{fact['value']:g}" in sentence
    numbers = {f"{b['actual']:g}" for b in data["breaches"]} | {f"{b['target']:g}" for b in data["breaches"]}
    quoted = {n for o in data["owners"] for s in o["why"] for n in re.findall(r"\d+\.\d+|\d+", s)}
    assert numbers <= quoted


def test_trace_is_deterministic():
    """The same model and facts give the same trace, as data."""
    model, evaluation = example("october")
    first = [trace_to_dict(trace(model, evaluation, p)) for p in model.promises]
    again = [trace_to_dict(trace(model, evaluate(model, read_facts([EXAMPLES / "october.jsonl"], model)), p))
             for p in model.promises]
    assert first == again


# --------------------------------------------------------------------------- share parameters


def _copy_minimal(tmp_path: Path, *, tracing: str = "", boss: str = "boss") -> Path:
    folder = tmp_path / "model"
    shutil.copytree(DATA / "minimal", folder)
    if boss != "boss":
        text = (folder / "boss.yaml").read_text(encoding="utf-8").replace("boss", boss)
        (folder / "boss.yaml").unlink()
        (folder / f"{boss}.yaml").write_text(text, encoding="utf-8")
    if tracing:
        (folder / "tracing.yaml").write_text(tracing, encoding="utf-8")
    return folder


def test_management_tier_takes_its_fraction(tmp_path):
    """With a top_management duty above the breached duty, top management takes 0.2 of its mass."""
    model = load_model(_copy_minimal(tmp_path, boss="top_management"))
    lines = [{"metric": RATE, "value": 0.9, "period": "2026-10"}]
    item = traced(model, rows_to_facts(model, lines), "service_ok")
    by_unit = {o.unit: o for o in item.owners}
    assert set(by_unit) == {"buyer", "desk", "top_management"}
    assert by_unit["top_management"].roles == ("management",)
    assert by_unit["top_management"].mass == pytest.approx(0.2 * 1.5)
    assert by_unit["top_management"].duties == ("top_management.organise",)
    assert by_unit["top_management"].paths == (
        ("service_ok", "desk.answer_calls", "top_management.organise"),)
    check_invariants(model, item)


def test_management_tier_appears_even_when_another_unit_is_accountable(tmp_path):
    """S0: the tier whose duty supports the breached duty appears, whoever is accountable for it."""
    folder = _copy_minimal(tmp_path, boss="top_management")
    path = folder / "top_management.yaml"
    text = path.read_text(encoding="utf-8").replace("accountable: top_management,", "accountable: desk,")
    path.write_text(text, encoding="utf-8")
    model = load_model(folder)
    item = traced(model, rows_to_facts(model, [{"metric": RATE, "value": 0.9, "period": "2026-10"}]),
                  "service_ok")
    assert "top_management" in {o.unit for o in item.owners}, item.owners


def test_upstream_owner_lists_the_evidence_that_moved_mass_to_it(tmp_path):
    """Buyer takes half of desk.answer_calls' breach mass: that breach is among its evidence."""
    folder = _copy_minimal(tmp_path)
    path = folder / "desk.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("      consulted: [buyer]\n", ""),
                    encoding="utf-8")
    model = load_model(folder)
    item = traced(model, read_facts([FACTS / "breach.jsonl"], model), "service_ok")
    buyer = next(o for o in item.owners if o.unit == "buyer")
    assert any("supplies desk.answer_calls" in w for w in buyer.why)
    assert "calls_answered" in {e.id for e in buyer.evidence}, buyer.evidence


def test_fractions_that_sum_to_one_or_more_are_refused(tmp_path):
    """A duty must keep part of its own mass: fractions summing to 1 or more do not load."""
    tracing = "tracing:\n  management_fraction: 0.6\n  upstream_fraction: 0.6\n"
    with pytest.raises(ModelError) as caught:
        load_model(_copy_minimal(tmp_path, tracing=tracing, boss="top_management"))
    assert [p.message for p in caught.value.problems] == [
        "management_fraction + upstream_fraction is 1.2; it must be below 1"]


_NEW_SUPPLIER = {
    "sources.yaml": """sources:
  - {id: S1, title: Source, file: 001.txt}
signals:
  - {name: m.rate, kind: metric, meaning: {en: M, zh: M}, range: [0, 1]}
  - {name: e.one, kind: event, meaning: {en: One, zh: One}}
  - {name: e.two, kind: event, meaning: {en: Two, zh: Two}}
promises:
  - {id: p, text: {en: P, zh: P}, source: {id: S1, section: "1"}}
standards:
  - id: s
    text: {en: S, zh: S}
    promise: p
    metric: m.rate
    comparator: ">="
    target: 0.9
    window: month
    domain: time_limits
    served_by: [d.serve]
    source: {id: S1, section: "1"}
""",
    "d.yaml": """unit: {id: d, kind: department, name: {en: D, zh: D}, faces: external}
duties:
  - id: d.serve
    text: {en: Serve, zh: Serve}
    raci: {accountable: d, responsible: [d]}
    supports: [p]
    source: {id: S1, section: "1"}
""",
    "a.yaml": """unit: {id: a, kind: department, name: {en: A, zh: A}, faces: internal}
duties:
  - id: a.z
    text: {en: Z, zh: Z}
    raci: {accountable: a, responsible: [a]}
    supports: [d.serve]
    source: {id: S1, section: "1"}
  - id: a.x
    text: {en: X, zh: X}
    raci: {accountable: a, responsible: [a, b]}
    supports: [d.serve]
    source: {id: S1, section: "1"}
rules:
  - id: a.one
    when: {event: e.one}
    implicates: [a.z]
    weight: 1
    reason: {en: One, zh: One}
    source: {id: S1, section: "1"}
  - id: a.two
    when: {event: e.two}
    implicates: [a.x]
    weight: 0.01
    reason: {en: Two, zh: Two}
    source: {id: S1, section: "1"}
""",
    "b.yaml": "unit: {id: b, kind: department, name: {en: B, zh: B}, faces: internal}\n",
}


def test_new_evidence_against_a_duty_never_lowers_its_owner(tmp_path):
    """Evidence against a.x that was not implicated before does not lower a's mass."""
    folder = tmp_path / "new_supplier"
    folder.mkdir()
    for name, text in _NEW_SUPPLIER.items():
        (folder / name).write_text(text, encoding="utf-8")
    model = load_model(folder)
    base = [{"metric": "m.rate", "value": 0.5, "period": "2026-10"},
            {"event": "e.one", "at": "2026-10-02T00:00:00Z"}]
    more = [*base, {"event": "e.two", "at": "2026-10-03T00:00:00Z"}]
    before = {o.unit: o.mass for o in traced(model, rows_to_facts(model, base), "p").owners}
    after = {o.unit: o.mass for o in traced(model, rows_to_facts(model, more), "p").owners}
    assert after["a"] >= before["a"], (before, after)


# --------------------------------------------------------------------------- properties

@st.composite
def evidence_for(draw: st.DrawFn, model: Model) -> list[dict[str, Any]]:
    """Facts for ``model`` that often breach its standards and fire its rules."""
    rows = draw(facts_for(model, max_size=6))
    for standard in model.standards.values():
        low, high = model.signals[standard.metric].range or (-1000.0, 1000.0)
        wrong = [v for v in (low, high, standard.target - 0.25, standard.target + 0.25, (low + high) / 2)
                 if low <= v <= high and not standard.is_met(v)]
        if wrong and draw(st.booleans()):
            value = draw(st.sampled_from(wrong))
            rows.append({"metric": standard.metric, "value": value, "period": "2026-10"})
    for rule in model.rules.values():
        when = rule.when
        if not isinstance(when, EventCondition):
            low, high = model.signals[when.metric].range or (-1000.0, 1000.0)
            firing = [v for v in (low, high, when.value, when.value - 0.25, when.value + 0.25)
                      if low <= v <= high and when.comparator.holds(v, when.value)]
            if firing and draw(st.booleans()):
                value = draw(st.sampled_from(firing))
                rows.append({"metric": when.metric, "value": value, "period": "2026-10"})
        elif draw(st.booleans()):
            rows.extend({"event": when.event, "at": f"2026-10-{day:02}T00:00:00Z", **dict(when.where)}
                        for day in range(1, when.count + 1))
    return rows


@settings(max_examples=30, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data())
def test_generated_traces_keep_every_invariant(data):
    """Over generated models and facts: shares sum to 1, order, management, evidence, why."""
    model = data.draw(models())
    rows = data.draw(evidence_for(model))
    evaluation = evaluate(model, rows_to_facts(model, rows))
    for promise in model.promises:
        item = trace(model, evaluation, promise)
        check_invariants(model, item)
        assert trace_to_dict(item) == trace_to_dict(trace(model, evaluation, promise))


def _masses(item: Trace) -> dict[str, float]:
    return {o.unit: o.mass for o in item.owners}


def _receivers(model: Model, duties: set[str]) -> set[str]:
    """Every unit whose mass can move with ``duties``.

    That is their RACI, their suppliers', and that of every supplier of the duties they feed:
    suppliers share an upstream part in proportion to their evidence.
    """
    supports = dependency_view(model.graph, ("supports",))
    below = {c for d in duties if d in supports for c in nx.descendants(supports, d)} & set(model.duties)
    above = {a for d in duties | below if d in supports for a in nx.ancestors(supports, d)}
    linked = (duties | above) & set(model.duties)
    return {u for d in linked for u in (*model.duties[d].raci.units(), model.duties[d].owner)}


def _island_breach(model: Model) -> list[dict[str, Any]]:
    """Evidence on the unrelated unit, when the model has one: a bystander with mass."""
    if ISLAND_METRIC not in model.signals:
        return []
    return [{"metric": ISLAND_METRIC, "value": 0.5, "period": "2026-10"}]


def _check_more_evidence(model: Model, before: Trace, after: Trace, duties: set[str]) -> None:
    """More mass on ``duties``: their accountable units lose no mass, nor ground on bystanders."""
    old, new = _masses(before), _masses(after)
    touched = _receivers(model, duties)
    bystanders = [u for u in old if u not in touched and old[u] > 0]
    for duty in duties:
        owner = model.duties[duty].raci.accountable
        assert new.get(owner, 0.0) >= old.get(owner, 0.0) * (1 - 1e-9), (duty, owner, old, new)
        for unit in bystanders:
            assert math.isclose(new[unit], old[unit], rel_tol=1e-9), (unit, old, new)
            assert new.get(owner, 0.0) / new[unit] >= old.get(owner, 0.0) / old[unit] * (1 - 1e-9)


@settings(max_examples=30, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data())
def test_a_larger_breach_never_lowers_its_accountable_owner(data):
    """Moving a breached reading further from its target gives the serving duties' owners no less."""
    model = data.draw(models())
    readers = [*(s.metric for s in model.standards.values()), *(r.when.signal for r in model.rules.values())]
    alone = [s for s in model.standards.values()
             if s.status == "standard" and readers.count(s.metric) == 1  # nothing else moves
             and s.metric != ISLAND_METRIC]  # the unrelated unit stays a bystander
    assume(bool(alone))
    standard = data.draw(st.sampled_from(alone))
    low, high = model.signals[standard.metric].range or (-1000.0, 1000.0)
    wrong = [v for v in (low, high, standard.target - 0.5, standard.target + 0.5) if low <= v <= high]
    wrong = [v for v in wrong if standard.gap(v) > 0]
    assume(bool(wrong))
    further = data.draw(st.sampled_from(wrong))
    value = data.draw(st.floats(min(standard.target, further), max(standard.target, further)))
    assume(standard.gap(value) > 0 and standard.gap(further) > standard.gap(value))
    label = {"month": "2026-10", "week": "2026-W42", "day": "2026-10-15"}[str(standard.window)]
    rows = [*data.draw(evidence_for(model)), *_island_breach(model),
            {"metric": standard.metric, "value": value, "period": label}]
    more = [*rows, {"metric": standard.metric, "value": further, "period": label}]
    before = traced(model, rows_to_facts(model, rows), standard.promise)
    after = traced(model, rows_to_facts(model, more), standard.promise)
    assert standard.id in {b.standard for b in before.breaches}
    assert after.mass >= before.mass
    _check_more_evidence(model, before, after, set(standard.served_by))


@settings(max_examples=30, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data())
def test_a_heavier_rule_never_lowers_its_accountable_owner(data):
    """A fired rule with more weight gives the owners of the duties it implicates no less."""
    model = data.draw(models())
    rows = [*data.draw(evidence_for(model)), *_island_breach(model)]
    evaluation = evaluate(model, rows_to_facts(model, rows))
    assume(bool(evaluation.firings))
    firing = data.draw(st.sampled_from(evaluation.firings))
    rule = model.rules[firing.rule]
    heavier = attrs.evolve(rule, weight=rule.weight * data.draw(st.floats(1.0, 10.0)))
    model2 = attrs.evolve(model, rules={**model.rules, rule.id: heavier}, graph=None)
    evaluation2 = evaluate(model2, rows_to_facts(model2, rows))
    for promise in model.promises:
        duties = set(rule.implicates) & duties_reaching(model.graph, promise)
        if duties:
            _check_more_evidence(model, trace(model, evaluation, promise),
                                 trace(model2, evaluation2, promise), duties)


def test_informed_units_get_no_weight(tmp_path):
    """Informed units take no share, so a weight for them is refused at load."""
    tracing = "tracing:\n  role_weights: {accountable: 3, responsible: 2, consulted: 1, informed: 1}\n"
    with pytest.raises(ModelError) as caught:
        load_model(_copy_minimal(tmp_path, tracing=tracing))
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("tracing.role_weights.informed", "informed units take no share of a failure")]


def test_a_tiny_error_budget_gives_finite_shares(tmp_path):
    """A rate target of 1.5e-323 (≤) leaves a subnormal budget: the burn is the plain shortfall."""
    folder = _copy_minimal(tmp_path)
    text = (folder / "sources.yaml").read_text(encoding="utf-8")
    text = text.replace('comparator: ">="', 'comparator: "<="').replace("target: 0.96", "target: 1.5e-323")
    (folder / "sources.yaml").write_text(text, encoding="utf-8")
    model = load_model(folder)
    item = traced(model, rows_to_facts(model, [{"metric": RATE, "value": 0.5, "period": "2026-10"}]),
                  "service_ok")
    assert [(b.burn, b.budget) for b in item.breaches] == [(0.5, None)]
    assert all(math.isfinite(o.mass) for o in item.owners)


def _tiny_budget_model(tmp_path: Path) -> Model:
    folder = _copy_minimal(tmp_path)
    text = (folder / "sources.yaml").read_text(encoding="utf-8")
    text = text.replace('comparator: ">="', 'comparator: "<="').replace("target: 0.96", "target: 2.225e-309")
    (folder / "sources.yaml").write_text(text, encoding="utf-8")
    return load_model(folder)


def test_a_huge_finite_burn_gives_finite_shares(tmp_path):
    """A reading of 0.25 against a target of 2.225e-309 (≤) traces without overflowing."""
    model = _tiny_budget_model(tmp_path)
    item = traced(model, rows_to_facts(model, [{"metric": RATE, "value": 0.25, "period": "2026-10"}]),
                  "service_ok")
    assert all(math.isfinite(o.mass) for o in item.owners)


def test_a_larger_gap_never_burns_less(tmp_path):
    """Over a tiny budget, 0.5 burns at least as much as 0.25."""
    model = _tiny_budget_model(tmp_path)
    burns = [evaluate(model, rows_to_facts(model, [{"metric": RATE, "value": v, "period": "2026-10"}]))
             .breaches[0].burn for v in (0.25, 0.5)]
    assert burns[1] >= burns[0], burns


# --------------------------------------------------------------------------- issue 13: tiers, blame


def _renamed_model(tmp_path: Path) -> Model:
    """Load the bundled model with its management tiers renamed ``boss`` and ``supervisors``."""
    folder = tmp_path / "renamed"
    folder.mkdir()
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        text = text.replace("top_management", "boss").replace("middle_management", "supervisors")
        name = path.name.replace("top_management", "boss").replace("middle_management", "supervisors")
        (folder / name).write_text(text, encoding="utf-8")
    return load_model(folder)


@pytest.mark.parametrize("name", ["product_broken", "service_broken", "october", "staff_behaviour"])
def test_management_tiers_are_found_by_the_model(tmp_path: Path, name: str):
    """Tiers named boss and supervisors (kind tier, a level, management) get the same shares."""
    renamed = _renamed_model(tmp_path)
    assert renamed.management_tiers == ("boss", "supervisors")
    back = {"boss": "top_management", "supervisors": "middle_management"}
    path = EXAMPLES / f"{name}.jsonl"
    for promise in bundled().promises:
        expected = example_trace(name, promise)
        got = traced(renamed, read_facts([path], renamed), promise)
        assert got.status == expected.status
        assert sorted((back.get(o.unit, o.unit), o.share) for o in got.owners) == sorted(
            (o.unit, o.share) for o in expected.owners)  # ties rank by unit id, which the names change


def test_a_duty_tier_passes_its_tiers_management_part():
    """The head of production's duty (tier middle_management) takes middle management's part."""
    model = bundled()
    assert model.management_tier_of("production.quality_incentives") == "middle_management"
    assert model.management_tier_of("sales.long_term_relationships") is None  # tier employee
    item = example_trace("product_broken", "product_works")
    middle = next(o for o in item.owners if o.unit == "middle_management")
    assert "production.quality_incentives" in middle.duties
    assert "production" not in {o.unit for o in item.owners if "management" in o.roles}


def test_the_policy_rule_blames_the_unit_the_event_names():
    """S3: whoever changed the policy without consulting takes it; consulted units take none."""
    model = bundled()
    event = {"event": "policy.changed_without_consultation", "at": "2026-10-01T09:00:00Z",
             "policy": "repair visit fee"}
    named = traced(model, rows_to_facts(model, [{**event, "unit": "sales"}]), "service_as_promised")
    assert [(o.unit, o.share) for o in named.owners] == [("sales", 1.0)]
    unnamed = traced(model, rows_to_facts(model, [event]), "service_as_promised")
    assert [(o.unit, o.share) for o in unnamed.owners] == [("top_management", 1.0)]
    consulted = set(model.duties["top_management.consult_before_change"].raci.consulted)
    assert not consulted & {o.unit for o in unnamed.owners}


def test_blamed_roles_default_keeps_the_old_reading():
    """A model without blamed_roles lets consulted units share, as before round two."""
    item = traced(minimal(), read_facts([FACTS / "breach.jsonl"], minimal()), "service_ok")
    assert minimal().tracing.blamed_roles == ("accountable", "responsible", "consulted")
    assert "consulted" in {r for o in item.owners for r in o.roles}


@pytest.mark.parametrize("served", [["desk.answer_calls"], ["desk.answer_calls", "buyer.buy_on_time"]])
def test_a_breach_at_its_bound_is_traced_without_error(tmp_path: Path, served: list[str]) -> None:
    """`> 0` read as 0 misses by the least float: its mass may round to 0 and still trace."""
    folder = shutil.copytree(DATA / "minimal", tmp_path / "rules")
    sources = folder / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    text = text.replace('comparator: ">="\n    target: 0.96', 'comparator: ">"\n    target: 0')
    sources.write_text(text.replace("served_by: [desk.answer_calls]", f"served_by: [{', '.join(served)}]"),
                       encoding="utf-8")
    model = load_model(folder)
    item = traced(model, rows_to_facts(model, [{"metric": RATE, "value": 0.0, "period": "2026-10"}]),
                  "service_ok")
    assert item.status == "breached"
    assert all(o.share >= 0 for o in item.owners)
    assert not item.owners or math.isclose(sum(o.share for o in item.owners), 1.0)
