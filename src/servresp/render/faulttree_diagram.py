"""A promise's fault tree drawn as a diagram: Mermaid (for Markdown) and Graphviz DOT.

Gates are drawn as gates — an or gate as a trapezoid (DOT: an inverted triangle), an and
gate as a stadium (DOT: an inverted house), ``at least k`` as a hexagon, ``not`` as a
circle — each labelled with its operator and what it means; basic events (a duty failing)
are boxes naming the duty and its owner. Arrows point up, from a cause to the gate it feeds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp.model.faulttree import FaultTree, Op, TreeGate, fault_tree
from servresp.render import markdown as md
from servresp.render.dot import GENERATED_NOTE, quote
from servresp.render.mermaid import label

if TYPE_CHECKING:
    from servresp.model.classes import Model

__all__ = ["faulttree_dot", "faulttree_mermaid", "faulttree_page", "gate_caption"]

_MERMAID_SHAPES = {Op.OR: ('[/"', '"\\]'), Op.AND: ('(["', '"])'), Op.ATLEAST: ('{{"', '"}}'),
                   Op.NOT: ('(("', '"))')}
_DOT_SHAPES = {Op.OR: "invtriangle", Op.AND: "invhouse", Op.ATLEAST: "hexagon", Op.NOT: "circle"}
_SUFFIXES = {".fails": "fails", ".escapes": "escapes its barriers", ".suppliers": "its suppliers fail"}


def gate_caption(tree: FaultTree, name: str) -> tuple[str, ...]:
    """Return a gate's label lines: its operator, then what its output means."""
    gate = tree.gates[name]
    op = _operator(gate)
    if name == tree.top:
        return (op, f"{name} broken")
    for suffix, meaning in _SUFFIXES.items():
        if name.endswith(suffix):
            return (op, f"{name.removesuffix(suffix)} {meaning}")
    return (op, name)


def _operator(gate: TreeGate) -> str:
    if gate.op is Op.ATLEAST:
        return f"AT LEAST {gate.k} OF {len(gate.children)}"
    return gate.op.value.upper()


def _event_lines(tree: FaultTree, name: str) -> tuple[str, ...]:
    if name in tree.houses:
        return (name, "always" if tree.houses[name] else "never")
    unit = tree.labels.get(name)
    return (name, unit) if unit else (name,)


def _order(tree: FaultTree) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Return (gates, events, edges child → gate) under the top, in a stable order."""
    gates, events = tree.reachable()
    ordered_gates = [tree.top, *sorted(gates - {tree.top})]
    houses = sorted({c for g in gates for c in tree.gates[g].children if c in tree.houses})
    edges = [(child, g) for g in ordered_gates for child in tree.gates[g].children]
    return ordered_gates, [*sorted(events), *houses], edges


def faulttree_mermaid(tree: FaultTree) -> str:
    """Return ``tree`` as a Mermaid flowchart, causes at the bottom, the top event above."""
    gates, events, edges = _order(tree)
    ids = {name: f"n{i}" for i, name in enumerate([*gates, *events])}
    lines = ["flowchart BT"]
    for name in gates:
        opening, closing = _MERMAID_SHAPES[tree.gates[name].op]
        text = "<br>".join(label(line) for line in gate_caption(tree, name))
        lines.append(f"  {ids[name]}{opening}{text}{closing}")
    lines.extend(f'  {ids[name]}["{"<br>".join(label(line) for line in _event_lines(tree, name))}"]'
                 for name in events)
    lines.extend(f"  {ids[child]} --> {ids[parent]}" for child, parent in edges)
    lines.append("  classDef top fill:#fde68a,stroke:#92400e,color:#000")
    lines.append("  classDef gate fill:#e0e7ff,stroke:#3730a3,color:#000")
    lines.append("  classDef event fill:#ffffff,stroke:#374151,color:#000")
    lines.append(f"  class {ids[tree.top]} top")
    if len(gates) > 1:
        lines.append(f"  class {','.join(ids[g] for g in gates[1:])} gate")
    if events:
        lines.append(f"  class {','.join(ids[e] for e in events)} event")
    return "\n".join(lines) + "\n"


def faulttree_dot(tree: FaultTree) -> str:
    """Return ``tree`` as a DOT digraph with gate-shaped gates."""
    gates, events, edges = _order(tree)
    lines = [GENERATED_NOTE, f"digraph {quote(tree.top + '.faulttree')} {{",
             (f"  graph [rankdir=BT, label={quote('Fault tree: ' + tree.top + ' broken')}, labelloc=t, "
             "fontname=Helvetica];"),
             "  node [fontname=Helvetica, fontsize=10];", '  edge [color="#4b5563"];']
    for name in gates:
        fill = "#fde68a" if name == tree.top else "#e0e7ff"
        lines.append(f"  {quote(name)} [label={quote(chr(10).join(gate_caption(tree, name)))}, "
                     f'shape={_DOT_SHAPES[tree.gates[name].op]}, style=filled, fillcolor="{fill}"];')
    lines.extend(f"  {quote(name)} [label={quote(chr(10).join(_event_lines(tree, name)))}, shape=box];"
                 for name in events)
    lines.extend(f"  {quote(child)} -> {quote(parent)};" for child, parent in edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def faulttree_page(model: Model, promise_id: str) -> str:
    """Return the Markdown page of a promise's fault tree, with its Mermaid diagram."""
    tree = fault_tree(model, promise_id)
    barriers = sorted(name.removesuffix(".escapes") for name in tree.gates if name.endswith(".escapes"))
    out = [md.GENERATED_NOTE, "", md.heading(1, f"Fault tree: {md.code(promise_id)} broken"), "",
           (f"[{promise_id}]({promise_id}.md) · [index](../index.md) · "
           f"[how to read it](../../faulttrees.md)"), "",
           ("Which combinations of duties failing break the promise. A duty fails on its own or "
           "when its suppliers' failures combine by its gate; a failure reaches its customers "
           "only past every barrier that catches it. Analyse it with "
           f"`servresp cutsets {promise_id}`."), ""]
    if barriers:
        out += ["Failures that must pass a barrier: " + ", ".join(md.code(b) for b in barriers) + ".", ""]
    out += ["```mermaid", faulttree_mermaid(tree).rstrip("\n"), "```"]
    return "\n".join(out) + "\n"
