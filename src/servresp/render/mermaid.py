r"""Mermaid flowcharts (rendered by GitHub inside Markdown) from a `Diagram`.

Node ids are generated (``n0``, ``n1``, … in node order; ``c0``, … for clusters) because
model ids hold dots, which Mermaid does not accept in ids. Labels are quoted, and every
character that Mermaid or the HTML it produces would read as syntax is written as an
entity code (``#quot;``, ``#35;``, …); a newline becomes ``<br>``. A colon is one too:
Mermaid drops the last ``;`` of any line matching ``style.*:\S*#.*;`` before it reads the
entities, which turned ``style a:b #62;= 0.96`` into ``#62= 0.96``.
"""

from __future__ import annotations

import re

from servresp.render.views import Diagram, Node

__all__ = ["flowchart", "label"]

_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#38;",
    "<": "#60;",
    ">": "#62;",
    "`": "#96;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    ":": "#58;",
}
_SPECIAL = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")
_NEWLINE = re.compile(r"\r\n|\r|\n")

_SHAPES = {
    "promise": ('(["', '"])'),
    "standard": ('{{"', '"}}'),
    "aspiration": ('{{"', '"}}'),
    "duty": ('["', '"]'),
}
_ARROWS = {"measures": "==>", "serves": "-.->", "supports": "-->"}
_CLASSES = (
    "classDef promise fill:#fde68a,stroke:#92400e,color:#000",
    "classDef standard fill:#bfdbfe,stroke:#1e3a8a,color:#000",
    "classDef aspiration fill:#e5e7eb,stroke:#6b7280,color:#000,stroke-dasharray:4 3",
    "classDef duty fill:#ffffff,stroke:#374151,color:#000",
)


def label(value: str) -> str:
    """Escape ``value`` for use between the double quotes of a Mermaid label."""
    escaped = _SPECIAL.sub(lambda match: _ENTITIES[match.group()], value)
    return _NEWLINE.sub("<br>", escaped)


def _node(mermaid_id: str, node: Node) -> str:
    opening, closing = _SHAPES[node.kind]
    return f"{mermaid_id}{opening}{'<br>'.join(label(line) for line in node.lines)}{closing}"


def flowchart(diagram: Diagram) -> str:
    """Return ``diagram`` as a Mermaid flowchart, arrows pointing up toward the promise."""
    ids = {node.id: f"n{i}" for i, node in enumerate(diagram.nodes)}
    lines = ["flowchart BT"]
    lines.extend(f"  {_node(ids[node.id], node)}" for node in diagram.nodes if node.cluster is None)
    for number, cluster in enumerate(diagram.clusters):
        lines.append(f'  subgraph c{number}["{label(cluster.label)}"]')
        lines.extend(
            f"    {_node(ids[node.id], node)}" for node in diagram.nodes if node.cluster == cluster.id
        )
        lines.append("  end")
    lines.extend(
        f"  {ids[edge.source]} {_ARROWS[edge.kind]} {ids[edge.target]}" for edge in diagram.edges
    )
    lines.extend(f"  {definition}" for definition in _CLASSES)
    for kind in _SHAPES:
        members = [ids[node.id] for node in diagram.nodes if node.kind == kind]
        if members:
            lines.append(f"  class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"
