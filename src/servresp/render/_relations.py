"""Typed neighbours in the model graph, sorted: the few queries the renderers share.

The graph (`servresp.graph`) types each edge with ``kind``; these helpers read one kind of
edge around one node and return new sorted lists, leaving the graph untouched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["node_type", "predecessors", "successors"]


def successors(graph: nx.DiGraph[str], node: str, kind: str) -> list[str]:
    """Return the nodes that ``node`` points to along edges of ``kind``, sorted."""
    if node not in graph:
        return []
    return sorted(v for _, v, data in graph.out_edges(node, data=True) if data["kind"] == kind)


def predecessors(graph: nx.DiGraph[str], node: str, kind: str) -> list[str]:
    """Return the nodes that point to ``node`` along edges of ``kind``, sorted."""
    if node not in graph:
        return []
    return sorted(u for u, _, data in graph.in_edges(node, data=True) if data["kind"] == kind)


def node_type(graph: nx.DiGraph[str], node: str) -> str:
    """Return the node's type (unit, duty, promise, standard, rule), or ``""`` when absent."""
    if node not in graph:
        return ""
    return str(graph.nodes[node].get("type", ""))
