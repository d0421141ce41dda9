"""Hypothesis strategies for fault trees, and the brute-force answers to check them against.

- `fault_trees()` draws a random `FaultTree`: up to 6 basic events, gates and/or/atleast/not
  (optionally coherent only) nested as a DAG, house events, probabilities for every event.
- `occurs(tree, failed)` evaluates the top event when exactly the events in ``failed`` occur.
- `brute_cut_sets(tree)` and `brute_probability(tree, probabilities)` enumerate every state.
- `gated_models()` draws a valid model with random gates and barriers; `promise_broken`
  reads a promise's failure off the model directly, to check the tree builder against.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import attrs
import networkx as nx
from hypothesis import strategies as st

from servresp.model.classes import Gate, GateKind, Model
from servresp.model.faulttree import FaultTree, Op, TreeGate
from strategies import models


@st.composite
def fault_trees(draw: st.DrawFn, *, coherent: bool = False, max_events: int = 6) -> FaultTree:
    """Draw a fault tree whose gates only name events or gates drawn before them."""
    n_events = draw(st.integers(1, max_events))
    events = [f"e{i}" for i in range(n_events)]
    houses = {f"h{i}": draw(st.booleans()) for i in range(draw(st.integers(0, 1)))}
    names: list[str] = [*events, *houses]
    gates: dict[str, TreeGate] = {}
    ops = [Op.AND, Op.OR, Op.ATLEAST] + ([] if coherent else [Op.NOT])
    for g in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(ops))
        if op is Op.NOT:
            children = [draw(st.sampled_from(names))]
        else:
            children = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
        k = draw(st.integers(1, len(children))) if op is Op.ATLEAST else 0
        name = f"g{g}"
        gates[name] = TreeGate(op, tuple(children), k)
        names.append(name)
    probabilities = {e: draw(st.sampled_from([0.0, 0.01, 0.1, 0.25, 0.5, 0.9, 1.0])) for e in events}
    return FaultTree(top=names[-1], gates=gates, events=tuple(events), probabilities=probabilities,
                     houses=houses)


def occurs(tree: FaultTree, failed: set[str], name: str | None = None) -> bool:
    """Evaluate ``name`` (default: the top) when exactly ``failed`` occur."""
    name = tree.top if name is None else name
    if name in tree.houses:
        return tree.houses[name]
    if name not in tree.gates:
        return name in failed
    gate = tree.gates[name]
    values = [occurs(tree, failed, c) for c in gate.children]
    if gate.op is Op.AND:
        return all(values)
    if gate.op is Op.OR:
        return any(values)
    if gate.op is Op.NOT:
        return not values[0]
    return sum(values) >= gate.k


def _states(tree: FaultTree) -> list[set[str]]:
    events = sorted(tree.events)
    return [set(c) for r in range(len(events) + 1) for c in itertools.combinations(events, r)]


def brute_cut_sets(tree: FaultTree) -> set[frozenset[str]]:
    """Return the minimal sets of events whose occurrence alone makes the top occur."""
    true_points = [frozenset(s) for s in _states(tree) if occurs(tree, s)]
    return {s for s in true_points if not any(t < s for t in true_points)}


def brute_probability(tree: FaultTree, probabilities: Mapping[str, float]) -> float:
    """Return P(top) by summing the probability of every state in which it occurs."""
    return math.fsum(math.prod(probabilities[e] if e in state else 1 - probabilities[e] for e in tree.events)
                     for state in _states(tree) if occurs(tree, state))


@st.composite
def gated_models(draw: st.DrawFn) -> Model:
    """Draw a valid model, then give it random gates and acyclic barriers.

    In a topological order of ``supports`` a duty depends only on duties before it; a
    barrier is drawn from the duties before the one it catches, so the tree has no cycle.
    """
    model = draw(models())
    order = [d for d in nx.topological_sort(model.supports) if d in model.duties]
    order += sorted(set(model.duties) - set(order))
    duties = {}
    for i, duty_id in enumerate(order):
        duty = model.duties[duty_id]
        suppliers = len(list(model.supports.predecessors(duty_id))) if duty_id in model.supports else 0
        catches: tuple[str, ...] = ()
        later = order[i + 1:]
        if later and draw(st.booleans()):
            catches = tuple(draw(st.lists(st.sampled_from(later), min_size=1, max_size=2, unique=True)))
        duties[duty_id] = attrs.evolve(duty, gate=draw(_gates(suppliers)), catches=catches)
    promises = {}
    for promise_id, promise in model.promises.items():
        suppliers = len(list(model.supports.predecessors(promise_id))) if promise_id in model.supports else 0
        promises[promise_id] = attrs.evolve(promise, gate=draw(_gates(suppliers)))
    return attrs.evolve(model, duties=duties, promises=promises, graph=None, dependencies=None,
                        supports=None)


def _gates(suppliers: int) -> st.SearchStrategy[Gate]:
    if suppliers == 0:
        return st.just(Gate())
    return st.one_of(st.just(Gate()), st.just(Gate(GateKind.ALL)),
                     st.integers(1, suppliers).map(lambda k: Gate(GateKind.AT_LEAST, k)))


def promise_broken(model: Model, promise: str, failed: set[str]) -> bool:
    """Say whether ``promise`` breaks when exactly ``failed`` duties fail, read off the model.

    Written from docs/faulttrees.md without the builder: a duty fails on its own or when its
    feeding suppliers' failures combine by its gate; a failure reaches its customers only
    when every barrier catching it fails too; a barrier guarding a target does not feed it.
    """
    catchers = {d: sorted(b.id for b in model.duties.values() if d in b.catches) for d in model.duties}

    def feeding(target: str) -> list[str]:
        suppliers = sorted(model.supports.predecessors(target)) if target in model.supports else []
        return [s for s in suppliers if not set(model.duties[s].catches) & set(suppliers)]

    def combine(gate: Gate, values: list[bool]) -> bool:
        if gate.kind is GateKind.ALL:
            return all(values)
        if gate.kind is GateKind.AT_LEAST:
            return sum(values) >= gate.k
        return any(values)

    def fails(duty: str) -> bool:
        return duty in failed or combine(model.duties[duty].gate, [reaches(s) for s in feeding(duty)])

    def reaches(duty: str) -> bool:
        return fails(duty) and all(fails(b) for b in catchers[duty])

    return combine(model.promises[promise].gate, [reaches(s) for s in feeding(promise)])
