"""Model → frozen networkx graph, and graph-first queries over it.

Nodes carry ``type`` (unit, duty, promise, standard, rule); edges carry ``kind``:

- ``supports``  duty → duty or promise (the internal-customer chain, supplier first)
- ``serves``    duty → standard (the duties that deliver a standard)
- ``measures``  standard → promise
- ``owns``      unit → duty, with the ``roles`` the owner holds
- ``role``      unit → duty, for units that hold RACI roles on another unit's duty
- ``member_of`` unit → team
- ``implicates`` rule → duty

Everything on the dependency side flows toward the promises, so "reaches a promise" is
reachability and the suppliers of a duty are its ancestors along ``supports`` edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

from servresp.errors import UnknownIdError
from servresp.model import MANAGEMENT_TIERS, Role

if TYPE_CHECKING:
    from servresp.model import Model

__all__ = [
    "DEPENDENCY_EDGES",
    "build_graph",
    "dependency_view",
    "duties_reaching",
    "management_duties_above",
    "path_from_promise",
    "plain_subgraph",
    "roles_on",
    "suppliers_of",
]

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


def _require(graph: nx.DiGraph[str], node: str, node_type: str) -> None:
    if node not in graph or graph.nodes[node].get("type") != node_type:
        known = [n for n, data in graph.nodes(data=True) if data.get("type") == node_type]
        raise UnknownIdError(node_type, node, known)


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


def suppliers_of(graph: nx.DiGraph[str], duty: str) -> set[str]:
    """Return every duty upstream of ``duty`` along ``supports`` edges."""
    _require(graph, duty, "duty")
    view = dependency_view(graph, ("supports",))
    return set(nx.ancestors(view, duty)) if duty in view else set()


def duties_reaching(graph: nx.DiGraph[str], promise: str, *,
                    view: nx.DiGraph[str] | None = None) -> set[str]:
    """Return every duty with a dependency path to ``promise``.

    ``view`` is ``dependency_view(graph)`` when the caller already has it.
    """
    _require(graph, promise, "promise")
    view = dependency_view(graph) if view is None else view
    if promise not in view:
        return set()
    return {n for n in nx.ancestors(view, promise) if graph.nodes[n]["type"] == "duty"}


def path_from_promise(graph: nx.DiGraph[str], promise: str, duty: str, *,
                      view: nx.DiGraph[str] | None = None) -> list[str]:
    """Return the shortest path promise → … → duty against the flow, or [] when none.

    ``view`` is ``dependency_view(graph)`` when the caller already has it (building it
    walks every edge: callers asking for many paths pass it once).
    """
    _require(graph, promise, "promise")
    _require(graph, duty, "duty")
    view = dependency_view(graph) if view is None else view
    try:
        path = nx.shortest_path(view, duty, promise)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    return list(reversed(path))


def management_duties_above(graph: nx.DiGraph[str], duty: str) -> set[str]:
    """Return the management-tier duties upstream of ``duty`` along ``supports`` edges (S0)."""
    return {d for d in suppliers_of(graph, duty) if graph.nodes[d]["owner"] in MANAGEMENT_TIERS}


def roles_on(graph: nx.DiGraph[str], duty: str) -> dict[str, tuple[Role, ...]]:
    """Return unit → roles held on ``duty``, sorted by unit id."""
    _require(graph, duty, "duty")
    held = {
        unit: tuple(Role(r) for r in data["roles"])
        for unit, _, data in graph.in_edges(duty, data=True)
        if data["kind"] in ("owns", "role")
    }
    return dict(sorted(held.items()))
