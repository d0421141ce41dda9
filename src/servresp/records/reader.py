"""Raw service records (CSV or JSONL files) → typed records, and a located problem per bad row.

How a row's type is known: its ``type`` column or field (``calls``, ``repairs``,
``complaints``, ``feedback``, ``deliveries``, ``counters``, ``customers``; singular works
too), or else the file's name: a word of it names the type (``calls.csv``,
``2026-10-repairs.jsonl``). The format is known from the extension (``.csv``; ``.jsonl``,
``.ndjson``, ``.json``), or else from the first character (``{`` is JSONL). Files are read
line by line, so a file of any size streams through in constant memory. A bad row is
yielded as a `Problem` with its file, line and field, and reading goes on. The formats and
every rate's numerator and denominator: docs/records.md.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO

import attrs

from servresp.errors import Problem, ServrespError
from servresp.i18n import gettext as _
from servresp.records.types import RECORD_TYPES, Record, RowError, parse_row, type_name

__all__ = [
    "RECORD_TYPES",
    "Located",
    "Progress",
    "Record",
    "RecordError",
    "RecordSet",
    "iter_records",
    "read_records",
    "records_from_lines",
    "records_from_rows",
    "type_from_name",
]

Progress = Callable[[str, int, int], None]
"""Called as ``progress(file, bytes_read, bytes_total)`` while a file is read (total 0: unknown)."""

_CSV_SUFFIXES = (".csv",)
_JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
_PROGRESS_EVERY = 4096
"""Lines between two progress calls."""


class RecordError(ServrespError):
    """Record files that cannot be read at all; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Keep the problems in input order."""
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@attrs.frozen
class Located:
    """A record with the file and line it was read from."""

    record: Record
    source: str
    """The file name as given (``-`` for stdin)."""
    line: int
    """1-based line where the row starts."""


@attrs.frozen
class RecordSet:
    """Every record read, and every row that could not be."""

    records: tuple[Located, ...]
    problems: tuple[Problem, ...] = ()


def type_from_name(name: str) -> str | None:
    """Return the record type a file's name gives (one word of it names a type), or None."""
    words = {type_name(w) for w in re.split(r"[^A-Za-z]+", Path(name).name)} - {None}
    return words.pop() if len(words) == 1 else None


def read_records(paths: Iterable[str | Path], *, tz: dt.tzinfo = dt.UTC,
                 stdin: TextIO | None = None) -> RecordSet:
    """Read every file into memory (small inputs, tests); `iter_records` streams."""
    records: list[Located] = []
    problems: list[Problem] = []
    for path in paths:
        for item in iter_records(path, tz=tz, stdin=stdin):
            if isinstance(item, Problem):
                problems.append(item)
            else:
                records.append(item)
    return RecordSet(tuple(records), tuple(problems))


def iter_records(path: str | Path, *, tz: dt.tzinfo = dt.UTC, stdin: TextIO | None = None,
                 progress: Progress | None = None) -> Iterator[Located | Problem]:
    """Yield each row of one file as a `Located` record or a `Problem`, in file order.

    Timestamps without an offset are local times in ``tz``. Raise `RecordError` when the
    file cannot be opened.
    """
    name = str(path)
    if name == "-":
        lines: Iterator[tuple[int, str | Problem]] = _numbered(stdin or iter(()))
        size = 0
    else:
        try:
            handle = Path(path).open("rb")  # noqa: SIM115 - closed by the generator below
            size = Path(path).stat().st_size
        except OSError as exc:
            message = _("cannot read records: {reason}").format(reason=exc.strerror)
            raise RecordError([Problem(name, 0, "", message)]) from None
        lines = _decoded(handle, name, size, progress)
    first = next(lines, None)
    if first is None:
        return
    lines = _chain(first, lines)
    fmt = _format_of(name, first[1])
    default = type_from_name(name)
    rows = _csv_rows(lines, name, default) if fmt == "csv" else _json_rows(lines, name)
    for line, row in rows:
        if isinstance(row, Problem):
            yield row
        else:
            yield _record(name, line, row, default, tz)


def _record(name: str, line: int, row: dict[str, Any], default: str | None,
            tz: dt.tzinfo) -> Located | Problem:
    raw_type = row.get("type")
    if raw_type in (None, ""):
        type_ = default
        if type_ is None:
            return Problem(name, line, "type", _("the record type is not known"),
                           _("add a 'type' field ({types}) or name the file after it, e.g. calls.csv").format(
                               types=", ".join(RECORD_TYPES)))
    else:
        type_ = type_name(str(raw_type))
        if type_ is None:
            return Problem(name, line, "type", _("unknown record type {type}").format(type=repr(raw_type)),
                           _("one of {types}").format(types=", ".join(RECORD_TYPES)))
    try:
        return Located(parse_row(type_, row, tz), name, line)
    except RowError as exc:
        return Problem(name, line, exc.field, exc.message, exc.hint)


def _format_of(name: str, first: str | Problem) -> str:
    lower = name.lower()
    if lower.endswith(_CSV_SUFFIXES):
        return "csv"
    if lower.endswith(_JSON_SUFFIXES):
        return "json"
    return "json" if isinstance(first, str) and first.lstrip().startswith("{") else "csv"


def _decoded(handle: IO[bytes], name: str, size: int,
             progress: Progress | None) -> Iterator[tuple[int, str | Problem]]:
    """Yield the numbered, decoded lines of a binary file; a line that is not UTF-8 is a problem."""
    decode = codecs.getdecoder("utf-8-sig")
    done = 0
    with handle:
        for number, raw in enumerate(handle, start=1):
            done += len(raw)
            if progress is not None and number % _PROGRESS_EVERY == 0:
                progress(name, done, size)
            try:
                text = decode(raw)[0] if number == 1 else raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, Problem(name, number, "", _("not UTF-8 text"), _("save the file as UTF-8"))
                continue
            yield number, text
        if progress is not None:
            progress(name, done, size)


def _numbered(stream: Iterable[str]) -> Iterator[tuple[int, str | Problem]]:
    for number, text in enumerate(stream, start=1):
        yield number, text.removeprefix("\ufeff") if number == 1 else text


def _chain(first: tuple[int, str | Problem], rest: Iterator[tuple[int, str | Problem]]
           ) -> Iterator[tuple[int, str | Problem]]:
    yield first
    yield from rest


def _json_rows(lines: Iterator[tuple[int, str | Problem]], name: str
               ) -> Iterator[tuple[int, dict[str, Any] | Problem]]:
    for number, text in lines:
        if isinstance(text, Problem):
            yield number, text
            continue
        if not text.strip():
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, Problem(name, number, "", _("not valid JSON ({reason})").format(reason=exc.msg))
            continue
        if not isinstance(row, dict):
            yield number, Problem(name, number, "", _("a record must be a JSON object"))
            continue
        bad = next((k for k, v in sorted(row.items()) if isinstance(v, dict | list)), None)
        if bad is not None:
            yield number, Problem(name, number, bad, _("expected a single value, found a list or object"))
            continue
        yield number, row


class _LineFeed:
    """Feed text lines to `csv.reader` while remembering the number of the last line fed."""

    def __init__(self, lines: Iterator[tuple[int, str | Problem]]) -> None:
        self.lines = lines
        self.number = 0
        self.bad: list[Problem] = []

    def __iter__(self) -> Iterator[str]:
        for number, text in self.lines:
            self.number = number
            if isinstance(text, Problem):
                self.bad.append(text)
                yield "\n"  # keeps the csv reader's line count; an empty row is skipped
            else:
                yield text


def _csv_rows(lines: Iterator[tuple[int, str | Problem]], name: str, default: str | None
              ) -> Iterator[tuple[int, dict[str, Any] | Problem]]:
    feed = _LineFeed(lines)
    reader = csv.reader(feed)
    header: list[str] | None = None
    start = 1
    for cells in reader:
        yield from ((p.line, p) for p in feed.bad)
        feed.bad.clear()
        line, start = start, feed.number + 1
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            if "type" not in header and default is None:
                yield line, Problem(name, 0, "type", _("the record type is not known"),
                                    _("add a 'type' column ({types}) or name the file after it, e.g. "
                                      "calls.csv").format(types=", ".join(RECORD_TYPES)))
                return
            continue
        if len(cells) > len(header):
            yield line, Problem(name, line, "", _("{cells} cells but {columns} header columns").format(
                cells=len(cells), columns=len(header)))
            continue
        yield line, {key: cell for key, cell in zip(header, cells, strict=False) if cell.strip()}
    yield from ((p.line, p) for p in feed.bad)


def records_from_lines(name: str, lines: Iterable[tuple[int, str]], *,
                       tz: dt.tzinfo = dt.UTC) -> Iterator[Located | Problem]:
    """Yield the records of numbered text lines of the file ``name``, as `iter_records` reads them.

    The columnar path (`servresp.records.columnar`) hands back, with their lines, the rows
    it does not count itself: the header line, numbered one before, then one row.
    """
    numbered: Iterator[tuple[int, str | Problem]] = iter(lines)
    first = next(numbered, None)
    if first is None:
        return
    chained = _chain(first, numbered)
    default = type_from_name(name)
    fmt = _format_of(name, first[1])
    rows = _csv_rows(chained, name, default) if fmt == "csv" else _json_rows(chained, name)
    for line, row in rows:
        yield row if isinstance(row, Problem) else _record(name, line, row, default, tz)


def records_from_rows(name: str, rows: Iterable[tuple[int, dict[str, Any]]], *,
                      tz: dt.tzinfo = dt.UTC, type_hint: str | None = None
                      ) -> Iterator[Located | Problem]:
    """Yield the records of numbered rows of the table ``name`` (`servresp.records.sources`).

    The record type is a row's ``type`` field, else ``type_hint`` (a table's name), else
    what ``name`` gives, as for files.
    """
    default = type_name(type_hint) if type_hint else type_from_name(name)
    for line, row in rows:
        yield _record(name, line, row, default, tz)
