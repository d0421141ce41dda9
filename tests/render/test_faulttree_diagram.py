"""Fault-tree diagrams: gates drawn as gates, every name escaped, same tree → same text."""

from __future__ import annotations

from hypothesis import given

from faulttree_strategies import fault_trees
from servresp.model.faulttree import FaultTree, Op, TreeGate
from servresp.model.load import load_default
from servresp.render.faulttree_diagram import faulttree_dot, faulttree_mermaid, faulttree_page, gate_caption

TREE = FaultTree(
    top="promise",
    gates={"promise": TreeGate(Op.OR, ("a.escapes", "c")),
           "a.escapes": TreeGate(Op.AND, ("a", "b")),
           "c": TreeGate(Op.ATLEAST, ("a", "b", 'd"x'), 2)},
    events=("a", "b", 'd"x'), labels={"a": "production", "b": "qc"},
)


def test_mermaid_draws_gates_as_gates():
    """Or a trapezoid, and a stadium, k-of-n a hexagon; events boxes with their unit."""
    text = faulttree_mermaid(TREE)
    assert text.startswith("flowchart BT\n")
    assert '  n0[/"OR<br>promise broken"\\]' in text
    assert '  n1(["AND<br>a escapes its barriers"])' in text
    assert '  n2{{"AT LEAST 2 OF 3<br>c"}}' in text
    assert '  n3["a<br>production"]' in text
    assert '  n5["d#quot;x"]' in text


def test_dot_draws_gates_as_gates():
    """DOT: gate shapes, quoted names (a double quote cannot end a string early)."""
    text = faulttree_dot(TREE)
    assert '"promise" [label="OR\\npromise broken", shape=invtriangle' in text
    assert '"a.escapes" [label="AND\\na escapes its barriers", shape=invhouse' in text
    assert '"d\\"x" -> "c";' in text


def test_captions_say_what_a_gate_means():
    """The top is the promise broken; other gates name their duty."""
    assert gate_caption(TREE, "promise") == ("OR", "promise broken")
    assert gate_caption(TREE, "c") == ("AT LEAST 2 OF 3", "c")


@given(fault_trees())
def test_diagrams_are_stable_and_name_every_event(tree: FaultTree):
    """Same tree, same text; every event under the top appears in both formats."""
    assert faulttree_mermaid(tree) == faulttree_mermaid(tree)
    dot = faulttree_dot(tree)
    _, events = tree.reachable()
    assert all(f'"{event}" [label=' in dot for event in events)


def test_bundled_page_names_its_barriers():
    """product_works's page: the Mermaid diagram and the failures that must pass QC."""
    page = faulttree_page(load_default(), "product_works")
    assert "```mermaid\nflowchart BT\n" in page
    assert "`production.product_quality`" in page
