"""Facts in (JSON, JSONL, CSV; files or stdin) → validated `Fact`s, per-line problems and unknowns.

A malformed fact is rejected with its source, line and field and reading goes on; a
metric or event the model does not know is listed as unknown, with a did-you-mean.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

import attrs

from servresp._value import Value
from servresp.errors import FactError, Problem
from servresp.evaluate.periods import Period, parse_period, parse_timestamp
from servresp.i18n import gettext as _
from servresp.model.classes import Model, SignalKind

__all__ = ["Fact", "FactSet", "UnknownSignal", "parse_facts", "read_facts"]

MAX_FIELDS = 200
"""durable_rules fails past ~254 fields; keep a margin for the keys servresp adds."""
_METRIC_KEYS = frozenset({"metric", "value", "period", "unit", "n"})
Scalar = str | int | float | bool


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Fact(Value):
    """One valid metric or event, with where it was read."""

    kind: SignalKind
    """Metric or event."""
    name: str
    """The metric or event name."""
    source: str
    """The file it came from (``-`` for stdin)."""
    line: int
    """1-based line (CSV: the row's line)."""
    value: float | None = None
    """A metric's value."""
    period: Period | None = None
    """A metric's period."""
    at: str | None = None
    """An event's timestamp, as written."""
    unit: str | None = None
    """The unit the fact is about: context for the evidence."""
    n: int | None = None
    """A metric's sample size."""
    attributes: tuple[tuple[str, Scalar], ...] = ()
    """An event's other fields, sorted by name."""

    def to_json(self) -> dict[str, Any]:
        """Return the fact as written (plus ``source`` and ``line``), for evidence."""
        out: dict[str, Any] = {str(self.kind): self.name, "source": self.source, "line": self.line}
        if self.kind is SignalKind.METRIC:
            out |= {"value": self.value, "period": str(self.period)}
            if self.n is not None:
                out["n"] = self.n
        else:
            out |= {"at": self.at, "attributes": dict(self.attributes)}
        if self.unit is not None:
            out["unit"] = self.unit
        return out


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class UnknownSignal(Value):
    """A fact whose metric or event the model does not read."""

    source: str
    line: int
    kind: SignalKind
    name: str
    suggestion: str | None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form of the trace contract."""
        return {"source": self.source, "line": self.line, "kind": str(self.kind),
                "name": self.name, "suggestion": self.suggestion}


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class FactSet(Value):
    """What was read: valid facts, rejected lines, unknown names and warnings."""

    facts: tuple[Fact, ...]
    """Valid facts, in input order."""
    rejected: tuple[Problem, ...] = ()
    """Lines that could not be read, with file, line and field."""
    unknown: tuple[UnknownSignal, ...] = ()
    """Facts about metrics or events the model does not know."""
    warnings: tuple[Problem, ...] = ()
    """Readable but suspicious input (e.g. an unknown unit)."""

    @property
    def read(self) -> int:
        """How many fact lines were read, good or bad."""
        return len(self.facts) + len(self.rejected) + len(self.unknown)

    def __add__(self, other: FactSet) -> FactSet:
        """Concatenate two fact sets."""
        return FactSet(self.facts + other.facts, self.rejected + other.rejected,
                       self.unknown + other.unknown, self.warnings + other.warnings)


def read_facts(paths: Iterable[str | Path] | str | Path, model: Model, *,
               stdin: TextIO | None = None) -> FactSet:
    """Read fact files (``-`` reads ``stdin``); raise `FactError` only when a file can't be read.

    One path may be given alone. A line that is not UTF-8 is rejected, like any bad line,
    in a file and on stdin alike; only a file that cannot be opened (or a FIFO, a folder)
    is an error.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    result = FactSet(())
    seen: set[str] = set()
    for path in paths:
        name = str(path)
        if name == "-":
            text = (stdin or io.StringIO()).read()
            fmt = "auto"
        else:
            text = _read_file(name)
            fmt = _format_of(name)
        read = parse_facts(text, model, source=name, fmt=fmt)
        if name in seen and name != "-":
            read = attrs.evolve(read, warnings=(*read.warnings, Problem(
                name, 0, "", "given twice; its facts are read twice (the later line wins)")))
        seen.add(name)
        result = result + read
    return result


def _read_file(name: str) -> str:
    """Return a fact file's text; bytes that are not UTF-8 become lone surrogates (rejected later)."""
    path = Path(name)
    try:  # a FIFO or /dev/stdin is read as the user asked (``--facts <(cmd)``)
        return path.read_bytes().decode("utf-8", errors="surrogateescape")
    except (OSError, UnicodeEncodeError) as exc:  # UnicodeEncodeError: a name no file system holds
        reason = exc.strerror if isinstance(exc, OSError) else "the name is not valid text"
        message = _("cannot read facts: {reason}").format(reason=reason)
        raise FactError([Problem(name, 0, "", message)]) from None


def _format_of(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".csv"):
        return "csv"
    return "json" if lower.endswith(".json") else "auto"


def parse_facts(text: str, model: Model, *, source: str, fmt: str = "auto") -> FactSet:
    """Parse facts from text: ``json`` (object or list), ``jsonl``, ``csv`` or ``auto``."""
    reader = _Reader(model, source)
    text = text.removeprefix("\ufeff")  # a BOM (Windows editors) is no part of the first line
    rows = _csv_rows(text, source) if fmt == "csv" else _json_rows(text, source, fmt)
    for line, row in rows:
        reader.add(line, row)
    return FactSet(tuple(reader.facts), tuple(reader.rejected), tuple(reader.unknown),
                   tuple(reader.warnings))


def _json_rows(text: str, source: str, fmt: str) -> Iterator[tuple[int, object]]:
    stripped = text.lstrip("\ufeff \t\r\n")
    offset = len(text) - len(stripped)
    if stripped.startswith("[") or (fmt == "json" and stripped.startswith("{")):
        rows = list(_json_document(text, offset, source, fmt))
        broken = rows and isinstance(rows[-1][1], _BadLine) and rows[-1][1].skips_rest
        if not (broken and fmt == "auto"):
            yield from rows
            return
        # Not one JSON list after all (a JSONL stream whose first line starts with '['):
        # judge every line on its own rather than skip the rest of the input.
    yield from _json_lines(text, source, 1)


def _json_lines(text: str, source: str, first: int) -> Iterator[tuple[int, object]]:
    r"""Yield each JSON line, numbered from ``first``.

    Lines end at ``\n`` only (a ``\r`` before it is dropped): `str.splitlines` would also
    split at U+2028, U+2029, U+0085 and other characters a JSON string may hold as they are.
    """
    for number, raw in enumerate(text.split("\n"), start=first):
        line = raw.removesuffix("\r")
        if _SURROGATE.search(line):
            yield number, _BadLine(Problem(source, number, "", "not UTF-8 text", "save the file as UTF-8"))
        elif line.strip(_JSON_SPACE):
            yield number, _decode(line, source, number)


class _BadLine:
    """A line that is not JSON: carries the problem to report."""

    def __init__(self, problem: Problem, *, skips_rest: bool = False) -> None:
        self.problem = problem
        self.skips_rest = skips_rest
        """Whether reading stopped here (a broken JSON document)."""


class _Duplicated(dict[str, Any]):
    """A JSON object that wrote a key twice; ``key`` is the first key repeated."""

    key = ""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, marking (not silently collapsing) a key written twice."""
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    marked = _Duplicated(out)
    seen: set[str] = set()
    marked.key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return marked


_DECODER = json.JSONDecoder(object_pairs_hook=_object)
_SURROGATE = re.compile("[\ud800-\udfff]")
"""A byte that was not UTF-8 (read with ``surrogateescape``), or a lone surrogate."""
_JSON_SPACE = " \t\r\n"


def _decode(line: str, source: str, number: int) -> object:
    """Decode one JSON line; NaN and Infinity decode, and are rejected with their field later."""
    try:
        value, end = _DECODER.raw_decode(line, len(line) - len(line.lstrip(_JSON_SPACE)))
        if line[end:].strip(_JSON_SPACE):
            raise json.JSONDecodeError("Extra data", line, end)
        return value  # noqa: TRY300
    except (ValueError, RecursionError) as exc:
        message = _("not valid JSON ({reason})").format(reason=_why_not_json(exc))
        return _BadLine(Problem(source, number, "", message))


def _why_not_json(exc: ValueError | RecursionError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    if isinstance(exc, RecursionError):
        return _("nested too deeply")
    return _("a number with too many digits")  # int_max_str_digits (CVE-2020-10735)


def _json_document(text: str, start: int, source: str, fmt: str) -> Iterator[tuple[int, object]]:
    decoder = _DECODER
    if text[start] == "{":
        try:
            value, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError) as exc:
            yield _error_at(text, exc, source, start)
            return
        yield text.count("\n", 0, start) + 1, value
        extra = len(text) - len(text[end:].lstrip())
        if extra < len(text):  # never drop what follows in silence
            yield _error_at(text, json.JSONDecodeError("Extra data", text, extra), source, extra)
        return
    index = start + 1
    while True:
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text):  # never take a list cut short for a whole one
            yield _error_at(text, json.JSONDecodeError("the list has no closing ']'", text, start), source,
                            start)
            return
        if text[index] == "]":
            yield from _after_document(text, index + 1, source, fmt)
            return
        try:
            value, end = decoder.raw_decode(text, index)
        except (ValueError, RecursionError) as exc:
            yield _error_at(text, exc, source, index)
            return
        yield text.count("\n", 0, index) + 1, value
        index = end


def _after_document(text: str, end: int, source: str, fmt: str) -> Iterator[tuple[int, object]]:
    """Never drop what follows a JSON list.

    In a ``.json`` file it is an error; otherwise (a JSONL file whose first line is a list)
    the lines after it are read as JSON lines.
    """
    rest = text[end:]
    if not rest.strip(_JSON_SPACE):
        return
    if fmt == "json":
        extra = end + len(rest) - len(rest.lstrip(_JSON_SPACE))
        yield _error_at(text, json.JSONDecodeError("Extra data", text, extra), source, extra)
        return
    line = text.count("\n", 0, end) + 1
    tail = rest.split("\n", 1)
    if tail[0].strip(_JSON_SPACE):
        yield line, _BadLine(Problem(source, line, "", "not valid JSON (Extra data after the list)"))
    if len(tail) > 1:
        yield from _json_lines(tail[1], source, line + 1)


def _error_at(text: str, exc: ValueError | RecursionError, source: str, start: int) -> tuple[int, object]:
    line = text.count("\n", 0, exc.pos if isinstance(exc, json.JSONDecodeError) else start) + 1
    message = _("not valid JSON ({reason}); the rest of this JSON file is skipped").format(
        reason=_why_not_json(exc))
    return line, _BadLine(Problem(source, line, "", message), skips_rest=True)


def _csv_rows(text: str, source: str) -> Iterator[tuple[int, object]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))  # csv reads \r, \r\n
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a cell over csv.field_size_limit()
            message = _("not valid CSV ({reason}); the rest of this CSV file is skipped").format(reason=exc)
            line = reader.line_num + 1  # the row being read when it failed
            yield line, _BadLine(Problem(source, line, "", message))
            return
        line = reader.line_num
        if None in row:
            yield line, _BadLine(Problem(source, line, "", _("more cells than header columns")))
            continue
        yield line, {k: _csv_value(k, v) for k, v in row.items() if v not in (None, "")}


def _csv_value(key: str, cell: str) -> Scalar:
    if key in ("metric", "event", "period", "at", "unit"):
        return cell
    lowered = cell.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for convert in (int, float):
        try:
            return convert(cell)
        except ValueError:
            continue
    return cell


class _Reader:
    """Validate rows one at a time against the model's vocabulary."""

    def __init__(self, model: Model, source: str) -> None:
        self.model = model
        self.source = source
        self.facts: list[Fact] = []
        self.rejected: list[Problem] = []
        self.unknown: list[UnknownSignal] = []
        self.warnings: list[Problem] = []

    def add(self, line: int, row: object) -> None:
        if isinstance(row, _BadLine):
            self.rejected.append(row.problem)
            return
        problem = self._check(line, row)
        if problem is not None:
            self.rejected.append(problem)

    def _reject(self, line: int, field: str, message: str, hint: str = "") -> Problem:
        if not field.isprintable():  # a key with a newline would break the one-line report
            field = repr(field)[1:-1]
        return Problem(self.source, line, field, message, hint)

    def _check(self, line: int, row: object) -> Problem | None:  # noqa: C901, PLR0911, PLR0912 - one exit per defect
        if not isinstance(row, Mapping):
            return self._reject(line, "", _("a fact must be a JSON object"))
        if isinstance(row, _Duplicated):
            return self._reject(line, row.key, f"duplicate key {row.key!r}", "keep one of them")
        for key in sorted(row):
            if key in ("id", "sid") or key.startswith("$"):
                return self._reject(line, key, _("{field} is reserved by the rules engine").format(
                                    field=repr(key)), _("rename the field"))
        for key, value in sorted(row.items()):
            if not (_is_unicode(key) and (not isinstance(value, str) or _is_unicode(value))):
                return self._reject(line, key.encode("utf-8", "backslashreplace").decode(),
                                    "not UTF-8 text (a byte that is no UTF-8, or a lone surrogate)")
        if len(row) > MAX_FIELDS:
            return self._reject(line, "", _("{count} fields; at most {most}").format(count=len(row),
                                                                                      most=MAX_FIELDS))
        has_metric, has_event = "metric" in row, "event" in row
        if has_metric == has_event:
            return self._reject(line, "metric" if has_metric else "",
                                _("a fact needs exactly one of 'metric' or 'event'"))
        kind = SignalKind.METRIC if has_metric else SignalKind.EVENT
        name = row[str(kind)]
        if not isinstance(name, str) or not name:
            expected = (_("expected an event name, found {found}") if kind is SignalKind.EVENT
                        else _("expected a metric name, found {found}"))
            return self._reject(line, str(kind), expected.format(found=repr(name)))
        unit = row.get("unit")
        if unit is not None and not isinstance(unit, str):
            return self._reject(line, "unit", _("expected a unit id, found {found}").format(found=repr(unit)))
        problem = (self._check_metric(line, row) if kind is SignalKind.METRIC
                   else self._check_event(line, row))
        if problem is not None:
            return problem
        signal = self.model.signals.get(name)
        if signal is None or signal.kind is not kind:
            known = [s.name for s in self.model.signals.values() if s.kind is kind]
            close = difflib.get_close_matches(name, known, n=1)
            self.unknown.append(UnknownSignal(self.source, line, kind, name, close[0] if close else None))
            return None
        if kind is SignalKind.METRIC and not signal.accepts(float(row["value"])):
            low, high = signal.range or (0.0, 0.0)
            return self._reject(line, "value", _("{value} is outside the range [{low}, {high}] of {metric}")
                                .format(value=row["value"], low=_num(low), high=_num(high), metric=name))
        if unit is not None and unit not in self.model.units:
            kept = _("unknown unit {unit}; kept as context").format(unit=repr(unit))
            self.warnings.append(self._reject(line, "unit", kept))
        self.facts.append(self._fact(kind, name, line, row))
        return None

    def _check_metric(self, line: int, row: Mapping[str, Any]) -> Problem | None:  # noqa: PLR0911
        for key in sorted(set(row) - _METRIC_KEYS):
            close = difflib.get_close_matches(key, sorted(_METRIC_KEYS), n=1)
            hint = (_("did you mean {name}?").format(name=repr(close[0])) if close
                    else _("use metric, value, period, unit, n"))
            return self._reject(line, key, _("unknown field {field} for a metric fact").format(
                field=repr(key)), hint)
        if "value" not in row:
            return self._reject(line, "value", _("missing field 'value'"))
        value = row["value"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            return self._reject(line, "value", _("expected a number, found {found}").format(
                found=repr(value)))
        if not _is_finite(value):
            return self._reject(line, "value", _("not a finite number"))
        if "period" not in row:
            return self._reject(line, "period", _("missing field 'period'"),
                                _("e.g. {example}").format(example="2026-10"))
        try:
            parse_period(str(row["period"]))
        except ValueError as exc:
            return self._reject(line, "period", str(exc))
        n = row.get("n")
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            return self._reject(line, "n", _("expected a whole number ≥ 0, found {found}").format(
                found=repr(n)))
        return None

    def _check_event(self, line: int, row: Mapping[str, Any]) -> Problem | None:
        if "at" not in row:
            return self._reject(line, "at", _("missing field 'at'"),
                                _("e.g. {example}").format(example="2026-10-03T10:00:00Z"))
        try:
            parse_timestamp(str(row["at"]))
        except ValueError as exc:
            return self._reject(line, "at", str(exc))
        for key, value in sorted(row.items()):
            if isinstance(value, float) and not math.isfinite(value):
                return self._reject(line, key, _("not a finite number"))
            if not isinstance(value, str | int | float | bool):
                return self._reject(line, key, _("event attributes must be strings, numbers or booleans"))
        return None

    def _fact(self, kind: SignalKind, name: str, line: int, row: Mapping[str, Any]) -> Fact:
        if kind is SignalKind.METRIC:
            return Fact(kind, name, self.source, line, value=float(row["value"]),
                        period=parse_period(str(row["period"])), unit=row.get("unit"), n=row.get("n"))
        attributes = tuple(sorted((k, v) for k, v in row.items() if k not in ("event", "at", "unit")))
        return Fact(kind, name, self.source, line, at=str(row["at"]), unit=row.get("unit"),
                    attributes=attributes)


def _is_finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _is_unicode(text: str) -> bool:
    """Return whether ``text`` encodes as UTF-8: JSON escapes can spell a lone surrogate."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _num(value: float) -> str:
    return f"{value:g}"
