"""Records → metric and event facts per period, in the facts contract (docs/records.md).

Every record counts in the period of its local calendar day in the chosen zone (``tz``),
so period boundaries are midnights in that zone, whatever its daylight-saving changes; the
durations that rates measure ("within 48 hours") are real elapsed time. A metric for a
period whose sample ``n`` is below ``min_count`` is not written: it is listed in
``small`` (and on stderr by the CLI), so the engine reports its standard as unmeasured
instead of judging it on too few cases.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import attrs

from servresp.errors import Problem, did_you_mean
from servresp.evaluate.periods import Period, parse_period
from servresp.i18n import gettext as _
from servresp.records import columnar, sources
from servresp.records.columnar import Counted
from servresp.records.reader import Located, Progress, RecordError, distinct_paths, iter_records
from servresp.records.types import (
    Call,
    Complaint,
    Counter,
    CustomersServed,
    Delivery,
    Feedback,
    Repair,
)

__all__ = [
    "DEFAULT_MIN_COUNT",
    "EVERY",
    "Indicator",
    "Indicators",
    "RecordEvent",
    "compute",
    "indicators_from_files",
    "period_label",
    "terminal_progress",
    "zone",
]

EVERY = ("month", "week", "day")
DEFAULT_MIN_COUNT = 30
"""Below 30 cases one slip moves a rate by more than 3 points, close to S3's 4% budget."""
REPLY_WITHIN = dt.timedelta(hours=48)
"""S1: feedback answered "within two days"."""
SOLVE_WITHIN = dt.timedelta(hours=72)
"""S1: a solution found "within three days"."""
_UNITS = {  # the unit each metric and event is about: context for the evidence
    "call.answered_by_ring2_rate": "customer_service",
    "call.answered_by_ring3_rate": "customer_service",
    "complaint.rate": "customer_service",
    "feedback.replied_2d_rate": "customer_service",
    "feedback.solved_3d_rate": "customer_service",
    "peak.counters_open_rate": "customer_service",
    "repair.same_day_rate": "customer_service",
    "supplier.on_time_rate": "purchasing",
    "complaint.escalated_without_authority": "customer_service",
    "material.rejected": "purchasing",
    "supplier.late_delivery": "purchasing",
}


def zone(name: str) -> zoneinfo.ZoneInfo:
    """Return the IANA time zone ``name``; raise `RecordError` with a did-you-mean otherwise."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(name, zoneinfo.available_timezones()).removeprefix("; ").removeprefix("；")
        raise RecordError([Problem("--tz", 0, "", _("unknown time zone {name}").format(name=repr(name)),
                                   hint)]) from None


WHOLE_COUNTS = frozenset({"peak.counters_open_rate"})
"""Metrics that count every case, not a sample (all counters of a peak day): no min_count."""


def period_label(day: dt.date, every: str) -> str:
    """Return the label of the ``every`` period that holds ``day``: YYYY-MM, YYYY-Www or YYYY-MM-DD."""
    if every == "month":
        return f"{day.year:04}-{day.month:02}"
    if every == "week":
        iso = day.isocalendar()
        return f"{iso.year:04}-W{iso.week:02}"
    if every == "day":
        return day.isoformat()
    raise ValueError(f"every must be one of {', '.join(EVERY)}, not {every!r}")


@attrs.frozen
class Indicator:
    """One metric for one period: ``hits`` of ``n`` cases."""

    metric: str
    period: Period
    hits: int
    """The numerator (for counters: counters open, summed over peak days)."""
    n: int
    """The denominator, written as the fact's sample size."""
    unit: str

    @property
    def value(self) -> float:
        """``hits / n``."""
        return self.hits / self.n

    def to_fact(self) -> dict[str, Any]:
        """Return the metric fact of the facts contract."""
        return {"metric": self.metric, "value": self.value, "period": str(self.period),
                "unit": self.unit, "n": self.n}

    def too_small(self, min_count: int) -> str:
        """Why it is not written."""
        return _("{period}: {metric} has n={n}, below the minimum count {minimum}; not written (lower "
                 "--min-count to judge it anyway)").format(period=self.period, metric=self.metric, n=self.n,
                                                          minimum=min_count)


@attrs.frozen
class RecordEvent:
    """An event a record shows, e.g. a late delivery."""

    event: str
    at: dt.datetime
    """When, in the chosen zone."""
    unit: str
    attributes: tuple[tuple[str, str], ...]
    """Sorted by name; ``record`` is the ``file:line`` of the record."""

    def to_fact(self) -> dict[str, Any]:
        """Return the event fact of the facts contract."""
        stamp = self.at.isoformat()
        at = stamp[:-6] + "Z" if stamp.endswith("+00:00") else stamp
        return {"event": self.event, "at": at, "unit": self.unit, **dict(self.attributes)}


@attrs.frozen
class Indicators:
    """What the records give: metrics to write, metrics too small to judge, events, problems."""

    every: str
    tz: str
    min_count: int
    metrics: tuple[Indicator, ...]
    """Written: by period, then metric."""
    small: tuple[Indicator, ...]
    """Not written: ``n < min_count``."""
    events: tuple[RecordEvent, ...]
    """By time, event name, record."""
    problems: tuple[Problem, ...]
    """Rows that could not be read, with file, line and field."""
    warnings: tuple[Problem, ...]
    """Rates that could not be computed, e.g. complaints without a customers count."""
    counted: tuple[tuple[str, int], ...]
    """Records read, by type."""

    def facts(self) -> list[dict[str, Any]]:
        """Return the facts: metrics by period and name, then events by time."""
        return [m.to_fact() for m in self.metrics] + [e.to_fact() for e in self.events]

    def messages(self) -> list[str]:
        """Return the lines for stderr: rejected rows, warnings, samples too small to judge."""
        return ([_("rejected: {problem}").format(problem=p) for p in self.problems]
                + [_("warning: {warning}").format(warning=w) for w in self.warnings]
                + [_("small: {reason}").format(reason=s.too_small(self.min_count)) for s in self.small])

    def to_jsonl(self) -> str:
        """One compact JSON object a line, keys sorted."""
        return "".join(json.dumps(f, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                       + "\n" for f in self.facts())


@attrs.define
class _Tally:
    """Counts gathered while records stream by (local to one `compute` call)."""

    every: str
    tz: dt.tzinfo
    rates: defaultdict[tuple[str, str], list[int]] = attrs.Factory(
        lambda: defaultdict(lambda: [0, 0]))
    complaints: defaultdict[str, int] = attrs.Factory(lambda: defaultdict(int))
    customers: list[Located] = attrs.Factory(list)
    events: list[RecordEvent] = attrs.Factory(list)
    counted: defaultdict[str, int] = attrs.Factory(lambda: defaultdict(int))

    def label(self, moment: dt.datetime) -> str:
        return period_label(moment.astimezone(self.tz).date(), self.every)

    def rate(self, metric: str, label: str, hits: int, n: int = 1) -> None:
        cell = self.rates[metric, label]
        cell[0] += hits
        cell[1] += n

    def event(self, name: str, at: dt.datetime, item: Located, **attributes: str) -> None:
        attributes["record"] = f"{item.source}:{item.line}"
        self.events.append(RecordEvent(name, at.astimezone(self.tz), _UNITS[name],
                                       tuple(sorted(attributes.items()))))

    def add(self, item: Located) -> None:  # noqa: C901 - one branch per record type
        record = item.record
        self.counted[record.type] += 1
        if isinstance(record, Call):
            label = self.label(record.received_at)
            self.rate("call.answered_by_ring2_rate", label, record.answered_by_ring(2))
            self.rate("call.answered_by_ring3_rate", label, record.answered_by_ring(3))
        elif isinstance(record, Repair):
            if record.inside_service_area:
                self.rate("repair.same_day_rate", self.label(record.opened_at),
                          _same_day(record, self.tz))
        elif isinstance(record, Complaint):
            self.complaints[self.label(record.received_at)] += 1
            if record.escalated_without_authority:
                self.event("complaint.escalated_without_authority", record.received_at, item)
        elif isinstance(record, Feedback):
            label = self.label(record.received_at)
            self.rate("feedback.replied_2d_rate", label,
                      _within(record.received_at, record.first_reply_at, REPLY_WITHIN))
            self.rate("feedback.solved_3d_rate", label,
                      _within(record.received_at, record.solved_at, SOLVE_WITHIN))
        elif isinstance(record, Delivery):
            self.rate("supplier.on_time_rate", self.label(record.due_at), record.on_time)
            when = record.delivered_at or record.due_at
            if not record.on_time:
                self.event("supplier.late_delivery", when, item, supplier=record.supplier)
            if record.rejected:
                self.event("material.rejected", when, item, supplier=record.supplier)
        elif isinstance(record, Counter):
            if record.peak_day:  # S3 judges peak counters per peak day, whatever --every says
                self.rate("peak.counters_open_rate", period_label(record.date, "day"),
                          record.open, record.total)
        else:
            self.customers.append(item)


def _same_day(repair: Repair, tz: dt.tzinfo) -> bool:
    """Tell whether it closed on the local day it was opened; a special case may close the next day (S3)."""
    if repair.closed_at is None:
        return False
    opened = repair.opened_at.astimezone(tz).date()
    closed = repair.closed_at.astimezone(tz).date()
    return (closed - opened).days <= (1 if repair.special_case else 0)


def _within(start: dt.datetime, end: dt.datetime | None, limit: dt.timedelta) -> bool:
    return end is not None and end - start <= limit


def compute(items: Iterable[Located | Problem], *, every: str = "month", tz: dt.tzinfo = dt.UTC,
            min_count: int = DEFAULT_MIN_COUNT, counted: Iterable[Counted] = ()) -> Indicators:
    """Count records (and pass problems through) into the indicators of every period.

    ``counted`` adds what the columnar path counted; it is read after ``items`` is exhausted.
    """
    period_label(dt.date(2026, 1, 1), every)  # check ``every`` before doing any work
    tally = _Tally(every, tz)
    problems: list[Problem] = []
    for item in items:
        if isinstance(item, Problem):
            problems.append(item)
        else:
            tally.add(item)
    for part in counted:
        for metric, day, hits, n in part.rates:
            tally.rate(metric, period_label(day, every), hits, n)
        if part.records:
            tally.counted[part.type] += part.records
    periods: dict[str, Period] = {}

    def period(label: str) -> Period:
        return periods.setdefault(label, parse_period(label))

    found = [Indicator(metric, period(label), hits, n, _UNITS[metric])
             for (metric, label), (hits, n) in tally.rates.items() if n > 0]
    rates, warnings = _complaint_rates(tally, period)
    found.extend(rates)
    found.sort(key=lambda i: (i.period, i.metric))
    return Indicators(
        every=every, tz=str(tz), min_count=min_count,
        metrics=tuple(i for i in found if i.n >= min_count or i.metric in WHOLE_COUNTS),
        small=tuple(i for i in found if i.n < min_count and i.metric not in WHOLE_COUNTS),
        events=tuple(sorted(tally.events, key=lambda e: (e.at.astimezone(dt.UTC), e.event,
                                                         e.attributes))),
        problems=tuple(problems), warnings=tuple(warnings),
        counted=tuple(sorted(tally.counted.items())),
    )


def _complaint_rates(tally: _Tally, period: Any) -> tuple[list[Indicator], list[Problem]]:  # noqa: ANN401
    """complaint.rate = complaints received in the period / customers served in it."""
    rows = [(item, item.record) for item in tally.customers
            if isinstance(item.record, CustomersServed)]
    labels = set(tally.complaints)
    for _item, row in rows:
        labels.add(period_label(row.period.start, tally.every))
    out: list[Indicator] = []
    warnings: list[Problem] = []
    for label in sorted(labels):
        window: Period = period(label)
        complaints = tally.complaints.get(label, 0)
        inside = [(i, r) for i, r in rows if window.start <= r.period.start and r.period.end <= window.end]
        across = [(i, r) for i, r in rows if (i, r) not in inside
                  and r.period.start < window.end and window.start < r.period.end]
        served = sum(r.served for _i, r in inside)
        where = _("complaint.rate for {period} not computed").format(period=label)
        if across:
            item, row = across[0]
            warnings.append(Problem(item.source, item.line, "period",
                                    _("{where}: customers served are counted for {counted}, which is not "
                                      "inside {period}").format(where=where, counted=row.period,
                                                                period=label),
                                    _("count customers per {every} or per day").format(every=_(tally.every))))
        elif not inside:
            warnings.append(Problem(label, 0, "", _("{where}: {complaints} complaint(s) but no customers "
                                                    "record for that {every}").format(
                                        where=where, complaints=complaints, every=_(tally.every)),
                                    _("add a customers record (period, served)")))
        elif complaints > served:
            item = inside[0][0]
            warnings.append(Problem(item.source, item.line, "served",
                                    _("{where}: {complaints} complaints but only {served} customers "
                                      "served").format(where=where, complaints=complaints, served=served)))
        elif served > 0:
            out.append(Indicator("complaint.rate", window, complaints, served, _UNITS["complaint.rate"]))
    return out, warnings


def indicators_from_files(paths: Iterable[str | Path], *, every: str = "month",
                          tz: str | dt.tzinfo = "UTC", min_count: int = DEFAULT_MIN_COUNT,
                          stdin: TextIO | None = None,
                          progress: Progress | None = None, sql: Iterable[str] = ()) -> Indicators:
    """Read record files (``-`` reads ``stdin``) and compute their indicators.

    Call logs in CSV are counted on DuckDB when it can read them line for line
    (`servresp.records.columnar`); the result is the same either way. Parquet files
    (``.parquet``) and SQLite tables (``sql``: ``DB:TABLE``) are read as tables
    (`servresp.records.sources`).
    """
    chosen = zone(tz) if isinstance(tz, str) else tz
    period_label(dt.date(2026, 1, 1), every)

    counted: list[Counted] = []
    tickets: dict[tuple[str, str], str] = {}  # each ticket counted once, across files (D24)

    def items() -> Iterator[Located | Problem]:
        for source in sql:
            yield from sources.iter_sqlite(source, tz=chosen)
        for path in distinct_paths(paths):  # a file given twice is read once (D24)
            if isinstance(path, Problem):
                yield path
                continue
            if str(path).lower().endswith(sources.PARQUET_SUFFIXES):
                yield from sources.iter_parquet(path, tz=chosen)
                continue
            plan = columnar.plan_file(path)
            done = (columnar.count_file(plan, tz=chosen)
                    if plan is not None and columnar.enabled() else None)
            if done is None:
                yield from iter_records(path, tz=chosen, stdin=stdin, progress=progress, tickets=tickets)
            else:
                counted.append(done)
                yield from done.rest

    return compute(items(), every=every, tz=chosen, min_count=min_count, counted=counted)


def terminal_progress(stream: TextIO, *, after: float = 0.5) -> Progress:
    """Return a `Progress` that rewrites one line on ``stream`` once a file takes over ``after`` s."""
    started: dict[str, float] = {}
    shown: set[str] = set()

    def show(name: str, done: int, total: int) -> None:
        now = time.monotonic()
        start = started.setdefault(name, now)
        if now - start < after and name not in shown:
            return
        shown.add(name)
        share = f" {100 * done / total:3.0f}%" if total else ""
        stream.write(f"\rreading {name}:{share} {done / 1e6:.1f} MB")
        if total and done >= total:
            stream.write("\n")
        stream.flush()

    return show
