"""The seven raw record types and how one row becomes one record (docs/records.md).

A row is a mapping of field name to a JSON value or a CSV cell (text). Each type's
``from_row`` checks its fields and raises `RowError` naming the field and what was expected;
it knows nothing of files or lines (its caller adds them). Extra fields are ignored, so an
export may carry columns servresp does not read (agent, store, ticket number...).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from typing import ClassVar

import attrs

from servresp.evaluate.periods import Period, parse_period
from servresp.i18n import gettext as _

__all__ = [
    "RECORD_TYPES",
    "Call",
    "Complaint",
    "Counter",
    "CustomersServed",
    "Delivery",
    "Feedback",
    "Record",
    "Repair",
    "RowError",
    "parse_row",
    "type_name",
]

Value = object
"""A field's raw value: a JSON value, or a CSV cell's text."""


class RowError(ValueError):
    """One field of a row is wrong: ``field`` names it, ``hint`` says how to fix it."""

    def __init__(self, field: str, message: str, hint: str = "") -> None:
        """Keep the field, the message and the hint as data."""
        self.field = field
        self.message = message
        self.hint = hint
        super().__init__(f"{field}: {message}")


# --------------------------------------------------------------------------- field readers

_TRUE = frozenset({"true", "yes", "y", "1", "t"})
_FALSE = frozenset({"false", "no", "n", "0", "f"})


def _get(row: Mapping[str, Value], field: str) -> Value | None:
    """Return the field's value, or None when it is absent, null or an empty cell."""
    value = row.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value


def _required(row: Mapping[str, Value], field: str, fields: tuple[str, ...]) -> Value:
    value = _get(row, field)
    if value is None:
        present = [k for k in row if k not in fields]
        close = difflib.get_close_matches(field, present, n=1)
        hint = _("found {found}: rename it to {field}").format(found=repr(close[0]), field=repr(field)) \
            if close else ""
        raise RowError(field, _("missing field {field}").format(field=repr(field)), hint)
    return value


def _moment(field: str, value: Value, tz: dt.tzinfo) -> dt.datetime:
    """Read an ISO 8601 timestamp as UTC; without an offset it is local time in ``tz``.

    Made UTC because Python compares and subtracts two datetimes that share a tzinfo by
    their wall clocks, which is wrong by an hour across a daylight-saving change.
    """
    if not isinstance(value, str):
        raise RowError(field, _("expected an ISO 8601 timestamp, found {found}").format(found=repr(value)),
                       _("e.g. {example}").format(example="2026-10-03T10:00:00+08:00"))
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        if not (text.isascii() and text.isprintable()):  # fromisoformat took "…Z\0junk"
            raise ValueError(text)  # noqa: TRY301 - one message for both
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise RowError(field, _("{value} is not an ISO 8601 timestamp").format(value=repr(value)),
                       _("e.g. {example}, or {local} in the --tz zone").format(
                           example="2026-10-03T10:00:00+08:00", local="2026-10-03 10:00")) from None
    try:
        return (moment.replace(tzinfo=tz) if moment.tzinfo is None else moment).astimezone(dt.UTC)
    except (OverflowError, ValueError):  # e.g. 9999-12-31T23:00-05:00
        raise RowError(field, f"{value!r} is outside the years 1-9999 in UTC") from None


def _optional_moment(row: Mapping[str, Value], field: str, tz: dt.tzinfo) -> dt.datetime | None:
    value = _get(row, field)
    return None if value is None else _moment(field, value, tz)


def _flag(row: Mapping[str, Value], field: str, *, default: bool = False) -> bool:
    value = _get(row, field)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    raise RowError(field, _("expected true or false, found {found}").format(found=repr(value)),
                   _("write true/false, yes/no or 1/0"))


def _count(field: str, value: Value, *, minimum: int = 0) -> int:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isdigit():
        number = int(value)
    if number is None or number < minimum:
        raise RowError(field, _("expected a whole number ≥ {minimum}, found {found}").format(
            minimum=minimum, found=repr(value)))
    return number


def _text(field: str, value: Value) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowError(field, _("expected a name or id, found {found}").format(found=repr(value)))
    return str(value)


def _not_before(field: str, later: dt.datetime | None, earlier: dt.datetime, what: str) -> None:
    if later is not None and later < earlier:
        raise RowError(field, _("{later} is before {what} {earlier}").format(
            later=later.isoformat(), what=what, earlier=earlier.isoformat()))


# --------------------------------------------------------------------------- record types


@attrs.frozen
class Call:
    """An incoming customer call: answered at some ring, or abandoned."""

    type: ClassVar[str] = "calls"
    fields: ClassVar[tuple[str, ...]] = ("received_at", "answered_at", "abandoned", "rings")
    received_at: dt.datetime
    """When it started ringing; the call counts in the period of this moment."""
    answered_at: dt.datetime | None
    """When it was picked up; None for an abandoned call."""
    rings: int | None
    """The ring during which it was picked up (1 = the first ring); None when abandoned."""

    @property
    def abandoned(self) -> bool:
        """The caller hung up before anyone answered."""
        return self.answered_at is None

    def answered_by_ring(self, ring: int) -> bool:
        """Answered during ring ``ring`` or earlier (an abandoned call never is)."""
        return self.rings is not None and self.rings <= ring

    @classmethod
    def from_row(cls, row: Mapping[str, Value], tz: dt.tzinfo) -> Call:
        """Read one call."""
        received = _moment("received_at", _required(row, "received_at", cls.fields), tz)
        answered = _optional_moment(row, "answered_at", tz)
        abandoned = _flag(row, "abandoned")
        if abandoned and answered is not None:
            raise RowError("abandoned", "an abandoned call has no answered_at",
                           "clear one of abandoned or answered_at")
        if not abandoned and answered is None:
            raise RowError("answered_at", "a call needs answered_at, or abandoned=true")
        if answered is None:
            return cls(received, None, None)
        _not_before("answered_at", answered, received, "received_at")
        rings = _count("rings", _required(row, "rings", cls.fields))
        return cls(received, answered, rings)


@attrs.frozen
class Repair:
    """A repair ticket."""

    type: ClassVar[str] = "repairs"
    fields: ClassVar[tuple[str, ...]] = ("opened_at", "closed_at", "inside_service_area",
                                         "special_case")
    opened_at: dt.datetime
    """When the customer asked; the ticket counts in the period of this moment."""
    closed_at: dt.datetime | None
    """When the repair was done; None while open."""
    inside_service_area: bool
    """Inside the area the same-day promise covers (S3: inside the 4th ring road)."""
    special_case: bool
    """A case S3 allows one day late."""

    @classmethod
    def from_row(cls, row: Mapping[str, Value], tz: dt.tzinfo) -> Repair:
        """Read one repair ticket; ``inside_service_area`` defaults to true."""
        opened = _moment("opened_at", _required(row, "opened_at", cls.fields), tz)
        closed = _optional_moment(row, "closed_at", tz)
        _not_before("closed_at", closed, opened, "opened_at")
        return cls(opened, closed, _flag(row, "inside_service_area", default=True),
                   _flag(row, "special_case"))


@attrs.frozen
class Complaint:
    """A customer complaint."""

    type: ClassVar[str] = "complaints"
    fields: ClassVar[tuple[str, ...]] = ("received_at", "customer", "escalated", "resolved_at",
                                         "handled_with_authority")
    received_at: dt.datetime
    """When it came in; it counts in the period of this moment."""
    customer: str
    """Who complained."""
    escalated: bool
    """Passed up the line instead of being settled where it came in."""
    resolved_at: dt.datetime | None
    """When it was resolved; read and checked, not used by any metric yet."""
    handled_with_authority: bool
    """The person who took it had the authority to settle it (S3's empowerment)."""

    @property
    def escalated_without_authority(self) -> bool:
        """Escalated because no one at hand could settle it."""
        return self.escalated and not self.handled_with_authority

    @classmethod
    def from_row(cls, row: Mapping[str, Value], tz: dt.tzinfo) -> Complaint:
        """Read one complaint."""
        received = _moment("received_at", _required(row, "received_at", cls.fields), tz)
        customer = _text("customer", _required(row, "customer", cls.fields))
        resolved = _optional_moment(row, "resolved_at", tz)
        _not_before("resolved_at", resolved, received, "received_at")
        return cls(received, customer, _flag(row, "escalated"), resolved,
                   _flag(row, "handled_with_authority"))


@attrs.frozen
class Feedback:
    """A piece of customer feedback (a letter, a form, a message)."""

    type: ClassVar[str] = "feedback"
    fields: ClassVar[tuple[str, ...]] = ("received_at", "first_reply_at", "solved_at")
    received_at: dt.datetime
    """When it came in; it counts in the period of this moment."""
    first_reply_at: dt.datetime | None
    """The first answer to the customer; None when never answered."""
    solved_at: dt.datetime | None
    """When a solution was found; None when not (yet)."""

    @classmethod
    def from_row(cls, row: Mapping[str, Value], tz: dt.tzinfo) -> Feedback:
        """Read one piece of feedback."""
        received = _moment("received_at", _required(row, "received_at", cls.fields), tz)
        reply = _optional_moment(row, "first_reply_at", tz)
        solved = _optional_moment(row, "solved_at", tz)
        _not_before("first_reply_at", reply, received, "received_at")
        _not_before("solved_at", solved, received, "received_at")
        return cls(received, reply, solved)


@attrs.frozen
class Delivery:
    """A supplier's delivery of materials or parts."""

    type: ClassVar[str] = "deliveries"
    fields: ClassVar[tuple[str, ...]] = ("supplier", "due_at", "delivered_at", "rejected")
    supplier: str
    """Who delivers."""
    due_at: dt.datetime
    """When it was due; the delivery counts in the period of this moment."""
    delivered_at: dt.datetime | None
    """When it arrived; None when it has not."""
    rejected: bool
    """The batch was rejected for poor quality."""

    @property
    def on_time(self) -> bool:
        """Arrived no later than due."""
        return self.delivered_at is not None and self.delivered_at <= self.due_at

    @classmethod
    def from_row(cls, row: Mapping[str, Value], tz: dt.tzinfo) -> Delivery:
        """Read one delivery."""
        supplier = _text("supplier", _required(row, "supplier", cls.fields))
        due = _moment("due_at", _required(row, "due_at", cls.fields), tz)
        return cls(supplier, due, _optional_moment(row, "delivered_at", tz), _flag(row, "rejected"))


@attrs.frozen
class Counter:
    """How many counters (service points) were open on one day."""

    type: ClassVar[str] = "counters"
    fields: ClassVar[tuple[str, ...]] = ("date", "peak_day", "open", "total")
    date: dt.date
    """The local calendar day."""
    peak_day: bool
    """A peak day (a holiday such as the Spring Festival): only these are counted."""
    open: int
    """Counters open."""
    total: int
    """Counters there are (≥ 1)."""

    @classmethod
    def from_row(cls, row: Mapping[str, Value], _tz: dt.tzinfo) -> Counter:
        """Read one day's counters."""
        raw = _required(row, "date", cls.fields)
        try:
            date = dt.date.fromisoformat(str(raw))
        except ValueError:
            message = _("{value} is not a date").format(value=repr(raw))
            raise RowError("date", message, _("write YYYY-MM-DD")) from None
        open_ = _count("open", _required(row, "open", cls.fields))
        total = _count("total", _required(row, "total", cls.fields), minimum=1)
        if open_ > total:
            raise RowError("open", _("{open} open counters out of {total}").format(open=open_, total=total))
        return cls(date, _flag(row, "peak_day"), open_, total)


@attrs.frozen
class CustomersServed:
    """How many customers were served in a period: the complaint rate's denominator."""

    type: ClassVar[str] = "customers"
    fields: ClassVar[tuple[str, ...]] = ("period", "served")
    period: Period
    """A month, an ISO week or a day (local calendar)."""
    served: int
    """Customers served in it."""

    @classmethod
    def from_row(cls, row: Mapping[str, Value], _tz: dt.tzinfo) -> CustomersServed:
        """Read one period's count."""
        raw = _required(row, "period", cls.fields)
        try:
            period = parse_period(str(raw))
        except ValueError as exc:
            raise RowError("period", str(exc)) from None
        return cls(period, _count("served", _required(row, "served", cls.fields)))


Record = Call | Repair | Complaint | Feedback | Delivery | Counter | CustomersServed
_TYPES: dict[str, type[Record]] = {
    t.type: t for t in (Call, Complaint, Counter, CustomersServed, Delivery, Feedback, Repair)
}
RECORD_TYPES = tuple(sorted(_TYPES))
"""The canonical type names: calls, complaints, counters, customers, deliveries, feedback, repairs."""
_ALIASES = {"call": "calls", "complaint": "complaints", "counter": "counters",
            "customer": "customers", "delivery": "deliveries", "feedbacks": "feedback",
            "repair": "repairs"}


def type_name(text: str) -> str | None:
    """Return the canonical type for ``text`` (singular or plural, any case), or None."""
    lowered = text.strip().lower()
    name = _ALIASES.get(lowered, lowered)
    return name if name in _TYPES else None


def parse_row(type_: str, row: Mapping[str, Value], tz: dt.tzinfo) -> Record:
    """Read ``row`` as a record of canonical type ``type_``; raise `RowError`."""
    return _TYPES[type_].from_row(row, tz)
