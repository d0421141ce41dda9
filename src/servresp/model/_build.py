"""Model → its frozen networkx graph: the one place the graph is built.

The loader's classes call `build_graph` once per model; the queries over the result live in
`servresp.model.graph`. Nothing here imports the classes at run time, so the two never import
each other in a circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from servresp.model.classes import Model

__all__ = ["DEPENDENCY_EDGES", "build_graph", "dependency_view", "plain_subgraph"]

DEPENDENCY_EDGES = frozenset({"supports", "serves", "measures"})
"""Edge kinds along which work flows toward a promise."""


def build_graph(model: Model) -> nx.DiGraph[str]:  # noqa: C901, PLR0912 - one loop per node kind
    """Return the model's typed graph, frozen."""
    graph: nx.DiGraph[str] = nx.DiGraph(name=model.name)
    for unit in model.units.values():
        graph.add_node(unit.id, type="unit", kind=str(unit.kind))
    for promise in model.promises.values():
        graph.add_node(promise.id, type="promise")
    for standard in model.standards.values():
        graph.add_node(standard.id, type="standard", status=str(standard.status))
        graph.add_edge(standard.id, standard.promise, kind="measures")
    for duty in model.duties.values():
        graph.add_node(duty.id, type="duty", owner=duty.owner)
    for duty in model.duties.values():
        for holder in duty.raci.units():
            kind = "owns" if holder == duty.owner else "role"
            roles = tuple(str(r) for r in duty.raci.roles_of(holder))
            graph.add_edge(holder, duty.id, kind=kind, roles=roles)
        if duty.owner not in duty.raci.units():
            graph.add_edge(duty.owner, duty.id, kind="owns", roles=())
        for target in duty.supports:
            graph.add_edge(duty.id, target, kind="supports")
    for standard in model.standards.values():
        for duty_id in standard.served_by:
            graph.add_edge(duty_id, standard.id, kind="serves")
    for unit in model.units.values():
        for member in unit.members:
            graph.add_edge(member, unit.id, kind="member_of")
    for rule in model.rules.values():
        graph.add_node(rule.id, type="rule")
        for duty_id in rule.implicates:
            graph.add_edge(rule.id, duty_id, kind="implicates")
    frozen: nx.DiGraph[str] = nx.freeze(graph)
    return frozen


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
    copy.add_edges_from((u, v, data) for u, v, data in graph.edges(data=True) if data["kind"] in wanted)
    frozen: nx.DiGraph[str] = nx.freeze(copy)
    return frozen
