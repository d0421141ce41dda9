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

from servresp.errors import FaultTreeError, Problem
from servresp.model.faulttree import Op

if TYPE_CHECKING:
    from servresp.model.faulttree import FaultTree

__all__ = ["Compiled", "compile_tree", "fold", "probability_of"]

_T = TypeVar("_T")
Node = Any
"""A `dd.autoref.Function` (dd ships no precise types for it)."""


@attrs.frozen
class Compiled:
    """A fault tree's top event as a BDD, and the BDD's nodes as plain tuples.

    ``nodes`` lists the diagram's nodes below the root, children before parents, as
    ``(variable, high, low)``; a reference is ``index << 1 | complemented`` where index 0 is
    the terminal *true* (so reference 1 is *false*) and index ``i`` is ``nodes[i - 1]``.
    Reading plain tuples is many times faster than walking `dd`'s node objects.
    """

    tree: FaultTree
    """The tree compiled."""
    bdd: autoref.BDD
    """The manager that owns the diagram."""
    root: Node
    """The top event."""
    order: tuple[str, ...]
    """The basic events in variable order (level 0 first)."""
    nodes: tuple[tuple[str, int, int], ...] = ()
    """The nodes, children first."""
    top: int = 0
    """The reference of the top event."""


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
        try:
            built[name] = _apply(bdd, gate.op, gate.k, inputs)
        except RecursionError:  # dd's pure-Python apply recurses once per variable level
            raise FaultTreeError([Problem(f"fault tree {tree.top}", 0, name,
                                          f"too deep for the pure-Python BDD ({len(order)} basic events)",
                                          "split the tree into modules, or analyse it with SCRAM")]) from None
    nodes, top = _flatten(built[tree.top])
    return Compiled(tree=tree, bdd=bdd, root=built[tree.top], order=tuple(order), nodes=nodes, top=top)


def _flatten(root: Node) -> tuple[tuple[tuple[str, int, int], ...], int]:
    """Return the nodes under ``root``, children first, and the root's reference."""
    index: dict[int, int] = {}
    nodes: list[tuple[str, int, int]] = []

    def ref(u: Node) -> int | None:
        if u.var is None:
            return int(u.negated)  # true is 0, false is 1
        found = index.get(abs(int(u)))
        return None if found is None else found << 1 | int(u.negated)

    stack = [root]
    while stack:
        u = stack[-1]
        if ref(u) is not None:
            stack.pop()
            continue
        high, low = ref(u.high), ref(u.low)
        if high is None or low is None:
            stack.extend(c for c, r in ((u.high, high), (u.low, low)) if r is None)
            continue
        stack.pop()
        nodes.append((u.var, high, low))
        index[abs(int(u))] = len(nodes)
    top = ref(root)
    assert top is not None  # the loop above numbers the root last
    return tuple(nodes), top


def _apply(bdd: autoref.BDD, op: Op, k: int, inputs: list[Node]) -> Node:
    if op is Op.NOT:
        return ~inputs[0]
    if op is Op.ATLEAST:
        return _atleast(bdd, k, inputs)
    if not inputs:
        return bdd.true if op is Op.AND else bdd.false
    while len(inputs) > 1:  # pairwise, not left to right: n log n node visits instead of n²
        pairs = zip(inputs[::2], inputs[1::2], strict=False)
        merged = [(a & b) if op is Op.AND else (a | b) for a, b in pairs]
        inputs = merged + inputs[len(merged) * 2:]
    return inputs[0]


def fold(compiled: Compiled, leaf: Callable[[bool], _T], step: Callable[[str, _T, _T], _T]) -> _T:
    """Reduce the diagram bottom-up: ``step(variable, value_if_true, value_if_false)`` per node.

    Each (node, polarity) is folded on its own, the complement passed down to the children,
    so ``leaf`` sees the true constant function or the false one.
    """
    nodes = compiled.nodes
    values: list[list[_T | None]] = [[leaf(True), leaf(False)]]  # noqa: FBT003 - the constants
    values.extend([None, None] for _ in nodes)
    wanted = [False] * (2 * len(nodes) + 2)
    wanted[compiled.top] = True
    for i in range(len(nodes), 0, -1):  # parents first: mark the (node, polarity) pairs needed
        for polarity in (0, 1):
            if wanted[i << 1 | polarity]:
                _, high, low = nodes[i - 1]
                wanted[high ^ polarity] = wanted[low ^ polarity] = True
    for i, (variable, high, low) in enumerate(nodes, start=1):
        for polarity in (0, 1):
            if wanted[i << 1 | polarity]:
                h, lo = high ^ polarity, low ^ polarity
                values[i][polarity] = step(variable, values[h >> 1][h & 1],  # type: ignore[arg-type]
                                           values[lo >> 1][lo & 1])  # type: ignore[arg-type]
    top = compiled.top
    return values[top >> 1][top & 1]  # type: ignore[return-value]


def probability_of(compiled: Compiled, probabilities: Mapping[str, float]) -> float:
    """Return the exact probability of the top event, given each basic event's."""
    values = [1.0]
    for variable, high, low in compiled.nodes:
        p = probabilities[variable]
        h = values[high >> 1]
        lo = values[low >> 1]
        values.append(p * (1.0 - h if high & 1 else h) + (1.0 - p) * (1.0 - lo if low & 1 else lo))
    top = values[compiled.top >> 1]
    return 1.0 - top if compiled.top & 1 else top
