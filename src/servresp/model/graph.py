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

import networkx as nx

from servresp.errors import UnknownIdError
from servresp.model._build import DEPENDENCY_EDGES, build_graph, dependency_view, plain_subgraph
from servresp.model.classes import MANAGEMENT_TIERS, Model, Role

__all__ = [
    "DEPENDENCY_EDGES",
    "accountable_for",
    "barriers_of",
    "build_graph",
    "dependency_view",
    "downstream_of",
    "duties_reaching",
    "duties_serving",
    "management_duties_above",
    "path_from_promise",
    "plain_subgraph",
    "roles_on",
    "rules_reading",
    "suppliers_of",
    "units_implicated_by",
    "upstream_of",
]

def _require(graph: nx.DiGraph[str], node: str, node_type: str) -> None:
    if node not in graph or graph.nodes[node].get("type") != node_type:
        known = [n for n, data in graph.nodes(data=True) if data.get("type") == node_type]
        raise UnknownIdError(node_type, node, known)


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


# --- everyday questions, by model (docs/api.md) -------------------------------------------


def accountable_for(model: Model, duty: str) -> str:
    """Return the unit accountable for ``duty`` (its owner)."""
    _require(model.graph, duty, "duty")
    return model.duties[duty].owner


def duties_serving(model: Model, promise: str) -> list[str]:
    """Return, sorted, every duty whose work reaches ``promise`` (supports, serves, measures)."""
    return sorted(duties_reaching(model.graph, promise, view=model.dependencies))


def upstream_of(model: Model, duty: str) -> list[str]:
    """Return, sorted, the duties ``duty`` depends on, directly or through other duties."""
    _require(model.graph, duty, "duty")
    view = model.supports
    return sorted(nx.ancestors(view, duty)) if duty in view else []


def downstream_of(model: Model, duty: str) -> list[str]:
    """Return, sorted, the duties, standards and promises that depend on ``duty``."""
    _require(model.graph, duty, "duty")
    view = model.dependencies
    return sorted(nx.descendants(view, duty)) if duty in view else []


def rules_reading(model: Model, signal: str) -> list[str]:
    """Return, sorted, the ids of the diagnostic rules whose conditions read ``signal``."""
    if signal not in model.signals:
        raise UnknownIdError("signal", signal, model.signals)
    return sorted(r.id for r in model.rules.values() if r.when.signal == signal)


def units_implicated_by(model: Model, signal: str) -> list[str]:
    """Return, sorted, the units that hold a RACI role on a duty that ``signal`` can implicate.

    A signal implicates duties two ways: a diagnostic rule reading it names them, and a
    standard measuring it is served by them.
    """
    duties = {d for rule in rules_reading(model, signal) for d in model.rules[rule].implicates}
    duties |= {d for s in model.standards.values() if s.metric == signal for d in s.served_by}
    return sorted({unit for duty in duties for unit in roles_on(model.graph, duty)})


def barriers_of(model: Model) -> dict[str, tuple[str, ...]]:
    """Return duty → the duties that catch its failures, sorted."""
    found: dict[str, list[str]] = {}
    for duty in model.duties.values():
        for caught in duty.catches:
            found.setdefault(caught, []).append(duty.id)
    return {caught: tuple(sorted(by)) for caught, by in sorted(found.items())}
