import datetime as dt
import io
import json
import tempfile
import zoneinfo
from collections import Counter as Tally
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import servresp
from record_strategies import START, _rows, _write_rows, record_sets
from servresp.cli import main
from servresp.evaluate.facts import parse_facts
from servresp.records.indicators import (
    DEFAULT_MIN_COUNT,
    compute,
    indicators_from_files,
    period_label,
    terminal_progress,
)
from servresp.records.reader import RecordError, iter_records

EXAMPLES = Path(__file__).parents[2] / "examples" / "records"


def _label(moment: dt.datetime | dt.date, tz: str, every: str) -> str:
    day = moment.astimezone(zoneinfo.ZoneInfo(tz)).date() if isinstance(moment, dt.datetime) else moment
    return {"month": day.strftime("%Y-%m"), "week": day.strftime("%G-W%V"), "day": day.isoformat()}[every]


def _direct_count(truth: dict[str, Any]) -> dict[tuple[str, str], tuple[int, int]]:  # noqa: C901
    """Count each rate from the drawn truth, independently of servresp."""
    tz, every = truth["tz"], truth["every"]
    hits: Tally[tuple[str, str]] = Tally()
    cases: Tally[tuple[str, str]] = Tally()

    def add(metric: str, moment: dt.datetime | dt.date, hit: bool | int, n: int = 1) -> None:
        key = (metric, _label(moment, tz, every))
        hits[key] += int(hit)
        cases[key] += n

    for at, ring in truth["calls"]:
        add("call.answered_by_ring2_rate", at, ring is not None and ring <= 2)
        add("call.answered_by_ring3_rate", at, ring is not None and ring <= 3)
    zone = zoneinfo.ZoneInfo(tz)
    for at, delay, inside, special in truth["repairs"]:
        if inside:
            late_days = None if delay is None else (
                (at + dt.timedelta(minutes=delay)).astimezone(zone).date() - at.astimezone(zone).date()).days
            add("repair.same_day_rate", at, late_days is not None and late_days <= (1 if special else 0))
    for at, reply, solved in truth["feedback"]:
        add("feedback.replied_2d_rate", at, reply is not None and reply <= 48 * 60)
        add("feedback.solved_3d_rate", at, solved is not None and solved <= 72 * 60)
    for _supplier, due, late, _rejected in truth["deliveries"]:
        add("supplier.on_time_rate", due, late is not None and late <= 0)
    for day, peak, open_, total in truth["counters"]:
        if peak:
            key = ("peak.counters_open_rate", (START.date() + dt.timedelta(days=day)).isoformat())
            hits[key] += open_  # issue 13: per peak day, whatever `every` says
            cases[key] += total
    complaints: Tally[str] = Tally(_label(at, tz, every) for at, _e, _a in truth["complaints"])
    served: Tally[str] = Tally()
    for i in range(48):
        day = START.date() - dt.timedelta(days=2) + dt.timedelta(days=i)
        served[_label(day, tz, every)] += 10 + day.day
    for label, n in served.items():
        hits["complaint.rate", label] = complaints[label]
        cases["complaint.rate", label] = n
    return {key: (hits[key], cases[key]) for key in cases if cases[key] > 0}


@settings(max_examples=40)
@given(record_sets())
def test_indicators_equal_a_direct_count(truth: dict[str, Any]) -> None:
    """Every rate's numerator and denominator, per period, equal a count of the drawn records."""
    with tempfile.TemporaryDirectory() as folder:
        paths = _write_rows(Path(folder), _rows(truth), truth["csv"])
        found = indicators_from_files(paths, every=truth["every"], tz=truth["tz"], min_count=0)
    assert found.problems == ()
    assert found.warnings == ()
    assert found.small == ()
    got = {(i.metric, str(i.period)): (i.hits, i.n) for i in found.metrics}
    assert got == _direct_count(truth)
    late = sum(1 for _s, _d, late, _r in truth["deliveries"] if late is None or late > 0)
    rejected = sum(1 for *_x, rejected in truth["deliveries"] if rejected)
    escalated = sum(1 for _a, esc, auth in truth["complaints"] if esc and not auth)
    events = Tally(e.event for e in found.events)
    assert events == Tally({"supplier.late_delivery": late, "material.rejected": rejected,
                            "complaint.escalated_without_authority": escalated}) - Tally()


@settings(max_examples=15)
@given(record_sets())
def test_output_is_valid_facts_and_does_not_depend_on_file_order(truth: dict[str, Any]) -> None:
    """The JSONL parses as facts of the default model, the same bytes whatever the file order."""
    with tempfile.TemporaryDirectory() as folder:
        paths = _write_rows(Path(folder), _rows(truth), truth["csv"])
        first = indicators_from_files(paths, every=truth["every"], tz=truth["tz"], min_count=0)
        second = indicators_from_files(paths[::-1], every=truth["every"], tz=truth["tz"], min_count=0)
    assert first.to_jsonl() == second.to_jsonl()
    facts = parse_facts(first.to_jsonl(), MODEL, source="-")
    assert facts.rejected == facts.unknown == facts.warnings == ()
    assert len(facts.facts) == len(first.metrics) + len(first.events)


MODEL = servresp.load_default()


# --------------------------------------------------------------------------- periods and zones


@pytest.mark.parametrize(("day", "every", "label"), [
    (dt.date(2026, 10, 31), "month", "2026-10"),
    (dt.date(2026, 11, 1), "month", "2026-11"),
    (dt.date(2026, 12, 31), "week", "2026-W53"),
    (dt.date(2027, 1, 1), "week", "2026-W53"),
    (dt.date(2027, 1, 4), "week", "2027-W01"),
    (dt.date(2025, 12, 29), "week", "2026-W01"),
    (dt.date(2026, 10, 25), "day", "2026-10-25"),
])
def test_period_labels(day: dt.date, every: str, label: str) -> None:
    """Months, ISO weeks (across year ends) and days are labelled as the facts contract reads them."""
    assert period_label(day, every) == label


def test_unknown_every_is_refused() -> None:
    """Only month, week and day exist."""
    with pytest.raises(ValueError, match="every must be one of month, week, day, not 'year'"):
        compute([], every="year")


def _calls(tmp_path: Path, *stamps: str) -> str:
    path = tmp_path / "calls.csv"
    path.write_text("received_at,abandoned\n" + "".join(f"{s},true\n" for s in stamps), encoding="utf-8")
    return str(path)


def test_month_end_is_midnight_in_the_zone(tmp_path: Path) -> None:
    """23:30 UTC on 31 October is November in Berlin (UTC+1 by then) and October in UTC."""
    path = _calls(tmp_path, "2026-10-31T23:30:00Z", "2026-10-31T22:59:59Z")
    in_utc = indicators_from_files([path], min_count=0)
    in_berlin = indicators_from_files([path], tz="Europe/Berlin", min_count=0)
    assert {(str(i.period), i.n) for i in in_utc.metrics} == {("2026-10", 2)}
    assert {(str(i.period), i.n) for i in in_berlin.metrics} == {("2026-10", 1), ("2026-11", 1)}


def test_daylight_saving_day_has_25_hours(tmp_path: Path) -> None:
    """Berlin's 25 October 2026 has 25 hours: 00:30 to 23:30 is the same day there, not in UTC."""
    path = tmp_path / "repairs.csv"
    path.write_text("opened_at,closed_at\n2026-10-25T00:30:00+02:00,2026-10-25T23:30:00+01:00\n",
                    encoding="utf-8")
    berlin = indicators_from_files([str(path)], tz="Europe/Berlin", every="day", min_count=0)
    utc = indicators_from_files([str(path)], every="day", min_count=0)
    assert [(str(i.period), i.hits, i.n) for i in berlin.metrics] == [("2026-10-25", 1, 1)]
    assert [(str(i.period), i.hits, i.n) for i in utc.metrics] == [("2026-10-24", 0, 1)]


def test_within_48_hours_is_elapsed_time_across_a_clock_change(tmp_path: Path) -> None:
    """Across the autumn change, 47.5 hours on the wall clock are 48.5 real hours: too late."""
    path = tmp_path / "feedback.csv"
    path.write_text("received_at,first_reply_at\n2026-10-24 12:00,2026-10-26 11:30\n"
                    "2026-10-24 12:00,2026-10-26 10:59\n", encoding="utf-8")
    found = indicators_from_files([str(path)], tz="Europe/Berlin", min_count=0)
    replied = next(i for i in found.metrics if i.metric == "feedback.replied_2d_rate")
    assert (replied.hits, replied.n) == (1, 2)


def test_special_case_repair_may_close_the_next_day(tmp_path: Path) -> None:
    """S3: a special case closed the next local day counts as on time; two days late does not."""
    path = tmp_path / "repairs.csv"
    path.write_text(
        "opened_at,closed_at,special_case,inside_service_area\n"
        "2026-10-01T10:00:00Z,2026-10-02T18:00:00Z,true,true\n"
        "2026-10-01T10:00:00Z,2026-10-02T18:00:00Z,false,true\n"
        "2026-10-01T10:00:00Z,2026-10-03T09:00:00Z,true,true\n"
        "2026-10-01T10:00:00Z,,false,true\n"
        "2026-10-01T10:00:00Z,2026-10-09T10:00:00Z,false,false\n", encoding="utf-8")
    (same_day,) = indicators_from_files([str(path)], min_count=0).metrics
    assert (same_day.metric, same_day.hits, same_day.n) == ("repair.same_day_rate", 1, 4)


def test_unknown_zone_is_an_input_error() -> None:
    """A misspelt zone is refused with a suggestion."""
    with pytest.raises(RecordError, match=r"--tz: unknown time zone 'Europe/Berln' \(did you mean "
                                          r"'Europe/Berlin'\?\)"):
        indicators_from_files([], tz="Europe/Berln")


# --------------------------------------------------------------------------- samples and rates


def test_small_samples_are_flagged_and_not_written(tmp_path: Path) -> None:
    """Below the minimum count a metric is listed as small, with why, and left out of the facts."""
    path = _calls(tmp_path, *["2026-10-01T09:00:00Z"] * 3)
    found = indicators_from_files([path], min_count=4)
    assert found.metrics == ()
    assert [i.metric for i in found.small] == ["call.answered_by_ring2_rate", "call.answered_by_ring3_rate"]
    assert found.to_jsonl() == ""
    assert found.messages()[0] == ("small: 2026-10: call.answered_by_ring2_rate has n=3, below the minimum "
                                   "count 4; not written (lower --min-count to judge it anyway)")
    assert len(indicators_from_files([path], min_count=3).metrics) == 2
    assert DEFAULT_MIN_COUNT == 30


def test_complaint_rate_needs_customers_inside_the_period(tmp_path: Path) -> None:
    """Monthly counts serve a monthly rate; weekly rates need finer counts, and say so."""
    (tmp_path / "complaints.csv").write_text(
        "received_at,customer\n2026-10-05T09:00:00Z,a\n2026-10-06T09:00:00Z,b\n", encoding="utf-8")
    (tmp_path / "customers.csv").write_text("period,served\n2026-10,200\n", encoding="utf-8")
    paths = [str(tmp_path / "complaints.csv"), str(tmp_path / "customers.csv")]
    monthly = indicators_from_files(paths, min_count=0)
    assert [(i.metric, i.hits, i.n, i.value) for i in monthly.metrics] == [("complaint.rate", 2, 200, 0.01)]
    weekly = indicators_from_files(paths, every="week", min_count=0)
    assert weekly.metrics == ()
    assert [str(w).split(": ", 2)[2] for w in weekly.warnings] == [
        f"complaint.rate for 2026-W{w} not computed: customers served are counted for 2026-10, which "
        f"is not inside 2026-W{w} (count customers per week or per day)" for w in (40, 41)]


def test_complaints_equal_to_customers_served_give_a_rate_of_one(tmp_path: Path) -> None:
    """The boundary: as many complaints as customers served is a rate of 1.0, not a warning."""
    (tmp_path / "complaints.csv").write_text(
        "received_at,customer\n2026-10-05T09:00:00Z,a\n2026-10-06T09:00:00Z,b\n", encoding="utf-8")
    (tmp_path / "customers.csv").write_text("period,served\n2026-10,2\n", encoding="utf-8")
    result = indicators_from_files([str(tmp_path / "complaints.csv"), str(tmp_path / "customers.csv")],
                                   min_count=0)
    assert [(i.metric, i.hits, i.n, i.value) for i in result.metrics] == [("complaint.rate", 2, 2, 1.0)]
    assert result.warnings == ()


def test_a_delivery_exactly_at_its_due_time_is_on_time(tmp_path: Path) -> None:
    """delivered_at == due_at is on time; one second later is late."""
    path = tmp_path / "deliveries.csv"
    path.write_text("supplier,due_at,delivered_at\n"
                    "s1,2026-10-05T09:00:00Z,2026-10-05T09:00:00Z\n"
                    "s1,2026-10-06T09:00:00Z,2026-10-06T09:00:01Z\n", encoding="utf-8")
    result = indicators_from_files([str(path)], min_count=0)
    assert [(i.metric, i.hits, i.n) for i in result.metrics] == [("supplier.on_time_rate", 1, 2)]
    assert [e.at.isoformat() for e in result.events] == ["2026-10-06T09:00:01+00:00"]


def test_complaint_rate_problems_are_warnings() -> None:
    """No customers record, or more complaints than customers: no rate, a warning that says why."""
    rows = io.StringIO('{"type": "complaint", "received_at": "2026-10-05T09:00:00Z", "customer": "a"}\n'
                       '{"type": "complaint", "received_at": "2026-11-05T09:00:00Z", "customer": "a"}\n'
                       '{"type": "complaint", "received_at": "2026-11-06T09:00:00Z", "customer": "b"}\n'
                       '{"type": "customers", "period": "2026-11", "served": 1}\n')
    found = compute(iter_records("-", stdin=rows), min_count=0)
    assert found.metrics == ()
    assert [str(w) for w in found.warnings] == [
        ("2026-10: complaint.rate for 2026-10 not computed: 1 complaint(s) but no customers record for "
        "that month (add a customers record (period, served))"),
        "-:4: served: complaint.rate for 2026-11 not computed: 2 complaints but only 1 customers served",
    ]


def test_examples_give_the_documented_facts() -> None:
    """The October examples give the rates docs/records.md shows."""
    found = indicators_from_files(sorted(EXAMPLES.iterdir()))
    assert found.problems == found.warnings == found.small == ()
    values = {i.metric: (i.hits, i.n) for i in found.metrics if i.period.kind == "month"}
    peaks = {str(i.period): (i.hits, i.n) for i in found.metrics if i.metric == "peak.counters_open_rate"}
    assert peaks == {f"2026-10-0{d}": (11 if d == 3 else 12, 12) for d in range(1, 8)}  # per peak day
    assert values == {
        "call.answered_by_ring2_rate": (46, 50), "call.answered_by_ring3_rate": (48, 50),
        "complaint.rate": (7, 600), "feedback.replied_2d_rate": (28, 30),
        "feedback.solved_3d_rate": (26, 30),
        "repair.same_day_rate": (39, 40), "supplier.on_time_rate": (29, 32),
    }
    assert Tally(e.event for e in found.events) == {
        "supplier.late_delivery": 3, "material.rejected": 1, "complaint.escalated_without_authority": 2}
    first = next(line for line in found.to_jsonl().splitlines() if "ring2" in line)
    assert first == ('{"metric":"call.answered_by_ring2_rate","n":50,"period":"2026-10",'
                     '"unit":"customer_service","value":0.92}')


def test_events_quote_their_record() -> None:
    """An event fact names the record it came from and the supplier."""
    found = indicators_from_files([str(EXAMPLES / "deliveries.csv")])
    fact = found.events[0].to_fact()
    assert fact == {"event": "supplier.late_delivery", "at": "2026-10-06T04:00:00Z", "unit": "purchasing",
                    "supplier": "pack-ltd", "record": f"{EXAMPLES / 'deliveries.csv'}:7"}


def test_terminal_progress_rewrites_one_line() -> None:
    """Progress shows the share read on one line and ends it when the file is done."""
    stream = io.StringIO()
    show = terminal_progress(stream, after=0)
    show("calls.csv", 500_000, 1_000_000)
    show("calls.csv", 1_000_000, 1_000_000)
    assert stream.getvalue() == "\rreading calls.csv:  50% 0.5 MB\rreading calls.csv: 100% 1.0 MB\n"


def test_terminal_progress_stays_quiet_for_quick_files() -> None:
    """A file read faster than the delay shows nothing."""
    stream = io.StringIO()
    terminal_progress(stream, after=60)("calls.csv", 10, 10)
    assert stream.getvalue() == ""


# --------------------------------------------------------------------------- command line


def test_cli_writes_jsonl_and_reports_problems(tmp_path: Path) -> None:
    """Indicators prints facts on stdout and every problem on stderr; exit 0."""
    bad = tmp_path / "calls.csv"
    bad.write_text("received_at,abandoned\nnot a time,true\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["indicators", *sorted(str(p) for p in EXAMPLES.iterdir()), str(bad)], stdout=out, stderr=err)
    assert code == 0
    assert len(out.getvalue().splitlines()) == 20  # 6 monthly rates, 7 peak days, 7 events
    assert err.getvalue() == (f"rejected: {bad}:2: received_at: 'not a time' is not an ISO 8601 timestamp "
                              "(e.g. 2026-10-03T10:00:00+08:00, or 2026-10-03 10:00 in the --tz zone)\n")


def test_cli_output_file_and_options(tmp_path: Path) -> None:
    """-o writes the file; --every, --tz and --min-count reach the library."""
    target = tmp_path / "out" / "facts.jsonl"
    target.parent.mkdir()
    err = io.StringIO()
    code = main(["indicators", str(EXAMPLES / "calls.csv"), "--every", "week", "--tz", "Asia/Shanghai",
                 "--min-count", "12", "-o", str(target)], stdout=io.StringIO(), stderr=err)
    assert code == 0
    periods = {json.loads(line)["period"] for line in target.read_text(encoding="utf-8").splitlines()}
    assert periods == {"2026-W41", "2026-W43"}
    assert err.getvalue().count("small: ") == 6


@pytest.mark.parametrize(("argv", "message"), [
    (["--tz", "Mars/Base"], "error: --tz: unknown time zone 'Mars/Base'"),
    (["--min-count", "-3"], "expected a whole number ≥ 0, found '-3'"),
    (["--every", "year"], "invalid choice: 'year'"),
])
def test_cli_bad_options_exit_2(argv: list[str], message: str) -> None:
    """A bad option is one line on stderr and exit 2."""
    err = io.StringIO()
    assert main(["indicators", str(EXAMPLES / "calls.csv"), *argv], stdout=io.StringIO(), stderr=err) == 2
    assert message in err.getvalue()


def test_cli_nothing_readable_exits_2(tmp_path: Path) -> None:
    """When no record can be read the command fails, after reporting each problem."""
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["indicators", str(bad)], stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().splitlines()[-1] == f"error: {bad}: no readable record"
