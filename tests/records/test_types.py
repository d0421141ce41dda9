"""servresp.records.types: one row → one typed record, or a `RowError` naming the field."""

import datetime as dt
import zoneinfo

import pytest

from servresp.evaluate.periods import parse_period
from servresp.records.types import (
    Call,
    Complaint,
    Counter,
    CustomersServed,
    Delivery,
    Feedback,
    Repair,
    RowError,
    parse_row,
)


def test_row_error_text_is_field_then_message() -> None:
    """`str` of a RowError reads ``field: message``; the parts stay available as data."""
    with pytest.raises(RowError) as caught:
        parse_row("calls", {"received_at": "2026-10-01T09:00:00Z",
                            "answered_at": "2026-10-01T09:00:05Z", "rings": "two"}, dt.UTC)
    assert str(caught.value) == "rings: expected a whole number ≥ 0, found 'two'"
    assert (caught.value.field, caught.value.hint) == ("rings", "")


_AT, _LATER = "2026-10-01T09:00:00Z", "2026-10-01T10:00:00Z"
_VALID = {
    "calls": {"received_at": _AT, "answered_at": _LATER, "rings": "2"},
    "repairs": {"opened_at": _AT, "closed_at": _LATER, "inside_service_area": "yes",
                "special_case": "no"},
    "complaints": {"received_at": _AT, "customer": "c1", "escalated": "true", "resolved_at": _LATER,
                   "handled_with_authority": "false"},
    "feedback": {"received_at": _AT, "first_reply_at": _LATER, "solved_at": _LATER},
    "deliveries": {"supplier": "s1", "due_at": _AT, "delivered_at": _LATER, "rejected": "0"},
    "counters": {"date": "2026-10-01", "peak_day": "1", "open": "1", "total": "2"},
    "customers": {"period": "2026-10", "served": "5"},
}


@pytest.mark.parametrize(("type_", "field"), [
    ("calls", "received_at"), ("calls", "rings"), ("repairs", "opened_at"),
    ("complaints", "received_at"), ("complaints", "customer"), ("feedback", "received_at"),
    ("deliveries", "supplier"), ("deliveries", "due_at"), ("counters", "date"),
    ("counters", "open"), ("counters", "total"), ("customers", "period"), ("customers", "served"),
])
def test_a_misspelt_required_field_is_named_with_a_rename_hint(type_: str, field: str) -> None:
    """Every required field, when missing beside a near miss, says which column to rename."""
    row = {k: v for k, v in _VALID[type_].items() if k != field} | {field + "x": _VALID[type_][field]}
    with pytest.raises(RowError) as caught:
        parse_row(type_, row, dt.UTC)
    assert (caught.value.field, caught.value.message, caught.value.hint) == (
        field, f"missing field {field!r}", f"found {field + 'x'!r}: rename it to {field!r}")


@pytest.mark.parametrize(("type_", "field", "bad"), [
    ("calls", "received_at", "soon"), ("calls", "answered_at", "soon"), ("calls", "rings", "-1"),
    ("calls", "abandoned", "maybe"), ("repairs", "opened_at", "soon"),
    ("repairs", "closed_at", "soon"), ("repairs", "inside_service_area", "maybe"),
    ("repairs", "special_case", 2), ("complaints", "received_at", 5),
    ("complaints", "customer", True), ("complaints", "escalated", "maybe"),
    ("complaints", "resolved_at", "soon"), ("complaints", "handled_with_authority", "maybe"),
    ("feedback", "received_at", "soon"), ("feedback", "first_reply_at", "soon"),
    ("feedback", "solved_at", "soon"), ("deliveries", "supplier", 1.5),
    ("deliveries", "due_at", "soon"), ("deliveries", "delivered_at", "soon"),
    ("deliveries", "rejected", "maybe"), ("counters", "date", "2026-13-01"),
    ("counters", "peak_day", "maybe"), ("counters", "open", "one"), ("counters", "total", "0"),
    ("customers", "period", "October"), ("customers", "served", "many"),
])
def test_a_bad_value_names_its_field(type_: str, field: str, bad: object) -> None:
    """A value of the wrong form is reported on its own field, whatever the type."""
    row = {**_VALID[type_], field: bad}
    if field == "abandoned":
        del row["answered_at"]
    with pytest.raises(RowError) as caught:
        parse_row(type_, row, dt.UTC)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


@pytest.mark.parametrize(("type_", "field", "earlier"), [
    ("calls", "answered_at", "received_at"), ("repairs", "closed_at", "opened_at"),
    ("complaints", "resolved_at", "received_at"), ("feedback", "first_reply_at", "received_at"),
    ("feedback", "solved_at", "received_at"),
])
def test_a_moment_before_its_start_is_refused(type_: str, field: str, earlier: str) -> None:
    """An answer, closing, resolution or reply before the record began is an error on it."""
    row = {**_VALID[type_], field: "2026-10-01T08:59:59Z"}
    with pytest.raises(RowError) as caught:
        parse_row(type_, row, dt.UTC)
    assert (caught.value.field, caught.value.message) == (
        field, f"2026-10-01T08:59:59+00:00 is before {earlier} 2026-10-01T09:00:00+00:00")
    assert parse_row(type_, {**row, field: _AT}, dt.UTC)  # the same moment is fine


def test_valid_rows_read_into_their_types() -> None:
    """The valid rows above read, flags and counts included."""
    records = {t: parse_row(t, row, dt.UTC) for t, row in _VALID.items()}
    at = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
    later = at + dt.timedelta(hours=1)
    assert records["calls"] == Call(at, later, 2)
    assert records["repairs"] == Repair(at, later, inside_service_area=True, special_case=False)
    assert records["complaints"] == Complaint(at, "c1", escalated=True, resolved_at=later,
                                              handled_with_authority=False)
    assert records["feedback"] == Feedback(at, later, later)
    assert records["deliveries"] == Delivery("s1", at, later, rejected=False)
    assert records["counters"] == Counter(dt.date(2026, 10, 1), peak_day=True, open=1, total=2)
    assert records["customers"] == CustomersServed(parse_period("2026-10"), 5)


@pytest.mark.parametrize(("type_", "field"), [
    ("calls", "received_at"), ("calls", "answered_at"), ("repairs", "opened_at"),
    ("repairs", "closed_at"), ("complaints", "received_at"), ("complaints", "resolved_at"),
    ("feedback", "received_at"), ("feedback", "first_reply_at"), ("feedback", "solved_at"),
    ("deliveries", "due_at"), ("deliveries", "delivered_at"),
])
def test_a_timestamp_without_offset_is_local_time_in_tz(type_: str, field: str) -> None:
    """``2026-10-01 11:00`` in Berlin (summer time) is 09:00 UTC, for every moment field."""
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    row = {**_VALID[type_], field: "2026-10-01 11:00"}
    record = parse_row(type_, row, berlin)
    assert getattr(record, field) == dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
