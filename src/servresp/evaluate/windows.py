"""One period at a time, each standard on its window: which readings an evaluation posts.

A trace judges one period P (the latest, unless one is chosen) and only readings *of* P:
an earlier reading is no evidence, only a note. Each standard is judged on its own window:

- a reading whose period is P is read as it is (the diagnostic rules see these only);
- a standard with a finer window than P (``peak_counters_open`` is judged per day) reads
  every reading of that window inside P, one by one;
- a standard with P's window but only finer readings inside P reads them combined, as the
  mean weighted by ``n``, when every one of them gives ``n``; otherwise they are not
  comparable and the standard has no data;
- a reading never breaches a standard of another window (a daily reading is not a month).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs

from servresp._value import Value
from servresp.errors import Problem
from servresp.evaluate.facts import Fact
from servresp.evaluate.periods import Period
from servresp.i18n import gettext as _
from servresp.model.classes import Model, SignalKind

__all__ = ["Selection", "select_readings"]

_FINENESS = {"day": 0, "week": 1, "month": 2}


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Selection(Value):
    """The readings to post for one period, and why some standards have none."""

    readings: tuple[Fact, ...]
    """The readings to post: of P, per finer window, or combined."""
    warnings: tuple[Problem, ...]
    """Two values for one metric and period (the later line wins)."""
    no_data: Mapping[str, str]
    """Standard id → why it has no reading in P (an earlier reading, readings not comparable)."""


def select_readings(model: Model, facts: Iterable[Fact], period: Period | None) -> Selection:
    """Return the readings that judge ``period``, standard by standard (see the module doc)."""
    by_metric, warnings = _last_per_period(facts)
    chosen: dict[tuple[str, Period], Fact] = {}
    no_data: dict[str, str] = {}
    if period is None:
        no_data = {s.id: _("no reading of {metric}").format(metric=s.metric)
                   for s in model.standards.values()}
    else:
        for name, values in by_metric.items():
            if (reading := values.get(period)) is not None:
                chosen[name, period] = reading
        kind = period.kind
        for standard in model.standards.values():
            values = by_metric.get(standard.metric, {})
            window = str(standard.window)
            if kind == window and (standard.metric, period) in chosen:
                continue
            inside = {p: f for p, f in values.items() if _within(p, period) and p.kind == window}
            if inside and _FINENESS[window] < _FINENESS[kind]:
                chosen.update(((standard.metric, p), f) for p, f in inside.items())
                continue
            finer = [f for p, f in sorted(values.items()) if _within(p, period)
                     and _FINENESS[p.kind] < _FINENESS[window]]
            if kind == window and finer:
                combined = _combine(finer, period)
                if combined is not None:
                    chosen[standard.metric, period] = combined
                    continue
                no_data[standard.id] = _(
                    "{count} {kind} readings of {metric} in {period} are not comparable with a "
                    "{window}: not every one gives n").format(
                        count=len(finer), kind=finer[0].period.kind if finer[0].period else "",
                        metric=standard.metric, period=period, window=window)
                continue
            no_data[standard.id] = _why_none(standard.metric, window, values, period)
    readings = tuple(sorted(chosen.values(), key=lambda f: (f.name, str(f.period), f.line)))
    return Selection(readings, tuple(warnings), dict(sorted(no_data.items())))


def _last_per_period(facts: Iterable[Fact]) -> tuple[dict[str, dict[Period, Fact]], list[Problem]]:
    by_metric: dict[str, dict[Period, Fact]] = defaultdict(dict)
    warnings: list[Problem] = []
    for fact in facts:
        if fact.kind is not SignalKind.METRIC or fact.period is None:
            continue
        values = by_metric[fact.name]
        count = len(values)
        earlier = values.setdefault(fact.period, fact)  # one look-up when the period is new
        if len(values) == count:
            warnings.append(Problem(fact.source, fact.line, "value",
                                    f"{fact.name} for {fact.period} was already given at "
                                    f"{earlier.source}:{earlier.line}; this later value wins"))
            values[fact.period] = fact
    return by_metric, warnings


def _within(inner: Period, outer: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _combine(readings: list[Fact], period: Period) -> Fact | None:
    """Return the readings' mean weighted by n, as one reading of ``period``; None without n."""
    if any(f.n is None or f.n <= 0 or f.value is None for f in readings):
        return None
    total = sum(f.n or 0 for f in readings)
    value = sum((f.value or 0.0) * (f.n or 0) for f in readings) / total
    first = readings[0]
    return attrs.evolve(first, value=value, period=period, n=total)


def _why_none(metric: str, window: str, values: Mapping[Period, Fact], period: Period) -> str:
    earlier = [p for p in values if p.end <= period.start]
    if earlier:
        latest = max(earlier, key=lambda p: (p.end, -p.start.toordinal()))
        fact = values[latest]
        return _("no reading of {metric} in {period}; the latest is of {latest} ({place}), an "
                 "earlier period: not evidence").format(metric=metric, period=period, latest=latest,
                                                        place=f"{fact.source}:{fact.line}")
    other = [p for p in values if _within(p, period) or _within(period, p)]
    if other:
        kinds = sorted({p.kind for p in other})
        return _("the {kinds} readings of {metric} do not show a {window} in {period}: not "
                 "comparable").format(kinds="/".join(kinds), metric=metric, window=window, period=period)
    return _("no reading of {metric} in {period}").format(metric=metric, period=period)
