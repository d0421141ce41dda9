"""Change impact: what a change to one id could break, and whom to consult or inform first.

S3 (并肩作战 4): before a policy or procedure changes, ask every department it touches
whether customers will feel it. `impact` answers that for one duty, standard, rule, signal,
unit or promise of a model, from the graph alone:

- *affected* duties: the ones the change touches directly (a standard's ``served_by``, a
  rule's ``implicates``, a unit's duties and roles, …);
- *downstream*: the duties, standards and promises that depend on it (what could break);
- *upstream*: the duties it depends on;
- *consult*: the accountable, responsible and consulted units of the affected duties, the
  owners of downstream duties, and every other department holding a role on them (S3);
- *inform*: the informed units of the affected duties and the management tiers above them
  (S0), unless already consulted.

Every unit comes with its reasons, so a reader can check each one against the model.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import networkx as nx

from servresp.errors import UnknownIdError
from servresp.model.classes import Model, Role, Text, UnitKind
from servresp.model.graph import management_duties_above

__all__ = ["SCHEMA", "Impact", "Involvement", "Reason", "Why", "impact", "merge_involvement",
           "subject_kind"]

SCHEMA = "servresp.impact/1"
"""The ``schema`` value of ``impact --format json``."""


class Why(enum.StrEnum):
    """Why a unit is on a list, strongest first: the order people are listed in."""

    ACCOUNTABLE = "accountable"
    """Accountable for an affected duty."""
    RESPONSIBLE = "responsible"
    """Responsible for an affected duty."""
    CONSULTED = "consulted"
    """Consulted on an affected duty."""
    DOWNSTREAM_OWNER = "downstream_owner"
    """Owns a duty downstream: its work could break."""
    DEPARTMENT = "department"
    """S3: a department holding a role on an affected or downstream duty."""
    INFORMED = "informed"
    """Informed on an affected duty."""
    MANAGEMENT = "management"
    """S0: a management tier whose duty sits above an affected duty."""


CONSULT = (Why.ACCOUNTABLE, Why.RESPONSIBLE, Why.CONSULTED, Why.DOWNSTREAM_OWNER, Why.DEPARTMENT)
"""The reasons that put a unit on the consult list; the others inform."""
_RANK = {why: i for i, why in enumerate(Why)}


@attrs.frozen(order=True)
class Reason:
    """One reason a unit is involved: what it holds, on which duty, for which changed id."""

    why: Why = attrs.field(order=lambda w: _RANK[w])
    """The kind of reason."""
    duty: str
    """The duty through which the unit is involved."""
    subject: str
    """The changed id this reason comes from."""


@attrs.frozen
class Involvement:
    """A unit to consult or inform, with every reason."""

    unit: str
    """The unit's id."""
    name: Text | None
    """Its name in both languages (None when the model no longer declares it)."""
    reasons: tuple[Reason, ...]
    """Sorted strongest first."""

    def sort_key(self) -> tuple[int, str]:
        """Strongest reason first, then by unit id."""
        return (_RANK[self.reasons[0].why] if self.reasons else len(_RANK), self.unit)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"unit": self.unit,
                "name": attrs.asdict(self.name) if self.name is not None else None,
                "reasons": [{"why": str(r.why), "duty": r.duty, "subject": r.subject}
                            for r in self.reasons]}


@attrs.frozen
class Impact:
    """What a change to one id touches, and who must hear of it."""

    subject: str
    """The id asked about."""
    kind: str
    """``duty``, ``standard``, ``rule``, ``signal``, ``unit`` or ``promise``."""
    text: Text
    """The subject's text (a unit's name, a signal's meaning, a rule's reason)."""
    affected: tuple[str, ...]
    """Duties the change touches directly, sorted."""
    downstream_duties: tuple[str, ...]
    """Duties that depend on the affected ones, sorted."""
    downstream_standards: tuple[str, ...]
    """Standards downstream, sorted."""
    downstream_promises: tuple[str, ...]
    """Promises downstream, sorted."""
    upstream: tuple[str, ...]
    """Duties the subject depends on, sorted."""
    consult: tuple[Involvement, ...]
    """Units to consult before the change, strongest reason first."""
    inform: tuple[Involvement, ...]
    """Units to inform, not already consulted."""

    def to_dict(self) -> dict[str, Any]:
        """Return the ``servresp.impact/1`` document."""
        return {
            "schema": SCHEMA,
            "subject": {"id": self.subject, "kind": self.kind, "text": attrs.asdict(self.text)},
            "affected": list(self.affected),
            "downstream": {"duties": list(self.downstream_duties),
                           "standards": list(self.downstream_standards),
                           "promises": list(self.downstream_promises)},
            "upstream": list(self.upstream),
            "consult": [i.to_dict() for i in self.consult],
            "inform": [i.to_dict() for i in self.inform],
        }


def subject_kind(model: Model, id_: str) -> str:
    """Return what ``id_`` names in ``model``; raise `UnknownIdError` with a suggestion if nothing."""
    tables: Mapping[str, Mapping[str, object]] = {
        "duty": model.duties, "standard": model.standards, "rule": model.rules,
        "unit": model.units, "promise": model.promises, "signal": model.signals,
    }
    for kind, table in tables.items():
        if id_ in table:
            return kind
    raise UnknownIdError("duty, standard, rule, signal, unit or promise", id_,
                         [i for table in tables.values() for i in table])


def _subject_text(model: Model, kind: str, id_: str) -> Text:
    if kind == "unit":
        return model.units[id_].name
    if kind == "signal":
        return model.signals[id_].meaning
    if kind == "rule":
        return model.rules[id_].reason
    table: Mapping[str, Any] = {"duty": model.duties, "standard": model.standards,
                                "promise": model.promises}[kind]
    text: Text = table[id_].text
    return text


def _affected(model: Model, kind: str, id_: str) -> set[str]:
    """Return the duties a change to ``id_`` touches directly."""
    if kind == "duty":
        return {id_}
    if kind == "standard":
        return set(model.standards[id_].served_by)
    if kind == "rule":
        return set(model.rules[id_].implicates)
    if kind == "signal":
        return ({d for r in model.rules.values() if r.when.signal == id_ for d in r.implicates}
                | {d for s in model.standards.values() if s.metric == id_ for d in s.served_by})
    if kind == "unit":  # the duties it owns or holds a role on; being informed changes no work
        return {d.id for d in model.duties.values()
                if id_ == d.owner or set(d.raci.roles_of(id_)) - {Role.INFORMED}}
    return ({d.id for d in model.duties.values() if id_ in d.supports}
            | {d for s in model.standards_of(id_) for d in s.served_by})


def _seeds(model: Model, kind: str, id_: str, affected: set[str]) -> set[str]:
    """Return the nodes whose descendants are downstream (the subject, when in the flow)."""
    if kind in ("standard", "promise"):
        return {id_}
    if kind == "signal":
        return affected | {s.id for s in model.standards.values() if s.metric == id_}
    return affected


def _downstream(model: Model, seeds: Iterable[str]) -> set[str]:
    view = model.dependencies
    found: set[str] = set()
    for node in seeds:
        if node in view:
            found |= nx.descendants(view, node)
    return found


def _upstream(model: Model, kind: str, id_: str, affected: set[str]) -> set[str]:
    """Return the duties the subject depends on: suppliers, and a standard's servers.

    A rule or a signal depends on facts, not on duties: its upstream is empty.
    """
    if kind == "promise":
        return {n for n in _ancestors(model.dependencies, id_) if n in model.duties}
    if kind == "standard":
        servers = set(model.standards[id_].served_by)
        return servers.union(*(_ancestors(model.supports, d) for d in servers))
    if kind in ("duty", "unit"):
        return set().union(*(_ancestors(model.supports, d) for d in affected)) - affected
    return set()


def _ancestors(view: nx.DiGraph[str], node: str) -> set[str]:
    return set(nx.ancestors(view, node)) if node in view else set()


def _involvement(model: Model, subject: str, affected: Iterable[str],
                 downstream: Iterable[str]) -> list[tuple[str, Reason]]:
    """Return (unit, reason) pairs for a change to ``subject`` touching these duties."""
    affected, downstream = sorted(set(affected)), sorted(set(downstream))
    pairs: list[tuple[str, Reason]] = []
    roles = ((Role.ACCOUNTABLE, Why.ACCOUNTABLE), (Role.RESPONSIBLE, Why.RESPONSIBLE),
             (Role.CONSULTED, Why.CONSULTED), (Role.INFORMED, Why.INFORMED))
    for duty_id in affected:
        duty = model.duties[duty_id]
        for unit in duty.raci.units():
            held = duty.raci.roles_of(unit)
            pairs += [(unit, Reason(why, duty_id, subject)) for role, why in roles if role in held]
        pairs += [(model.duties[m].owner, Reason(Why.MANAGEMENT, m, subject))
                  for m in sorted(management_duties_above(model.graph, duty_id))]
    for duty_id in downstream:
        pairs.append((model.duties[duty_id].owner, Reason(Why.DOWNSTREAM_OWNER, duty_id, subject)))
    departments = {u for u, unit in model.units.items() if unit.kind is UnitKind.DEPARTMENT}
    for duty_id in (*affected, *downstream):
        pairs += [(unit, Reason(Why.DEPARTMENT, duty_id, subject))
                  for unit in model.duties[duty_id].raci.units() if unit in departments]
    return pairs


def merge_involvement(pairs: Iterable[tuple[str, Reason]],
                      names: Mapping[str, Text]) -> tuple[tuple[Involvement, ...],
                                                           tuple[Involvement, ...]]:
    """Group (unit, reason) pairs into the consult and inform lists.

    A unit with any consult reason is consulted; its inform reasons are dropped (consulting
    informs). A department reason (S3) is kept only for a unit with no stronger consult reason,
    so each list says the most specific thing it knows.
    """
    by_unit: defaultdict[str, set[Reason]] = defaultdict(set)
    for unit, reason in pairs:
        by_unit[unit].add(reason)
    consult, inform = [], []
    for unit, reasons in by_unit.items():
        asked = {r for r in reasons if r.why in CONSULT}
        specific = {r for r in asked if r.why is not Why.DEPARTMENT}
        if asked:
            kept = specific or asked
            consult.append(Involvement(unit, names.get(unit), tuple(sorted(kept))))
        else:
            inform.append(Involvement(unit, names.get(unit), tuple(sorted(reasons))))
    return (tuple(sorted(consult, key=Involvement.sort_key)),
            tuple(sorted(inform, key=Involvement.sort_key)))


def impact(model: Model, id_: str) -> Impact:
    """Return what a change to ``id_`` touches in ``model``, and whom to consult or inform."""
    kind = subject_kind(model, id_)
    affected = _affected(model, kind, id_)
    below = _downstream(model, _seeds(model, kind, id_, affected))
    types = model.graph.nodes
    duties = {n for n in below if types[n].get("type") == "duty"} - affected
    consult, inform = merge_involvement(_involvement(model, id_, affected, duties),
                                        {u: unit.name for u, unit in model.units.items()})
    return Impact(
        subject=id_, kind=kind, text=_subject_text(model, kind, id_),
        affected=tuple(sorted(affected)), downstream_duties=tuple(sorted(duties)),
        downstream_standards=tuple(sorted(n for n in below if types[n].get("type") == "standard")),
        downstream_promises=tuple(sorted(n for n in below if types[n].get("type") == "promise")),
        upstream=tuple(sorted(_upstream(model, kind, id_, affected))),
        consult=consult, inform=inform,
    )
