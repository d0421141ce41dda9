"""Minimal cut sets of a fault tree, exactly, from its BDD.

A cut set is a set of basic events whose occurrence, with every other basic event *not*
occurring, makes the top event occur; the minimal ones are those with no smaller cut set
inside. For a coherent tree (and/or/atleast only) these are the usual minimal cut sets. With
`not` gates this is what SCRAM reports by default: the minimal true points of the top event
with negated events dropped (``A·B + ¬A·C`` gives {A, B} and {C}; ``A + ¬B`` gives the one
empty cut set: the top event occurs when nothing fails). See docs/faulttrees.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp.analysis._zbdd import minimal_solutions
from servresp.analysis.bdd import compile_tree
from servresp.errors import FaultTreeError, Problem

if TYPE_CHECKING:
    from servresp.analysis._zbdd import Family
    from servresp.analysis.bdd import Compiled
    from servresp.model.faulttree import FaultTree

__all__ = ["CutSets", "count_cut_sets", "minimal_cut_sets", "sort_cut_sets"]

CutSets = tuple[tuple[str, ...], ...]
"""Cut sets: events in a set sorted by name, sets by size then names."""


def sort_cut_sets(sets: object) -> CutSets:
    """Sort events in each set by name, then the sets by size and names."""
    ordered = [tuple(sorted(s)) for s in sets]  # type: ignore[attr-defined]
    return tuple(sorted(ordered, key=lambda s: (len(s), s)))


def minimal_cut_sets(tree: FaultTree, *, compiled: Compiled | None = None) -> CutSets:
    """Return the minimal cut sets of ``tree``'s top event (none when it cannot occur)."""
    compiled = compiled or compile_tree(tree)
    family, root = _solutions(compiled)
    order = compiled.order
    return sort_cut_sets([order[level] for level in levels] for levels in family.sets(root))


def count_cut_sets(tree: FaultTree, *, compiled: Compiled | None = None) -> int:
    """Return how many minimal cut sets ``tree`` has, without listing them."""
    compiled = compiled or compile_tree(tree)
    family, root = _solutions(compiled)
    return family.count(root)


def _solutions(compiled: Compiled) -> tuple[Family, int]:
    try:
        return minimal_solutions(compiled)
    except RecursionError:  # Rauzy's "without" recurses once per variable level
        message = f"too deep for the pure-Python cut-set diagram ({len(compiled.order)} basic events)"
        raise FaultTreeError([Problem(f"fault tree {compiled.tree.top}", 0, "cut sets", message,
                                      "split the tree into modules, or analyse it with SCRAM")]) from None
