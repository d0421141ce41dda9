"""The periodic standards report S3 asks managers to give staff: "how far were we from the standard".

Per standard: the actual, the target, the gap, the change against the previous period,
the error budget left (S3: 96% leaves 4% that may slip) and, for each miss, the owners
that the trace of that miss alone names, with their shares. Per promise: its status and
the top owners of its full trace (misses and fired rules). JSON for tools
(``servresp.report/1``), Markdown for people (`servresp.render.report_md`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs

from servresp.errors import FactError, Problem
from servresp.evaluate.engine import Breach, Engine, Evaluation
from servresp.evaluate.facts import Fact, FactSet
from servresp.evaluate.periods import Period, parse_period
from servresp.i18n import current
from servresp.model.classes import Comparator, Model, Standard
from servresp.trace.tracer import Owner, trace

__all__ = [
    "SCHEMA",
    "MonthlyReport",
    "OwnerShare",
    "PromiseLine",
    "StandardLine",
    "build_monthly",
    "previous_period",
    "render_json",
    "report_to_dict",
]

SCHEMA = "servresp.report/1"
TOP_OWNERS = 3
"""Owners listed per miss and per promise."""
_DIGITS = 6


@attrs.frozen
class OwnerShare:
    """An owner of a miss: its unit, share and roles (from the trace)."""

    unit: str
    share: float
    roles: tuple[str, ...]


@attrs.frozen
class StandardLine:
    """One standard in the report."""

    standard: Standard
    actual: float | None
    """The reading in the period; None when unmeasured."""
    n: int | None
    """Its sample size, when the fact gives one."""
    gap: float | None
    """How far on the wrong side of the target (0 when met)."""
    previous: float | None
    """The reading in the previous period."""
    budget: float | None
    """The allowed slip (S3: 0.04 for 96%); None when the target leaves none."""
    owners: tuple[OwnerShare, ...] = ()
    """Top owners of this miss (empty when met, unmeasured or an aspiration)."""

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when unmeasured."""
        return None if self.actual is None else self.standard.is_met(self.actual)

    @property
    def change(self) -> float | None:
        """Actual minus previous, when both are known."""
        if self.actual is None or self.previous is None:
            return None
        return self.actual - self.previous

    @property
    def budget_used(self) -> float | None:
        """How much of the budget slipped: 1 - actual for an "at least" target, actual otherwise."""
        if self.budget is None or self.actual is None:
            return None
        rising = self.standard.comparator in (Comparator.GE, Comparator.GT)
        return 1.0 - self.actual if rising else self.actual

    @property
    def budget_left(self) -> float | None:
        """Budget minus what slipped; negative once the standard is missed."""
        used = self.budget_used
        return None if used is None or self.budget is None else self.budget - used

    @property
    def budget_left_share(self) -> float | None:
        """Budget left as a share of the budget (1: none used; -1.5: 1.5 budgets overrun)."""
        left = self.budget_left
        return None if left is None or not self.budget else left / self.budget


@attrs.frozen
class PromiseLine:
    """One promise in the report: its status and the top owners of its trace."""

    promise: str
    status: str
    breached: tuple[str, ...]
    """Missed standards, by id."""
    fired: tuple[str, ...]
    """Fired rules, by id."""
    owners: tuple[OwnerShare, ...]


@attrs.frozen
class MonthlyReport:
    """The standards report of one period."""

    model: Model
    period: str | None
    previous: str | None
    standards: tuple[StandardLine, ...]
    """By promise, then standard id."""
    promises: tuple[PromiseLine, ...]
    facts: FactSet


def previous_period(period: Period) -> Period | None:
    """Return the period of the same kind just before ``period``; None before year 1."""
    if period.start <= dt.date.min + dt.timedelta(days=6):
        return None  # no week, month or day before 0001-01-01 that a date can hold
    before = period.start - dt.timedelta(days=1)
    if period.kind == "month":
        return parse_period(f"{before.year:04}-{before.month:02}")
    if period.kind == "week":
        iso = before.isocalendar()
        return parse_period(f"{iso.year:04}-W{iso.week:02}")
    return parse_period(before.isoformat())


def build_monthly(model: Model, facts: FactSet, *, period: str | None = None,
                  top: int = TOP_OWNERS) -> MonthlyReport:
    """Evaluate the period (the latest when None) and the one before, and report on both."""
    with Engine(model) as engine:
        if period is None:
            latest = engine.evaluate(facts).period
            if latest is None:
                raise FactError([Problem("facts", 0, "", "no metric or event to report on")])
            period = latest
        try:
            chosen = parse_period(period)
        except ValueError as exc:
            raise FactError([Problem("--period", 0, "", str(exc))]) from None
        before = previous_period(chosen)
        now = engine.evaluate(facts, period=chosen)
        then = engine.evaluate(facts, period=before) if before is not None else None
    if then is not None and not then.readings:  # no facts for it: nothing to compare with
        before, then = None, None
    readings = {f.name: f for f in now.readings}
    earlier = {f.name: f for f in then.readings} if then is not None else {}
    misses = {b.standard: b for b in now.breaches}
    lines = [
        _line(model, now, standard, readings.get(standard.metric), earlier.get(standard.metric),
              misses.get(standard.id), top)
        for standard in sorted(model.standards.values(), key=lambda s: (s.promise, s.id))
    ]
    promises = []
    for promise in model.promises:
        item = trace(model, now, promise)
        promises.append(PromiseLine(promise, item.status, tuple(b.standard for b in item.breaches),
                                    tuple(f.rule for f in item.firings),
                                    _top(item.owners, top)))
    previous = str(before) if before is not None else None
    return MonthlyReport(model, str(chosen), previous, tuple(lines), tuple(promises), facts)


def _line(model: Model, evaluation: Evaluation, standard: Standard, reading: Fact | None,
          previous: Fact | None, breach: Breach | None, top: int) -> StandardLine:
    actual = reading.value if reading is not None else None
    owners: tuple[OwnerShare, ...] = ()
    if breach is not None:
        alone = attrs.evolve(evaluation, breaches=(breach,), aspirations=(), firings=())
        owners = _top(trace(model, alone, standard.promise).owners, top)
    return StandardLine(
        standard=standard, actual=actual, n=reading.n if reading is not None else None,
        gap=None if actual is None else standard.gap(actual),
        previous=previous.value if previous is not None else None,
        budget=standard.error_budget(), owners=owners,
    )


def _top(owners: tuple[Owner, ...], top: int) -> tuple[OwnerShare, ...]:
    return tuple(OwnerShare(o.unit, o.share, o.roles) for o in owners[:top])


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, _DIGITS) + 0.0


def _owners(owners: tuple[OwnerShare, ...]) -> list[dict[str, Any]]:
    return [{"unit": o.unit, "share": o.share, "roles": list(o.roles)} for o in owners]


def report_to_dict(report: MonthlyReport) -> dict[str, Any]:
    """Return the ``servresp.report/1`` document as plain data."""
    facts = report.facts
    return {
        "schema": SCHEMA,
        "lang": current(),
        "model": report.model.name,
        "period": report.period,
        "previous_period": report.previous,
        "facts": {"read": facts.read, "rejected": len(facts.rejected), "unknown": len(facts.unknown)},
        "standards": [{
            "standard": line.standard.id, "promise": line.standard.promise,
            "metric": line.standard.metric, "status": str(line.standard.status),
            "comparator": str(line.standard.comparator), "target": line.standard.target,
            "actual": _r(line.actual), "n": line.n, "met": line.met, "gap": _r(line.gap),
            "previous": _r(line.previous), "change": _r(line.change),
            "budget": _r(line.budget), "budget_used": _r(line.budget_used),
            "budget_left": _r(line.budget_left), "budget_left_share": _r(line.budget_left_share),
            "owners": _owners(line.owners),
        } for line in report.standards],
        "promises": [{
            "promise": p.promise, "status": p.status, "breached": list(p.breached),
            "fired_rules": list(p.fired), "owners": _owners(p.owners),
        } for p in report.promises],
        "unmeasured": [line.standard.id for line in report.standards if line.actual is None],
    }


def render_json(report: MonthlyReport) -> str:
    """Return the report as pretty-printed JSON with sorted keys and a final newline."""
    return json.dumps(report_to_dict(report), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
