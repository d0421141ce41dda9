"""A fault tree compiled to a binary decision diagram with `dd` (its pure-Python ``autoref``).

The BDD represents the top event exactly, `not` gates included; probabilities are read off it
by Shannon decomposition (`probability_of`), and the minimal cut sets come from it too
(`servresp.analysis.cutsets`). Variables are ordered by first appearance in a depth-first walk
from the top gate, a good static order for fault trees; dynamic reordering is off so that the
levels stay fixed while the diagram is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from dd import autoref

from servresp.model.faulttree import Op

if TYPE_CHECKING:
    from servresp.model.faulttree import FaultTree

__all__ = ["Compiled", "compile_tree", "fold", "probability_of"]

_T = TypeVar("_T")
Node = Any
"""A `dd.autoref.Function` (dd ships no precise types for it)."""


@attrs.frozen
class Compiled:
    """A fault tree's top event as a BDD."""

    tree: FaultTree
    """The tree compiled."""
    bdd: autoref.BDD
    """The manager that owns the diagram."""
    root: Node
    """The top event."""
    order: tuple[str, ...]
    """The basic events in variable order (level 0 first)."""


def _event_order(tree: FaultTree) -> list[str]:
    order: list[str] = []
    seen: set[str] = set()
    stack = [tree.top]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in tree.gates:
            stack.extend(reversed(tree.gates[name].children))
        elif name not in tree.houses:
            order.append(name)
    return order


def _atleast(bdd: autoref.BDD, k: int, children: list[Node]) -> Node:
    """K of n by dynamic programming over (children left, still needed)."""
    row = [bdd.true] + [bdd.false] * k  # row[j]: at least j of the children after i occur
    for child in reversed(children):
        row = [bdd.true] + [bdd.ite(child, row[j - 1], row[j]) for j in range(1, k + 1)]
    return row[k]


def compile_tree(tree: FaultTree) -> Compiled:
    """Build the BDD of ``tree``'s top event, gate by gate from the leaves up."""
    bdd = autoref.BDD()
    bdd.configure(reordering=False)
    order = _event_order(tree)
    if order:
        bdd.declare(*order)
    built: dict[str, Node] = {e: bdd.var(e) for e in order}
    built.update({h: bdd.true if v else bdd.false for h, v in tree.houses.items()})
    stack = [tree.top]
    while stack:
        name = stack[-1]
        if name in built:
            stack.pop()
            continue
        gate = tree.gates[name]
        waiting = [c for c in gate.children if c not in built]
        if waiting:
            stack.extend(waiting)
            continue
        stack.pop()
        inputs = [built[c] for c in gate.children]
        built[name] = _apply(bdd, gate.op, gate.k, inputs)
    return Compiled(tree=tree, bdd=bdd, root=built[tree.top], order=tuple(order))


def _apply(bdd: autoref.BDD, op: Op, k: int, inputs: list[Node]) -> Node:
    if op is Op.NOT:
        return ~inputs[0]
    if op is Op.ATLEAST:
        return _atleast(bdd, k, inputs)
    result = bdd.true if op is Op.AND else bdd.false
    for node in inputs:
        result = (result & node) if op is Op.AND else (result | node)
    return result


def fold(compiled: Compiled, leaf: Callable[[bool], _T],
         step: Callable[[str, _T, _T], _T], negate: Callable[[_T], _T] | None = None) -> _T:
    """Reduce the diagram bottom-up: ``step(var, value_if_true, value_if_false)`` per node.

    With ``negate``, a complemented edge maps the regular node's value; without it, each
    (node, polarity) is folded on its own, passing the complement down to the children.
    """
    bdd = compiled.bdd
    memo: dict[tuple[int, bool], _T] = {}

    def key(u: Node, *, flip: bool) -> tuple[int, bool]:
        return (abs(int(u)), u.negated != flip)

    stack: list[tuple[Node, bool]] = [(compiled.root, False)]
    while stack:
        u, flip = stack[-1]
        k = key(u, flip=flip)
        if k in memo:
            stack.pop()
            continue
        if u.var is None:
            memo[k] = leaf((u == bdd.true) != flip)
            stack.pop()
            continue
        polarity = k[1]
        child_flip = polarity and negate is None
        hi, lo = u.high, u.low
        kh, kl = key(hi, flip=child_flip), key(lo, flip=child_flip)
        missing = [(c, child_flip) for c, kc in ((hi, kh), (lo, kl)) if kc not in memo]
        if missing:
            stack.extend(missing)
            continue
        stack.pop()
        value = step(u.var, memo[kh], memo[kl])
        memo[k] = negate(value) if (negate is not None and polarity) else value
    return memo[key(compiled.root, flip=False)]


def probability_of(compiled: Compiled, probabilities: Mapping[str, float]) -> float:
    """Return the exact probability of the top event, given each basic event's."""
    return fold(
        compiled,
        lambda is_true: 1.0 if is_true else 0.0,
        lambda var, high, low: probabilities[var] * high + (1.0 - probabilities[var]) * low,
        lambda p: 1.0 - p,
    )
