"""Minimal cut sets: SCRAM's published results, brute force on random trees, Baobab1."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given

from faulttree_strategies import brute_cut_sets, fault_trees
from servresp.analysis.cutsets import count_cut_sets, minimal_cut_sets, sort_cut_sets
from servresp.analysis.mef import read_mef
from servresp.errors import FaultTreeError
from servresp.model.faulttree import FaultTree, Op, TreeGate

SCRAM = Path(__file__).parents[1] / "data" / "faulttree" / "scram"

# SCRAM's published minimal cut sets (tests/bench_core_tests.cc, tests/risk_analysis_tests.cc,
# default settings: not prime implicants). () is the one empty cut set ("unity").
PUBLISHED = {
    "abc.xml": {("A",), ("B",), ("C",)},
    "ab_bc.xml": {("A", "B"), ("B", "C")},
    "ab_or_not_ac.xml": {("A", "B"), ("C",)},
    "atleast.xml": {("A", "B"), ("B", "C"), ("A", "C")},
    "a_or_not_a.xml": {()},
    "a_or_not_b.xml": {()},
    "a_and_not_a.xml": set(),
    "a_and_not_b.xml": {("A",)},
    "a_or_not_ab.xml": {("A",), ("B",)},
    "multiple_parent_negative_gate.xml": {()},
    "unity.xml": {()},
    "null.xml": set(),
    "correct_tree_input_with_probs.xml": {("PumpOne", "PumpTwo"), ("PumpOne", "ValveTwo"),
                                          ("PumpTwo", "ValveOne"), ("ValveOne", "ValveTwo")},
    "correct_non_coherent.xml": {("PumpOne", "PumpTwo"), ("PumpOne", "ValveTwo"), ("ValveOne",)},
    "nested_not.xml": {("PumpTwo", "ValveTwo")},
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_scram_published_cut_sets(name: str):
    """SCRAM's inputs give SCRAM's published minimal cut sets."""
    found = minimal_cut_sets(read_mef([SCRAM / name]))
    assert {tuple(sorted(s)) for s in found} == {tuple(sorted(s)) for s in PUBLISHED[name]}


def test_baobab1_matches_scram():
    """Baobab1 (XFTA's tree in SCRAM's bench): 46,188 cut sets, SCRAM's order distribution."""
    tree = read_mef([SCRAM / "baobab1.xml", SCRAM / "baobab1-basic-events.xml"])
    found = minimal_cut_sets(tree)
    assert len(found) == count_cut_sets(tree) == 46188
    sizes = Counter(len(s) for s in found)
    distribution = [0, 1, 1, 70, 400, 2212, 14748, 8460, 10624, 6600, 3072]  # orders 1…11
    assert [sizes.get(order, 0) for order in range(1, 12)] == distribution


def test_chinese_tree_matches_scram():
    """XFTA's Chinese tree: 392 cut sets, SCRAM's order distribution."""
    tree = read_mef([SCRAM / "chinese.xml", SCRAM / "chinese-basic-events.xml"])
    sizes = Counter(len(s) for s in minimal_cut_sets(tree))
    assert [sizes.get(order, 0) for order in range(1, 7)] == [0, 12, 0, 24, 188, 168]


@given(fault_trees())
def test_cut_sets_are_the_minimal_true_points(tree: FaultTree):
    """Random trees with and/or/atleast/not: the cut sets equal brute-force enumeration."""
    assert {frozenset(s) for s in minimal_cut_sets(tree)} == brute_cut_sets(tree)


@given(fault_trees())
def test_cut_sets_are_sorted_and_counted(tree: FaultTree):
    """Events sorted by name, sets by size then names; the count agrees with the list."""
    found = minimal_cut_sets(tree)
    assert found == sort_cut_sets(found)
    assert all(list(s) == sorted(s) for s in found)
    assert count_cut_sets(tree) == len(found)


def test_sort_order_is_size_then_names():
    """A bigger set comes after a smaller one whatever the names."""
    assert sort_cut_sets([{"b", "a"}, {"z"}, {"c"}]) == (("c",), ("z",), ("a", "b"))


def test_empty_or_never_occurs_and_empty_and_always_does():
    """An or of nothing has no cut set; an and of nothing has the empty one."""
    never = FaultTree(top="t", gates={"t": TreeGate(Op.OR, ())}, events=())
    always = FaultTree(top="t", gates={"t": TreeGate(Op.AND, ())}, events=())
    assert minimal_cut_sets(never) == ()
    assert minimal_cut_sets(always) == ((),)


def test_too_deep_a_tree_is_a_located_problem():
    """Thousands of variable levels: refused with a problem that says what to do, not a crash."""
    pairs = 1500
    gates = {"top": TreeGate(Op.OR, tuple(f"g{i}" for i in range(pairs)))}
    gates.update({f"g{i}": TreeGate(Op.AND, (f"a{i}", f"b{i}")) for i in range(pairs)})
    events = tuple(f"{x}{i}" for i in range(pairs) for x in "ab")
    with pytest.raises(FaultTreeError, match="too deep for the pure-Python"):
        minimal_cut_sets(FaultTree(top="top", gates=gates, events=events))
