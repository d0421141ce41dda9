"""Every reading of each standard's metric, period by period: the series the explorer charts.

A trace judges one period; this lists them all. A standard reads only the periods of its own
window (a daily reading never counts for a monthly standard), and when one metric is given
twice for a period the later line wins, as the engine counts it.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

from servresp.evaluate.facts import Fact, FactSet
from servresp.evaluate.periods import Period
from servresp.model.classes import Model, SignalKind, Standard, StandardStatus

__all__ = ["SCHEMA", "Reading", "StandardReadings", "readings", "readings_to_dict", "render_readings"]

SCHEMA = "servresp.readings/1"


@attrs.frozen
class Reading:
    """One period's value of a standard's metric."""

    period: str
    """The period label, as written in the facts."""
    value: float
    """The metric's value."""
    n: int | None
    """The sample size, when given."""
    breached: bool
    """Whether the value misses the target (never for an aspiration, which is only reported)."""


@attrs.frozen
class StandardReadings:
    """A standard and its readings, oldest first."""

    standard: Standard
    readings: tuple[Reading, ...]


def readings(model: Model, facts: FactSet) -> tuple[StandardReadings, ...]:
    """Return every standard of ``model`` (by id) with its readings in ``facts`` (by period)."""
    by_metric: dict[str, dict[Period, Fact]] = {}
    for fact in facts.facts:
        if fact.kind is SignalKind.METRIC and fact.period is not None:
            by_metric.setdefault(fact.name, {})[fact.period] = fact  # the later line wins
    return tuple(
        StandardReadings(standard, tuple(
            _reading(standard, period, fact)
            for period, fact in sorted(by_metric.get(standard.metric, {}).items(),
                                       key=lambda item: (item[0].start, item[0].end))
            if period.kind == standard.window
        ))
        for standard in sorted(model.standards.values(), key=lambda s: s.id)
    )


def _reading(standard: Standard, period: Period, fact: Fact) -> Reading:
    value = fact.value if fact.value is not None else float("nan")
    breached = standard.status is StandardStatus.STANDARD and not standard.is_met(value)
    return Reading(str(period), value, fact.n, breached)


def readings_to_dict(series: tuple[StandardReadings, ...]) -> dict[str, Any]:
    """Return the ``servresp.readings/1`` document as plain data."""
    return {
        "schema": SCHEMA,
        "standards": [{
            "id": item.standard.id, "promise": item.standard.promise, "metric": item.standard.metric,
            "comparator": str(item.standard.comparator), "target": item.standard.target,
            "window": str(item.standard.window), "status": str(item.standard.status),
            "readings": [attrs.asdict(r) for r in item.readings],
        } for item in series],
    }


def render_readings(series: tuple[StandardReadings, ...]) -> str:
    """Return the document pretty-printed with sorted keys and a final newline."""
    return json.dumps(readings_to_dict(series), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
