"""Importance of each basic event: occurrence, Birnbaum, criticality, diagnosis, RAW, RRW.

Computed exactly on the BDD from ``P(top | e occurs)`` and ``P(top | e does not)``, for every
event that appears in a minimal cut set (as SCRAM reports them). A measure that divides by
zero (RAW or CIF when the top event cannot occur, RRW when it cannot occur without ``e``)
is None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from servresp.analysis.bdd import compile_tree, probability_of
from servresp.analysis.cutsets import minimal_cut_sets
from servresp.analysis.probability import require_probabilities

if TYPE_CHECKING:
    from servresp.analysis.bdd import Compiled
    from servresp.analysis.cutsets import CutSets
    from servresp.model.faulttree import FaultTree

__all__ = [
    "Importance",
    "birnbaum",
    "criticality",
    "diagnosis",
    "importance",
    "occurrence",
    "risk_achievement_worth",
    "risk_reduction_worth",
]


@attrs.frozen
class Importance:
    """The importance measures of one basic event."""

    event: str
    """The basic event."""
    occurrence: int
    """How many minimal cut sets it is in."""
    mif: float | None
    """Birnbaum: ``P(top | e) - P(top | not e)``."""
    cif: float | None
    """Criticality: ``MIF · P(e) / P(top)``."""
    dif: float | None
    """Diagnosis: ``P(e | top) = P(e) · P(top | e) / P(top)``."""
    raw: float | None
    """Risk achievement worth: ``P(top | e) / P(top)``."""
    rrw: float | None
    """Risk reduction worth: ``P(top) / P(top | not e)``."""

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form (``servresp.cutsets/1``)."""
        return attrs.asdict(self)


def _ratio(num: float, den: float) -> float | None:
    return num / den if den > 0.0 else None


def importance(tree: FaultTree, *, compiled: Compiled | None = None,
               cut_sets: CutSets | None = None) -> tuple[Importance, ...]:
    """Return every measure for each event in a minimal cut set, by event name."""
    probabilities = require_probabilities(tree)
    compiled = compiled or compile_tree(tree)
    counts = occurrence(tree, minimal_cut_sets(tree, compiled=compiled) if cut_sets is None else cut_sets)
    top = probability_of(compiled, probabilities)
    found = []
    for event in sorted(counts):
        p = probabilities[event]
        on = probability_of(compiled, {**probabilities, event: 1.0})
        off = probability_of(compiled, {**probabilities, event: 0.0})
        mif = on - off
        found.append(Importance(event=event, occurrence=counts[event], mif=mif,
                                cif=_ratio(mif * p, top), dif=_ratio(p * on, top),
                                raw=_ratio(on, top), rrw=_ratio(top, off)))
    return tuple(found)


def _measure(tree: FaultTree, field: str) -> dict[str, object]:
    return {i.event: getattr(i, field) for i in importance(tree)}


def occurrence(tree: FaultTree, cut_sets: CutSets | None = None) -> dict[str, int]:
    """Return event → how many minimal cut sets it is in (no probabilities needed)."""
    counts: dict[str, int] = {}
    for cut_set in minimal_cut_sets(tree) if cut_sets is None else cut_sets:
        for event in cut_set:
            counts[event] = counts.get(event, 0) + 1
    return dict(sorted(counts.items()))


def birnbaum(tree: FaultTree) -> dict[str, float | None]:
    """Return event → Birnbaum importance (MIF)."""
    return _measure(tree, "mif")  # type: ignore[return-value]


def criticality(tree: FaultTree) -> dict[str, float | None]:
    """Return event → criticality importance (CIF)."""
    return _measure(tree, "cif")  # type: ignore[return-value]


def diagnosis(tree: FaultTree) -> dict[str, float | None]:
    """Return event → diagnosis importance (DIF), ``P(e | top)``."""
    return _measure(tree, "dif")  # type: ignore[return-value]


def risk_achievement_worth(tree: FaultTree) -> dict[str, float | None]:
    """Return event → risk achievement worth (RAW)."""
    return _measure(tree, "raw")  # type: ignore[return-value]


def risk_reduction_worth(tree: FaultTree) -> dict[str, float | None]:
    """Return event → risk reduction worth (RRW)."""
    return _measure(tree, "rrw")  # type: ignore[return-value]
