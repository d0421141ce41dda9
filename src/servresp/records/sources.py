"""Records from tables: Parquet files (through DuckDB) and SQLite tables (``--sql DB:TABLE``).

Each row becomes a mapping of column to value and goes through the same checks as a CSV
or JSONL row (`reader.records_from_rows`), located as ``file:row`` or ``DB:TABLE:row``
(rows counted from 1, in the table's order: file order, or SQLite's ``rowid``). A table's
name gives the record type, as a file's name does, unless it has a ``type`` column.
Timestamps stored as timestamp values are written as ISO 8601 text (naive ones stay naive,
so local time in ``--tz``); text, numbers and booleans pass as they are.

PostgreSQL is not supported: DuckDB's postgres extension is downloaded at run time (no
wheel matches this DuckDB), and nothing here may need the network. Export the table to
CSV or Parquet, or to SQLite.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from servresp.errors import Problem
from servresp.records.reader import Located, RecordError, records_from_rows

__all__ = ["PARQUET_SUFFIXES", "iter_parquet", "iter_sqlite", "split_sql_source"]

PARQUET_SUFFIXES = (".parquet", ".pq")
_BATCH = 10_000


def split_sql_source(text: str) -> tuple[str, str]:
    """Return (database file, table) of ``DB:TABLE``; raise `RecordError` when malformed."""
    database, _, table = text.rpartition(":")
    if not database or not table.replace("_", "").isalnum():
        raise RecordError([Problem("--sql", 0, "", f"expected DB:TABLE, e.g. helpdesk.db:calls; "
                                   f"found {text!r}")])
    return database, table


def iter_sqlite(text: str, *, tz: dt.tzinfo = dt.UTC) -> Iterator[Located | Problem]:
    """Yield the records of the SQLite table ``DB:TABLE``, in ``rowid`` order."""
    database, table = split_sql_source(text)
    if not Path(database).is_file():
        raise RecordError([Problem(database, 0, "", "cannot read records: no such SQLite file")])
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise RecordError([Problem(database, 0, "", f"cannot open SQLite file: {exc}")]) from None
    try:
        try:
            cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid')  # noqa: S608 - checked name
        except sqlite3.Error as exc:
            raise RecordError([Problem(text, 0, "", f"cannot read table {table!r}: {exc}")]) from None
        columns = [c[0] for c in cursor.description]
        yield from records_from_rows(text, _numbered(cursor, columns), tz=tz, type_hint=table)
    finally:
        connection.close()


def iter_parquet(path: str | Path, *, tz: dt.tzinfo = dt.UTC) -> Iterator[Located | Problem]:
    """Yield the records of a Parquet file, in file order."""
    import duckdb  # noqa: PLC0415 - only for Parquet files

    name = str(path)
    connection = duckdb.connect()
    try:
        try:
            cursor = connection.execute("SELECT * FROM read_parquet(?)", [name])
        except duckdb.Error as exc:
            raise RecordError([Problem(name, 0, "", f"cannot read Parquet: {exc}")]) from None
        columns = [c[0] for c in cursor.description]
        yield from records_from_rows(name, _numbered(cursor, columns), tz=tz)
    finally:
        connection.close()


def _numbered(cursor: Any, columns: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:  # noqa: ANN401
    number = 0
    while rows := cursor.fetchmany(_BATCH):
        for values in rows:
            number += 1
            yield number, _row(columns, values)


def _row(columns: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
    return {column: _value(value) for column, value in zip(columns, values, strict=True)
            if value is not None}


def _value(value: object) -> object:
    """Return a table value as the row checks read it: ISO text for times, else as it is."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes):
        return repr(value)
    return value
