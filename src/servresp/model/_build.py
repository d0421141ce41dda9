"""Model → its frozen networkx graph: the one place the graph is built.

The loader's classes call `build_graph` once per model; the queries over the result live in
`servresp.model.graph`. Nothing here imports the classes at run time, so the two never import
each other in a circle.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from servresp.model.classes import DiagnosticRule, Model, Raci

__all__ = ["DEPENDENCY_EDGES", "build_graph", "dependency_view", "plain_subgraph"]

DEPENDENCY_EDGES = frozenset({"supports", "serves", "measures"})
"""Edge kinds along which work flows toward a promise."""


def build_graph(model: Model) -> nx.DiGraph[str]:
    """Return the model's typed graph, frozen.

    Nodes and edges go in as one batch per kind (`add_nodes_from`, `add_edges_from`), in the
    order single `add_node` and `add_edge` calls would add them.
    """
    graph: nx.DiGraph[str] = nx.DiGraph(name=model.name)
    graph.add_nodes_from(((unit.id, {"kind": str(unit.kind)}) for unit in model.units.values()),
                         type="unit")
    graph.add_nodes_from((promise.id for promise in model.promises.values()), type="promise")
    for standard in model.standards.values():
        graph.add_node(standard.id, type="standard", status=str(standard.status))
        graph.add_edge(standard.id, standard.promise, kind="measures")
    graph.add_nodes_from(((duty.id, {"owner": duty.owner}) for duty in model.duties.values()),
                         type="duty")
    graph.add_edges_from(_work_edges(model))
    _add_rules(graph, list(model.rules.values()))
    frozen: nx.DiGraph[str] = nx.freeze(graph)
    return frozen


def _add_rules(graph: nx.DiGraph[str], rules: list[DiagnosticRule]) -> None:
    """Add each rule's node, then its edges to the duties it implicates.

    When every implicated duty is a node already (always, in a loaded model), all nodes then
    all edges give the same graph in the same order, in two batches.
    """
    if all(map(graph.__contains__, {duty_id for rule in rules for duty_id in rule.implicates})):
        graph.add_nodes_from((rule.id for rule in rules), type="rule")
        graph.add_edges_from(((rule.id, duty_id) for rule in rules for duty_id in rule.implicates),
                             kind="implicates")
        return
    for rule in rules:
        graph.add_node(rule.id, type="rule")
        graph.add_edges_from(((rule.id, duty_id) for duty_id in rule.implicates), kind="implicates")


def _work_edges(model: Model) -> Iterator[tuple[str, str, dict[str, object]]]:
    """Yield the edges of the duties (roles, supports), the standards' duties and the teams."""
    for duty in model.duties.values():
        held = _roles_held(duty.raci)
        for holder in sorted(held):
            kind = "owns" if holder == duty.owner else "role"
            yield holder, duty.id, {"kind": kind, "roles": tuple(held[holder])}
        if duty.owner not in held:
            yield duty.owner, duty.id, {"kind": "owns", "roles": ()}
        for target in duty.supports:
            yield duty.id, target, {"kind": "supports"}
    for standard in model.standards.values():
        for duty_id in standard.served_by:
            yield duty_id, standard.id, {"kind": "serves"}
    for unit in model.units.values():
        for member in unit.members:
            yield member, unit.id, {"kind": "member_of"}


def _roles_held(raci: Raci) -> dict[str, list[str]]:
    """Return unit → its roles on the duty, in `Role` order: `Raci.roles_of` for every unit at once."""
    held: dict[str, list[str]] = {raci.accountable: ["accountable"]}
    for role, units in (("responsible", raci.responsible), ("consulted", raci.consulted),
                        ("informed", raci.informed)):
        for unit in units:
            roles = held.setdefault(unit, [])
            if not roles or roles[-1] != role:  # a unit named twice under one role holds it once
                roles.append(role)
    return held


def dependency_view(graph: nx.DiGraph[str], kinds: Iterable[str] = DEPENDENCY_EDGES) -> nx.DiGraph[str]:
    """Return a read-only view with only the edges of ``kinds`` (and their end nodes)."""
    wanted = frozenset(kinds)
    edges = [(u, v) for u, v, data in graph.edges(data=True) if data["kind"] in wanted]
    view: nx.DiGraph[str] = graph.edge_subgraph(edges)
    return view


def plain_subgraph(graph: nx.DiGraph[str], kinds: Iterable[str] = DEPENDENCY_EDGES) -> nx.DiGraph[str]:
    """Return a frozen plain copy of the edges of ``kinds`` (edge data kept, node data not)."""
    wanted = frozenset(kinds)
    copy: nx.DiGraph[str] = nx.DiGraph()
    copy.add_edges_from((u, v, data) for u, targets in graph.adjacency() for v, data in targets.items()
                        if data["kind"] in wanted)
    frozen: nx.DiGraph[str] = nx.freeze(copy)
    return frozen
