"""Open-PSA MEF XML: SCRAM's inputs read, trees written and read back, bad files located."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from faulttree_strategies import fault_trees
from servresp.analysis.cutsets import minimal_cut_sets
from servresp.analysis.mef import read_mef, write_mef
from servresp.analysis.probability import exact_probability
from servresp.errors import FaultTreeError
from servresp.model.faulttree import FaultTree, Op, TreeGate, fault_tree
from servresp.model.load import load_default

SCRAM = Path(__file__).parents[1] / "data" / "faulttree" / "scram"
HEAD = '<?xml version="1.0"?>\n<opsa-mef>\n'
MEF_IDENTIFIER = r"[^\-.]+(-[^\-.]+)*"  # SCRAM's share/input.rng


def _problems(tmp_path: Path, text: str, **kwargs: str) -> list[str]:
    path = tmp_path / "tree.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FaultTreeError) as caught:
        read_mef([path], **kwargs)
    return [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems]


def test_reads_gates_events_and_probabilities_across_files():
    """Baobab1's gates in one file, its basic events in another."""
    tree = read_mef([SCRAM / "baobab1.xml", SCRAM / "baobab1-basic-events.xml"])
    assert tree.top == "r1"
    assert len(tree.gates) == 84
    assert len(tree.events) == 61
    assert tree.probabilities["e1"] == pytest.approx(0.000072)


def test_reads_house_events_and_nested_formulas():
    """SCRAM's unity.xml (a true house event) and nested_not.xml (formulas inside formulas)."""
    assert read_mef([SCRAM / "unity.xml"]).houses
    nested = read_mef([SCRAM / "nested_not.xml"])
    assert any("." in name for name in nested.gates)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=fault_trees())
def test_written_trees_read_back_the_same(tmp_path: Path, tree: FaultTree):
    """write_mef then read_mef: the same cut sets and the same probability."""
    path = tmp_path / "out.xml"
    path.write_text(write_mef(tree), encoding="utf-8")
    again = read_mef([path])
    assert again.top == tree.top
    assert minimal_cut_sets(again) == minimal_cut_sets(tree)
    assert exact_probability(again) == pytest.approx(exact_probability(tree))


def test_a_promise_exports_with_its_duties(tmp_path: Path):
    """A promise's tree exports as MEF whose events are its duties."""
    tree = fault_tree(load_default(), "product_works").with_probabilities(
        dict.fromkeys(fault_tree(load_default(), "product_works").events, 0.1))
    text = write_mef(tree)
    assert '<define-fault-tree name="product_works">' in text
    assert '<define-basic-event name="qc-product_quality">' in text  # MEF reserves "." for paths
    assert all(re.fullmatch(MEF_IDENTIFIER, name) for name in re.findall(r'name="([^"]*)"', text))
    path = tmp_path / "product_works.xml"
    path.write_text(text, encoding="utf-8")
    back = minimal_cut_sets(read_mef([path]))
    assert [tuple(e.replace("-", ".") for e in s) for s in back] == list(minimal_cut_sets(tree))


def test_empty_gates_export_as_constants():
    """An or of nothing (a promise nothing supports) is written as a false constant."""
    tree = FaultTree(top="t", gates={"t": TreeGate(Op.OR, ())}, events=())
    assert '<constant value="false"/>' in write_mef(tree)


def test_malformed_xml_is_located(tmp_path: Path):
    """Bad XML: one line with the file, the line and what is wrong."""
    assert _problems(tmp_path, HEAD + "<define-gate name='g'>\n</opsa-mef>\n") == [
        "tree.xml:4: not well-formed XML: mismatched tag (fix the XML syntax)"]


def test_entities_are_refused(tmp_path: Path):
    """A DOCTYPE (which could expand entities: a billion laughs) is refused, not expanded."""
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
            "<opsa-mef>&lol2;</opsa-mef>\n")
    assert _problems(tmp_path, bomb) == [
        ("tree.xml:2: DOCTYPE: a DOCTYPE is not accepted (it could declare entities) "
        "(remove the <!DOCTYPE …> line)")]


def test_every_problem_is_reported_at_once(tmp_path: Path):
    """Unsupported formulas, bad probabilities, doubled names and unknown gates, each located."""
    text = HEAD + """  <define-fault-tree name="ft">
    <define-gate name="top"><xor><event name="a"/><gate name="nope"/></xor></define-gate>
    <define-gate name="top"><or><event name="a"/></or></define-gate>
    <define-gate name="k"><atleast min="5"><event name="a"/><event name="b"/></atleast></define-gate>
  </define-fault-tree>
  <define-basic-event name="a"><float value="1.5"/></define-basic-event>
</opsa-mef>
"""
    assert _problems(tmp_path, text) == [
        ("tree.xml:4: xor: unsupported formula <xor>; did you mean 'or'? "
        "(use and, or, atleast, not or an event reference)"),
        ("tree.xml:5: define-gate: 'top' is already defined at tree.xml:4 "
        "(give each gate and event one definition)"),
        "tree.xml:6: atleast: min='5' must be a whole number from 1 to 2",
        ("tree.xml:8: float: basic event 'a' needs one <float value=…/> from 0 to 1 "
        "(servresp reads constant probabilities only)"),
    ]


def test_unknown_gate_reference_is_located(tmp_path: Path):
    """A <gate> reference to nothing defined says so, with a suggestion."""
    gate = '<define-gate name="top"><or><gate name="tap"/><event name="a"/></or></define-gate>\n'
    text = HEAD + gate + "</opsa-mef>\n"
    assert _problems(tmp_path, text) == ["tree.xml:3: gate: no gate named 'tap'; did you mean 'top'?"]


def test_the_top_must_be_clear(tmp_path: Path):
    """Two gates nothing uses: name one with --top; an unknown --top gets a suggestion."""
    text = HEAD + ('<define-gate name="a"><or><event name="x"/></or></define-gate>\n'
                   '<define-gate name="b"><or><event name="y"/></or></define-gate>\n</opsa-mef>\n')
    assert _problems(tmp_path, text) == ["tree.xml: 2 top gates (a, b) (name the top event with --top)"]
    assert _problems(tmp_path, text, top="bb") == ["tree.xml: --top: no gate named 'bb'; did you mean 'b'?"]
    assert read_mef([tmp_path / "tree.xml"], top="b").top == "b"


def test_not_an_mef_document(tmp_path: Path):
    """Well-formed XML that is not <opsa-mef> is refused."""
    assert _problems(tmp_path, "<html/>") == ["tree.xml:1: expected an <opsa-mef> document"]
