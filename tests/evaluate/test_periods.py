"""servresp.periods: period labels (month, ISO week, day) and timestamps with a time zone."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servresp.evaluate.periods import Period, parse_period, parse_timestamp

FORMS = "write YYYY-MM, YYYY-Www or YYYY-MM-DD"


def refusal(parse: Callable[[str], object], text: str) -> str:
    """Return the text of the ValueError ``parse(text)`` raises."""
    try:
        parse(text)
    except ValueError as exc:
        return str(exc)
    raise AssertionError(f"{text!r} was accepted")


def test_month_covers_its_days():
    """A month runs from its first day to the first day of the next month."""
    period = parse_period("2026-10")
    assert (period.start, period.end, period.label, period.kind) == (
        dt.date(2026, 10, 1), dt.date(2026, 11, 1), "2026-10", "month")


def test_december_ends_in_the_next_year():
    """December ends on 1 January of the following year."""
    assert parse_period("2026-12").end == dt.date(2027, 1, 1)


def test_iso_week_starts_on_monday():
    """An ISO week is seven days from its Monday."""
    period = parse_period("2026-W01")
    assert (period.start, period.end, period.kind) == (dt.date(2025, 12, 29), dt.date(2026, 1, 5), "week")


def test_week_53_exists_only_in_long_years():
    """2026 has an ISO week 53; 2025 does not."""
    assert parse_period("2026-W53").start == dt.date(2026, 12, 28)
    assert refusal(parse_period, "2025-W53") == f"'2025-W53' is not a period; {FORMS}"


def test_day_is_one_day_long():
    """A day period holds exactly that day."""
    period = parse_period("2026-10-03")
    assert (period.start, period.end, period.kind) == (dt.date(2026, 10, 3), dt.date(2026, 10, 4), "day")


def test_str_is_the_label():
    """A period prints as it was written."""
    assert str(parse_period("2026-W44")) == "2026-W44"


@pytest.mark.parametrize("text", [
    "2026-13", "2026-00", "2026-W00", "2026-W54", "2026-02-30", "2026-1", "26-10", "2026/10",
    "2026-10-3", " 2026-10", "2026-10 ", "2026-10\n", "october", "", "2026-w44", "2026-10-03T00:00",
])
def test_bad_labels_say_which_forms_are_accepted(text):
    """Anything but the three forms (and real dates) is refused with the same message."""
    assert refusal(parse_period, text) == f"{text!r} is not a period; {FORMS}"


@pytest.mark.parametrize("text", ["0000-10", "0000-W01", "0000-01-01", "9999-W53", "10000-01"])
def test_labels_at_the_edge_of_the_calendar_are_refused_cleanly(text):
    """Years the calendar cannot hold give the usual ValueError, never an OverflowError."""
    assert refusal(parse_period, text) == f"{text!r} is not a period; {FORMS}"


@pytest.mark.parametrize(("text", "first"), [("9999-12", "9999-12-01"), ("9999-W52", "9999-12-27"),
                                              ("9999-12-31", "9999-12-31")])
def test_d31_far_future_periods_are_valid_and_hold_their_last_day(text, first):
    """``9999-12`` and ``9999-W52`` are periods; the last day of the calendar is inside them."""
    period = parse_period(text)
    assert (str(period.start), period.last, period.final) == (first, dt.date.max, True)
    assert period.contains(dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC))
    assert not parse_period("9999-11").holds(dt.date.max)


def test_d17_periods_take_ascii_digits_only():
    """Arabic-Indic digits spell no period (they would dodge the duplicate warning)."""
    text = "\u0662\u0660\u0662\u0666-\u0661\u0660"
    assert refusal(parse_period, text) == f"{text!r} is not a period; {FORMS}"


@pytest.mark.parametrize("text", ["2026-10-03T10:00:00Z\u0000junk", "2026-10-03T10:00:00Zjunk",
                                  "2026-10-03T10:00:00+08:00 x", "\u0662026-10-03T10:00:00Z"])
def test_d26_timestamps_with_trailing_junk_are_refused(text):
    """Nothing may follow the zone, and digits are ASCII."""
    assert refusal(parse_timestamp, text) == (f"{text!r} is not an ISO 8601 timestamp, "
                                              "e.g. 2026-10-03T10:00:00Z")


def test_periods_order_by_days():
    """Order uses the days, so ``2026-10`` sorts before ``2026-11`` and ``2026-W40`` before both."""
    labels = ["2026-11", "2026-10", "2026-W40"]
    assert [str(p) for p in sorted(map(parse_period, labels))] == ["2026-W40", "2026-10", "2026-11"]
    assert parse_period("2026-10") == Period(dt.date(2026, 10, 1), dt.date(2026, 11, 1), "2026-10")


@pytest.fixture(params=["UTC", "Pacific/Kiritimati", "America/Adak"])
def machine_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Run under another local time zone: the machine's zone must never matter."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_contains_uses_utc(machine_zone: str):
    """A moment belongs to the period its UTC day falls in, whatever the machine's zone."""
    assert machine_zone
    october = parse_period("2026-10")
    assert october.contains(parse_timestamp("2026-10-01T00:00:00Z"))
    assert october.contains(parse_timestamp("2026-11-01T07:59:00+08:00"))
    assert not october.contains(parse_timestamp("2026-11-01T00:00:00Z"))
    assert not october.contains(parse_timestamp("2026-10-01T07:59:00+08:00"))


def test_timestamp_with_zone():
    """Z and numeric offsets are accepted."""
    assert parse_timestamp("2026-10-03T10:00:00Z") == dt.datetime(2026, 10, 3, 10, tzinfo=dt.UTC)
    assert parse_timestamp("2026-10-03T18:00:00+08:00") == dt.datetime(2026, 10, 3, 10, tzinfo=dt.UTC)


def test_naive_timestamp_is_refused():
    """A timestamp without a zone says how to add one."""
    assert refusal(parse_timestamp, "2026-10-03T10:00:00") == (
        "'2026-10-03T10:00:00' has no time zone; add Z or an offset like +08:00")


def test_non_timestamp_is_refused():
    """Text that is no ISO 8601 timestamp gets an example of one."""
    assert refusal(parse_timestamp, "yesterday") == (
        "'yesterday' is not an ISO 8601 timestamp, e.g. 2026-10-03T10:00:00Z")


@pytest.mark.parametrize("text", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:00:00-05:00"])
def test_timestamp_outside_utc_calendar_is_refused(text):
    """A moment whose UTC time falls outside years 1-9999 is refused, not left to crash later."""
    assert refusal(parse_timestamp, text) == f"{text!r} is outside the years 1-9999 in UTC"


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9998, 12, 31)))
def test_every_real_day_month_and_week_parses(day):
    """Each form of a real date parses back to a period containing that date."""
    year, week, _ = day.isocalendar()
    for label in (day.isoformat(), f"{day:%Y-%m}", f"{year:04}-W{week:02}"):
        period = parse_period(label)
        assert period.start <= day < period.end
        assert str(period) == label


@given(st.text(max_size=12))
def test_any_text_parses_or_raises_value_error(text):
    """parse_period and parse_timestamp raise nothing but ValueError."""
    for parse in (parse_period, parse_timestamp):
        with contextlib.suppress(ValueError):
            parse(text)
