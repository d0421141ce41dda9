"""Counting call logs on DuckDB: the columnar path of `servresp indicators`.

A CSV file of a record type with an SQL definition (today: ``calls``) is counted by one
DuckDB statement instead of row by row in Python. The statement only counts rows it can
prove valid under a narrower grammar than the Python reader's: plain
``YYYY-MM-DD[T ]hh:mm[:ss]`` timestamps with ``Z``, a ``±hh:mm`` offset or none, in the
years 1971-2099, naive ones only two days or more from a change of offset; flags and
counts in their plain spelling; no more cells than header columns.
Every other row goes back, with its line, to the Python reader (`reader.records_from_lines`),
so the output is byte for byte the Python path's, rejections keep ``file:line:field``.

Local days come from Python's own ``zoneinfo``: the zone's offsets are handed to DuckDB as
a table, never read from DuckDB's time-zone database. Files the columnar path cannot read
line for line (quotes, mixed line ends, blank lines, a ``type`` or ``id`` column, headers
not in lower case, ``;``) and stdin go to the Python reader whole. ``SERVRESP_NO_DUCKDB=1``
turns the path off.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

import attrs

from servresp.records.reader import records_from_lines, type_from_name

if TYPE_CHECKING:
    from servresp.errors import Problem
    from servresp.records.reader import Located

__all__ = ["SQL_TYPES", "Counted", "count_file", "plan_file"]

SQL_TYPES = ("calls",)
"""Record types with an SQL definition; the others are always read in Python."""
_HEADER_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_MAX_LINE = 4096
"""Longer lines go to the Python reader (which checks huge cells)."""
_FIRST_YEAR, _LAST_YEAR = 1971, 2099
"""The years whose offsets are tabled; other timestamps go to the Python reader."""
_GUARD = dt.timedelta(days=2)
"""Naive local times this close to an offset change go to the Python reader (fold, gap)."""


@attrs.frozen
class Plan:
    """How one file is counted in SQL: its header and record type."""

    path: Path
    name: str
    header: tuple[str, ...]
    header_line: str
    type: str
    rows: int
    """Data lines in the file: DuckDB must read exactly as many."""
    crlf: bool
    """Lines end in CR LF."""


@attrs.frozen
class Counted:
    """What one file gave: counts by (metric, local day), records counted, rows for Python."""

    type: str
    """The record type counted."""
    rates: tuple[tuple[str, dt.date, int, int], ...]
    """(metric, local day, hits, n)."""
    records: int
    """Rows counted in SQL."""
    rest: tuple[Located | Problem, ...]
    """The rows the Python reader decided, in line order."""


def enabled() -> bool:
    """Tell whether the columnar path may run (DuckDB importable, not turned off)."""
    if os.environ.get("SERVRESP_NO_DUCKDB"):
        return False
    try:
        import duckdb  # noqa: F401, PLC0415 - optional at run time: the Python path remains
    except ImportError:
        return False
    return True


def plan_file(path: str | Path) -> Plan | None:
    """Return how to count ``path`` in SQL, or None when the Python reader must read it."""
    name = str(path)
    type_ = type_from_name(name)
    if name == "-" or not name.lower().endswith(".csv") or type_ not in SQL_TYPES:
        return None
    try:
        scan = _scan(Path(path))
    except OSError:
        return None
    if scan is None:
        return None
    first, rows, crlf = scan
    try:
        header_line = first.decode("utf-8-sig").removesuffix("\r")
    except UnicodeDecodeError:
        return None
    header = tuple(c.strip() for c in header_line.split(","))
    if (";" in header_line or len(set(header)) != len(header) or "type" in header or "id" in header
            or not all(_HEADER_NAME.fullmatch(c) for c in header) or "received_at" not in header):
        return None
    return Plan(Path(path), name, header, header_line, type_, rows, crlf)


_CHUNK = 1 << 23


def _scan(path: Path) -> tuple[bytes, int, bool] | None:
    """Return the first line, the number of data lines and whether they end in CR LF.

    None when the file is not line-for-line CSV: a quote (a cell may span lines), a control
    byte 1, or line ends that mix CRLF and LF (or a lone CR). A blank line is caught later,
    in SQL (`count_file`). Files without a CR take one-byte searches only (memchr speed).
    """
    with path.open("rb") as handle:
        found = _scan_plain(handle)
        if found != "cr":
            return found
        handle.seek(0)
        return _scan_crlf(handle)


def _scan_plain(handle: BinaryIO) -> tuple[bytes, int, bool] | Literal["cr"] | None:
    """Scan a file with no CR ("cr" at the first one); None at a quote or a byte 1."""
    newlines = 0
    first: bytes | None = None
    last = b""
    while chunk := handle.read(_CHUNK):
        first = _first_line(chunk) if first is None else first
        if chunk.find(b"\r") != -1:
            return "cr"
        if chunk.find(b'"') != -1 or chunk.find(b"\x01") != -1:
            return None
        newlines += chunk.count(b"\n")
        last = chunk[-1:]
    return first or b"", _data_lines(newlines, last), False


def _scan_crlf(handle: BinaryIO) -> tuple[bytes, int, bool] | None:
    """Scan a file with CRs: every line must end in CR LF, and no line may be blank."""
    newlines = crs = crlfs = 0
    first: bytes | None = None
    tail = last = b""
    while chunk := handle.read(_CHUNK):
        first = _first_line(chunk) if first is None else first
        window = tail + chunk
        if any(window.find(b) != -1 for b in (b'"', b"\n\r\n", b"\x01")):
            return None
        newlines += chunk.count(b"\n")
        crs += chunk.count(b"\r")
        crlfs += window.count(b"\r\n") - tail.count(b"\r\n")
        tail, last = window[-2:], chunk[-1:]
    if not crlfs == crs == newlines:
        return None
    return first or b"", _data_lines(newlines, last), True


def _first_line(chunk: bytes) -> bytes:
    end = chunk.find(b"\n")
    return chunk[:end] if end != -1 else chunk


def _data_lines(newlines: int, last: bytes) -> int:
    """Return the lines after the header: a last line without its newline counts too."""
    lines = newlines + (1 if last not in (b"\n", b"") else 0)
    return max(lines - 1, 0)


_NO_DAY = dt.date.min


def count_file(plan: Plan, *, tz: dt.tzinfo) -> Counted | None:
    """Count one planned file in DuckDB; None when DuckDB cannot read it line for line."""
    import duckdb  # noqa: PLC0415 - only when a file is counted

    on_day, naive = _days(tz)[1:]
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        connection.execute("CREATE TEMP TABLE zone AS SELECT ?::BIGINT[] AS on_day, "
                           "?::BIGINT[] AS naive", [on_day, naive])
        groups = connection.execute(_calls_sql(plan, numbered=False), [str(plan.path)]).fetchall()
        if any(g[0] is None for g in groups):  # rows for Python: read again, with line numbers
            groups = connection.execute(_calls_sql(plan, numbered=True), [str(plan.path)]).fetchall()
    except duckdb.Error:
        return None
    finally:
        connection.close()
    if sum(int(g[1]) for g in groups) != plan.rows or any(g[5] for g in groups):
        return None  # DuckDB split the lines otherwise, or a line is blank: let Python read the file
    rates: list[tuple[str, dt.date, int, int]] = []
    rest: list[tuple[int, str]] = []
    records = 0
    for day, n, ring2, ring3, others, _blank in sorted(groups, key=lambda g: (g[0] is None, g[0] or _NO_DAY)):
        if day is None:
            rest = [(int(line), str(text)) for line, text in others]
            continue
        rates.append(("call.answered_by_ring2_rate", day, int(ring2), int(n)))
        rates.append(("call.answered_by_ring3_rate", day, int(ring3), int(n)))
        records += int(n)
    decided: list[Located | Problem] = []
    for line, text in sorted(rest):
        decided.extend(records_from_lines(plan.name, [(line - 1, plan.header_line), (line, text)],
                                          tz=tz))
    return Counted(plan.type, tuple(rates), records, tuple(decided))


@functools.cache
def _days(tz: dt.tzinfo) -> tuple[list[dt.date], list[int | None], list[int | None]]:
    """Return, for every day 1971-2099, the zone's offset in seconds, as three columns.

    ``on_day[i]``: the offset of every instant of UTC day ``days[i]``, None when it changes
    that day. ``naive[i]``: the offset of every naive local time on local day ``days[i]``,
    None when it changes within two days (a fold or a gap); those go to the Python reader.
    """
    first = dt.datetime(_FIRST_YEAR, 1, 1, tzinfo=dt.UTC)
    count = (dt.datetime(_LAST_YEAR + 1, 1, 1, tzinfo=dt.UTC) - first).days
    days = [(first + dt.timedelta(days=k)).date() for k in range(count)]
    on_day: list[int | None] = [None] * count
    naive: list[int | None] = [None] * count
    changes = _changes(tz)
    guard = _GUARD.days
    for k, (start, offset) in enumerate(changes):
        end = changes[k + 1][0] if k + 1 < len(changes) else first + dt.timedelta(days=count)
        since = (start - first).total_seconds() / 86400
        until = (end - first).total_seconds() / 86400
        low = max(0, math.ceil(since))  # the first whole UTC day in the segment
        high = min(count, math.floor(until))  # one past the last
        if low < high:
            on_day[low:high] = [offset] * (high - low)
        low = max(0, math.ceil(since) + (guard if k else 0))
        high = min(count, math.floor(until) - (guard if k + 1 < len(changes) else 0))
        if low < high:
            naive[low:high] = [offset] * (high - low)
    return days, on_day, naive


@functools.cache
def _changes(tz: dt.tzinfo) -> list[tuple[dt.datetime, int]]:
    """Return (UTC instant, offset in seconds) at 1970 and at every change of offset to 2100.

    Offsets are sampled daily and each change is found to the second by bisection; tzdata
    has no change that is undone within a day.
    """
    day = 86400
    end = int(dt.datetime(2101, 1, 1, tzinfo=dt.UTC).timestamp())
    previous = _offset_at(tz, 0)
    found = [(dt.datetime(1970, 1, 1, tzinfo=dt.UTC), previous)]
    for second in range(day, end + day, day):  # POSIX seconds: one sample a day, cheap to make
        now = _offset_at(tz, second)
        if now != previous:
            at = dt.datetime.fromtimestamp(second, dt.UTC)
            found.append((_changed_at(tz, at - dt.timedelta(days=1), at), now))
            previous = now
    return found


def _offset_at(tz: dt.tzinfo, second: int) -> int:
    """Return the zone's offset in seconds at POSIX time ``second``."""
    delta = dt.datetime.fromtimestamp(second, tz).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def _offset(tz: dt.tzinfo, at: dt.datetime) -> int:
    delta = at.astimezone(tz).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def _changed_at(tz: dt.tzinfo, low: dt.datetime, high: dt.datetime) -> dt.datetime:
    """Return the first second in (low, high] whose offset differs from ``low``'s (bisection)."""
    before = _offset(tz, low)
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle -= dt.timedelta(microseconds=middle.microsecond)
        if _offset(tz, middle) == before:
            low = middle
        else:
            high = middle
    return high


_TIMESTAMP = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"
              r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?")
"""The timestamps SQL reads: hours 00-23, no fraction, ``Z`` in upper case (the rest: Python)."""
_TRUE = "('true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'y', 'Y', '1', 't', 'T')"
_FLAGS = ("('true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'y', 'Y', '1', 't', 'T', "
          "'false', 'False', 'FALSE', 'no', 'No', 'NO', 'n', 'N', '0', 'f', 'F')")
"""Flags as SQL reads them (other spellings: Python)."""


def _cell(plan: Plan, field: str) -> str:
    """Return the SQL of a field's cell as written ('' when the column or the cell is absent).

    Not trimmed: a cell with spaces around fails the strict tests and goes to Python.
    """
    if field not in plan.header:
        return "''"
    return f"coalesce(c[{plan.header.index(field) + 1}], '')"


def _wall(s: str) -> str:
    """Return SQL for the wall-clock TIMESTAMP of the timestamp text ``s`` (NULL when not plain)."""
    return (f"CASE WHEN regexp_full_match({s}, '{_TIMESTAMP}') THEN TRY_CAST(substr({s}, 1, "
            f"CASE WHEN substr({s}, 17, 1) = ':' THEN 19 ELSE 16 END) AS TIMESTAMP) END")


def _calls_sql(plan: Plan, *, numbered: bool) -> str:
    """Return the statement over one call log.

    Per local day, the counts of the rows proven valid (calls, by ring 2, by ring 3); under
    the day NULL, the count of every other row and, when ``numbered``, the rows themselves
    as (line, text), for the Python reader. Numbering the lines costs DuckDB its parallel
    scan, so it is done only when some row needs Python.
    """
    received, answered = _cell(plan, "received_at"), _cell(plan, "answered_at")
    abandoned, rings = _cell(plan, "abandoned"), _cell(plan, "rings")
    line = "row_number() OVER () + 1" if numbered else "NULL::BIGINT"
    text = "rtrim(column0, chr(13))" if plan.crlf else "column0"
    raw = (f"SELECT {line} AS line, {text} AS text FROM read_csv(?, "  # noqa: S608 - fixed text
           "header = false, skip = 1, columns = {'column0': 'VARCHAR'}, delim = '\x01', "
           "quote = '', escape = '', auto_detect = false)")
    fields = f"""
      SELECT line, text, len(c) AS width, {received} AS rec, {answered} AS ans,
             {abandoned} AS ab, {rings} AS rings
      FROM (SELECT line, text, string_split(text, ',') AS c FROM raw)"""  # noqa: S608 - no input in it
    parsed = f"""
      SELECT *, width <= {len(plan.header)} AND length(text) <= {_MAX_LINE}
                AND (ab = '' OR ab IN {_FLAGS}) AS plain,
             {_wall('rec')} AS rec_wall, {_wall('ans')} AS ans_wall,
             ab IN {_TRUE} AS is_abandoned
      FROM fields"""  # noqa: S608 - fixed text and column positions
    instants = f"""
      SELECT p.*, {_instant('rec')} AS rec_utc, {_instant('ans')} AS ans_utc, z.on_day
      FROM parsed p CROSS JOIN zone z"""  # noqa: S608 - fixed text
    ok = f"""coalesce(plain AND rec_utc IS NOT NULL
        AND year(rec_wall) BETWEEN {_FIRST_YEAR} AND {_LAST_YEAR} AND (
          (is_abandoned AND ans = '')
          OR (NOT is_abandoned AND ans_utc IS NOT NULL
              AND year(ans_wall) BETWEEN {_FIRST_YEAR} AND {_LAST_YEAR}
              AND ans_utc >= rec_utc AND regexp_full_match(rings, '[0-9]{{1,9}}'))), false)"""
    return f"""
      WITH raw AS ({raw}), fields AS ({fields}), parsed AS ({parsed}), instants AS ({instants}),
      local AS (SELECT i.*, {_day('rec_utc', 'on_day')} AS rec_offset FROM instants i),
      judged AS (SELECT *, {ok} AND rec_offset IS NOT NULL AS ok,
                        (rec_utc + to_seconds(rec_offset))::DATE AS day
                 FROM local)
      SELECT CASE WHEN ok THEN day END AS day, count(*),
             count(*) FILTER (WHERE ok AND NOT is_abandoned AND TRY_CAST(rings AS INT) <= 2),
             count(*) FILTER (WHERE ok AND NOT is_abandoned AND TRY_CAST(rings AS INT) <= 3),
             {"list((line, text) ORDER BY line) FILTER (WHERE NOT ok)" if numbered else "NULL"},
             count(*) FILTER (WHERE text IS NULL OR text = '')
      FROM judged GROUP BY 1"""  # noqa: S608 - fixed text


def _day(moment: str, column: str) -> str:
    """Return SQL for the zone's offset (``on_day`` or ``naive``) on the day of ``moment``."""
    return (f"CASE WHEN year({moment}) BETWEEN {_FIRST_YEAR} AND {_LAST_YEAR} "
            f"THEN {column}[({moment}::DATE - DATE '{_FIRST_YEAR}-01-01') + 1] END")


def _instant(name: str) -> str:
    """Return SQL for the UTC instant of the ``name`` timestamp (its text and ``<name>_wall``).

    Naive (16 or 19 characters): the wall time minus the zone's offset on that local day,
    NULL near a change of offset. With ``Z`` or an offset: DuckDB's own cast, in UTC.
    """
    wall = f"p.{name}_wall"
    return (f"CASE WHEN {wall} IS NULL THEN NULL "
            f"WHEN length(p.{name}) IN (16, 19) THEN {wall} - to_seconds({_day(wall, 'z.naive')}) "
            f"ELSE TRY_CAST(p.{name} AS TIMESTAMPTZ)::TIMESTAMP END")
