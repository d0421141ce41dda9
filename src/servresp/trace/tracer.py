"""Evaluation + graph → `Trace`: a promise's status and its owners ranked by share.

The share algorithm (docs/tracing.md): breached standards and fired rules put evidence
mass on duties; a fraction of each implicated duty's mass goes to the management duties
above it (S0) and, where a supplier duty has evidence of its own, up to that supplier; the
rest splits over the duty's RACI by role weight. Shares are masses over the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, cast

import attrs
import networkx as nx

from servresp._value import Value
from servresp.errors import UnknownIdError
from servresp.model.classes import Model, Role
from servresp.trace import why as _why
from servresp.trace._index import TraceIndex, index_of
from servresp.trace.escape import escape_points
from servresp.trace.evidence import Evidence

if TYPE_CHECKING:  # the engine is only needed to make an Evaluation, not to read one
    from servresp.evaluate.engine import Breach, Evaluation, Firing

__all__ = ["Candidate", "Evidence", "Owner", "Trace", "status_of", "trace"]

SHARE_DECIMALS = 4


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Owner(Value):
    """A unit that shares responsibility for a failing promise."""

    unit: str
    share: float
    """Rounded to `SHARE_DECIMALS`; all owners' shares sum to 1."""
    mass: float
    """The evidence mass the unit took (share = mass / the trace's total)."""
    roles: tuple[str, ...]
    """``accountable``, ``responsible``, ``consulted``, ``upstream``, ``management``, ``escape``."""
    duties: tuple[str, ...]
    """The duties through which it takes mass."""
    evidence: tuple[Evidence, ...]
    """The evidence on those duties."""
    paths: tuple[tuple[str, ...], ...]
    """Graph paths from the promise to each duty."""
    why: tuple[str, ...]
    """Plain sentences quoting the values read."""


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Candidate(Value):
    """A unit upstream of an implicated duty with no evidence of its own: share 0."""

    unit: str
    duties: tuple[str, ...]
    """Its duties upstream of implicated duties."""
    would_implicate: tuple[str, ...]
    """Conditions over facts that would implicate those duties."""
    why: tuple[str, ...]


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Trace(Value):
    """One promise traced: status, breaches and the owners who share them."""

    promise: str
    status: str
    """``breached``, ``at_risk``, ``no_data`` (none of its standards has a reading) or ``ok``."""
    period: str | None
    breaches: tuple[Breach, ...]
    aspirations: tuple[Breach, ...]
    """Missed aspirations of this promise: reported, never a breach."""
    firings: tuple[Firing, ...]
    """Fired rules that concern this promise."""
    owners: tuple[Owner, ...]
    candidates: tuple[Candidate, ...]
    unmeasured: tuple[str, ...]
    """This promise's standards with no reading."""
    mass: float
    """Total evidence mass."""
    no_data: tuple[tuple[str, str], ...] = ()
    """This promise's standards with no reading → why (e.g. only an earlier period's)."""


@attrs.define(repr=False, eq=False)  # a work list: never compared or printed
class _Ledger:
    """Mass by unit, with the duties, roles, evidence and sentences that put it there."""

    mass: defaultdict[str, float] = attrs.Factory(lambda: defaultdict(float))
    roles: defaultdict[str, set[str]] = attrs.Factory(lambda: defaultdict(set))
    duties: defaultdict[str, dict[str, set[str]]] = attrs.Factory(lambda: defaultdict(dict))
    """unit → duty → the implicated duties below it that sent it mass (empty: the duty's own)."""
    own: defaultdict[str, set[str]] = attrs.Factory(lambda: defaultdict(set))
    """unit → the implicated duties it holds a role on."""
    why: defaultdict[str, list[str]] = attrs.Factory(lambda: defaultdict(list))


def trace(model: Model, evaluation: Evaluation, promise: str) -> Trace:
    """Trace ``promise`` through ``evaluation``; raise `UnknownIdError` for an unknown promise."""
    if promise not in model.promises:
        raise UnknownIdError("promise", promise, model.promises)
    index = index_of(model)
    reaching = index.reaching(promise)
    breaches = _breaches_of(model, evaluation, promise)
    aspirations = tuple(b for b in evaluation.aspirations
                        if model.standards[b.standard].promise == promise)
    firings = _firings_concerning(model, evaluation, reaching)
    evidence = _evidence(model, breaches, firings, reaching)
    duty_mass: defaultdict[str, float] = defaultdict(float)
    for item in evidence:
        duty_mass[item.duty] += item.mass
    ledger = _Ledger()
    escapes = escape_points(model, duty_mass) if breaches else []  # 8D: docs/tracing.md
    caught_mass = {e.cause: duty_mass[e.cause] for e in escapes}
    for point in escapes:
        duty_mass[point.cause] -= point.mass
    by_duty: defaultdict[str, list[Evidence]] = defaultdict(list)
    for item in evidence:
        by_duty[item.duty].append(item)
    # a mass of 0 has nothing to split (a breach of `> 0` read as 0 burns the least float)
    for duty_id in sorted(d for d, mass in duty_mass.items() if mass > 0):
        _distribute(model, index, duty_id, duty_mass, ledger, by_duty[duty_id])
    for point in escapes:
        _credit(ledger, point.unit, point.barrier, point.mass, "escape",
                why=point.why(caught_mass[point.cause]))
    total = sum(ledger.mass.values())
    status = _status(breaches, firings, _unmeasured_all(model, evaluation, promise))
    owners = _owners(model, index.from_promise(promise), ledger, evidence, total)
    return Trace(
        promise=promise, status=status, period=evaluation.period, breaches=breaches,
        aspirations=aspirations, firings=firings, owners=owners,
        candidates=_candidates(model, index, set(duty_mass), {o.unit for o in owners}),
        unmeasured=tuple(s.id for s in model.standards_of(promise) if s.id in evaluation.unmeasured),
        mass=total,
        no_data=tuple((s, why) for s, why in evaluation.no_data if model.standards[s].promise == promise),
    )


def status_of(model: Model, evaluation: Evaluation, promise: str, *,
              reaching: AbstractSet[str] | None = None) -> str:
    """Return `trace`'s status of ``promise`` without computing shares.

    ``reaching`` is ``duties_reaching(model.graph, promise)`` when the caller keeps it.
    """
    if reaching is None:
        reaching = index_of(model).reaching(promise)
    return _status(_breaches_of(model, evaluation, promise),
                   _firings_concerning(model, evaluation, reaching),
                   _unmeasured_all(model, evaluation, promise))


def _status(breaches: tuple[Breach, ...], firings: tuple[Firing, ...], no_data: bool) -> str:
    """Return the status: breached, at_risk (only rules fired), no_data (no standard read), ok."""
    if breaches:
        return "breached"
    if firings:
        return "at_risk"
    return "no_data" if no_data else "ok"


def _unmeasured_all(model: Model, evaluation: Evaluation, promise: str) -> bool:
    """Return whether the promise has standards and none has a reading in the period."""
    standards = model.standards_of(promise)
    unmeasured = set(evaluation.unmeasured)
    return bool(standards) and all(s.id in unmeasured for s in standards)


def _breaches_of(model: Model, evaluation: Evaluation, promise: str) -> tuple[Breach, ...]:
    return tuple(b for b in evaluation.breaches if model.standards[b.standard].promise == promise)


def _firings_concerning(model: Model, evaluation: Evaluation,
                        reaching: AbstractSet[str]) -> tuple[Firing, ...]:
    """Return the fired rules that implicate a duty reaching the promise."""
    return tuple(f for f in evaluation.firings
                 if any(d in reaching for d in model.rules[f.rule].implicates))


def _evidence(model: Model, breaches: Iterable[Breach], firings: Iterable[Firing],
              reaching: AbstractSet[str]) -> list[Evidence]:
    """Mass on duties: a breach's burn over its served_by, a rule's weight over its implicates."""
    out: list[Evidence] = []
    for breach in breaches:
        served = model.standards[breach.standard].served_by
        out.extend(Evidence("breach", breach.standard, d, breach.burn / len(served), (breach.fact,))
                   for d in served)
    for firing in firings:
        rule = model.rules[firing.rule]
        out.extend(Evidence("rule", rule.id, d, rule.weight / len(rule.implicates), firing.facts)
                   for d in rule.implicates if d in reaching)
    return out


def _distribute(model: Model, index: TraceIndex, duty_id: str, duty_mass: dict[str, float],
                ledger: _Ledger, items: list[Evidence]) -> None:
    """Split one implicated duty's mass: management above, suppliers with evidence, its RACI.

    The upstream part is split over the implicated suppliers in proportion to their own
    evidence, so newly implicating a supplier never takes mass from another by count alone.
    """
    params = model.tracing
    mass = duty_mass[duty_id]
    above = index.above(duty_id)
    management = above.management
    upstream = [a for a in above.ancestors if duty_mass.get(a, 0.0) > 0 and a not in management]
    to_management = params.management_fraction * mass if management else 0.0
    to_upstream = params.upstream_fraction * mass if upstream else 0.0
    own = mass - to_management - to_upstream
    blamed = _blamed(model, items)
    evidenced = sum(blamed.values())  # the duty's evidence, before an escape point took its part
    for (roles, units), part in sorted(blamed.items()):
        share = own * part / evidenced
        if units:  # blame_event_unit: the units the events name take the duty's own part
            for unit in units:
                ledger.own[unit].add(duty_id)
                _credit(ledger, unit, duty_id, share / len(units), "responsible",
                        why=_why.event_unit(unit, duty_id, share / len(units), share))
        else:
            _split_raci(model, duty_id, share, ledger, via=None, roles=roles)
    for other in management:  # to the tier that owns the structure (S0), whoever runs it
        part = to_management / len(management)
        tier = index.tier_of[other] or model.duties[other].owner
        _credit(ledger, tier, other, part, "management",
                why=_why.transfer(tier, other, duty_id, "management", part, params), below=duty_id)
    supplier_mass = sum(duty_mass[a] for a in upstream)
    for other in upstream:
        _split_raci(model, other, to_upstream * duty_mass[other] / supplier_mass, ledger,
                    via=(duty_id, "upstream"), roles=(Role.ACCOUNTABLE, Role.RESPONSIBLE))


_Blame = tuple[tuple[Role, ...], tuple[str, ...]]
"""The roles that take a piece of evidence's mass, or the units its events name."""


def _blamed(model: Model, items: list[Evidence]) -> dict[_Blame, float]:
    """Group a duty's evidence by whom it blames: RACI roles, or the units events name.

    A rule's ``blames`` (default: the model's ``blamed_roles``) says which roles take its
    mass; with ``blame_event_unit`` the declared units named by its events take it instead.
    Roles that no unit of the duty holds with a weight fall back to the accountable unit.
    """
    groups: defaultdict[_Blame, float] = defaultdict(float)
    default = model.tracing.blamed_roles
    for item in items:
        roles, units = default, cast("tuple[str, ...]", ())
        if item.kind == "rule":
            rule = model.rules[item.id]
            roles = rule.blames or default
            if rule.blame_event_unit:
                units = tuple(sorted({f.unit for f in item.facts
                                      if f.unit is not None and f.unit in model.units}))
        if not units and not _weighted(model, item.duty, roles):
            roles = (Role.ACCOUNTABLE,)
        groups[roles, units] += item.mass
    return dict(groups)


def _weighted(model: Model, duty_id: str, roles: tuple[Role, ...]) -> bool:
    raci = model.duties[duty_id].raci
    return any(model.tracing.weight_of(r) > 0 for u in raci.units() for r in raci.roles_of(u)
               if r in roles)


def _split_raci(model: Model, duty_id: str, mass: float, ledger: _Ledger,
                via: tuple[str, str] | None, roles: tuple[Role, ...]) -> None:
    duty = model.duties[duty_id]
    weights = {}
    for unit in duty.raci.units():
        held = [r for r in duty.raci.roles_of(unit) if r in roles]
        weight = sum(model.tracing.weight_of(r) for r in held)
        if weight > 0:
            weights[unit] = (weight, held)
    total = sum(w for w, _ in weights.values())
    for unit, (weight, held) in sorted(weights.items()):
        part = mass * weight / total
        if via is None:
            ledger.own[unit].add(duty_id)
            _credit(ledger, unit, duty_id, part, *[str(r) for r in held],
                    why=_why.role(unit, duty_id, held, part, mass, weight, total))
        else:
            below, kind = via
            _credit(ledger, unit, duty_id, part, kind,
                    why=_why.transfer(unit, duty_id, below, kind, part, model.tracing), below=below)


def _credit(ledger: _Ledger, unit: str, duty_id: str, part: float, *roles: str, why: str,
            below: str | None = None) -> None:
    """Book ``part`` of a mass to ``unit`` through ``duty_id``, with its roles and sentence."""
    ledger.mass[unit] += part
    ledger.roles[unit].update(roles)
    links = ledger.duties[unit].setdefault(duty_id, set())
    if below is not None:
        links.add(below)
    ledger.why[unit].append(why)


def _owners(model: Model, from_promise: dict[str, list[str]], ledger: _Ledger,
            evidence: list[Evidence], total: float) -> tuple[Owner, ...]:
    if total <= 0:
        return ()
    shares = _round_shares({u: m / total for u, m in ledger.mass.items()})
    memo: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
    owners = []
    for unit, mass in ledger.mass.items():
        duties = sorted(ledger.duties[unit])
        linked = set(duties).union(*ledger.duties[unit].values())
        mine = [e for e in evidence if e.duty in linked]
        paths = [_path(model, d, () if d in ledger.own[unit] else tuple(sorted(ledger.duties[unit][d])),
                       from_promise, memo) for d in duties]
        owners.append(Owner(
            unit=unit, share=shares[unit], mass=mass,
            roles=tuple(r for r in _ROLE_ORDER if r in ledger.roles[unit]),
            duties=tuple(duties),
            evidence=tuple(mine),
            paths=tuple(paths),
            why=(*_why.evidence_sentences(model, mine),
                 *ledger.why[unit], _why.share(unit, shares[unit], mass, total)),
        ))
    return tuple(sorted(owners, key=lambda o: (-o.share, o.unit)))  # the contract: ties by unit id


_ROLE_ORDER = ("accountable", "responsible", "consulted", "upstream", "management", "escape")


def _path(model: Model, duty_id: str, below: tuple[str, ...], from_promise: dict[str, list[str]],
          memo: dict[tuple[str, tuple[str, ...]], tuple[str, ...]]) -> tuple[str, ...]:
    """Promise → … → the duty; through the implicated duty it feeds, for transfers.

    ``from_promise`` holds the shortest path from the promise to every node (one search per
    trace); ``memo`` keeps the transfer paths found, as many owners share a duty.
    """
    if not below:
        return tuple(from_promise.get(duty_id, ()))
    key = (duty_id, below[:1])
    if key not in memo:
        tail = list(reversed(nx.shortest_path(model.supports, duty_id, below[0])))
        memo[key] = tuple(from_promise.get(below[0], ())) + tuple(tail[1:])
    return memo[key]


def _round_shares(raw: dict[str, float]) -> dict[str, float]:
    """Round to `SHARE_DECIMALS` so the rounded shares still sum to exactly 1 (largest remainder)."""
    scale = 10**SHARE_DECIMALS
    floors = {u: int(s * scale) for u, s in raw.items()}
    left = scale - sum(floors.values())
    by_remainder = sorted(raw, key=lambda u: (-(raw[u] * scale - floors[u]), u))
    for unit in by_remainder[:left]:
        floors[unit] += 1
    return {u: f / scale for u, f in floors.items()}


def _candidates(model: Model, index: TraceIndex, implicated: set[str],
                owners: set[str]) -> tuple[Candidate, ...]:
    upstream: defaultdict[str, set[str]] = defaultdict(set)
    reached = set().union(*(index.above(d).ancestors for d in implicated))
    for above in reached - implicated:
        owner = model.duties[above].owner
        if owner not in index.management_tiers and owner not in owners:
            upstream[owner].add(above)
    by_duty = index.conditions_by_duty() if upstream else {}
    out = []
    for unit, duties in sorted(upstream.items()):
        conditions = tuple(sorted({c for d in duties for c in by_duty.get(d, ())}))
        out.append(Candidate(unit, tuple(sorted(duties)), conditions,
                             (_why.candidate(unit, sorted(duties), conditions),)))
    return tuple(out)
