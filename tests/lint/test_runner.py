"""servresp.lint and `servresp check`: one small bad model per code, the scorecard, the CLI.

Bad models the loader accepts are written into tmp_path from tests/data/minimal with one
edit, so each test asserts the file and line the finding names. Defects the loader
rejects (a duty with no responsible unit, an unknown id, …) can still reach `lint` from
models built in code; those tests edit the loaded minimal model with `attrs.evolve`, which
keeps its locations.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servresp.cli import main
from servresp.lint.runner import CODES, SCHEMA, CheckReport, Finding, Severity, lint, render_findings
from servresp.model.classes import EventCondition, Model, Raci, StandardStatus, UnitKind
from servresp.model.load import load_default, load_model
from strategies import models, write_model

DATA = Path(__file__).parents[1] / "data"
MINIMAL = DATA / "minimal_observed"
"""The minimal model plus one rule on its top tier's duty, so that every duty is observable."""
UNOBSERVED = DATA / "minimal"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "check.md"

STRUCTURE_ERRORS = {c for c, code in CODES.items()
                    if c.startswith("SR1") and code.severity is Severity.ERROR}


# --------------------------------------------------------------------------- helpers


def bad_model(tmp_path: Path, file: str, old: str, new: str,
              *more: tuple[str, str, str]) -> Path:
    """Copy the minimal model into tmp_path; in ``file`` replace ``old`` (found once) by ``new``.

    ``more`` holds further ``(file, old, new)`` edits.
    """
    folder = tmp_path / "model"
    shutil.copytree(MINIMAL, folder)
    for name, before, after in ((file, old, new), *more):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(before) == 1, f"{before!r} must occur once in {name}"
        path.write_text(text.replace(before, after), encoding="utf-8")
    return folder


def line_of(folder: Path, file: str, needle: str) -> int:
    """Return the 1-based number of the first line of ``file`` holding ``needle``."""
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def only(report: CheckReport, code: str) -> Finding:
    found = [f for f in report if f.code == code]
    assert len(found) == 1, [str(f) for f in report]
    return found[0]


def codes(report: CheckReport) -> list[str]:
    return [f.code for f in report]


def minimal() -> Model:
    return load_model(MINIMAL)


def evolve(model: Model, **changes: object) -> Model:
    """Return ``model`` with some tables changed, its graph rebuilt, its locations kept."""
    return attrs.evolve(model, graph=None, **changes)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


# --------------------------------------------------------------------------- clean models


def test_minimal_model_has_no_findings():
    """The minimal test model is clean."""
    assert lint(minimal()).findings == ()


def test_default_model_has_no_errors():
    """The bundled model passes: no errors at all."""
    report = lint(load_default())
    assert report.errors == (), [str(f) for f in report.errors]


def test_default_model_warnings_are_the_justified_ones():
    """Its warnings are exactly those docs/check.md lists and the sources justify."""
    report = lint(load_default())
    assert [(f.code, f.subject) for f in report.warnings] == [
        ("SR203", "peak_counters_open"),  # S3 预见性: Carrefour opens every counter
        ("SR203", "zero_complaints"),  # S3 制定方法④: an aim, flagged as S3 可行性 asks
    ]


def test_unobservable_duty_and_unit_are_warned():
    """SR111 names a duty no fact can implicate; SR112 a unit no fact can give a share."""
    report = lint(load_model(UNOBSERVED))
    assert {(f.code, f.subject) for f in report} == {("SR111", "boss.organise"), ("SR112", "boss")}
    assert report.coverage is not None
    assert (report.coverage.observable, report.coverage.duties) == (2, 3)
    text = render_findings(report, fmt="text")
    assert "evidence coverage: 2 of 3 duties observable (66.7%)" in text
    assert "boss                 0/1   can never take a share" in text
    document = json.loads(render_findings(report, fmt="json"))
    assert document["coverage"]["unobservable"] == ["boss.organise"]
    assert [u["unit"] for u in document["coverage"]["units"] if not u["can_take_share"]] == ["boss"]


def test_bundled_model_observes_every_unit():
    """Issue 13: ≥ 90 % of the bundled duties are observable and every unit can take a share."""
    coverage = lint(load_default()).coverage
    assert coverage is not None
    assert coverage.ratio >= 0.9
    assert all(u.can_take_share for u in coverage.units), coverage.units


def test_findings_are_sorted_by_file_line_code(tmp_path):
    """Findings come sorted by file, then line, then code."""
    folder = bad_model(
        tmp_path, "sources.yaml", "target: 0.96", "target: 1.0\n    baseline: 0.5",
        ("desk.yaml", "supports: [service_ok]", "supports: [service_ok, boss.organise]"),
        ("boss.yaml", "responsible: [boss]}", "responsible: [boss], informed: [boss]}"),
    )
    report = lint(load_model(folder))
    keys = [(f.file, f.line, f.code) for f in report]
    assert keys == [("boss.yaml", 7, "SR104"), ("boss.yaml", 7, "SR110"),
                    ("sources.yaml", 16, "SR203"), ("sources.yaml", 16, "SR204")]


# --------------------------------------------------------------------------- SR1xx structure


def test_sr100_unknown_reference_in_a_model_built_in_code():
    """SR100: a supports entry naming no duty or promise, with a did-you-mean."""
    model = minimal()
    duty = model.duties["buyer.buy_on_time"]
    duties = {**model.duties, duty.id: attrs.evolve(duty, supports=("desk.answer_cals",))}
    finding = next(f for f in lint(evolve(model, duties=duties)) if f.code == "SR100")
    assert (finding.file, finding.line, finding.path) == ("buyer.yaml", 7, "duties[0].supports[0]")
    assert finding.message == ("unknown duty or promise 'desk.answer_cals'; "
                               "did you mean 'desk.answer_calls'?")


def test_sr100_does_not_crash_the_other_checks():
    """Dangling ids everywhere still give findings, not a traceback."""
    model = minimal()
    standard = model.standards["calls_answered"]
    rule = model.rules["desk.late_supplies"]
    duty = model.duties["desk.answer_calls"]
    broken = evolve(
        model,
        standards={standard.id: attrs.evolve(standard, served_by=("nobody.here",))},
        rules={rule.id: attrs.evolve(rule, implicates=("nobody.there",))},
        duties={**model.duties, duty.id: attrs.evolve(
            duty, tier="nowhere", raci=attrs.evolve(duty.raci, informed=("ghost",)))},
    )
    paths = sorted(f.path for f in lint(broken) if f.code == "SR100")
    assert paths == ["duties[0].raci.informed[0]", "duties[0].tier", "rules[0].implicates[0]",
                     "standards[0].served_by[0]"]


def test_sr101_duty_without_responsible_unit():
    """SR101: a RACI with an empty responsible list, located at the duty."""
    model = minimal()
    duty = model.duties["desk.answer_calls"]
    duties = {**model.duties, duty.id: attrs.evolve(duty, raci=Raci("desk", ()))}
    finding = only(lint(evolve(model, duties=duties)), "SR101")
    assert str(finding) == (
        "desk.yaml:7: error SR101 duties[0].raci.responsible: duty 'desk.answer_calls' has no "
        "responsible unit (hint: name the units that do the work; 'desk' itself when no other "
        "unit does)"
    )


def test_sr102_unit_without_duty(tmp_path):
    """SR102: a unit file with no duties (a warning)."""
    folder = bad_model(tmp_path, "boss.yaml", "faces: both", "faces: both")
    (folder / "idle.yaml").write_text(
        "# a unit nobody gave work to\nunit:\n  id: idle\n  kind: department\n"
        "  name: {en: Idle, zh: 闲置部}\n  faces: internal\n", encoding="utf-8")
    finding = only(lint(load_model(folder)), "SR102")
    assert (finding.severity, finding.file, finding.line, finding.path) == (
        "warning", "idle.yaml", 2, "unit")
    assert finding.message == "unit 'idle' owns no duty"


def test_sr103_duty_that_reaches_no_promise(tmp_path):
    """SR103: a duty that supports nothing."""
    folder = bad_model(tmp_path, "buyer.yaml", "    supports: [desk.answer_calls]\n",
                       "    supports: []\n")
    finding = only(lint(load_model(folder)), "SR103")
    assert (finding.file, finding.line, finding.path) == ("buyer.yaml", 7, "duties[0].supports")
    assert finding.message == "duty 'buyer.buy_on_time' reaches no promise"


def test_sr104_cycle_in_supports(tmp_path):
    """SR104: the cycle is printed and located at its first duty's supports entry."""
    folder = bad_model(tmp_path, "desk.yaml", "supports: [service_ok]",
                       "supports: [service_ok, boss.organise]")
    finding = only(lint(load_model(folder)), "SR104")
    assert (finding.severity, finding.file, finding.line, finding.path) == (
        "error", "boss.yaml", 7, "duties[0].supports[0]")
    assert finding.message == (
        "supports form a cycle: boss.organise → desk.answer_calls → boss.organise")


def test_sr104_prints_a_shortest_cycle_and_the_whole_knot():
    """SR104: in a knot of three duties the message names them all."""
    model = minimal()
    desk = model.duties["desk.answer_calls"]
    supports = ("service_ok", "buyer.buy_on_time", "boss.organise")
    duties = {**model.duties, desk.id: attrs.evolve(desk, supports=supports)}
    finding = only(lint(evolve(model, duties=duties)), "SR104")
    assert (finding.subject, finding.path) == ("boss.organise", "duties[0].supports[0]")
    assert finding.message == (
        "supports form a cycle: boss.organise → desk.answer_calls → boss.organise; "
        "3 duties are caught in cycles: boss.organise, buyer.buy_on_time, desk.answer_calls")


def test_sr105_standard_measuring_no_promise():
    """SR105: a standard whose promise is not in the model."""
    model = minimal()
    standard = attrs.evolve(model.standards["calls_answered"], promise="service_okay")
    finding = only(lint(evolve(model, standards={standard.id: standard})), "SR105")
    assert (finding.file, finding.line, finding.path) == (
        "sources.yaml", 16, "standards[0].promise")
    assert "did you mean 'service_ok'?" in finding.message


def test_sr106_promise_without_standard(tmp_path):
    """SR106: a promise nothing measures."""
    folder = bad_model(tmp_path, "sources.yaml", "standards:\n", (
        "  - id: product_ok\n    text: {en: It works, zh: 产品可用}\n"
        '    source: {id: S4, section: "1.企业"}\nstandards:\n'))
    finding = only(lint(load_model(folder)), "SR106")
    assert (finding.severity, finding.file, finding.line, finding.path) == (
        "error", "sources.yaml", line_of(folder, "sources.yaml", "id: product_ok"), "promises[1]")
    assert finding.message == "promise 'product_ok' has no standard"


def test_sr106_promise_measured_only_by_aspirations(tmp_path):
    """SR106: an aspiration is never breached, so it does not count as a standard."""
    folder = bad_model(tmp_path, "sources.yaml", "    domain: time_limits\n",
                       "    domain: time_limits\n    status: aspiration\n")
    finding = only(lint(load_model(folder)), "SR106")
    assert finding.subject == "service_ok"
    assert "measured only by aspirations (calls_answered)" in finding.message


def test_sr107_rule_reading_an_unknown_signal():
    """SR107: a rule's event that no signal declares."""
    model = minimal()
    rule = model.rules["desk.late_supplies"]
    changed = attrs.evolve(rule, when=EventCondition(event="supplier.late_delivry"))
    finding = only(lint(evolve(model, rules={rule.id: changed})), "SR107")
    assert (finding.file, finding.line, finding.path) == ("desk.yaml", 16, "rules[0].when.event")
    assert finding.message.endswith("did you mean 'supplier.late_delivery'?")


def test_sr108_signal_nothing_reads(tmp_path):
    """SR108: a declared signal that no standard or rule reads (a warning)."""
    folder = bad_model(tmp_path, "sources.yaml", "promises:\n", (
        "  - name: call.dropped_rate\n    kind: metric\n"
        "    meaning: {en: Dropped calls, zh: 掉线率}\npromises:\n"))
    finding = only(lint(load_model(folder)), "SR108")
    assert (finding.severity, finding.file, finding.line, finding.path) == (
        "warning", "sources.yaml", line_of(folder, "sources.yaml", "call.dropped_rate"),
        "signals[2]")


def test_sr109_team_without_members():
    """SR109: a team unit with an empty member list."""
    model = minimal()
    team = attrs.evolve(model.units["buyer"], kind=UnitKind.TEAM, members=())
    finding = only(lint(evolve(model, units={**model.units, "buyer": team})), "SR109")
    assert (finding.file, finding.line, finding.path) == ("buyer.yaml", 1, "unit.members")


@pytest.mark.parametrize("role", ["consulted", "informed"])
def test_sr110_accountable_unit_listed_again(tmp_path, role):
    """SR110: consulted or informed naming the accountable unit again."""
    folder = bad_model(tmp_path, "desk.yaml", "      consulted: [buyer]\n",
                       f"      consulted: [buyer]\n      {role}: [desk]\n" if role == "informed"
                       else "      consulted: [buyer, desk]\n")
    finding = only(lint(load_model(folder)), "SR110")
    index = 1 if role == "consulted" else 0
    assert (finding.file, finding.line, finding.path) == (
        "desk.yaml", 7, f"duties[0].raci.{role}[{index}]")


# --------------------------------------------------------------------------- SR2xx standards


def test_sr201_explicit_needs_a_declared_metric():
    """SR201: a standard reading a metric the vocabulary does not declare."""
    model = minimal()
    standard = attrs.evolve(model.standards["calls_answered"], metric="call.answerd_rate")
    finding = only(lint(evolve(model, standards={standard.id: standard})), "SR201")
    assert (finding.file, finding.line, finding.path) == ("sources.yaml", 16, "standards[0].metric")


def test_sr201_explicit_needs_a_text():
    """SR201: a standard built without a text."""
    model = minimal()
    standard = attrs.evolve(model.standards["calls_answered"], text=None)
    finding = only(lint(evolve(model, standards={standard.id: standard})), "SR201")
    assert finding.path == "standards[0].text"


def test_sr202_target_off_the_metric_scale(tmp_path):
    """SR202: 96 written for 96% on a rate in [0, 1] can never be met."""
    folder = bad_model(tmp_path, "sources.yaml", "target: 0.96", "target: 96")
    finding = only(lint(load_model(folder)), "SR202")
    assert (finding.file, finding.line, finding.path) == ("sources.yaml", 16, "standards[0].target")
    assert finding.message == "target >= 96 can never be met: 'call.answered_rate' ranges over [0, 1]"


def test_sr202_target_that_can_never_be_missed(tmp_path):
    """SR202: a rate that must be at least 0 measures nothing."""
    folder = bad_model(tmp_path, "sources.yaml", "target: 0.96", "target: 0")
    assert "can never be missed" in only(lint(load_model(folder)), "SR202").message


def test_sr202_needs_a_number_and_a_comparator():
    """SR202: a standard built in code without target and comparator."""
    model = minimal()
    standard = attrs.evolve(model.standards["calls_answered"], target=None, comparator=None)
    found = [f.path for f in lint(evolve(model, standards={standard.id: standard}))
             if f.code == "SR202"]
    assert found == ["standards[0].comparator", "standards[0].target"]


def test_sr202_baseline_off_the_scale(tmp_path):
    """SR202: a baseline written as 70 for 70%."""
    folder = bad_model(tmp_path, "sources.yaml", "target: 0.96", "target: 0.75\n    baseline: 70")
    assert only(lint(load_model(folder)), "SR202").path == "standards[0].baseline"


def test_sr203_perfection_below_the_baseline_is_an_error(tmp_path):
    """SR203: 100% when the process does 90% now (S3: 那是目标,不可能)."""
    folder = bad_model(tmp_path, "sources.yaml", "target: 0.96", "target: 1.0\n    baseline: 0.95")
    finding = only(lint(load_model(folder)), "SR203")
    assert (finding.severity, finding.file, finding.line, finding.path) == (
        "error", "sources.yaml", 16, "standards[0].target")
    assert finding.message == ("target >= 1 demands perfection (every case) while the baseline "
                               "is 0.95: S3 calls such a number an aim, not a standard")


def test_sr203_perfection_without_baseline_is_a_warning(tmp_path):
    """SR203: with no baseline to judge it, perfection is flagged, not failed."""
    folder = bad_model(tmp_path, "sources.yaml", "target: 0.96", "target: 1.0")
    assert only(lint(load_model(folder)), "SR203").severity == "warning"


def test_sr203_zero_on_an_aspiration_is_a_warning(tmp_path):
    """SR203: zero complaints as an aspiration (S3 制定方法④) is flagged as a warning."""
    folder = bad_model(tmp_path, "sources.yaml", 'comparator: ">="\n    target: 0.96',
                       'comparator: "<="\n    target: 0\n    status: aspiration')
    report = lint(load_model(folder))
    finding = only(report, "SR203")
    assert finding.severity == "warning"
    assert "not one case" in finding.message


def test_sr203_perfection_already_reached_is_fine(tmp_path):
    """SR203: a baseline that already meets the target shows it is feasible."""
    folder = bad_model(tmp_path, "sources.yaml", "target: 0.96", "target: 1.0\n    baseline: 1.0")
    assert lint(load_model(folder)).findings == ()


def test_sr204_jump_from_baseline(tmp_path):
    """SR204: 70% today, 96% demanded: more than S3's feasible step."""
    folder = bad_model(tmp_path, "sources.yaml", "target: 0.96", "target: 0.96\n    baseline: 0.70")
    finding = only(lint(load_model(folder)), "SR204")
    assert (finding.severity, finding.line, finding.path) == ("error", 16, "standards[0].target")
    assert finding.message == ("target >= 0.96 is 26% of the metric's range away from the "
                               "baseline 0.7; S3 calls a step of 10% feasible")


@pytest.mark.parametrize(("target", "found"), [("0.75", False), ("0.80", False), ("0.81", True)])
def test_sr204_s3_feasible_step(tmp_path, target, found):
    """SR204: from S3's 70%, 75% and 80% are feasible; 81% is not."""
    folder = bad_model(tmp_path, "sources.yaml", "target: 0.96", f"target: {target}\n"
                       "    baseline: 0.70")
    assert ("SR204" in codes(lint(load_model(folder)))) is found


def test_sr204_step_is_configurable(tmp_path):
    """SR204: max_step widens or narrows what counts as feasible."""
    folder = bad_model(tmp_path, "sources.yaml", "target: 0.96", "target: 0.96\n    baseline: 0.70")
    model = load_model(folder)
    assert "SR204" not in codes(lint(model, max_step=0.3))
    with pytest.raises(ValueError, match="max_step"):
        lint(model, max_step=-1)


def test_sr204_on_an_aspiration_is_a_warning(tmp_path):
    """SR204: an aspiration far from its baseline is flagged, not failed."""
    folder = bad_model(tmp_path, "sources.yaml", "target: 0.96",
                       "target: 0.96\n    baseline: 0.70\n    status: aspiration")
    finding = only(lint(load_model(folder)), "SR204")
    assert finding.severity == "warning"


def test_sr204_without_range_is_relative_to_the_baseline():
    """SR204: S3's sales example, 80 → 100 on an unbounded metric, is a 25% jump."""
    model = minimal()
    signal = attrs.evolve(model.signals["call.answered_rate"], range=None)
    standard = attrs.evolve(model.standards["calls_answered"], target=100.0, baseline=80.0)
    report = lint(evolve(model, signals={**model.signals, signal.name: signal},
                         standards={standard.id: standard}))
    assert "25% of the baseline" in only(report, "SR204").message


def test_sr205_timely_needs_a_window():
    """SR205: a standard built without a window."""
    model = minimal()
    standard = attrs.evolve(model.standards["calls_answered"], window=None)
    finding = only(lint(evolve(model, standards={standard.id: standard})), "SR205")
    assert (finding.file, finding.line, finding.path) == ("sources.yaml", 16, "standards[0].window")


def test_sr206_aligned_standard_served_off_its_promise(tmp_path):
    """SR206: a standard whose duties feed another promise than the one it measures."""
    folder = bad_model(tmp_path, "sources.yaml", "    promise: service_ok\n", (
        "    promise: product_ok\n"))
    text = (folder / "sources.yaml").read_text(encoding="utf-8")
    text = text.replace("standards:\n", (
        "  - id: product_ok\n    text: {en: It works, zh: 产品可用}\n"
        '    source: {id: S4, section: "1.企业"}\nstandards:\n'))
    (folder / "sources.yaml").write_text(text, encoding="utf-8")
    report = lint(load_model(folder))
    finding = only(report, "SR206")
    assert (finding.severity, finding.path) == ("warning", "standards[0].served_by")
    assert finding.line == line_of(folder, "sources.yaml", "id: calls_answered")
    assert "SR106" in codes(report)  # service_ok lost its only standard


# --------------------------------------------------------------------------- scorecard


def test_scorecard_has_s3s_six_points_in_order():
    """The scorecard lists S3's six points, numbered 1 to 6, each with evidence."""
    points = lint(minimal()).scorecard
    assert [p.point for p in points] == [1, 2, 3, 4, 5, 6]
    assert [p.key for p in points] == [
        "departments_reach_promises", "customer_information_flows", "cross_department_team",
        "consult_before_change", "departments_communicate", "joint_problem_solving"]
    assert all(p.evidence for p in points)


def test_scorecard_on_the_minimal_model():
    """Met and not met, with the evidence that shows it."""
    points = {p.key: p for p in lint(minimal()).scorecard}
    assert points["departments_reach_promises"].met
    assert points["departments_reach_promises"].evidence == (
        "buyer: buyer.buy_on_time reaches service_ok", "desk: desk.answer_calls reaches service_ok")
    assert not points["customer_information_flows"].met
    assert points["customer_information_flows"].evidence == (
        "the model has no 'customer_service' unit",)
    assert not points["cross_department_team"].met
    assert points["consult_before_change"].met
    assert not points["departments_communicate"].met
    shared = "service_ok: 2 departments share it (buyer, desk)"
    assert points["joint_problem_solving"].evidence == (shared,)


def test_scorecard_on_the_default_model():
    """The bundled model meets all six points: information up to the top, a team, …."""
    points = {p.key: p for p in lint(load_default()).scorecard}
    assert [key for key, point in points.items() if not point.met] == []
    flows = points["customer_information_flows"].evidence
    assert ("top_management: customer_service.pass_on_customer_information → "
            "top_management.back_customer_service") in flows
    assert points["cross_department_team"].evidence[0].startswith("service_team: 3 departments")
    assert ("top_management.consult_before_change: all 9 departments are consulted or hold it"
            in points["consult_before_change"].evidence)


def test_scorecard_names_the_missing_departments():
    """Point 4 not met: the closest duty and the departments it does not consult."""
    model = minimal()
    duty = model.duties["desk.answer_calls"]
    duties = {**model.duties, duty.id: attrs.evolve(duty, raci=Raci("desk", ("desk",)))}
    points = {p.key: p for p in lint(evolve(model, duties=duties)).scorecard}
    assert not points["consult_before_change"].met
    assert points["consult_before_change"].evidence == (
        "closest is buyer.buy_on_time; not consulted: desk",)


# --------------------------------------------------------------------------- rendering


def test_render_text_and_summary(tmp_path):
    """Text: one line per finding, the scorecard, then a summary line."""
    folder = bad_model(tmp_path, "desk.yaml", "supports: [service_ok]",
                       "supports: [service_ok, boss.organise]")
    text = render_findings(lint(load_model(folder)), fmt="text")
    lines = text.splitlines()
    assert lines[0].startswith("boss.yaml:7: error SR104 duties[0].supports[0]: supports form")
    assert "integration scorecard (S3 并肩作战): 3 of 6 met" in lines
    assert lines[-1] == "check: 1 error, 0 warnings; scorecard 3/6 met"
    assert text.endswith("\n")


def test_render_json_schema(tmp_path):
    """JSON: schema, findings, scorecard, summary; sorted keys and a final newline."""
    folder = bad_model(tmp_path, "desk.yaml", "supports: [service_ok]",
                       "supports: [service_ok, boss.organise]")
    text = render_findings(lint(load_model(folder)), fmt="json")
    document = json.loads(text)
    assert document["schema"] == SCHEMA == "servresp.check/1"
    assert document["findings"][0] == {
        "code": "SR104", "severity": "error", "file": "boss.yaml", "line": 7,
        "path": "duties[0].supports[0]", "subject": "boss.organise",
        "message": "supports form a cycle: boss.organise → desk.answer_calls → boss.organise",
        "hint": document["findings"][0]["hint"],
    }
    assert [p["point"] for p in document["scorecard"]] == [1, 2, 3, 4, 5, 6]
    assert document["summary"] == {"errors": 1, "warnings": 0, "scorecard_met": 3,
                                   "scorecard_points": 6}
    assert text == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_render_a_plain_list_of_findings():
    """A sequence of findings renders without a scorecard, sorted."""
    report = lint(load_default())
    text = render_findings(list(reversed(report.findings)), fmt="text")
    assert text.splitlines()[0] == str(report.findings[0])
    assert "scorecard" not in text


def test_render_unknown_format():
    """An unknown format is a ValueError naming the choices."""
    with pytest.raises(ValueError, match="use 'text' or 'json'"):
        render_findings(lint(minimal()), fmt="yaml")


def test_same_model_same_bytes():
    """Two runs over the default model give byte-identical text and JSON."""
    for fmt in ("text", "json"):
        assert render_findings(lint(load_default()), fmt=fmt) == render_findings(
            lint(load_default()), fmt=fmt)


def test_model_built_in_code_has_no_location():
    """Without locations a finding names the object by id and prints no file."""
    model = minimal()
    bare = attrs.evolve(model, graph=None, locations={})
    duty = bare.duties["desk.answer_calls"]
    bare = evolve(bare, duties={**bare.duties, duty.id: attrs.evolve(duty, raci=Raci("desk", ()))})
    finding = only(lint(bare), "SR101")
    assert (finding.file, finding.line) == ("", 0)
    assert str(finding).startswith("error SR101 duties[desk.answer_calls].raci.responsible: ")


# --------------------------------------------------------------------------- CLI


def test_cli_clean_model_exits_0():
    """Check exits 0 on a clean model, with or without --strict."""
    assert run("check", "--rules", str(MINIMAL))[0] == 0
    assert run("check", "--rules", str(MINIMAL), "--strict")[0] == 0


def test_cli_default_model_exits_0_and_1_with_strict():
    """The bundled model has warnings only: 0, and 1 with --strict."""
    status, out, err = run("check")
    assert (status, err) == (0, "")
    assert "warning SR203" in out
    assert run("check", "--strict")[0] == 1


def test_cli_errors_exit_1(tmp_path):
    """Errors exit 1 and print the finding."""
    folder = bad_model(tmp_path, "desk.yaml", "supports: [service_ok]",
                       "supports: [service_ok, boss.organise]")
    status, out, _ = run("check", "--rules", str(folder))
    assert status == 1
    assert "error SR104" in out


def test_cli_warnings_exit_1_only_with_strict(tmp_path):
    """A model with only a warning exits 0, and 1 with --strict."""
    folder = bad_model(tmp_path, "sources.yaml", "promises:\n", (
        "  - name: call.dropped_rate\n    kind: metric\n"
        "    meaning: {en: Dropped calls, zh: 掉线率}\npromises:\n"))
    assert run("check", "--rules", str(folder))[0] == 0
    assert run("check", "--rules", str(folder), "--strict")[0] == 1


def test_cli_unloadable_model_exits_2(tmp_path):
    """A model that cannot be loaded exits 2 with the located problem on stderr."""
    folder = bad_model(tmp_path, "desk.yaml", "responsible: [desk]", "responsible: []")
    status, out, err = run("check", "--rules", str(folder))
    assert (status, out) == (2, "")
    assert re.search(r"^\S*desk\.yaml:\d+: error SR000 duties\[0\]\.raci\.responsible: no responsible",
                     err, re.MULTILINE)
    assert run("check", "--rules", str(tmp_path / "missing"))[0] == 2


def test_cli_json_format():
    """--format json prints the servresp.check/1 document."""
    status, out, _ = run("check", "--format", "json")
    document = json.loads(out)
    assert status == 0
    assert document["schema"] == "servresp.check/1"
    assert {f["code"] for f in document["findings"]} == {"SR203"}
    assert run("check", "--format", "yaml")[0] == 2


# --------------------------------------------------------------------------- docs


def test_docs_list_every_code():
    """docs/check.md documents every code, with its severity."""
    text = DOCS.read_text(encoding="utf-8")
    for code, meta in CODES.items():
        assert re.search(rf"^### {code} \({meta.severity}", text, re.MULTILINE), code


# --------------------------------------------------------------------------- properties


def _breachable(model: Model) -> set[str]:
    return {s.promise for s in model.standards.values() if s.status is StandardStatus.STANDARD}


@settings(max_examples=60, deadline=None)
@given(models())
def test_generated_valid_models_have_no_structural_errors(model):
    """Every generated valid model has no structural errors but SR106, which it may lack."""
    report = lint(model)
    structural = {f.code for f in report.errors if f.code in STRUCTURE_ERRORS}
    assert structural <= {"SR106"}, [str(f) for f in report.errors]
    unmeasured = {f.subject for f in report if f.code == "SR106"}
    assert unmeasured == set(model.promises) - _breachable(model)


@settings(max_examples=40, deadline=None)
@given(models().filter(lambda m: set(m.promises) <= _breachable(m)))
def test_generated_complete_models_pass_structure(model):
    """A generated model whose promises all have standards has no SR1xx error at all."""
    assert not [str(f) for f in lint(model).errors if f.code.startswith("SR1")]


@settings(max_examples=40, deadline=None)
@given(models().filter(lambda m: any(t in m.duties for d in m.duties.values()
                                     for t in d.supports)), st.data())
def test_a_back_edge_is_reported_as_a_cycle(model, data):
    """Adding the reverse of a supports edge between duties always gives SR104."""
    edges = sorted((d.id, t) for d in model.duties.values() for t in d.supports if t in model.duties)
    supplier, customer = data.draw(st.sampled_from(edges))
    duty = model.duties[customer]
    changed = attrs.evolve(duty, supports=(*duty.supports, supplier))
    report = lint(evolve(model, duties={**model.duties, customer: changed}))
    cycles = [f for f in report if f.code == "SR104"]
    assert len(cycles) == 1
    assert supplier in cycles[0].message
    assert customer in cycles[0].message


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_loaded_models_locate_every_finding(model):
    """Written to YAML and loaded back, every finding names a file and a line."""
    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_model(write_model(model, Path(tmp) / "rules"), name=model.name)
    report = lint(loaded)
    assert all(f.file and f.line > 0 and not f.path.startswith("units[") for f in report)
    assert sorted((f.code, f.subject, f.message) for f in report) == sorted(
        (f.code, f.subject, f.message) for f in lint(model))
