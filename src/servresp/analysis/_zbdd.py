"""Families of sets as a zero-suppressed decision diagram, for minimal cut sets (Rauzy 1993).

`minimal_solutions` turns a BDD into the family of its minimal true points: each node
``ite(x, F1, F0)`` gives ``{x ∪ S : S ∈ min(F1), no T ∈ min(F0) with T ⊆ S} ∪ min(F0)``. The
family is kept as a ZBDD so that tens of thousands of cut sets share their structure; `dd`
offers ZDDs only in its CUDD build, which has no subsumption ("without") operation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp.analysis.bdd import fold

if TYPE_CHECKING:
    from servresp.analysis.bdd import Compiled

__all__ = ["Family", "minimal_solutions"]

EMPTY, BASE = 0, 1
"""The empty family and the family holding only the empty set."""


class Family:
    """A store of ZBDD nodes: ``(level, with the variable, without it)``, hash-consed."""

    def __init__(self) -> None:
        """Start with the two terminals."""
        self.nodes: list[tuple[int, int, int]] = [(1 << 30, 0, 0), (1 << 30, 1, 1)]
        self.unique: dict[tuple[int, int, int], int] = {}
        self._without: dict[tuple[int, int], int] = {}

    def node(self, level: int, high: int, low: int) -> int:
        """Return the node for ``{level ∪ S : S ∈ high} ∪ low`` (zero-suppressed)."""
        if high == EMPTY:
            return low
        key = (level, high, low)
        found = self.unique.get(key)
        if found is None:
            found = self.unique[key] = len(self.nodes)
            self.nodes.append(key)
        return found

    def has_empty(self, f: int) -> bool:
        """Return whether the empty set belongs to ``f``."""
        while f > BASE:
            f = self.nodes[f][2]
        return f == BASE

    def without(self, f: int, g: int) -> int:
        """Return the sets of ``f`` that contain no set of ``g``."""
        if EMPTY in (f, g):
            return f
        if g == BASE:
            return EMPTY
        if f == BASE:
            return EMPTY if self.has_empty(g) else BASE
        key = (f, g)
        found = self._without.get(key)
        if found is not None:
            return found
        fl, f1, f0 = self.nodes[f]
        gl, g1, g0 = self.nodes[g]
        if fl < gl:
            result = self.node(fl, self.without(f1, g), self.without(f0, g))
        elif fl > gl:
            result = self.without(f, g0)
        else:
            result = self.node(fl, self.without(self.without(f1, g1), g0), self.without(f0, g0))
        self._without[key] = result
        return result

    def sets(self, f: int) -> list[tuple[int, ...]]:
        """Return every set of ``f`` as a tuple of levels, top level first."""
        out: list[tuple[int, ...]] = []
        stack: list[tuple[int, tuple[int, ...]]] = [(f, ())]
        while stack:
            g, prefix = stack.pop()
            if g == EMPTY:
                continue
            if g == BASE:
                out.append(prefix)
                continue
            level, high, low = self.nodes[g]
            stack.append((low, prefix))
            stack.append((high, (*prefix, level)))
        return out

    def count(self, f: int) -> int:
        """Return how many sets ``f`` holds."""
        memo = {EMPTY: 0, BASE: 1}
        stack = [f]
        while stack:
            g = stack[-1]
            if g in memo:
                stack.pop()
                continue
            _, high, low = self.nodes[g]
            if high in memo and low in memo:
                memo[g] = memo[high] + memo[low]
                stack.pop()
            else:
                stack.extend(c for c in (high, low) if c not in memo)
        return memo[f]


def minimal_solutions(compiled: Compiled) -> tuple[Family, int]:
    """Return the store and the family of the top event's minimal true points (cut sets)."""
    family = Family()
    levels = compiled.bdd.var_levels

    def step(var: str, high: int, low: int) -> int:
        return family.node(levels[var], family.without(high, low), low)

    root = fold(compiled, lambda is_true: BASE if is_true else EMPTY, step)
    return family, root
