"""Importance measures: SCRAM's published values and their definitions on random trees."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from faulttree_strategies import brute_probability, fault_trees
from servresp.analysis.importance import (
    birnbaum,
    criticality,
    diagnosis,
    importance,
    occurrence,
    risk_achievement_worth,
    risk_reduction_worth,
)
from servresp.analysis.mef import read_mef
from servresp.model.faulttree import FaultTree

SCRAM = Path(__file__).parents[1] / "data" / "faulttree" / "scram"
FIELDS = ("occurrence", "mif", "cif", "dif", "raw", "rrw")

# SCRAM tests/risk_analysis_tests.cc ImportanceDefault (the two-train system): {occ, MIF, CIF, DIF, RAW, RRW}.
TWO_TRAIN = {
    "PumpOne": (2, 0.51, 0.4737, 0.7895, 1.316, 1.9),
    "PumpTwo": (2, 0.38, 0.4118, 0.8235, 1.176, 1.7),
    "ValveOne": (2, 0.34, 0.2105, 0.5263, 1.316, 1.267),
    "ValveTwo": (2, 0.228, 0.1765, 0.5882, 1.176, 1.214),
}
# ImportanceNeg: SCRAM computed these with prime implicants, so only the measures (not the
# occurrence counts) are comparable with cut sets.
NEGATIVE = {
    "PumpOne": (0.0765, 0.1029, 0.1568, 2.613, 1.115),
    "PumpTwo": (0.057, 0.08948, 0.1532, 2.189, 1.098),
    "ValveOne": (0.94, 0.8432, 0.8495, 21.237, 6.379),
    "ValveTwo": (0.0558, 0.06257, 0.1094, 2.189, 1.067),
}
# bench_chinese_tree_tests.cc, exact (BDD) branch: a sample of its 25 events.
CHINESE = {
    "e1": (40, 0.0745557, 0.326332, 0.339805, 16.9902, 1.48441),
    "e4": (21, 0.0553923, 0.242453, 0.257604, 12.8802, 1.32005),
    "e8": (180, 0.000181647, 0.000795073, 0.0207792, 1.03896, 1.0008),
    "e12": (136, 9.51481e-05, 0.000416465, 0.0204081, 1.02041, 1.00042),
    "e22": (154, 1.03582e-05, 4.5338e-05, 0.0200444, 1.00222, 1.00005),
}


def _by_event(files: list[str]) -> dict[str, tuple[float | None, ...]]:
    tree = read_mef([SCRAM / f for f in files])
    return {i.event: tuple(getattr(i, f) for f in FIELDS) for i in importance(tree)}


def test_two_train_matches_scram():
    """The two-train system: every measure as SCRAM prints it (1e-3 relative)."""
    found = _by_event(["correct_tree_input_with_probs.xml"])
    assert sorted(found) == sorted(TWO_TRAIN)
    for event, expected in TWO_TRAIN.items():
        assert found[event] == pytest.approx(expected, rel=1e-3)


def test_negative_event_matches_scram():
    """A tree with a not gate: the measures as SCRAM prints them."""
    found = _by_event(["importance_neg_test.xml"])
    for event, expected in NEGATIVE.items():
        assert found[event][1:] == pytest.approx(expected, rel=1e-3)


def test_chinese_tree_matches_scram():
    """XFTA's Chinese tree: occurrence and measures as SCRAM prints them."""
    found = _by_event(["chinese.xml", "chinese-basic-events.xml"])
    assert len(found) == 25
    for event, expected in CHINESE.items():
        assert found[event] == pytest.approx(expected, rel=1e-3)


def test_undefined_ratios_are_none():
    """SCRAM's null_a (one event, p 0.5): RRW divides by zero, so it is None (SCRAM prints 0)."""
    found = _by_event(["null_a.xml"])
    assert found == {"OnlyChild": (1, 1.0, 1.0, 1.0, 2.0, None)}
    zero = _by_event(["zero_prob.xml"])
    assert zero == {"A": (1, 1.0, None, None, None, None)}


@given(fault_trees())
def test_measures_follow_their_definitions(tree: FaultTree):
    """Each measure equals its definition computed by brute force on the tree."""
    top = brute_probability(tree, tree.probabilities)
    for item in importance(tree):
        p = tree.probabilities[item.event]
        on = brute_probability(tree, {**tree.probabilities, item.event: 1.0})
        off = brute_probability(tree, {**tree.probabilities, item.event: 0.0})
        assert item.mif == pytest.approx(on - off, abs=1e-9)
        if top > 1e-9:
            assert item.dif == pytest.approx(p * on / top, rel=1e-6, abs=1e-12)
            assert item.raw == pytest.approx(on / top, rel=1e-6)
            assert item.cif == pytest.approx((on - off) * p / top, rel=1e-6, abs=1e-12)
        if off > 1e-9:
            assert item.rrw == pytest.approx(top / off, rel=1e-6)


def test_one_function_per_measure():
    """The per-measure functions agree with `importance`."""
    tree = read_mef([SCRAM / "correct_tree_input_with_probs.xml"])
    rows = {i.event: i for i in importance(tree)}
    assert occurrence(tree) == {e: r.occurrence for e, r in rows.items()}
    assert birnbaum(tree) == {e: r.mif for e, r in rows.items()}
    assert criticality(tree) == {e: r.cif for e, r in rows.items()}
    assert diagnosis(tree) == {e: r.dif for e, r in rows.items()}
    assert risk_achievement_worth(tree) == {e: r.raw for e, r in rows.items()}
    assert risk_reduction_worth(tree) == {e: r.rrw for e, r in rows.items()}
