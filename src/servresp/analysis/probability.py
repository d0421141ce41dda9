"""The top event's probability: exact (BDD), rare-event approximation, min-cut upper bound."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from servresp.analysis.bdd import compile_tree, probability_of
from servresp.errors import FaultTreeError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from servresp.analysis.bdd import Compiled
    from servresp.model.faulttree import FaultTree

__all__ = [
    "cut_set_probability",
    "exact_probability",
    "mcub_probability",
    "rare_event_probability",
    "require_probabilities",
]


def require_probabilities(tree: FaultTree) -> Mapping[str, float]:
    """Return the tree's probabilities; raise `FaultTreeError` naming every event without one."""
    _, events = tree.reachable()
    missing = sorted(events - set(tree.probabilities))
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise FaultTreeError([Problem(f"fault tree {tree.top}", 0, "probabilities",
                                      f"no probability for {shown}",
                                      "give every basic event a probability")])
    return tree.probabilities


def exact_probability(tree: FaultTree, *, compiled: Compiled | None = None) -> float:
    """Return P(top) exactly, by Shannon decomposition over the tree's BDD."""
    probabilities = require_probabilities(tree)
    return probability_of(compiled or compile_tree(tree), probabilities)


def cut_set_probability(tree: FaultTree, cut_set: Iterable[str]) -> float:
    """Return the probability that every event of ``cut_set`` occurs (independent events)."""
    return math.prod(tree.probabilities[e] for e in cut_set)


def rare_event_probability(tree: FaultTree, cut_sets: Iterable[Iterable[str]]) -> float:
    """Return the rare-event approximation: the sum of the cut sets' probabilities, at most 1."""
    require_probabilities(tree)
    return min(1.0, math.fsum(cut_set_probability(tree, s) for s in cut_sets))


def mcub_probability(tree: FaultTree, cut_sets: Iterable[Iterable[str]]) -> float:
    """Return the min-cut upper bound ``1 - Π (1 - P(cut set))``."""
    require_probabilities(tree)
    survive = math.fsum(math.log1p(-p) if p < 1.0 else -math.inf
                        for p in (cut_set_probability(tree, s) for s in cut_sets))
    return 0.0 - math.expm1(survive)  # 0.0 - …: never -0.0
