"""A promise's fault tree: the Boolean structure of failure that gates and barriers give.

A `FaultTree` is a plain value (gates, basic events, house events, probabilities) that the
analysis stage reads and the render stage draws; `fault_tree` builds one from a model:

- the top event is the promise broken; its gate combines its suppliers' failures;
- a duty fails when it fails itself (the basic event named by the duty's id) OR its
  suppliers' failures combine by its gate (``any`` → or, ``all`` → and, ``at_least`` → k of n);
- a failure reaches the duties it supports only when it escapes every barrier that catches
  it: ``<duty>.escapes`` = the duty fails AND every catching duty fails (8D's escape point);
- a barrier that supports the same duty or promise as a duty it catches stands guard there:
  that supports edge is its catch, not a second supply, so its failure alone does not break
  what it guards (inspection that fails while nothing is defective lets nothing through).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from servresp.errors import FaultTreeError, Problem, UnknownIdError
from servresp.i18n import gettext as _
from servresp.model.classes import Gate, GateKind
from servresp.model.graph import barriers_of

if TYPE_CHECKING:
    from servresp.model.classes import Model

__all__ = ["FaultTree", "Op", "TreeGate", "barriers_of", "fault_tree", "fault_tree_issues"]


class Op(enum.StrEnum):
    """A fault-tree gate's Boolean operator (the Open-PSA MEF names)."""

    AND = "and"
    OR = "or"
    ATLEAST = "atleast"
    NOT = "not"


@attrs.frozen
class TreeGate:
    """One gate: an operator over named children (gates, basic events or house events)."""

    op: Op
    """The operator."""
    children: tuple[str, ...]
    """The names of its inputs, in the order given."""
    k: int = 0
    """For ``atleast``: how many children must occur."""


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(sorted(value.items())))


@attrs.frozen
class FaultTree:
    """A fault tree: the top gate, every gate by name, the basic and house events."""

    top: str
    """The top gate's name."""
    gates: Mapping[str, TreeGate] = attrs.field(converter=_frozen)
    """Gates by name."""
    events: tuple[str, ...]
    """The basic events' names, sorted."""
    probabilities: Mapping[str, float] = attrs.field(factory=dict, converter=_frozen)
    """Probability of each basic event (may be partial until probabilities are given)."""
    houses: Mapping[str, bool] = attrs.field(factory=dict, converter=_frozen)
    """House events: constants true or false."""
    labels: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)
    """What stands behind a basic event (the owner unit of a duty), for reports."""

    def __attrs_post_init__(self) -> None:
        """Check that every name is defined once, the top is a gate and there is no cycle."""
        problems = list(_structure_problems(self))
        if problems:
            where = f"fault tree {self.top}"
            raise FaultTreeError(Problem(where, 0, path, message) for path, message in problems)

    def with_probabilities(self, probabilities: Mapping[str, float]) -> FaultTree:
        """Return the same tree with these basic-event probabilities (others kept)."""
        return attrs.evolve(self, probabilities={**self.probabilities, **probabilities})

    def with_duty_probabilities(self, history: Mapping[str, float],
                                given: Mapping[str, float]) -> FaultTree:
        """Return the tree with the probabilities of its own events: ``given`` over ``history``.

        Both cover every duty of a model (`servresp cutsets --facts/--probabilities`); the
        tree keeps those of the duties it holds.
        """
        merged = {**history, **given}
        return self.with_probabilities({e: p for e, p in merged.items() if e in self.events})

    def reachable(self) -> tuple[set[str], set[str]]:
        """Return (gates, basic events) under the top gate."""
        gates: set[str] = set()
        events: set[str] = set()
        stack = [self.top]
        while stack:
            name = stack.pop()
            if name in self.gates:
                if name not in gates:
                    gates.add(name)
                    stack.extend(self.gates[name].children)
            elif name not in self.houses:
                events.add(name)
        return gates, events


def _structure_problems(tree: FaultTree) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if tree.top not in tree.gates:
        problems.append(("top", f"the top event {tree.top!r} is not a gate"))
    known = set(tree.events)
    problems.extend((n, f"{n!r} is both a gate and a basic event") for n in sorted(set(tree.gates) & known))
    problems.extend((n, f"{n!r} is a house event and also a gate or basic event")
                    for n in sorted(set(tree.houses) & (known | set(tree.gates))))
    defined = known | set(tree.gates) | set(tree.houses)
    for name, gate in tree.gates.items():
        problems.extend((name, f"gate {name!r} names undefined event {child!r}")
                        for child in gate.children if child not in defined)
        if gate.op is Op.NOT and len(gate.children) != 1:
            problems.append((name, f"a not gate takes one input, {name!r} has {len(gate.children)}"))
        if gate.op is Op.ATLEAST and gate.k < 1:
            problems.append((name, f"atleast gate {name!r} needs a min of at least 1"))
    for name, p in tree.probabilities.items():
        if not 0.0 <= p <= 1.0:
            problems.append((name, f"probability {p!r} of {name!r} is outside [0, 1]"))
    if not problems:
        problems.extend(_cycle_problems(tree))
    return problems


def _cycle_problems(tree: FaultTree) -> list[tuple[str, str]]:
    """Gates that reach themselves (iterative depth-first search: trees may be deep)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for root in sorted(tree.gates):
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            name, i = stack.pop()
            children = tree.gates[name].children
            if i < len(children):
                stack.append((name, i + 1))
                child = children[i]
                if child in tree.gates:
                    if state.get(child) == 1:
                        return [(child, f"gate {child!r} is its own input through {name!r} (a cycle)")]
                    if not state.get(child):
                        state[child] = 1
                        stack.append((child, 0))
            else:
                state[name] = 2
    return []


def _suppliers(model: Model, target: str) -> list[str]:
    graph = model.supports
    return sorted(graph.predecessors(target)) if target in graph else []


def _feeding(model: Model, target: str) -> list[str]:
    """Return the suppliers whose failures feed ``target``: barriers guarding it are left out."""
    suppliers = _suppliers(model, target)
    guarding = {s for s in suppliers if set(model.duties[s].catches) & set(suppliers)}
    return [s for s in suppliers if s not in guarding]


def _combine(gate: Gate, children: list[str]) -> TreeGate:
    if gate.kind is GateKind.ALL:
        return TreeGate(Op.AND, tuple(children))
    if gate.kind is GateKind.AT_LEAST:
        return TreeGate(Op.ATLEAST, tuple(children), gate.k)
    return TreeGate(Op.OR, tuple(children))


class _Builder:
    """Walks a model upstream from a promise, making each duty's gates once."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.barriers = barriers_of(model)
        self.gates: dict[str, TreeGate] = {}
        self.events: set[str] = set()
        self.done: dict[str, str] = {}  # duty → the name of its "fails" event or gate
        self.visiting: list[str] = []
        self._feeding: dict[str, list[str]] = {}

    def feeding(self, target: str) -> list[str]:
        """Return `_feeding` of ``target``, worked out once per builder."""
        found = self._feeding.get(target)
        if found is None:
            found = self._feeding[target] = _feeding(self.model, target)
        return found

    def fails(self, duty_id: str) -> str:
        """Return the name that occurs when ``duty_id`` fails: its basic event, or an or-gate."""
        if duty_id in self.done:
            return self.done[duty_id]
        if duty_id in self.visiting:
            cycle = " → ".join([*self.visiting[self.visiting.index(duty_id):], duty_id])
            raise FaultTreeError([Problem("model", 0, duty_id,
                                          _("supports and catches form a cycle: {cycle}").format(cycle=cycle),
                                          _("a barrier cannot depend on the duty it catches"))])
        self.visiting.append(duty_id)
        self.events.add(duty_id)
        duty = self.model.duties[duty_id]
        reached = [self.reaches(s) for s in self.feeding(duty_id)]
        name = duty_id
        if reached:
            name = f"{duty_id}.fails"
            if duty.gate.kind is GateKind.ANY:
                self.gates[name] = TreeGate(Op.OR, (duty_id, *reached))
            else:
                self.gates[f"{duty_id}.suppliers"] = _combine(duty.gate, reached)
                self.gates[name] = TreeGate(Op.OR, (duty_id, f"{duty_id}.suppliers"))
        self.visiting.pop()
        self.done[duty_id] = name
        return name

    def reaches(self, duty_id: str) -> str:
        """Return the name that occurs when ``duty_id``'s failure escapes every barrier on its way."""
        cause = self.fails(duty_id)
        barriers = self.barriers.get(duty_id, ())
        if not barriers:
            return cause
        self.visiting.append(duty_id)
        caught = [self.fails(b) for b in barriers]
        self.visiting.pop()
        name = f"{duty_id}.escapes"
        self.gates[name] = TreeGate(Op.AND, (cause, *caught))
        return name


def fault_tree(model: Model, promise: str) -> FaultTree:
    """Build the fault tree of ``promise``: the top event is the promise broken.

    Raises `UnknownIdError` for an unknown promise and `FaultTreeError` when supports and
    catches form a cycle (``servresp check`` reports it as SR131).
    """
    if promise not in model.promises:
        raise UnknownIdError("promise", promise, model.promises)
    builder = _Builder(model)
    reached = [builder.reaches(s) for s in _feeding(model, promise)]
    builder.gates[promise] = _combine(model.promises[promise].gate, reached)
    return FaultTree(top=promise, gates=builder.gates, events=tuple(sorted(builder.events)),
                     labels={e: model.duties[e].owner for e in builder.events})


def fault_tree_issues(model: Model) -> list[tuple[str, str, str]]:
    """Return ``(duty or promise id, field, message)`` for every gate or barrier that cannot hold.

    ``at_least`` asking for more suppliers than there are, a gate on a duty with no suppliers,
    and barriers that depend on the duty they catch.
    """
    issues: list[tuple[str, str, str]] = []
    holders: list[tuple[str, Gate]] = [(d.id, d.gate) for d in model.duties.values()]
    holders += [(p.id, p.gate) for p in model.promises.values()]
    builder = _Builder(model)  # one walk for every promise: a duty's gates are the same in each
    for holder, gate in holders:
        n = len(builder.feeding(holder))
        if gate.kind is GateKind.AT_LEAST and gate.k > n:
            issues.append((holder, "gate", _("at_least: {k} but only {n} duties support it").format(
                k=gate.k, n=n)))
        elif gate.kind is not GateKind.ANY and n == 0:
            issues.append((holder, "gate", _("gate {gate} but no duty supports it").format(gate=gate)))
    for promise in model.promises:
        try:
            for supplier in builder.feeding(promise):
                builder.reaches(supplier)
        except FaultTreeError as exc:
            issues.extend((p.path, "catches", p.message) for p in exc.problems)
            builder = _Builder(model)  # the walk stopped half-way; what it finished holds no cycle
    return sorted(set(issues))
