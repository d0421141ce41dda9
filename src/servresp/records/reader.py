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
import difflib
import errno
import json
import re
import stat
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
    "distinct_paths",
    "iter_files",
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
_DELIMITERS = (",", ";", "\t", "|")
"""What a CSV header may be separated by (spreadsheets in many locales write ``;``)."""
TICKET_FIELDS = ("ticket", "ticket_id", "id")
"""Fields that identify a record: one id seen twice (per record type) is counted once."""


_SURROGATE = re.compile("[\ud800-\udfff]")
"""A byte of stdin that was not UTF-8 (read with ``surrogateescape``)."""


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
    for item in iter_files(paths, tz=tz, stdin=stdin):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            records.append(item)
    return RecordSet(tuple(records), tuple(problems))


def iter_files(paths: Iterable[str | Path], *, tz: dt.tzinfo = dt.UTC, stdin: TextIO | None = None,
               progress: Progress | None = None) -> Iterator[Located | Problem]:
    """Yield the rows of every file, as `iter_records` does, each record once.

    A file given twice is read once; a record whose ticket id (`TICKET_FIELDS`) was already
    read, in this file or an earlier one, is reported and not counted again.
    """
    tickets: dict[tuple[str, str], str] = {}
    for path in distinct_paths(paths):
        if isinstance(path, Problem):
            yield path
        else:
            yield from iter_records(path, tz=tz, stdin=stdin, progress=progress, tickets=tickets)


def distinct_paths(paths: Iterable[str | Path]) -> Iterator[str | Path | Problem]:
    """Yield each file once, in order; a file given again (under any name) yields a `Problem`."""
    opened: dict[object, str] = {}
    for path in paths:
        name = str(path)
        key = _identity(name)
        if key in opened:
            yield Problem(name, 0, "", f"given twice (also as {opened[key]}); read once",
                          "pass each file once")
            continue
        opened[key] = name
        yield path


def _identity(name: str) -> object:
    """Return what tells two names of one file apart from two files: device and inode."""
    if name == "-":
        return name
    try:
        info = Path(name).stat()
    except OSError:
        return name
    return (info.st_dev, info.st_ino)


def iter_records(path: str | Path, *, tz: dt.tzinfo = dt.UTC, stdin: TextIO | None = None,
                 progress: Progress | None = None,
                 tickets: dict[tuple[str, str], str] | None = None) -> Iterator[Located | Problem]:
    """Yield each row of one file as a `Located` record or a `Problem`, in file order.

    Timestamps without an offset are local times in ``tz``. ``tickets`` maps the ticket ids
    read so far (record type, id) to where; pass one dict for several files. A column that
    every CSV row misses is reported once. Raise `RecordError` when the file cannot be
    opened (or is a folder or a FIFO).
    """
    name = str(path)
    if name == "-":
        lines: Iterator[tuple[int, str | Problem]] = _numbered(stdin or iter(()), name)
    else:
        lines = _opened(path, name, progress)
    first = next(lines, None)
    if first is None:
        return
    lines = _chain(first, lines)
    fmt = _format_of(name, first[1])
    default = type_from_name(name)
    header: list[str] = []
    rows = _csv_rows(lines, name, default, header) if fmt == "csv" else _json_rows(lines, name)
    seen = {} if tickets is None else tickets
    absent: set[str] = set()
    for line, row in rows:
        if isinstance(row, Problem):
            yield row
            continue
        item = _record(name, line, row, default, tz)
        if isinstance(item, Problem) and header and item.message == f"missing field {item.path!r}" \
                and item.path not in header:
            if item.path not in absent:
                absent.add(item.path)
                yield _missing_column(name, item, header)
            continue
        if isinstance(item, Located):
            again = _repeated(item, row, seen)
            if again is not None:
                yield again
                continue
        yield item


def _opened(path: str | Path, name: str, progress: Progress | None) -> Iterator[tuple[int, str | Problem]]:
    try:
        info = Path(path).stat()  # a FIFO or /dev/stdin is read as asked (``<(cmd)``)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "a folder, not a file")
        handle = Path(path).open("rb")  # noqa: SIM115 - closed by the generator
    except (OSError, UnicodeError) as exc:  # UnicodeError: a name no file system can hold
        reason = exc.strerror if isinstance(exc, OSError) else "the name is not valid text"
        raise RecordError([Problem(name, 0, "", f"cannot read records: {reason}")]) from None
    return _decoded(handle, name, info.st_size, progress)


def _missing_column(name: str, item: Problem, header: list[str]) -> Problem:
    close = difflib.get_close_matches(item.path, header, n=1)
    hint = (f"did you mean {close[0]!r}? " if close else "") + f"the header has {', '.join(header)}"
    return Problem(name, 1, item.path, f"no column {item.path!r}: every row misses it", hint)


def _repeated(item: Located, row: dict[str, Any], seen: dict[tuple[str, str], str]) -> Problem | None:
    """Return the problem of a ticket id read before (and remember it), or None."""
    ticket = next((str(row[k]) for k in TICKET_FIELDS if row.get(k) not in (None, "")), None)
    if ticket is None:
        return None
    key = (type(item.record).__name__, ticket)
    where = f"{item.source}:{item.line}"
    first = seen.setdefault(key, where)
    if first == where:
        return None
    return Problem(item.source, item.line, "ticket", f"ticket {ticket!r} was already read at {first}; "
                   "counted once", "remove the repeated row")


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


def _numbered(stream: Iterable[str], name: str) -> Iterator[tuple[int, str | Problem]]:
    """Yield the numbered lines of a text stream; a line holding an undecodable byte is a problem."""
    for number, text in enumerate(stream, start=1):
        if _SURROGATE.search(text):
            yield number, Problem(name, number, "", "not UTF-8 text", "save the file as UTF-8")
            continue
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
        except RecursionError:
            yield number, Problem(name, number, "", "not valid JSON (nested too deeply)")
            continue
        except ValueError:  # int_max_str_digits (CVE-2020-10735)
            yield number, Problem(name, number, "", "not valid JSON (a number with too many digits)")
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


def _delimiter(first: str) -> str:
    """Return the delimiter of a CSV file from its header line: the most frequent candidate."""
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties keep the earlier: ',' first
    return best if counts[best] else ","


def _csv_rows(lines: Iterator[tuple[int, str | Problem]], name: str, default: str | None,
              header: list[str]) -> Iterator[tuple[int, dict[str, Any] | Problem]]:
    """Yield the rows of a CSV file as dicts; ``header`` is filled with its column names.

    Column names are matched without regard to case; the delimiter is read off the header.
    """
    first = next(lines, None)
    if first is None:
        return
    delimiter = _delimiter(first[1]) if isinstance(first[1], str) else ","
    feed = _LineFeed(_chain(first, lines))
    reader = csv.reader(feed, delimiter=delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a cell over csv.field_size_limit(): this row only
            line, start = start, feed.number + 1
            yield line, Problem(name, line, "", f"not valid CSV ({exc})")
            continue
        yield from ((p.line, p) for p in feed.bad)
        feed.bad.clear()
        line, start = start, feed.number + 1
        if not any(c.strip() for c in cells):
            continue
        if not header:
            header.extend(c.strip().lower() for c in cells)
            twice = sorted({c for c in header if header.count(c) > 1 and c})
            if twice:
                yield line, Problem(name, line, twice[0], f"column {twice[0]!r} appears twice in the "
                                    "header; the file is skipped", "keep one column of each name")
                return
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
    rows = _csv_rows(chained, name, default, []) if fmt == "csv" else _json_rows(chained, name)
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
