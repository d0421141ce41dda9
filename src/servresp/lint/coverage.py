"""Evidence coverage: which duties some fact can implicate, and which units can take a share.

A duty is *observable* when a standard that can be breached serves it or a diagnostic rule
implicates it. A unit *can take a share* when it holds a role the evidence reaches
(``blamed_roles``, or a rule's ``blames``) with a positive weight on an observable duty, or
when it is a management tier with a duty above an observable duty (S0). A rule that blames
the unit its events name counts by its roles: which unit an event names is not known.
``check`` warns about the rest (SR111, SR112) and prints the coverage.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import attrs
import networkx as nx

from servresp.lint.codes import Issue
from servresp.model.classes import Role, StandardStatus

if TYPE_CHECKING:
    from collections.abc import Iterator

    from servresp.model.classes import Model

__all__ = ["Coverage", "UnitCoverage", "evidence_coverage", "iter_coverage_issues"]


@attrs.frozen
class UnitCoverage:
    """One unit's duties and how many of them some fact can implicate."""

    unit: str
    duties: int
    """Duties the unit owns."""
    observable: int
    """Of those, the ones some standard or rule implicates."""
    can_take_share: bool
    """Whether some fact can give the unit a share of a trace."""


@attrs.frozen
class Coverage:
    """The model's evidence coverage (``check`` prints it; the charts index shows it)."""

    duties: int
    observable: int
    units: tuple[UnitCoverage, ...]
    """By unit id."""
    unobservable: tuple[str, ...]
    """Duties no fact can implicate, by id."""

    @property
    def ratio(self) -> float:
        """Observable duties over duties (1.0 for a model without duties)."""
        return self.observable / self.duties if self.duties else 1.0

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form (``check --format json``)."""
        return {
            "duties": self.duties, "observable": self.observable, "ratio": round(self.ratio, 4),
            "unobservable": list(self.unobservable),
            "units": [attrs.asdict(u) for u in self.units],
        }


def observable_duties(model: Model) -> dict[str, list[tuple[tuple[Role, ...], bool]]]:
    """Return duty → how each piece of evidence on it blames: (roles, blames the event's unit)."""
    found: defaultdict[str, list[tuple[tuple[Role, ...], bool]]] = defaultdict(list)
    default = model.tracing.blamed_roles
    for standard in model.standards.values():
        if standard.status is StandardStatus.STANDARD:
            for duty in standard.served_by:
                if duty in model.duties:
                    found[duty].append((default, False))
    for rule in model.rules.values():
        for duty in rule.implicates:
            if duty in model.duties:
                found[duty].append((rule.blames or default, rule.blame_event_unit))
    return dict(found)


def evidence_coverage(model: Model) -> Coverage:
    """Count the observable duties, per unit, and find the units that can take a share."""
    observable = observable_duties(model)
    sharing = _units_that_can_share(model, observable)
    owned: defaultdict[str, list[str]] = defaultdict(list)
    for duty in model.duties.values():
        owned[duty.owner].append(duty.id)
    units = tuple(
        UnitCoverage(unit, len(owned[unit]), sum(d in observable for d in owned[unit]), unit in sharing)
        for unit in sorted(model.units))
    return Coverage(len(model.duties), sum(d in observable for d in model.duties), units,
                    tuple(sorted(d for d in model.duties if d not in observable)))


def _units_that_can_share(model: Model, observable: dict[str, list[tuple[tuple[Role, ...], bool]]]
                          ) -> set[str]:
    weight = model.tracing.weight_of
    sharing: set[str] = set()
    for duty_id, blames in observable.items():
        raci = model.duties[duty_id].raci
        for roles, _event_unit in blames:  # which unit an event names is not known beforehand
            held = [u for u in raci.units() if any(weight(r) > 0 for r in raci.roles_of(u) if r in roles)]
            sharing.update(held or [raci.accountable])
    sources = sorted(d for d in observable if d in model.supports)  # one breadth-first pass
    above = set().union(*nx.bfs_layers(model.supports.reverse(copy=False), sources)) if sources else set()
    for duty_id in above:
        tier = model.management_tier_of(duty_id)
        if tier is not None:
            sharing.add(tier)
    return sharing


def iter_coverage_issues(coverage: Coverage) -> Iterator[Issue]:
    """SR111: a duty no fact can implicate; SR112: a unit that can never take a share."""
    for duty_id in coverage.unobservable:
        yield Issue("SR111", "duty", duty_id, "", "no standard serves it and no rule implicates it: "
                    "no fact can ever put evidence on it",
                    "add a diagnostic rule on a signal that shows this duty failing, or list it "
                    "in a standard's served_by")
    for unit in coverage.units:
        if not unit.can_take_share:
            yield Issue("SR112", "unit", unit.unit, "", "no fact can give this unit a share of a trace",
                        "make one of its duties observable, or give it a role the evidence reaches "
                        "(tracing.blamed_roles, a rule's blames)")
