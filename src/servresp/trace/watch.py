"""Facts and events as a JSONL stream → one ``servresp.watch/1`` line per change of a promise's status.

The watcher keeps what the engine would read if it evaluated everything seen so far
(``evaluate(model, all_facts)``: each metric at its latest period, events of the latest
period), but in bounded memory:

- **metrics**: the readings of the current period and of the periods inside it (a daily
  standard reads every day of its month), and per metric the latest earlier reading, for
  the trace's "no data" note (older periods are dropped);
- **events**: per UTC day and per *event group* (the event name, and the values of the
  attributes the model's rules match on, others folded into one), the latest ``cap``
  events, where ``cap`` is the largest ``count`` any rule asks for. A rule fires on at
  least ``count`` events, so keeping ``cap`` per group and day never changes whether it
  fires; the trace quotes the events kept.
- **days** before the earliest day the window could still move back to are evicted.

So memory depends on the days and groups in play, never on the number of events. One
`Engine` is reused; the stream is evaluated again only when a fact can change a status
(a new or changed reading, an event that is not already past every rule's count).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import attrs

from servresp.errors import EngineError, FactError, Problem
from servresp.evaluate.engine import Engine, Evaluation
from servresp.evaluate.facts import Fact, FactSet, parse_facts
from servresp.evaluate.periods import Period, parse_period, parse_timestamp
from servresp.i18n import N_, current
from servresp.i18n import gettext as _
from servresp.model.classes import EventCondition, Model, SignalKind
from servresp.trace.report import trace_to_dict
from servresp.trace.tracer import Trace, status_of, trace

__all__ = ["SCHEMA", "Change", "Summary", "Watcher", "follow", "run_watch"]

SCHEMA = "servresp.watch/1"
_OTHER = "\0other"
"""An attribute value no rule matches on: all such values share one group."""
_ABSENT = "\0absent"
_MAX_UNKNOWN_NAMES = 1000
"""Unknown names reported once each; past this many, only counted."""

_GroupKey = tuple[str, tuple[tuple[str, str], ...]]


@attrs.frozen
class Change:
    """A promise whose status changed on one input line."""

    promise: str
    before: str
    after: str
    line: int
    """The input line that changed it."""
    trace: Trace

    def to_dict(self) -> dict[str, Any]:
        """Return the ``servresp.watch/1`` object."""
        return {"schema": SCHEMA, "lang": current(), "promise": self.promise, "from": self.before,
                "to": self.after, "period": self.trace.period, "line": self.line,
                "trace": trace_to_dict(self.trace)}

    def to_json(self) -> str:
        """Return one compact JSON line (keys sorted), without the newline."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@attrs.frozen
class Summary:
    """What a watch saw, for the closing line on stderr."""

    lines: int
    facts: int
    malformed: int
    unknown: int
    changes: int
    evaluations: int
    statuses: tuple[tuple[str, str], ...]
    ended: str
    """``end of input``, ``interrupted`` or ``output closed``."""

    def __str__(self) -> str:
        """Return the summary line."""
        now = ", ".join(f"{p}={_(s)}" for p, s in self.statuses)
        return _("watch: {lines} lines, {facts} facts, {malformed} malformed, {unknown} unknown; "
                 "{evaluations} evaluations, {changes} status changes; now {now}; ended: {ended}").format(
                     lines=self.lines, facts=self.facts, malformed=self.malformed, unknown=self.unknown,
                     evaluations=self.evaluations, changes=self.changes, now=now, ended=_(self.ended))


class Watcher:
    """Rolling windows over a fact stream, one engine, and each promise's current status."""

    def __init__(self, model: Model, *, source: str = "-") -> None:
        """Compile ``model`` once; every promise starts as `trace` judges no facts: ``no_data``."""
        self.model = model
        self.source = source
        self._engine = Engine(model)
        self._statuses = {p: "no_data" if model.standards_of(p) else "ok" for p in model.promises}
        self._readings: dict[tuple[str, Period], Fact] = {}
        self._days: dict[dt.date, dict[_GroupKey, deque[Fact]]] = {}
        self._latest: tuple[dt.datetime, Fact] | None = None
        self._window: Period | None = None
        self._horizon: dt.date | None = None
        self._where: dict[str, dict[str, tuple[set[str], set[float]]]] = {}
        counts = [1]
        for rule in model.rules.values():
            if isinstance(rule.when, EventCondition):
                counts.append(rule.when.count)
                keys = self._where.setdefault(rule.when.event, {})
                for key, value in rule.when.where:
                    texts, numbers = keys.setdefault(key, (set(), set()))
                    texts.add(str(value))
                    if not isinstance(value, str):
                        numbers.add(float(value))
        self.cap = max(counts)
        """Events kept per group and day: the largest count a rule asks for."""
        self.evaluations = 0

    @property
    def statuses(self) -> dict[str, str]:
        """Each promise's current status."""
        return dict(self._statuses)

    def close(self) -> None:
        """Drop the engine's rulesets."""
        self._engine.close()

    def feed(self, text: str, line: int) -> tuple[list[Change], FactSet]:
        """Read one input line; return the status changes it caused and what was read."""
        read = parse_facts(text, self.model, source=self.source)
        read = FactSet(tuple(attrs.evolve(f, line=line) for f in read.facts),
                       tuple(attrs.evolve(p, line=line) for p in read.rejected),
                       tuple(attrs.evolve(u, line=line) for u in read.unknown),
                       tuple(attrs.evolve(w, line=line) for w in read.warnings))
        changes: list[Change] = []
        kept: list[Fact] = []
        refused: list[Problem] = []
        for fact in read.facts:
            key = (fact.name, fact.period) if fact.period is not None else None
            undo = (self._readings.get(key) if key else None, self._latest, self._window)
            try:
                if self._keep(fact):
                    changes.extend(self._evaluate(line))
            except EngineError as exc:  # e.g. a number durable_rules cannot read: drop the fact
                self._forget(fact, *undo)
                refused.append(Problem(self.source, line, "",
                                       _("the rules engine refused this fact: {error}").format(error=exc)))
            else:
                kept.append(fact)
        if refused:
            read = attrs.evolve(read, facts=tuple(kept), rejected=(*read.rejected, *refused))
        return changes, read

    def _forget(self, fact: Fact, reading: Fact | None, latest: tuple[dt.datetime, Fact] | None,
                window: Period | None) -> None:
        """Take back a fact the engine refused, so later evaluations do not fail on it too."""
        if fact.kind is SignalKind.METRIC and fact.period is not None:
            if reading is None:
                self._readings.pop((fact.name, fact.period), None)
            else:
                self._readings[fact.name, fact.period] = reading
        for groups in self._days.values():
            for bucket in groups.values():
                if any(kept is fact for kept in bucket):
                    bucket.remove(fact)
        self._latest, self._window = latest, window

    # ------------------------------------------------------------------ windows

    def _keep(self, fact: Fact) -> bool:
        """Store ``fact`` in the windows; return whether it may change a status."""
        if fact.kind is SignalKind.METRIC:
            return self._keep_reading(fact)
        return self._keep_event(fact)

    def _keep_reading(self, fact: Fact) -> bool:
        assert fact.period is not None
        key = (fact.name, fact.period)
        held = self._readings.get(key)
        if held is not None and fact.value == held.value:
            self._readings[key] = fact  # the later line wins; nothing changes
            return False
        self._readings[key] = fact
        return True

    def _keep_event(self, fact: Fact) -> bool:
        moment = parse_timestamp(fact.at or "")
        day = moment.astimezone(dt.UTC).date()
        newest = self._latest is None or moment > self._latest[0]
        if newest:
            self._latest = (moment, fact)
        window = self._window
        inside = window is not None and window.contains(moment)
        # Without readings, the latest event of any kind sets the window.
        moves = not self._readings and newest and not inside
        if fact.name not in self._where or (self._horizon is not None and day < self._horizon):
            return moves  # no rule reads it, or it is older than any window can reach
        group = self._group(fact)
        seen = self._in_window(group, window) if window is not None and inside else 0
        self._days.setdefault(day, {}).setdefault(group, deque(maxlen=self.cap)).append(fact)
        return moves or (inside and seen < self.cap)  # past every rule's count, one more changes nothing

    def _group(self, fact: Fact) -> _GroupKey:
        """Return the event's group: facts of one group match exactly the same rules.

        A value that may equal a rule's (by text or by number, whatever typing the engine
        applies) keeps its exact type and text; any other value is folded into `_OTHER`.
        """
        attributes = dict(fact.attributes)
        values = []
        for key, known in sorted(self._where[fact.name].items()):
            if key not in attributes:
                values.append((key, _ABSENT))
                continue
            value = attributes[key]
            texts, numbers = known
            near = str(value) in texts or (not isinstance(value, str) and float(value) in numbers)
            values.append((key, f"{type(value).__name__}:{value!r}" if near else _OTHER))
        return fact.name, tuple(values)

    def _in_window(self, group: _GroupKey, window: Period) -> int:
        return sum(len(groups.get(group, ())) for day, groups in self._days.items()
                   if window.holds(day))

    def _current_window(self) -> Period | None:
        """Return the window `Engine.evaluate` picks for everything seen so far."""
        periods = [f.period for f in self._readings.values() if f.period is not None]
        if periods:
            return max(periods, key=lambda p: (p.end, -p.start.toordinal()))
        if self._latest is not None:  # events only: the month of the latest, in UTC
            latest = self._latest[0].astimezone(dt.UTC)
            return parse_period(f"{latest.year:04}-{latest.month:02}")
        return None

    def _move_to(self, window: Period) -> None:
        """Set the window; evict the days no later window can reach (readings only grow)."""
        self._window = window
        if not self._readings:
            return  # a first reading may still move the window back
        latest_before: dict[str, Fact] = {}
        for (name, period), fact in sorted(self._readings.items(), key=lambda kv: kv[0][1]):
            if period.end <= window.start:
                latest_before[name] = fact
        self._readings = {k: f for k, f in self._readings.items()
                          if k[1].end > window.start or latest_before.get(k[0]) is f}
        last = window.last
        horizon = min(last.replace(day=1), last - dt.timedelta(days=last.weekday()))
        if self._horizon is None or horizon > self._horizon:
            self._horizon = horizon
            for day in [d for d in self._days if d < horizon]:
                del self._days[day]

    def _window_facts(self, window: Period) -> list[Fact]:
        facts = list(self._readings.values())
        kept: dict[_GroupKey, list[Fact]] = {}
        for day in sorted((d for d in self._days if window.holds(d)), reverse=True):
            for group, bucket in self._days[day].items():
                room = self.cap - len(kept.setdefault(group, []))
                kept[group].extend(list(bucket)[-room:] if room > 0 else [])
        for group in sorted(kept):
            facts.extend(sorted(kept[group], key=lambda f: f.line))
        if not self._readings and self._latest is not None and self._latest[1] not in facts:
            facts.append(self._latest[1])
        return facts

    # ------------------------------------------------------------------ evaluation

    def _evaluate(self, line: int) -> list[Change]:
        window = self._current_window()
        if window is None:
            return []
        self._move_to(window)
        self.evaluations += 1
        evaluation = self._engine.evaluate(FactSet(tuple(self._window_facts(window))))
        return self._changes(evaluation, line)

    def _changes(self, evaluation: Evaluation, line: int) -> list[Change]:
        changes = []
        for promise, before in self._statuses.items():
            if status_of(self.model, evaluation, promise) == before:  # reach: the model's trace index
                continue
            item = trace(self.model, evaluation, promise)  # the full trace only on a change
            self._statuses[promise] = item.status
            changes.append(Change(promise, before, item.status, line, item))
        return changes



def follow(path: str | Path, *, poll: float = 0.25,
           stop: Callable[[], bool] = lambda: False) -> Iterator[str]:
    """Yield the lines of a growing file as they are completed, like ``tail -F``, from the start.

    Ends when ``stop()`` is true at the end of the file (never, by default: end it with
    SIGINT). A file that shrinks (truncated in place) is read again from the start; a file
    renamed or deleted (log rotation) is read to its end, then the new file at ``path`` is
    opened when it appears. Bytes that are not UTF-8 reach the reader as lone surrogates,
    so that only their line is rejected. Raise `FactError` at once when the file cannot be
    opened.
    """
    stream = _open(Path(path))
    if stream is None:
        raise FactError([Problem(str(path), 0, "", _("cannot read facts: {reason}").format(
            reason="a folder, not a file"))])
    return _tail(stream, Path(path), poll, stop)


def _open(path: Path) -> TextIO | None:
    """Open a file to follow; None for a folder; raise `FactError` when it cannot be opened."""
    try:
        if path.is_dir():
            return None
        return path.open(encoding="utf-8", errors="surrogateescape", newline="")
    except OSError as exc:
        return _refuse(path, exc.strerror or "cannot open")


def _refuse(path: Path, reason: str) -> TextIO:
    raise FactError([Problem(str(path), 0, "", f"cannot read facts: {reason}")])


def _rotated(stream: TextIO, path: Path) -> bool | None:
    """Return True when ``path`` now names another file, None when it names none yet."""
    try:
        now = path.stat()
    except OSError:
        return None
    held = os.fstat(stream.fileno())
    return (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since the last look: not a truncation
        return sys.maxsize


def _tail(stream: TextIO, path: Path, poll: float, stop: Callable[[], bool]) -> Iterator[str]:
    partial = ""
    try:
        while True:
            chunk = stream.readline()
            if chunk:
                partial += chunk
                if partial.endswith("\n"):
                    yield partial
                    partial = ""
                continue
            if stop():
                if partial:
                    yield partial
                return
            moved = _rotated(stream, path)
            if moved:  # the old file is read to its end: go on with the new one
                if partial:
                    yield partial
                    partial = ""
                with contextlib.suppress(FactError):
                    fresh = _open(path)
                    if fresh is not None:
                        stream.close()
                        stream = fresh
                        continue
            elif moved is not None and _size(path) < stream.tell():
                stream.seek(0)
                partial = ""
            time.sleep(poll)
    finally:
        stream.close()


def run_watch(model: Model, lines: Iterable[str], out: TextIO, err: TextIO, *,
              source: str = "-") -> Summary:
    """Watch ``lines``: a JSON line on ``out`` per status change, problems and a summary on ``err``."""
    watcher = Watcher(model, source=source)
    counts = {"lines": 0, "facts": 0, "malformed": 0, "unknown": 0, "changes": 0}
    named: set[tuple[str, str]] = set()
    ended = N_("end of input")
    try:
        for number, text in enumerate(lines, start=1):
            counts["lines"] = number
            if not text.strip():
                continue
            changes, read = watcher.feed(text, number)
            counts["facts"] += len(read.facts)
            counts["malformed"] += len(read.rejected)
            counts["unknown"] += len(read.unknown)
            for problem in read.rejected:
                print(_("rejected: {problem}").format(problem=problem), file=err)
            for unknown in read.unknown:
                key = (str(unknown.kind), unknown.name)
                if key not in named and len(named) < _MAX_UNKNOWN_NAMES:
                    named.add(key)
                    hint = (_("; did you mean {name}?").format(name=repr(unknown.suggestion))
                            if unknown.suggestion else "")
                    print(_("unknown: {file}:{line}: {kind} {name}{hint} (reported once)").format(
                        file=source, line=number, kind=_(unknown.kind), name=repr(unknown.name), hint=hint),
                          file=err)
            for change in changes:
                out.write(change.to_json() + "\n")
                counts["changes"] += 1
            if changes:
                out.flush()
    except KeyboardInterrupt:
        ended = N_("interrupted")
    except BrokenPipeError:
        ended = N_("output closed")
    finally:
        watcher.close()
    summary = Summary(statuses=tuple(sorted(watcher.statuses.items())), ended=ended,
                      evaluations=watcher.evaluations, **counts)
    print(summary, file=err)
    return summary

