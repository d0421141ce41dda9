"""Format-neutral views of the model that several renderers draw: the RACI matrix, a diagram.

`servresp.charts` builds them from the model and its graph; `render.markdown`, `render.csvfile`,
`render.html`, `render.mermaid` and `render.dot` each turn one into text. They hold plain
strings in display order, so a renderer only has to escape and lay out.
"""

from __future__ import annotations

import attrs

__all__ = ["Cluster", "Column", "Diagram", "Edge", "Node", "RaciGroup", "RaciMatrix", "RaciRow"]


@attrs.frozen
class Column:
    """A unit as a column of the RACI matrix."""

    id: str
    """The unit's id."""
    name: str
    """Its display name, in the chart's language."""


@attrs.frozen
class RaciRow:
    """One duty as a row: who holds which role."""

    duty: str
    """The duty's id."""
    text: str
    """What the duty is, in the chart's language."""
    cells: tuple[str, ...]
    """One cell per column: role letters such as ``A/R``, or ``""``."""


@attrs.frozen
class RaciGroup:
    """The duties one unit owns."""

    owner: str
    """The owner's id."""
    name: str
    """The owner's display name."""
    rows: tuple[RaciRow, ...]
    """Its duties, by id."""


@attrs.frozen
class RaciMatrix:
    """Duties × units, grouped by the owning unit."""

    title: str
    """The page title."""
    columns: tuple[Column, ...]
    """The units, tiers first (top down), then departments, then teams."""
    groups: tuple[RaciGroup, ...]
    """Duties grouped by owner, in column order."""
    legend: tuple[tuple[str, str], ...]
    """``(letter, meaning)`` for A, R, C, I."""
    headers: tuple[str, str, str]
    """Captions of the owner, duty and text columns."""


@attrs.frozen
class Node:
    """A box in a diagram."""

    id: str
    """The model id it stands for (unique in the diagram)."""
    kind: str
    """``promise``, ``standard``, ``aspiration`` or ``duty``: decides its shape and colour."""
    lines: tuple[str, ...]
    """The label, one entry per line; renderers may wrap long lines."""
    cluster: str | None = None
    """The id of the cluster it is drawn in, if any."""


@attrs.frozen
class Edge:
    """An arrow from ``source`` to ``target`` (the direction work flows)."""

    source: str
    """The node the arrow starts at."""
    target: str
    """The node it points to."""
    kind: str
    """``supports``, ``serves`` or ``measures``: decides its style."""


@attrs.frozen
class Cluster:
    """A labelled group of nodes: a unit and the duties it owns."""

    id: str
    """The unit's id."""
    label: str
    """Its caption."""


@attrs.frozen
class Diagram:
    """A directed diagram whose arrows point toward the promise."""

    name: str
    """The diagram's id (the promise's)."""
    title: str
    """A caption."""
    nodes: tuple[Node, ...]
    """Boxes, by id."""
    edges: tuple[Edge, ...]
    """Arrows, sorted."""
    clusters: tuple[Cluster, ...] = ()
    """Groups, in display order."""
