"""Top-event probability: SCRAM's published values, brute force, and the order of the bounds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from faulttree_strategies import brute_probability, fault_trees
from servresp.analysis.cutsets import minimal_cut_sets
from servresp.analysis.mef import read_mef
from servresp.analysis.probability import (
    cut_set_probability,
    exact_probability,
    mcub_probability,
    rare_event_probability,
)
from servresp.errors import FaultTreeError
from servresp.model.faulttree import FaultTree, Op, TreeGate

SCRAM = Path(__file__).parents[1] / "data" / "faulttree" / "scram"

# SCRAM's published P(top): (exact by BDD, rare-event), from tests/bench_core_tests.cc,
# tests/risk_analysis_tests.cc and the Baobab1/Chinese benches.
PUBLISHED = {
    ("abc.xml",): (0.496, 0.6),
    ("ab_bc.xml",): (0.074, 0.08),
    ("ab_or_not_ac.xml",): (0.29, 0.32),
    ("atleast.xml",): (0.098, 0.11),
    ("a_or_not_a.xml",): (1.0, 1.0),
    ("a_or_not_b.xml",): (0.82, 1.0),
    ("a_and_not_a.xml",): (0.0, 0.0),
    ("a_and_not_b.xml",): (0.08, 0.1),
    ("a_or_not_ab.xml",): (0.28, 0.3),
    ("multiple_parent_negative_gate.xml",): (0.9, 1.0),
    ("correct_tree_input_with_probs.xml",): (0.646, 1.0),
    ("importance_neg_test.xml",): (0.04459, None),
    ("importance_test.xml",): (None, 0.012),
}
APPROXIMATE = {  # SCRAM prints these with fewer digits: checked to 1e-3 relative
    ("baobab1.xml", "baobab1-basic-events.xml"): (1.2823e-6, 1.6815e-6),
    ("chinese.xml", "chinese-basic-events.xml"): (0.0045691, 0.004804),
}


def _tree(files: tuple[str, ...]) -> FaultTree:
    return read_mef([SCRAM / f for f in files])


@pytest.mark.parametrize("files", sorted(PUBLISHED))
def test_scram_published_probabilities(files: tuple[str, ...]):
    """Exact and rare-event P(top) match SCRAM's published values to 1e-6."""
    tree = _tree(files)
    exact, rare = PUBLISHED[files]
    if exact is not None:
        assert exact_probability(tree) == pytest.approx(exact, abs=1e-6)
    if rare is not None:
        assert rare_event_probability(tree, minimal_cut_sets(tree)) == pytest.approx(rare, abs=1e-6)


@pytest.mark.parametrize("files", sorted(APPROXIMATE))
def test_scram_benchmark_probabilities(files: tuple[str, ...]):
    """Baobab1 and the Chinese tree: SCRAM's printed digits (1e-3 relative)."""
    tree = _tree(files)
    exact, rare = APPROXIMATE[files]
    assert exact_probability(tree) == pytest.approx(exact, rel=1e-3)
    assert rare_event_probability(tree, minimal_cut_sets(tree)) == pytest.approx(rare, rel=1e-3)


def test_scram_cut_set_probabilities():
    """The two-train system: each cut set's probability as SCRAM prints it."""
    tree = _tree(("correct_tree_input_with_probs.xml",))
    assert cut_set_probability(tree, ["PumpOne", "PumpTwo"]) == pytest.approx(0.42)
    assert cut_set_probability(tree, ["ValveOne", "ValveTwo"]) == pytest.approx(0.2)


@given(fault_trees())
def test_exact_matches_brute_force(tree: FaultTree):
    """The BDD's P(top) equals the sum over every state in which the top occurs."""
    assert exact_probability(tree) == pytest.approx(brute_probability(tree, tree.probabilities), abs=1e-9)


@given(fault_trees(coherent=True))
def test_bounds_are_ordered_for_coherent_trees(tree: FaultTree):
    """Coherent trees: exact ≤ min-cut upper bound ≤ rare-event approximation (capped at 1)."""
    cut_sets = minimal_cut_sets(tree)
    exact = exact_probability(tree)
    mcub = mcub_probability(tree, cut_sets)
    assert exact <= mcub + 1e-12
    assert mcub <= rare_event_probability(tree, cut_sets) + 1e-12


def test_missing_probabilities_are_named():
    """An event without a probability is named, with what to do."""
    tree = FaultTree(top="t", gates={"t": TreeGate(Op.OR, ("a", "b"))}, events=("a", "b"),
                     probabilities={"a": 0.1})
    with pytest.raises(FaultTreeError) as caught:
        exact_probability(tree)
    assert str(caught.value) == ("fault tree t: probabilities: no probability for b "
                                 "(give every basic event a probability)")
