"""The checks behind `servresp check`, each yielding issues relative to one model object.

A check knows nothing of files or lines (STYLE habit 4): it names the object (its kind and
id) and the field, and `servresp.lint` turns that into ``file:line: path``. Every code is
listed in `CODES` and documented in ``docs/check.md``.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs
import networkx as nx

from servresp.errors import did_you_mean
from servresp.graph import dependency_view
from servresp.model import (
    Comparator,
    MetricCondition,
    SignalKind,
    StandardStatus,
    Text,
    UnitKind,
    Window,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from servresp.model import Duty, Model, Signal, Standard

__all__ = ["CODES", "Code", "Issue", "Severity", "iter_issues", "reached_duties"]


class Severity(enum.StrEnum):
    """How bad a finding is: errors fail ``check``; warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Code:
    """A stable finding code and what it means."""

    code: str
    """``SR1xx`` structure, ``SR2xx`` the five requirements of a service standard (S3)."""
    severity: Severity
    """Its usual severity (the feasibility codes turn to warnings on aspirations)."""
    title: str
    """One line: what the code means."""


CODES: Mapping[str, Code] = {c.code: c for c in (
    Code("SR100", Severity.ERROR, "a reference names no unit, duty or promise of the model"),
    Code("SR101", Severity.ERROR, "a duty has no responsible unit"),
    Code("SR102", Severity.WARNING, "a unit owns no duty"),
    Code("SR103", Severity.ERROR, "a duty reaches no promise"),
    Code("SR104", Severity.ERROR, "duties support each other in a cycle"),
    Code("SR105", Severity.ERROR, "a standard measures no promise of the model"),
    Code("SR106", Severity.ERROR, "a promise has no standard that can be breached"),
    Code("SR107", Severity.ERROR, "a rule reads a metric or event that nothing declares"),
    Code("SR108", Severity.WARNING, "a signal is declared but nothing reads it"),
    Code("SR109", Severity.ERROR, "a team has no members"),
    Code("SR110", Severity.ERROR, "consulted or informed names the accountable unit again"),
    Code("SR201", Severity.ERROR, "explicit: a standard needs a text and a declared metric"),
    Code("SR202", Severity.ERROR, "measurable: a number and a comparator the metric can meet"),
    Code("SR203", Severity.WARNING, "feasible: the target demands perfection"),
    Code("SR204", Severity.ERROR, "feasible: the target is too far from the baseline"),
    Code("SR205", Severity.ERROR, "timely: a standard needs a time window"),
    Code("SR206", Severity.WARNING, "aligned: no duty serving it works toward its promise"),
)}
"""Every finding code, by code."""

_EPSILON = 1e-9
"""Float slack: 0.80 − 0.70 is 0.10000000000000009, and S3 calls that step feasible."""


@attrs.frozen
class Issue:
    """A finding relative to one model object; `servresp.lint` adds the file and line."""

    code: str
    """A key of `CODES`."""
    kind: str
    """``unit``, ``duty``, ``promise``, ``standard``, ``rule`` or ``signal``."""
    subject: str
    """The object's id (a signal's name)."""
    field: str
    """The field inside the object, e.g. ``raci.responsible`` or ``supports[1]``; may be empty."""
    message: str
    """What is wrong."""
    hint: str = ""
    """How to fix it."""
    severity: Severity | None = None
    """Overrides the code's usual severity (aspirations)."""


def iter_issues(model: Model, *, max_step: float) -> Iterator[Issue]:
    """Yield every issue of ``model``, check by check."""
    yield from _references(model)
    yield from _units(model)
    yield from _duties(model)
    yield from _reach(model)
    yield from _cycles(model)
    yield from _promises(model)
    yield from _signals(model)
    supports = dependency_view(model.graph, ("supports",))
    for standard in model.standards.values():
        yield from _standard(model, standard, max_step, supports)


def reached_duties(model: Model) -> dict[str, set[str]]:
    """Return promise → the duties with a dependency path to it (graph-first, no own walks)."""
    view = dependency_view(model.graph)
    duties = set(model.duties)
    return {p: set(nx.ancestors(view, p)) & duties if p in view else set() for p in model.promises}


def _references(model: Model) -> Iterator[Issue]:
    """SR100: dangling ids; the loader rejects them, so only models built in code get these."""
    for kind, subject, field, what, value, known in _iter_references(model):
        if value not in known:
            yield Issue("SR100", kind, subject, field,
                        f"unknown {what} {value!r}{did_you_mean(value, known)}",
                        f"name a {what} declared in the model")


_Reference = tuple[str, str, str, str, str, Mapping[str, object]]
"""(kind, subject, field, what it must be, the id named, the ids it may name)."""


def _iter_references(model: Model) -> Iterator[_Reference]:
    units, duties = model.units, model.duties
    for unit in units.values():
        for i, member in enumerate(unit.members):
            yield "unit", unit.id, f"members[{i}]", "unit", member, units
    for duty in duties.values():
        yield from _duty_references(model, duty)
    for standard in model.standards.values():
        for i, duty_id in enumerate(standard.served_by):
            yield "standard", standard.id, f"served_by[{i}]", "duty", duty_id, duties
    for rule in model.rules.values():
        for i, duty_id in enumerate(rule.implicates):
            yield "rule", rule.id, f"implicates[{i}]", "duty", duty_id, duties


def _duty_references(model: Model, duty: Duty) -> Iterator[_Reference]:
    units = model.units
    yield "duty", duty.id, "owner", "unit", duty.owner, units
    yield "duty", duty.id, "raci.accountable", "unit", duty.raci.accountable, units
    for role in ("responsible", "consulted", "informed"):
        for i, unit_id in enumerate(getattr(duty.raci, role)):
            yield "duty", duty.id, f"raci.{role}[{i}]", "unit", unit_id, units
    targets = {**model.duties, **model.promises}
    for i, target in enumerate(duty.supports):
        yield "duty", duty.id, f"supports[{i}]", "duty or promise", target, targets
    if duty.tier is not None:
        tiers = {u: v for u, v in units.items() if v.kind is UnitKind.TIER}
        yield "duty", duty.id, "tier", "tier", duty.tier, tiers


def _units(model: Model) -> Iterator[Issue]:
    """SR102 a unit owns no duty; SR109 a team without members."""
    owners = {duty.owner for duty in model.duties.values()}
    for unit in model.units.values():
        if unit.id not in owners:
            yield Issue("SR102", "unit", unit.id, "",
                        f"unit {unit.id!r} owns no duty",
                        "give it the duties the sources assign to it, or remove the unit")
        if unit.kind is UnitKind.TEAM and not unit.members:
            yield Issue("SR109", "unit", unit.id, "members",
                        f"team {unit.id!r} has no members",
                        "list the departments whose staff form the team (S3 自我领导小组)")


def _duties(model: Model) -> Iterator[Issue]:
    """SR101 no responsible unit; SR110 the accountable unit listed again as consulted/informed."""
    for duty in model.duties.values():
        raci = duty.raci
        if not raci.responsible:
            yield Issue("SR101", "duty", duty.id, "raci.responsible",
                        f"duty {duty.id!r} has no responsible unit",
                        f"name the units that do the work; {raci.accountable!r} itself when "
                        "no other unit does")
        for role in ("consulted", "informed"):
            for i, unit_id in enumerate(getattr(raci, role)):
                if unit_id == raci.accountable:
                    yield Issue("SR110", "duty", duty.id, f"raci.{role}[{i}]",
                                f"{unit_id!r} is accountable for {duty.id!r} and also listed as "
                                f"{role}",
                                f"remove {unit_id!r} from {role}: the accountable unit "
                                "already knows and decides")


def _reach(model: Model) -> Iterator[Issue]:
    """SR103: a duty with no dependency path to any promise does nothing for a customer."""
    reached = set().union(*reached_duties(model).values()) if model.promises else set()
    for duty in model.duties.values():
        if duty.id not in reached:
            yield Issue("SR103", "duty", duty.id, "supports",
                        f"duty {duty.id!r} reaches no promise",
                        "add to supports the duty or promise it feeds (its internal customer)")


def _cycles(model: Model) -> Iterator[Issue]:
    """SR104: one issue per knot of duties that support each other, with a shortest cycle."""
    view = dependency_view(model.graph, ("supports",))
    knots = sorted(sorted(c) for c in nx.strongly_connected_components(view)
                   if len(c) > 1 or view.has_edge(next(iter(c)), next(iter(c))))
    for knot in knots:
        start = knot[0]
        sub = view.subgraph(knot)
        cycles = [[start, *nx.shortest_path(sub, succ, start)]
                  for succ in sorted(sub.successors(start))]
        cycle = min(cycles, key=lambda c: (len(c), c))
        duty = model.duties[start]
        more = (f"; {len(knot)} duties are caught in cycles: {', '.join(knot)}"
                if len(knot) > len(cycle) - 1 else "")
        yield Issue("SR104", "duty", start, f"supports[{duty.supports.index(cycle[1])}]",
                    f"supports form a cycle: {' → '.join(cycle)}{more}",
                    "supports point from a supplier to its internal customer; remove the edge "
                    "that points back upstream")


def _promises(model: Model) -> Iterator[Issue]:
    """SR106: a promise no standard can find breached cannot be traced."""
    for promise in model.promises.values():
        standards = model.standards_of(promise.id)
        if not standards:
            yield Issue("SR106", "promise", promise.id, "",
                        f"promise {promise.id!r} has no standard",
                        "add a standard that measures it, with a metric, target and window")
        elif all(s.status is StandardStatus.ASPIRATION for s in standards):
            yield Issue("SR106", "promise", promise.id, "",
                        f"promise {promise.id!r} is measured only by aspirations "
                        f"({', '.join(s.id for s in standards)}), which are never breached",
                        "add a standard with a feasible target beside the aspiration")


def _signals(model: Model) -> Iterator[Issue]:
    """SR107 a rule reads an unknown signal; SR108 a declared signal nothing reads."""
    known = {
        SignalKind.METRIC: {n for n, s in model.signals.items() if s.kind is SignalKind.METRIC}
        | {s.metric for s in model.standards.values()},
        SignalKind.EVENT: {n for n, s in model.signals.items() if s.kind is SignalKind.EVENT},
    }
    for rule in model.rules.values():
        kind = SignalKind.METRIC if isinstance(rule.when, MetricCondition) else SignalKind.EVENT
        name = rule.when.signal
        if name not in known[kind]:
            yield Issue("SR107", "rule", rule.id, f"when.{kind}",
                        f"rule {rule.id!r} reads the {kind} {name!r}, which no standard or "
                        f"signal declares{did_you_mean(name, known[kind])}",
                        f"declare {name!r} under signals as a {kind}, or fix the name")
    read = {s.metric for s in model.standards.values()}
    read |= {r.when.signal for r in model.rules.values()}
    for signal in model.signals.values():
        if signal.name not in read:
            yield Issue("SR108", "signal", signal.name, "",
                        f"{signal.kind} {signal.name!r} is declared but no standard or rule "
                        "reads it",
                        "read it in a standard or diagnostic rule, or remove it")


def _standard(model: Model, standard: Standard, max_step: float,
              supports: nx.DiGraph[str]) -> Iterator[Issue]:
    """SR105 and S3's five requirements: explicit, measurable, feasible, timely, aligned."""
    sid = standard.id
    signal = model.signals.get(standard.metric)
    if standard.promise not in model.promises:
        yield Issue("SR105", "standard", sid, "promise",
                    f"standard {sid!r} measures {standard.promise!r}, which is no promise of the "
                    f"model{did_you_mean(standard.promise, model.promises)}",
                    "name the customer promise the standard tells is kept")
    if not isinstance(standard.text, Text):
        yield Issue("SR201", "standard", sid, "text", f"standard {sid!r} has no text",
                    "say what is measured in plain words, in English and Chinese (S3 明确性)")
    if signal is None or signal.kind is not SignalKind.METRIC:
        what = "is not declared" if signal is None else f"is declared as an {signal.kind}"
        yield Issue("SR201", "standard", sid, "metric",
                    f"standard {sid!r} reads the metric {standard.metric!r}, which {what}",
                    "declare the metric under signals, with its meaning and range")
    measurable = list(_measurable(standard, signal))
    yield from measurable
    if not measurable:
        yield from _feasible(standard, signal, max_step)
    if not isinstance(standard.window, Window):
        yield Issue("SR205", "standard", sid, "window",
                    f"standard {sid!r} has no time window",
                    "judge it over a month, week or day: S3 及时性 asks for explicit time limits")
    if standard.promise in model.promises:
        yield from _aligned(standard, supports)


def _bounds(signal: Signal | None) -> tuple[float, float] | None:
    return signal.range if signal is not None else None


def _measurable(standard: Standard, signal: Signal | None) -> Iterator[Issue]:
    """SR202: a number, a comparator, and a target the metric's range can meet and miss."""
    sid, target, op = standard.id, standard.target, standard.comparator
    if not isinstance(op, Comparator):
        yield Issue("SR202", "standard", sid, "comparator",
                    f"standard {sid!r} has no comparator",
                    "use one of >=, <=, >, <, ==")
    if not _is_number(target):
        yield Issue("SR202", "standard", sid, "target",
                    f"standard {sid!r} has no numeric target",
                    "write the number the metric must reach, e.g. 0.96 (S3 可衡量性)")
    bounds = _bounds(signal)
    if bounds is None or not isinstance(op, Comparator) or not _is_number(target):
        return
    low, high = bounds
    never = {Comparator.GE: target > high, Comparator.GT: target >= high,
             Comparator.LE: target < low, Comparator.LT: target <= low,
             Comparator.EQ: not low <= target <= high}[op]
    always = {Comparator.GE: target <= low, Comparator.GT: target < low,
              Comparator.LE: target >= high, Comparator.LT: target > high,
              Comparator.EQ: False}[op]
    rng = f"[{_num(low)}, {_num(high)}]"
    if never or always:
        outcome = "can never be met" if never else "can never be missed"
        yield Issue("SR202", "standard", sid, "target",
                    f"target {op} {_num(target)} {outcome}: {standard.metric!r} ranges over {rng}",
                    "write the target on the metric's scale (a rate of 96% is 0.96)")
    baseline = standard.baseline
    if baseline is not None and not low <= baseline <= high:
        yield Issue("SR202", "standard", sid, "baseline",
                    f"baseline {_num(baseline)} is outside {standard.metric!r}'s range {rng}",
                    "write the baseline on the metric's scale")


def _feasible(standard: Standard, signal: Signal | None, max_step: float) -> Iterator[Issue]:
    """SR203 perfection and SR204 a jump from the baseline (S3 可行性)."""
    yield from _perfection(standard, signal)
    yield from _jump(standard, signal, max_step)


_ASPIRATION_FIX = ("kept as an aspiration, it is reported and never breached; measure a feasible "
                   "standard beside it")
_STEP_FIX = ("set a target the process can reach from today's level (S3: 75–80% when 70% is "
             "today's) and raise it when met, or mark it 'status: aspiration'")


def _perfection(standard: Standard, signal: Signal | None) -> Iterator[Issue]:
    """SR203: a target no process reaches by chance: every case, or not a single miss.

    An error when a baseline shows the process short of it (S3: 70% now, so 100% "是目标,
    不可能"); a warning when no baseline judges it — perfection can be a policy the company
    holds in its own hands (S3's Carrefour opens every counter at the Spring Festival) — and
    on aspirations, which are aims by definition.
    """
    target, op, baseline = standard.target, standard.comparator, standard.baseline
    low, high = _bounds(signal) or (0.0, 1.0)
    top = op in (Comparator.GE, Comparator.EQ) and math.isclose(target, high, abs_tol=_EPSILON)
    bottom = op in (Comparator.LE, Comparator.EQ) and math.isclose(target, low, abs_tol=_EPSILON)
    if not (top or bottom):
        return
    what = f"target {op} {_num(target)} demands perfection ({'every case' if top else 'not one case'})"
    if standard.status is StandardStatus.ASPIRATION:
        yield Issue("SR203", "standard", standard.id, "target",
                    f"{what}: an aim, not a standard (S3 可行性)", _ASPIRATION_FIX, Severity.WARNING)
    elif baseline is None:
        yield Issue("SR203", "standard", standard.id, "target",
                    f"{what}, and no baseline shows the process reaches it",
                    "keep it only if every case is in the company's own hands (like opening every "
                    "counter on peak days); else give today's level as baseline and a reachable "
                    "target, or mark it 'status: aspiration'", Severity.WARNING)
    elif not op.holds(baseline, target):
        yield Issue("SR203", "standard", standard.id, "target",
                    f"{what} while the baseline is {_num(baseline)}: S3 calls such a number an "
                    "aim, not a standard", _STEP_FIX, Severity.ERROR)


def _jump(standard: Standard, signal: Signal | None, max_step: float) -> Iterator[Issue]:
    """SR204: a target further from the baseline than one feasible step."""
    target, op, baseline = standard.target, standard.comparator, standard.baseline
    if baseline is None:
        return
    gap = {Comparator.GE: target - baseline, Comparator.GT: target - baseline,
           Comparator.LE: baseline - target, Comparator.LT: baseline - target,
           Comparator.EQ: abs(target - baseline)}[op]
    bounds = _bounds(signal)
    if bounds is not None and bounds[1] > bounds[0]:
        step, scale = gap / (bounds[1] - bounds[0]), "of the metric's range"
    elif baseline:
        step, scale = gap / abs(baseline), "of the baseline"
    else:
        step, scale = gap, "on the metric's scale"
    if step <= max_step + _EPSILON:
        return
    aspiration = standard.status is StandardStatus.ASPIRATION
    yield Issue("SR204", "standard", standard.id, "target",
                f"target {op} {_num(target)} is {_pct(step)} {scale} away from the baseline "
                f"{_num(baseline)}; S3 calls a step of {_pct(max_step)} feasible",
                _ASPIRATION_FIX if aspiration else _STEP_FIX,
                Severity.WARNING if aspiration else Severity.ERROR)


def _aligned(standard: Standard, supports: nx.DiGraph[str]) -> Iterator[Issue]:
    """SR206: a standard should be delivered by work that feeds the promise it measures."""
    for duty_id in standard.served_by:
        if duty_id in supports and standard.promise in nx.descendants(supports, duty_id):
            return
    served = ", ".join(standard.served_by) or "none"
    yield Issue("SR206", "standard", standard.id, "served_by",
                f"no duty serving {standard.id!r} ({served}) supports the promise "
                f"{standard.promise!r} it measures",
                f"serve it with a duty that feeds {standard.promise!r}, or measure the promise "
                "its duties feed (S3 吻合性)")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _num(value: float) -> str:
    """Format a number without float noise: 0.96, 1, 0.7."""
    return f"{value:.6g}"


def _pct(value: float) -> str:
    return f"{value * 100:.3g}%"
