"""Probabilities of duty failure: from the history of facts, or given in a file.

From history: each period the facts cover (every metric's period, and the month of every
event) is evaluated on its own; a duty is *implicated* in a period when a breached standard
is served by it or a fired rule names it. Its failure probability is the share of periods
in which it was implicated, smoothed by Laplace's rule of succession, ``(k + 1) / (n + 2)``:
never exactly 0 or 1 from a short history, and ½ with no history at all.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

from servresp.errors import FaultTreeError, Problem, did_you_mean
from servresp.evaluate.engine import Engine
from servresp.evaluate.periods import parse_period
from servresp.model.classes import SignalKind

if TYPE_CHECKING:
    from collections.abc import Iterable

    from servresp.evaluate.facts import FactSet
    from servresp.model.classes import Model

__all__ = [
    "check_probabilities",
    "history_periods",
    "implicated_by_period",
    "probabilities_from_history",
    "read_probabilities",
]


def history_periods(facts: FactSet) -> list[str]:
    """Return every period the facts cover, in time order: metric periods and event months."""
    labels: set[str] = set()
    for fact in facts.facts:
        if fact.kind is SignalKind.METRIC and fact.period is not None:
            labels.add(str(fact.period))
        elif fact.at is not None:
            labels.add(fact.at[:7])
    return sorted(labels, key=lambda label: (parse_period(label).start, label))


def implicated_by_period(model: Model, facts: FactSet, *,
                         engine: Engine | None = None) -> dict[str, set[str]]:
    """Return period → the duties implicated in it (breached standards' and fired rules' duties).

    ``engine`` (compiled from ``model``) is reused when given, as the service does; else one is built.
    """
    if engine is None:
        with Engine(model) as own:
            return implicated_by_period(model, facts, engine=own)
    found: dict[str, set[str]] = {}
    for period in history_periods(facts):
        evaluation = engine.evaluate(facts, period=period)
        duties = {d for b in evaluation.breaches for d in model.standards[b.standard].served_by}
        duties |= {d for f in evaluation.firings for d in model.rules[f.rule].implicates}
        found[period] = duties
    return found


def probabilities_from_history(model: Model, facts: FactSet, duties: Iterable[str] | None = None, *,
                               engine: Engine | None = None) -> dict[str, float]:
    """Return duty → ``(periods implicated + 1) / (periods + 2)`` for ``duties`` (default: all)."""
    by_period = implicated_by_period(model, facts, engine=engine)
    n = len(by_period)
    wanted = sorted(model.duties if duties is None else duties)
    return {d: (sum(d in found for found in by_period.values()) + 1) / (n + 2) for d in wanted}


def read_probabilities(path: str | Path, known: Iterable[str]) -> dict[str, float]:
    """Read ``{"event": probability, …}`` (JSON); every problem is reported, with the key."""
    file = str(path)
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FaultTreeError([Problem(file, 0, "", f"cannot read: {exc}")]) from None
    except json.JSONDecodeError as exc:
        raise FaultTreeError([Problem(file, exc.lineno, "", f"not JSON: {exc.msg}")]) from None
    return check_probabilities(raw, known, source=file, line=1)


def check_probabilities(raw: object, known: Iterable[str], *, source: str = "probabilities",
                        line: int = 0) -> dict[str, float]:
    """Check decoded ``{"event": probability, …}`` against the ``known`` events; report every problem."""
    if not isinstance(raw, dict):
        raise FaultTreeError([Problem(source, line, "", 'expected an object {"event": probability, …}')])
    names = set(known)
    problems: list[Problem] = []
    found: dict[str, float] = {}
    for key, value in raw.items():
        if key not in names:
            problems.append(Problem(source, 0, key, f"unknown event {key!r}{did_you_mean(key, names)}"))
        elif isinstance(value, bool) or not isinstance(value, int | float) or not (
                math.isfinite(value) and 0.0 <= value <= 1.0):
            problems.append(Problem(source, 0, key, f"expected a probability from 0 to 1, found {value!r}"))
        else:
            found[key] = float(value)
    if problems:
        raise FaultTreeError(problems)
    return found

