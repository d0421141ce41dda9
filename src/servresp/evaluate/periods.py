"""Reporting periods: ``YYYY-MM`` (month), ``YYYY-Www`` (ISO week), ``YYYY-MM-DD`` (day)."""

from __future__ import annotations

import datetime as dt
import re

import attrs

from servresp.i18n import gettext as _

__all__ = ["Period", "parse_period", "parse_timestamp"]

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})\Z")
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})\Z")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
"""ASCII digits only: ``\\d`` would take ``٢٠٢٦-١٠`` for a second spelling of ``2026-10``."""
_TIMESTAMP = re.compile(
    r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}[T ][0-9]{2}(:?[0-9]{2}(:?[0-9]{2}([.,][0-9]{1,9})?)?)?"
    r"(Z|[+-][0-9]{2}(:?[0-9]{2}(:?[0-9]{2}([.,][0-9]{1,6})?)?)?)\Z")
"""What `parse_timestamp` accepts before `datetime.fromisoformat` reads it: ISO 8601 with a
zone and nothing after it (``fromisoformat`` took ``2026-10-03T10:00:00Z\\0junk``)."""


@attrs.frozen(order=True, cache_hash=True)  # a key of every reading look-up (B2)
class Period:
    """A half-open range of days ``[start, end)`` with the label it was written as."""

    start: dt.date
    """First day."""
    end: dt.date
    """Day after the last; `datetime.date.max` for a period that ends the calendar (``9999-12``),
    whose day after cannot be written (then `final` is true)."""
    label: str = attrs.field(order=False)
    """As written, e.g. ``2026-10``."""
    final: bool = attrs.field(default=False, order=False, kw_only=True)
    """Whether the period runs through `datetime.date.max`, the last day there is."""

    @property
    def last(self) -> dt.date:
        """The last day of the period."""
        return self.end if self.final else self.end - dt.timedelta(days=1)

    @property
    def kind(self) -> str:
        """``month``, ``week`` or ``day``."""
        if _DAY.match(self.label):
            return "day"
        return "week" if "W" in self.label else "month"

    def contains(self, moment: dt.datetime) -> bool:
        """Return whether ``moment`` (made UTC) falls inside the period."""
        return self.holds(moment.astimezone(dt.UTC).date())

    def holds(self, day: dt.date) -> bool:
        """Return whether ``day`` falls inside the period."""
        return self.start <= day < self.end or (self.final and day == self.end)

    def __str__(self) -> str:
        """Return the label."""
        return self.label


def parse_period(text: str) -> Period:
    """Parse a period label; raise ValueError saying which forms are accepted."""
    try:
        period = _parse_period(text)
    except (ValueError, OverflowError):  # year 0, or an end past 9999-12-31
        period = None
    if period is None:
        raise ValueError(_("{text} is not a period; write YYYY-MM, YYYY-Www or YYYY-MM-DD").format(
            text=repr(text)))
    return period


def _parse_period(text: str) -> Period | None:
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            start = dt.date(year, month, 1)
            if (year, month) == (9999, 12):
                return Period(start, dt.date.max, text, final=True)
            return Period(start, dt.date(year + month // 12, month % 12 + 1, 1), text)
    elif m := _WEEK.match(text):
        year, week = int(m[1]), int(m[2])
        try:
            start = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            pass
        else:
            return _spanning(start, 7, text)
    elif m := _DAY.match(text):
        try:
            start = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
        else:
            return _spanning(start, 1, text)
    return None


def _spanning(start: dt.date, days: int, label: str) -> Period:
    """Return the period of ``days`` days from ``start``, cut at the end of the calendar."""
    if dt.date.max.toordinal() - start.toordinal() < days:
        return Period(start, dt.date.max, label, final=True)
    return Period(start, start + dt.timedelta(days=days), label)


def parse_timestamp(text: str) -> dt.datetime:
    """Parse an ISO 8601 timestamp with a time zone; raise ValueError otherwise."""
    wrong = _("{text} is not an ISO 8601 timestamp, e.g. {example}").format(
        text=repr(text), example="2026-10-03T10:00:00Z")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(wrong) from None
    if moment.tzinfo is None:
        raise ValueError(_("{text} has no time zone; add Z or an offset like {offset}").format(
            text=repr(text), offset="+08:00"))
    if not _TIMESTAMP.match(text):  # e.g. other digits than 0-9, or something after the zone
        raise ValueError(wrong)
    try:
        moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ValueError(_("{text} is outside the years 1-9999 in UTC").format(text=repr(text))) from None
    return moment
