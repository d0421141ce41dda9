"""Diagnostic rules and standards → durable_rules rulesets; facts → `Evaluation`.

Follows the safe subset of DURABLE_RULES.md: rulesets compiled from a fresh dictionary
with unique names, driven through durable's C calls (no host, no timer thread), single-message
conditions only, messages sent one at a time with an explicit ``id``, and every fired rule
recorded by name. A message is an event where one condition alone in a ruleset reads its
signal, else a fact, retracted after the evaluation. Periods, de-duplication and counting
are done in Python before anything is posted.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import threading
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, Self

import attrs

from servresp._value import Value
from servresp.errors import EngineError, Problem
from servresp.evaluate import _durable
from servresp.evaluate.facts import Fact, FactSet
from servresp.evaluate.periods import Period, parse_period, parse_timestamp
from servresp.evaluate.windows import select_readings
from servresp.model.classes import Comparator, DiagnosticRule, EventCondition, Model, SignalKind, Standard

__all__ = ["Breach", "Engine", "Evaluation", "Firing", "evaluate"]

MAX_BURN = 1e9
"""A cap on one breach's mass, so sums of masses stay finite for any finite reading."""
MAX_CONDITIONS_PER_RULESET = 150
"""durable_rules degrades past ~200 rules on one ruleset (#312, #377): stay well under."""

_BREACH_WHEN = {  # a standard is breached when its comparator does not hold
    Comparator.GE: "$lt", Comparator.GT: "$lte", Comparator.LE: "$gt",
    Comparator.LT: "$gte", Comparator.EQ: "$neq",
}
_FIRE_WHEN = {Comparator.GE: "$gte", Comparator.GT: "$gt", Comparator.LE: "$lte",
              Comparator.LT: "$lt"}


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Breach(Value):
    """A standard whose reading misses its target."""

    standard: str
    metric: str
    actual: float
    target: float
    comparator: Comparator
    gap: float
    """How far the actual is on the wrong side of the target (> 0)."""
    period: str
    fact: Fact
    """The reading."""
    burn: float
    """Error budgets burnt (gap / budget), or the plain gap when the target leaves none."""
    budget: float | None
    """The allowed slip, when the target leaves one."""


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Firing(Value):
    """A diagnostic rule that fired, with the facts that fired it."""

    rule: str
    facts: tuple[Fact, ...]


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Evaluation(Value):
    """What the facts say about the model's standards and rules, for one period."""

    period: str | None
    """The evaluated period's label; None when there was nothing to evaluate."""
    readings: tuple[Fact, ...]
    """The metric facts evaluated, one per metric, by name."""
    breaches: tuple[Breach, ...]
    """Missed standards (status ``standard``), by standard id."""
    aspirations: tuple[Breach, ...]
    """Missed aspirations: reported, never breaches."""
    firings: tuple[Firing, ...]
    """Fired rules, by rule id."""
    facts: FactSet
    """What was read."""
    warnings: tuple[Problem, ...] = ()
    """E.g. two values for one metric and period (the later line wins)."""
    unmeasured: tuple[str, ...] = ()
    """Standards with no reading in the period."""
    no_data: tuple[tuple[str, str], ...] = ()
    """Standard id → why it has no reading in the period (e.g. only an earlier one), by id."""


def evaluate(model: Model, facts: FactSet, *, period: str | Period | None = None) -> Evaluation:
    """Evaluate ``facts`` against ``model`` with a fresh `Engine`."""
    with Engine(model) as engine:
        return engine.evaluate(facts, period=period)


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class _Condition(Value):
    key: str
    """``rule:<id>`` or ``standard:<id>``."""
    signal: str
    pattern: dict[str, Any]


class Engine:
    """The model's rules and standards compiled into durable_rules; reusable and thread-safe.

    Evaluations on one engine run one at a time (a lock): its rulesets are shared. They come
    from a pool (`_durable.acquire`) and go back to it on `close`, or when the engine is
    garbage-collected without one, so creating engines in a loop does not grow the process.
    """

    def __init__(self, model: Model) -> None:
        """Compile ``model``; each engine owns its rulesets while it lives."""
        self.model = model
        self._lock = threading.Lock()
        self._routes: dict[str, list[tuple[_durable.Ruleset, bool]]] = {}
        """Signal → the rulesets that read it, and whether it goes to each as an event."""
        held: list[_durable.Ruleset] = []
        self._rulesets: tuple[_durable.Ruleset, ...] = ()
        self._finalizer = weakref.finalize(self, _durable.release, held)
        routes: dict[str, list[tuple[_durable.Ruleset, bool]]] = defaultdict(list)
        try:
            for chunk in _chunks(_compile(model)):
                definition = {f"r{i}": {"all": [{"m": c.pattern}]} for i, c in enumerate(chunk)}
                ruleset = _durable.acquire(definition, {f"r{i}": c.key for i, c in enumerate(chunk)})
                held.append(ruleset)
                readers = Counter(c.signal for c in chunk)
                for signal in sorted(readers):
                    routes[signal].append((ruleset, readers[signal] == 1))
        except Exception as exc:  # noqa: BLE001 - the C extension raises bare Exceptions
            self.close()
            raise EngineError(f"durable_rules refused the model's rules: {exc}") from None
        self._routes, self._rulesets = dict(routes), tuple(held)
        self._standards = [(s, f"standard:{s.id}") for s in model.standards.values()]
        self._rules = [(r.id, f"rule:{r.id}", r.when.count if isinstance(r.when, EventCondition) else 1)
                       for r in model.rules.values()]
        """Each rule's id, key and the hits it needs to fire, in the model's order."""

    def __enter__(self) -> Self:
        """Use as a context manager; the rulesets are given back on exit."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Give the rulesets back."""
        self.close()

    def close(self) -> None:
        """Give this engine's rulesets back to the pool; evaluating afterwards is an error."""
        with self._lock:
            self._routes, self._rulesets = {}, ()
            self._finalizer()

    @property
    def closed(self) -> bool:
        """Whether `close` was called (or the engine failed to compile)."""
        return not self._finalizer.alive

    def evaluate(self, facts: FactSet, *, period: str | Period | None = None) -> Evaluation:
        """Evaluate one period of ``facts`` (the latest unless ``period`` is given)."""
        with self._lock:
            if self.closed:
                raise EngineError("this Engine is closed: create a new one to evaluate")
            return self._evaluate(facts, period=period)

    def _evaluate(self, facts: FactSet, *, period: str | Period | None) -> Evaluation:
        chosen = parse_period(period) if isinstance(period, str) else period
        window = chosen or _latest_period(facts.facts)
        selection = select_readings(self.model, facts.facts, window)  # issue 13: one period
        readings, warnings = list(selection.readings), selection.warnings
        events = [f for f in facts.facts if f.kind is SignalKind.EVENT
                  and window is not None and window.holds(_utc_day(f.at or ""))]
        messages, sources = self._messages(readings, events)
        matched = self._run(messages)
        breaches, aspirations = self._breaches(matched, sources)
        return Evaluation(
            period=str(window) if window else None,
            readings=tuple(sorted(readings, key=lambda f: f.name)),
            breaches=breaches, aspirations=aspirations,
            firings=self._firings(matched, sources),
            facts=facts, warnings=tuple(warnings),
            unmeasured=tuple(sorted(selection.no_data)), no_data=tuple(selection.no_data.items()),
        )

    def _messages(self, readings: list[Fact], events: list[Fact]
                  ) -> tuple[list[tuple[str, str]], dict[str, tuple[Fact, ...]]]:
        """Build one message (signal, JSON) per reading and per group of equal events (counted in Python)."""
        messages: list[tuple[str, str]] = []
        sources: dict[str, tuple[Fact, ...]] = {}
        kinds: dict[str, str] = {}  # period label → its kind (a regular expression decides)
        for fact in readings:
            message_id = f"f{next(_message_ids)}"
            window = ""
            if fact.period is not None:
                window = kinds.get(fact.period.label) or kinds.setdefault(fact.period.label, fact.period.kind)
            messages.append((fact.name, _durable.reading(message_id, fact.name, fact.value, window)))
            sources[message_id] = (fact,)
        groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[Fact]] = defaultdict(list)
        for fact in events:
            groups[fact.name, tuple((k, _tagged(v)) for k, v in fact.attributes)].append(fact)
        for (name, attributes), members in sorted(groups.items(), key=lambda kv: repr(kv[0])):
            message_id = f"f{next(_message_ids)}"
            messages.append((name, _durable.event(message_id, name, attributes)))
            sources[message_id] = tuple(members)
        return messages, sources

    def _run(self, messages: list[tuple[str, str]]) -> dict[str, list[str]]:
        """Send each message (signal, JSON) where it is read; return condition key → message ids.

        A message goes as an event to a ruleset where one condition alone reads its signal (an
        event fires one rule, #400, and nothing is left to retract), else as a fact, which every
        matching rule sees; the facts are retracted afterwards, one call per ruleset.
        """
        fired: list[tuple[str, str]] = []
        stored: dict[_durable.Ruleset, list[str]] = defaultdict(list)  # facts to retract
        try:
            for signal, text in messages:
                for ruleset, event in self._routes.get(signal, ()):
                    if _durable.fire(ruleset, text, event=event, fired=fired) and not event:
                        stored[ruleset].append(text)
        except _durable.MessageObservedError:
            raise EngineError("durable_rules saw a message twice") from None
        except Exception as exc:  # noqa: BLE001 - the C extension raises bare Exceptions
            raise EngineError(f"durable_rules failed on a fact: {exc}") from None
        finally:
            for ruleset, texts in stored.items():  # one call per ruleset, not one per fact
                _durable.retract_facts(ruleset, texts)
        matched: dict[str, list[str]] = defaultdict(list)
        for key, message_id in fired:
            matched[key].append(message_id)
        return matched

    def _breaches(self, matched: dict[str, list[str]], sources: dict[str, tuple[Fact, ...]]
                  ) -> tuple[tuple[Breach, ...], tuple[Breach, ...]]:
        breaches: list[Breach] = []
        aspirations: list[Breach] = []
        for standard, key in self._standards:
            if key not in matched:
                continue
            missed = [_breach(standard, sources[m][0]) for m in matched[key]]
            if missed:  # judged per day: the worst day of the period is the breach
                breach = max(missed, key=lambda b: (b.burn, b.gap, str(b.period)))
                (aspirations if standard.status == "aspiration" else breaches).append(breach)
        return tuple(breaches), tuple(aspirations)

    def _firings(self, matched: dict[str, list[str]], sources: dict[str, tuple[Fact, ...]]
                 ) -> tuple[Firing, ...]:
        firings = []
        for rule, key, needed in self._rules:
            if key not in matched:
                continue
            hits = [fact for message_id in matched[key] for fact in sources[message_id]]
            if hits and len(hits) >= needed:
                firings.append(Firing(rule, tuple(sorted(hits, key=lambda f: (f.source, f.line)))))
        return tuple(firings)


_message_ids = itertools.count()
"""Message ids, unique in the process: a pooled ruleset never sees one twice."""


def _breach(standard: Standard, fact: Fact) -> Breach:
    actual = fact.value if fact.value is not None else float("nan")
    gap = standard.gap(actual)
    budget = standard.error_budget()
    burn = min(gap / budget if budget else gap, MAX_BURN)
    return Breach(standard.id, standard.metric, actual, standard.target, standard.comparator, gap,
                  str(fact.period), fact, burn, budget)


def _compile(model: Model) -> list[_Condition]:
    conditions = [
        _Condition(f"standard:{s.id}", s.metric,
                   {"$and": [{"signal": s.metric}, {"window": str(s.window)},
                             {_BREACH_WHEN[s.comparator]: {"value": s.target}}]})
        for s in model.standards.values()
    ]
    conditions.extend(_rule_condition(rule) for rule in model.rules.values())
    return sorted(conditions, key=lambda c: (c.signal, c.key))


def _rule_condition(rule: DiagnosticRule) -> _Condition:
    when = rule.when
    tests: list[dict[str, Any]] = [{"signal": when.signal}]
    if isinstance(when, EventCondition):
        tests.extend({f"a:{k}": _tagged(v)} for k, v in when.where)
    elif when.comparator is Comparator.EQ:
        tests.append({"value": when.value})
    else:
        tests.append({_FIRE_WHEN[when.comparator]: {"value": when.value}})
    return _Condition(f"rule:{rule.id}", when.signal, {"$and": tests})


def _tagged(value: object) -> str:
    """Return an attribute value as a typed string, so that ``where`` compares like JSON.

    durable_rules' own equality coerces: ``"1"`` matches 1 and ``"true"`` matches true. Typed
    strings keep booleans, numbers (1 == 1.0) and strings apart.
    """
    if isinstance(value, bool):
        return f"b:{value}"
    if isinstance(value, int):
        return f"n:{value}"
    if isinstance(value, float):
        return f"n:{int(value)}" if value.is_integer() else f"n:{value!r}"
    return f"s:{value}"


def _chunks(conditions: list[_Condition]) -> Iterable[list[_Condition]]:
    for start in range(0, len(conditions), MAX_CONDITIONS_PER_RULESET):
        yield conditions[start:start + MAX_CONDITIONS_PER_RULESET]


def _latest_period(facts: Iterable[Fact]) -> Period | None:
    """Return the latest metric period (the coarser of two ending together), else the last event's month."""
    facts = list(facts)
    periods = [f.period for f in facts if f.kind is SignalKind.METRIC and f.period is not None]
    if periods:
        return max(periods, key=lambda p: (p.end, -p.start.toordinal()))
    days = [_utc_day(f.at or "") for f in facts if f.kind is SignalKind.EVENT]
    if not days:
        return None
    latest = max(days)  # in UTC, as Period.contains counts; %Y would not pad year 5
    return parse_period(f"{latest.year:04}-{latest.month:02}")


@functools.lru_cache(maxsize=2048)
def _utc_day(at: str) -> dt.date:
    """Return the day in UTC of an event's timestamp, as `Period.contains` counts it.

    Cached (~0.4 MB at most): an engine evaluates the same events again and again.
    """
    return parse_timestamp(at).astimezone(dt.UTC).date()
