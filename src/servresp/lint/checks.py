"""The structure checks behind `servresp check`: RACI, references, reach, cycles, coverage.

Each check yields `Issue`s relative to one model object; the standards checks (S3's five
requirements) live in ``_lint_standards``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import networkx as nx

from servresp.errors import did_you_mean
from servresp.i18n import gettext as _
from servresp.lint.codes import Issue
from servresp.lint.standards import iter_standard_issues
from servresp.model.classes import MetricCondition, SignalKind, StandardStatus, UnitKind
from servresp.model.faulttree import fault_tree_issues

if TYPE_CHECKING:
    from collections.abc import Iterator

    from servresp.model.classes import Duty, Model

__all__ = ["iter_issues", "reached_duties"]


def iter_issues(model: Model, *, max_step: float,
                reached: dict[str, set[str]] | None = None) -> Iterator[Issue]:
    """Yield every issue of ``model``, check by check (``reached``: `reached_duties`, if known)."""
    yield from _references(model)
    yield from _units(model)
    yield from _duties(model)
    yield from _reach(model, reached_duties(model) if reached is None else reached)
    yield from _cycles(model)
    yield from _promises(model)
    yield from _gates(model)
    yield from _signals(model)
    yield from iter_standard_issues(model, max_step=max_step)


def reached_duties(model: Model) -> dict[str, set[str]]:
    """Return promise → the duties with a dependency path to it (graph-first, no own walks)."""
    view = model.dependencies
    duties = set(model.duties)
    return {p: set(nx.ancestors(view, p)) & duties if p in view else set() for p in model.promises}


def _references(model: Model) -> Iterator[Issue]:
    """SR100: dangling ids; the loader rejects them, so only models built in code get these."""
    for kind, subject, field, what, value, known in _iter_references(model):
        if value not in known:
            yield Issue("SR100", kind, subject, field,
                        _("unknown {what} {value}{did_you_mean}").format(
                            what=_(what), value=repr(value), did_you_mean=did_you_mean(value, known)),
                        _("name a {what} declared in the model").format(what=_(what)))


_Reference = tuple[str, str, str, str, str, Mapping[str, object]]
"""(kind, subject, field, what it must be, the id named, the ids it may name)."""


def _iter_references(model: Model) -> Iterator[_Reference]:
    units, duties = model.units, model.duties
    for unit in units.values():
        for i, member in enumerate(unit.members):
            yield "unit", unit.id, f"members[{i}]", "unit", member, units
    targets = {**model.duties, **model.promises}
    tiers = {u: v for u, v in units.items() if v.kind is UnitKind.TIER}
    for duty in duties.values():
        yield from _duty_references(model, duty, targets, tiers)
    for standard in model.standards.values():
        for i, duty_id in enumerate(standard.served_by):
            yield "standard", standard.id, f"served_by[{i}]", "duty", duty_id, duties
    for rule in model.rules.values():
        for i, duty_id in enumerate(rule.implicates):
            yield "rule", rule.id, f"implicates[{i}]", "duty", duty_id, duties


def _duty_references(model: Model, duty: Duty, targets: Mapping[str, object],
                     tiers: Mapping[str, object]) -> Iterator[_Reference]:
    """Yield the references of one duty; ``targets`` and ``tiers`` are the ids it may name."""
    units = model.units
    yield "duty", duty.id, "owner", "unit", duty.owner, units
    yield "duty", duty.id, "raci.accountable", "unit", duty.raci.accountable, units
    for role in ("responsible", "consulted", "informed"):
        for i, unit_id in enumerate(getattr(duty.raci, role)):
            yield "duty", duty.id, f"raci.{role}[{i}]", "unit", unit_id, units
    for i, target in enumerate(duty.supports):
        yield "duty", duty.id, f"supports[{i}]", "duty or promise", target, targets
    if duty.tier is not None:
        yield "duty", duty.id, "tier", "tier", duty.tier, tiers


def _units(model: Model) -> Iterator[Issue]:
    """SR102 a unit owns no duty; SR109 a team without members."""
    owners = {duty.owner for duty in model.duties.values()}
    for unit in model.units.values():
        if unit.id not in owners:
            yield Issue("SR102", "unit", unit.id, "",
                        _("unit {unit} owns no duty").format(unit=repr(unit.id)),
                        _("give it the duties the sources assign to it, or remove the unit"))
        if unit.kind is UnitKind.TEAM and not unit.members:
            yield Issue("SR109", "unit", unit.id, "members",
                        _("team {unit} has no members").format(unit=repr(unit.id)),
                        _("list the departments whose staff form the team (S3 自我领导小组)"))


def _duties(model: Model) -> Iterator[Issue]:
    """SR101 no responsible unit; SR110 the accountable unit listed again as consulted/informed."""
    for duty in model.duties.values():
        raci = duty.raci
        if not raci.responsible:
            yield Issue("SR101", "duty", duty.id, "raci.responsible",
                        _("duty {duty} has no responsible unit").format(duty=repr(duty.id)),
                        _("name the units that do the work; {unit} itself when no other unit does").format(
                            unit=repr(raci.accountable)))
        for role in ("consulted", "informed"):
            for i, unit_id in enumerate(getattr(raci, role)):
                if unit_id == raci.accountable:
                    yield Issue("SR110", "duty", duty.id, f"raci.{role}[{i}]",
                                _("{unit} is accountable for {duty} and also listed as {role}").format(
                                    unit=repr(unit_id), duty=repr(duty.id), role=_(role)),
                                _("remove {unit} from {role}: the accountable unit already knows and "
                                  "decides").format(unit=repr(unit_id), role=_(role)))


def _reach(model: Model, by_promise: dict[str, set[str]]) -> Iterator[Issue]:
    """SR103: a duty with no dependency path to any promise does nothing for a customer."""
    reached = set().union(*by_promise.values()) if model.promises else set()
    for duty in model.duties.values():
        if duty.id not in reached:
            yield Issue("SR103", "duty", duty.id, "supports",
                        _("duty {duty} reaches no promise").format(duty=repr(duty.id)),
                        _("add to supports the duty or promise it feeds (its internal customer)"))


def _cycles(model: Model) -> Iterator[Issue]:
    """SR104: one issue per knot of duties that support each other, with a shortest cycle."""
    view = model.supports
    if nx.is_directed_acyclic_graph(view):  # the usual case, and a single topological sort
        return
    knots = sorted(sorted(c) for c in nx.strongly_connected_components(view)
                   if len(c) > 1 or view.has_edge(next(iter(c)), next(iter(c))))
    for knot in knots:
        start = knot[0]
        sub = view.subgraph(knot)
        cycles = [[start, *nx.shortest_path(sub, succ, start)]
                  for succ in sorted(sub.successors(start))]
        cycle = min(cycles, key=lambda c: (len(c), c))
        duty = model.duties[start]
        more = (_("; {count} duties are caught in cycles: {duties}").format(count=len(knot),
                                                                            duties=", ".join(knot))
                if len(knot) > len(cycle) - 1 else "")
        yield Issue("SR104", "duty", start, f"supports[{duty.supports.index(cycle[1])}]",
                    _("supports form a cycle: {cycle}{more}").format(cycle=" → ".join(cycle), more=more),
                    _("supports point from a supplier to its internal customer; remove the edge "
                      "that points back upstream"))


def _promises(model: Model) -> Iterator[Issue]:
    """SR106: a promise no standard can find breached cannot be traced."""
    for promise in model.promises.values():
        standards = model.standards_of(promise.id)
        if not standards:
            yield Issue("SR106", "promise", promise.id, "",
                        _("promise {promise} has no standard").format(promise=repr(promise.id)),
                        _("add a standard that measures it, with a metric, target and window"))
        elif all(s.status is StandardStatus.ASPIRATION for s in standards):
            yield Issue("SR106", "promise", promise.id, "",
                        _("promise {promise} is measured only by aspirations ({standards}), which are "
                          "never breached").format(promise=repr(promise.id),
                                                   standards=", ".join(s.id for s in standards)),
                        _("add a standard with a feasible target beside the aspiration"))


def _gates(model: Model) -> Iterator[Issue]:
    """SR130 a gate that cannot be met; SR131 a barrier upstream of what it catches."""
    if not nx.is_directed_acyclic_graph(model.supports):
        return  # SR104 already reports the cycle; the fault trees cannot be built
    for subject, field, message in fault_tree_issues(model):
        kind = "promise" if subject in model.promises else "duty"
        if field == "gate":
            yield Issue("SR130", kind, subject, field, message,
                        _("lower at_least, or let more duties support it, or write gate: any"))
        else:
            yield Issue("SR131", kind, subject, field, message,
                        _("a barrier must not depend on the duty it catches: remove the catch "
                          "or the supports edge that leads back to it"))


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
                        _("rule {rule} reads the {kind} {name}, which no standard or signal "
                          "declares{did_you_mean}").format(rule=repr(rule.id), kind=_(kind), name=repr(name),
                                                           did_you_mean=did_you_mean(name, known[kind])),
                        (_("declare {name} under signals as an event, or fix the name") if kind == "event"
                         else _("declare {name} under signals as a metric, or fix the name")).format(
                             name=repr(name)))
    read = {s.metric for s in model.standards.values()}
    read |= {r.when.signal for r in model.rules.values()}
    for signal in model.signals.values():
        if signal.name not in read:
            yield Issue("SR108", "signal", signal.name, "",
                        _("{kind} {name} is declared but no standard or rule reads it").format(
                            kind=_(signal.kind), name=repr(signal.name)),
                        _("read it in a standard or diagnostic rule, or remove it"))
