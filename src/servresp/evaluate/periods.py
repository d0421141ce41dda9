"""Reporting periods: ``YYYY-MM`` (month), ``YYYY-Www`` (ISO week), ``YYYY-MM-DD`` (day)."""

from __future__ import annotations

import datetime as dt
import re

import attrs

from servresp.i18n import gettext as _

__all__ = ["Period", "parse_period", "parse_timestamp"]

_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_WEEK = re.compile(r"(\d{4})-W(\d{2})\Z")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")


@attrs.frozen(order=True)
class Period:
    """A half-open range of days ``[start, end)`` with the label it was written as."""

    start: dt.date
    """First day."""
    end: dt.date
    """Day after the last."""
    label: str = attrs.field(order=False)
    """As written, e.g. ``2026-10``."""

    @property
    def kind(self) -> str:
        """``month``, ``week`` or ``day``."""
        if _DAY.match(self.label):
            return "day"
        return "week" if "W" in self.label else "month"

    def contains(self, moment: dt.datetime) -> bool:
        """Return whether ``moment`` (made UTC) falls inside the period."""
        day = moment.astimezone(dt.UTC).date()
        return self.start <= day < self.end

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
            end = dt.date(year + month // 12, month % 12 + 1, 1)
            return Period(start, end, text)
    elif m := _WEEK.match(text):
        year, week = int(m[1]), int(m[2])
        try:
            start = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            pass
        else:
            return Period(start, start + dt.timedelta(days=7), text)
    elif m := _DAY.match(text):
        try:
            start = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
        else:
            return Period(start, start + dt.timedelta(days=1), text)
    return None


def parse_timestamp(text: str) -> dt.datetime:
    """Parse an ISO 8601 timestamp with a time zone; raise ValueError otherwise."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_("{text} is not an ISO 8601 timestamp, e.g. {example}").format(
            text=repr(text), example="2026-10-03T10:00:00Z")) from None
    if moment.tzinfo is None:
        raise ValueError(_("{text} has no time zone; add Z or an offset like {offset}").format(
            text=repr(text), offset="+08:00"))
    try:
        moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ValueError(_("{text} is outside the years 1-9999 in UTC").format(text=repr(text))) from None
    return moment
