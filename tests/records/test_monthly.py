import io
import json
import re
from pathlib import Path

import attrs
import pytest

import servresp
from servresp.cli import main
from servresp.errors import FactError, Problem
from servresp.evaluate.engine import evaluate
from servresp.evaluate.facts import FactSet, parse_facts
from servresp.evaluate.periods import parse_period
from servresp.records.indicators import indicators_from_files
from servresp.records.monthly import SCHEMA, build_monthly, previous_period, render_json, report_to_dict
from servresp.render.report_md import render_report_md
from servresp.trace.tracer import trace

ROOT = Path(__file__).parents[2]
RECORDS = ROOT / "examples" / "records"
MODEL = servresp.load_default()


def _october() -> str:
    return indicators_from_files(sorted(RECORDS.iterdir())).to_jsonl()


def _september() -> str:
    """Return the healthy example, a month earlier."""
    return (ROOT / "examples" / "healthy.jsonl").read_text(encoding="utf-8").replace("2026-10", "2026-09")


def _facts(*texts: str) -> FactSet:
    return parse_facts("".join(texts), MODEL, source="facts.jsonl")


@pytest.mark.parametrize(("period", "before"), [
    ("2026-10", "2026-09"), ("2026-01", "2025-12"),
    ("2026-W01", "2025-W52"), ("2027-W01", "2026-W53"), ("2026-W44", "2026-W43"),
    ("2026-03-01", "2026-02-28"), ("2028-03-01", "2028-02-29"), ("2027-01-01", "2026-12-31"),
])
def test_previous_period(period: str, before: str) -> None:
    """The period just before, of the same kind, across year ends and leap days."""
    assert str(previous_period(parse_period(period))) == before


def test_report_lines_give_actual_target_gap_change_and_budget() -> None:
    """Each standard: actual, gap, change against September and the budget left, as S3 counts it."""
    report = build_monthly(MODEL, _facts(_october(), _september()))
    assert (report.period, report.previous) == ("2026-10", "2026-09")
    lines = {line.standard.id: line for line in report.standards}
    repair = lines["repair_same_day"]
    assert (repair.actual, repair.met, repair.gap, repair.budget) == (0.975, True, 0.0, pytest.approx(0.04))
    assert repair.budget_used == pytest.approx(0.025)
    assert repair.budget_left == pytest.approx(0.015)
    assert repair.budget_left_share == pytest.approx(0.375)
    assert repair.change == 0.0
    ring2 = lines["call_answer_ring2"]
    assert (ring2.actual, ring2.met, ring2.n) == (0.92, False, 50)
    assert ring2.gap == pytest.approx(0.04)
    assert ring2.change == pytest.approx(0.92 - 0.97)
    assert ring2.budget_left_share == pytest.approx(-1.0)
    complaint = lines["complaint_rate"]
    assert complaint.budget_used == pytest.approx(7 / 600)
    assert complaint.budget_left == pytest.approx(0.01 - 7 / 600)
    assert lines["peak_counters_open"].budget is None
    assert lines["product_defect_rate"].actual is None
    assert lines["product_defect_rate"].met is None


def test_owners_of_a_miss_are_the_trace_of_that_miss_alone() -> None:
    """A miss lists the top owners of the trace of its breach alone; met standards and aims none."""
    facts = _facts(_october())
    report = build_monthly(MODEL, facts)
    evaluation = evaluate(MODEL, facts, period="2026-10")
    for line in report.standards:
        breach = next((b for b in evaluation.breaches if b.standard == line.standard.id), None)
        if breach is None:
            assert line.owners == ()
            continue
        alone = attrs.evolve(evaluation, breaches=(breach,), aspirations=(), firings=())
        expected = trace(MODEL, alone, line.standard.promise).owners[:3]
        assert [(o.unit, o.share, o.roles) for o in line.owners] == [
            (o.unit, o.share, o.roles) for o in expected]
        assert line.owners
    # Pinned, not recomputed: each October miss is first customer service's, as accountable (S4 §3).
    tops = {line.standard.id: line.owners[0] for line in report.standards if line.owners}
    assert sorted(tops) == ["call_answer_ring2", "complaint_rate", "feedback_solution_3d",
                            "peak_counters_open"]
    assert {(o.unit, "accountable" in o.roles) for o in tops.values()} == {("customer_service", True)}
    assert sum(o.share for o in next(ln for ln in report.standards if ln.owners).owners) <= 1.0
    assert {p.promise: p.status for p in report.promises} == {
        "commitment_kept": "breached", "product_works": "at_risk", "service_as_promised": "breached"}


def test_json_is_versioned_sorted_and_stable() -> None:
    """servresp.report/1, sorted keys, indent 2, a final newline, the same bytes twice."""
    facts = _facts(_october(), _september())
    text = render_json(build_monthly(MODEL, facts))
    assert text == render_json(build_monthly(MODEL, facts))
    data = json.loads(text)
    assert data["schema"] == SCHEMA == "servresp.report/1"
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    ring2 = next(s for s in data["standards"] if s["standard"] == "call_answer_ring2")
    assert ring2 == {
        "standard": "call_answer_ring2", "promise": "service_as_promised",
        "metric": "call.answered_by_ring2_rate", "status": "standard", "comparator": ">=",
        "target": 0.96, "actual": 0.92, "n": 50, "met": False, "gap": 0.04, "previous": 0.97,
        "change": -0.05, "budget": 0.04, "budget_used": 0.08, "budget_left": -0.04,
        "budget_left_share": -1.0, "owners": ring2["owners"],
    }
    assert next(o["unit"] for o in ring2["owners"]) == "customer_service"
    assert "product_defect_rate" in data["unmeasured"]  # no record type feeds it
    assert data["facts"] == {"read": 32, "rejected": 0, "unknown": 0}  # peak counters: one per day


def test_markdown_shows_the_misses_and_their_owners() -> None:
    """The Markdown table has a row per standard; each miss lists its owners with shares."""
    text = render_report_md(build_monthly(MODEL, _facts(_october(), _september())))
    assert text.startswith("# Service standards report — 2026-10\n")
    assert text.endswith("\n")
    assert ("| call_answer_ring2 | service_as_promised | 92.00% | ≥ 96.00% | **4.00 pts** | "
            "−5.00 pts (worse) | overrun by 4.00 pts (1.00 budgets) | 50 |") in text
    assert ("| repair_same_day | commitment_kept | 97.50% | ≥ 96.00% | met | ±0 | "
            "1.50 pts of 4.00 pts (37.50%) | 40 |") in text
    assert "| product_defect_rate | product_works | no data | ≤ 2.00% | — | — | — | — |" in text
    assert "### call_answer_ring2 (service_as_promised)" in text
    assert re.search(r"\n- customer_service: \d+\.\d\d% \(accountable, responsible", text)
    assert "### repair_same_day" not in text
    assert re.search(r"No reading for: .*product_defect_rate", text)


def test_a_period_without_misses_says_so() -> None:
    """A healthy month: no miss section entries, every promise ok or at risk."""
    healthy = (ROOT / "examples" / "healthy.jsonl").read_text(encoding="utf-8")
    report = build_monthly(MODEL, _facts(healthy))
    assert not any(line.owners for line in report.standards)
    assert "No standard was missed." in render_report_md(report)
    assert report_to_dict(report)["previous_period"] is None  # no September facts to compare with


def test_chosen_period_reads_only_that_period() -> None:
    """--period reports September with October as nothing more than the future."""
    report = build_monthly(MODEL, _facts(_october(), _september()), period="2026-09")
    lines = {line.standard.id: line for line in report.standards}
    assert (report.period, report.previous) == ("2026-09", None)  # no August facts
    assert lines["call_answer_ring2"].actual == 0.97
    assert lines["call_answer_ring2"].previous is None
    assert lines["call_answer_ring2"].change is None


def test_bad_period_and_no_facts_are_input_errors() -> None:
    """A period that does not parse, and facts with nothing to report on, raise FactError."""
    with pytest.raises(FactError, match="--period: 'Oct' is not a period"):
        build_monthly(MODEL, _facts(_october()), period="Oct")
    with pytest.raises(FactError, match="no metric or event to report on"):
        build_monthly(MODEL, FactSet(()))


def test_cli_report_markdown_and_json(tmp_path: Path) -> None:
    """Report prints Markdown by default and JSON with --format json; exit 0."""
    facts = tmp_path / "facts.jsonl"
    facts.write_text(_october() + _september(), encoding="utf-8")
    out = io.StringIO()
    assert main(["report", "--facts", str(facts)], stdout=out, stderr=io.StringIO()) == 0
    assert out.getvalue().startswith("# Service standards report — 2026-10")
    out = io.StringIO()
    assert main(["report", "--facts", str(facts), "--format", "json", "--period", "2026-09"],
                stdout=out, stderr=io.StringIO()) == 0
    assert json.loads(out.getvalue())["period"] == "2026-09"


def test_cli_report_rejects_bad_input(tmp_path: Path) -> None:
    """Rejected lines are reported; a file with no fact at all exits 2."""
    facts = tmp_path / "facts.jsonl"
    facts.write_text("{not json\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["report", "--facts", str(facts)], stdout=io.StringIO(), stderr=err) == 2
    assert f"rejected: {facts}:1: not valid JSON" in err.getvalue()
    assert main(["report", "--facts", str(facts), "--period", "10/2026"], stdout=io.StringIO(),
                stderr=io.StringIO()) == 2


# --- cases found by mutation testing (docs/testing.md) -----------------------------------


def test_json_names_the_model_and_each_owners_unit_share_and_roles() -> None:
    """Owner entries carry exactly unit, share and roles; a Chinese model name stays readable."""
    model = attrs.evolve(MODEL, name="客服")
    text = render_json(build_monthly(model, _facts(_october(), _september())))
    data = json.loads(text)
    assert data["model"] == "客服"
    assert '"model": "客服"' in text
    owners = [o for s in data["standards"] for o in s["owners"]]
    owners += [o for p in data["promises"] for o in p["owners"]]
    assert owners
    assert all(set(o) == {"unit", "share", "roles"} for o in owners)
    promise = next(p for p in data["promises"] if p["promise"] == "service_as_promised")
    assert set(promise) == {"promise", "status", "breached", "fired_rules", "owners"}
    assert promise["status"] == "breached"
    assert "call_answer_ring2" in promise["breached"]
    assert isinstance(promise["fired_rules"], list)


def test_a_change_that_rounds_to_zero_is_written_as_zero_not_minus_zero() -> None:
    """0.92 after 0.9200000001: the change rounds to 0.0, never -0.0."""
    line = ('{"metric": "call.answered_by_ring2_rate", "value": %s, "period": "%s", '
            '"unit": "customer_service", "n": 50}\n')
    report = build_monthly(MODEL, _facts(line % ("0.9200000001", "2026-09"), line % ("0.92", "2026-10")))
    ring2 = next(s for s in report_to_dict(report)["standards"] if s["standard"] == "call_answer_ring2")
    assert ring2["change"] == 0.0
    assert '"change": 0.0,' in render_json(report)
    assert '"change": -0.0' not in render_json(report)


def test_input_errors_carry_one_unlocated_problem() -> None:
    """Each input error is one problem without a line or field: what to report on, or --period."""
    with pytest.raises(FactError) as caught:
        build_monthly(MODEL, FactSet(()))
    assert caught.value.problems == (Problem("facts", 0, "", "no metric or event to report on"),)
    with pytest.raises(FactError) as caught:
        build_monthly(MODEL, _facts(_october()), period="Oct")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.path) == ("--period", 0, "")
def test_d2_a_report_of_year_one_has_no_previous_period() -> None:
    """``report --period 0001-01``: nothing before it, no OverflowError."""
    assert previous_period(parse_period("0001-01")) is None
    assert previous_period(parse_period("0001-W01")) is None
    report = build_monthly(MODEL, _facts(_october()), period="0001-01")
    assert (report.period, report.previous) == ("0001-01", None)
    assert "No earlier period to compare with." in render_report_md(report)


def test_compared_with_only_a_period_that_has_facts() -> None:
    """October alone: no 'compared with 2026-09'; with September facts, the comparison is made."""
    assert build_monthly(MODEL, _facts(_october())).previous is None
    assert build_monthly(MODEL, _facts(_october(), _september())).previous == "2026-09"
