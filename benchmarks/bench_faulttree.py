"""FT1: fault-tree analysis on SCRAM's Baobab1 (XFTA's tree: 61 events, 84 gates, 46,188 cut sets).

Issue 15's target: every minimal cut set of Baobab1 within 10 s on this machine. Also timed:
reading the two MEF files, the BDD, the exact probability, importance of every event, the
whole ``servresp cutsets --mef … --format json`` analysis, and the bundled model's three
promises. The figures are checked against SCRAM's published results first (a fast wrong
answer is no answer).
"""

from __future__ import annotations

from pathlib import Path

from bench_common import ROOT, Row, Sizes, timed

__all__ = ["BAOBAB1", "ft1_faulttree"]

BAOBAB1 = [ROOT / "tests" / "data" / "faulttree" / "scram" / name
           for name in ("baobab1.xml", "baobab1-basic-events.xml")]
CUT_SETS, EXACT = 46188, 1.2823e-6  # SCRAM tests/bench_baobab1_tests.cc


def ft1_faulttree(sizes: Sizes, _work: Path) -> list[Row]:
    """Time each step of Baobab1's analysis, after checking the answer against SCRAM's."""
    from servresp.analysis.bdd import compile_tree  # noqa: PLC0415
    from servresp.analysis.cutsets import minimal_cut_sets  # noqa: PLC0415
    from servresp.analysis.cutsets_report import analyse, render_cutsets  # noqa: PLC0415
    from servresp.analysis.importance import importance  # noqa: PLC0415
    from servresp.analysis.mef import read_mef  # noqa: PLC0415
    from servresp.analysis.probability import exact_probability  # noqa: PLC0415
    from servresp.model.faulttree import fault_tree  # noqa: PLC0415
    from servresp.model.load import load_default  # noqa: PLC0415

    tree = read_mef(BAOBAB1)
    found = minimal_cut_sets(tree)
    if len(found) != CUT_SETS or abs(exact_probability(tree) - EXACT) > 1e-8:
        return [Row("FT1", f"failed: Baobab1 gave {len(found)} cut sets, not SCRAM's {CUT_SETS}", "s")]
    model = load_default()
    steps = {
        "Baobab1: read the two MEF files": lambda: read_mef(BAOBAB1),
        "Baobab1: BDD of the top event (dd.autoref)": lambda: compile_tree(tree),
        "Baobab1: all 46,188 minimal cut sets (BDD → ZBDD)": lambda: minimal_cut_sets(tree),
        "Baobab1: exact P(top)": lambda: exact_probability(tree),
        "Baobab1: importance of all 61 events": lambda: importance(tree),
        "Baobab1: read + analyse + JSON (servresp cutsets --mef)":
            lambda: render_cutsets(analyse(read_mef(BAOBAB1)), fmt="json"),
        "bundled model: the three promises' cut sets": lambda: [
            minimal_cut_sets(fault_tree(model, p)) for p in sorted(model.promises)],
    }
    times: dict[str, list[float]] = {what: [] for what in steps}
    for _ in range(sizes.repeats):
        for what, step in steps.items():
            times[what].append(timed(step))
    rows = []
    for what, values in times.items():
        if "minimal cut sets" in what:
            rows.append(Row("FT1", what, "s", values, "≤ 10", max(values) <= 10.0,
                            note="SCRAM's count and order distribution, checked in tests"))
        else:
            rows.append(Row("FT1", what, "s", values))
    return rows
