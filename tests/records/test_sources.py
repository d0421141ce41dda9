"""Records from SQLite tables and Parquet files count as the same records in CSV do."""

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings

from record_strategies import _rows, _write_rows, record_sets
from servresp.cli import main
from servresp.records.indicators import Indicators, indicators_from_files
from servresp.records.reader import RecordError
from servresp.records.sources import split_sql_source


def metrics(found: Indicators) -> tuple[object, ...]:
    return found.metrics, found.small, found.counted, [(e.event, e.at) for e in found.events]


def sqlite_tables(folder: Path, rows: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Write each type's rows as a SQLite table of that name (text columns)."""
    database = folder / "helpdesk.db"
    with sqlite3.connect(database) as connection:
        for type_, items in rows.items():
            fields = sorted({k for row in items for k in row}) or ["empty"]
            connection.execute(f'CREATE TABLE "{type_}" ({", ".join(f"{f} TEXT" for f in fields)})')
            connection.executemany(
                f'INSERT INTO "{type_}" VALUES ({", ".join("?" for _ in fields)})',  # noqa: S608
                [[row.get(f) for f in fields] for row in items])
    connection.close()
    return [f"{database}:{type_}" for type_ in rows]


@settings(max_examples=15, deadline=None)
@given(record_sets())
def test_sqlite_tables_count_as_the_same_records_in_files(truth: dict[str, Any]) -> None:
    """Every rate and event from SQLite tables equals the one from the same rows in files."""
    rows = _rows(truth)
    with tempfile.TemporaryDirectory() as folder:
        files = _write_rows(Path(folder), rows, truth["csv"])
        tables = sqlite_tables(Path(folder), rows)
        from_files = indicators_from_files(files, every=truth["every"], tz=truth["tz"], min_count=0)
        from_tables = indicators_from_files([], sql=tables, every=truth["every"], tz=truth["tz"],
                                            min_count=0)
    assert from_tables.problems == ()
    assert metrics(from_tables) == metrics(from_files)


def test_parquet_with_timestamp_columns(tmp_path: Path) -> None:
    """A Parquet call log, timestamps typed, counts as its CSV; naive times are local in --tz."""
    csv = tmp_path / "calls.csv"
    csv.write_text("received_at,answered_at,abandoned,rings\n"
                   "2026-10-31 23:30:00,2026-10-31 23:30:09,false,2\n"
                   "2026-11-01 00:30:00,,true,\n", encoding="utf-8")
    parquet = tmp_path / "calls.parquet"
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{csv}', types = {{'received_at': 'TIMESTAMP', "  # noqa: S608 - a test path
                   f"'answered_at': 'TIMESTAMP'}})) TO '{parquet}' (FORMAT parquet)")
    for tz in ("UTC", "Asia/Shanghai"):
        from_csv = indicators_from_files([csv], tz=tz, every="day", min_count=0)
        from_parquet = indicators_from_files([parquet], tz=tz, every="day", min_count=0)
        assert from_parquet.problems == ()
        assert metrics(from_parquet) == metrics(from_csv)
        assert from_parquet.counted == (("calls", 2),)


def test_bad_row_of_a_table_is_located(tmp_path: Path) -> None:
    """A bad row of a SQLite table is reported as DB:TABLE:row: field: message."""
    tables = sqlite_tables(tmp_path, {"calls": [
        {"received_at": "2026-10-03T10:00:00Z", "abandoned": "true"},
        {"received_at": "2026-13-03T10:00:00Z", "abandoned": "true"}]})
    found = indicators_from_files([], sql=tables, min_count=0)
    assert [str(p).split(": ")[0:2] for p in found.problems] == [[f"{tables[0]}:2", "received_at"]]
    assert found.counted == (("calls", 1),)


@pytest.mark.parametrize("text", ["calls", ":calls", "db.sqlite:", "db.sqlite:calls; DROP"])
def test_malformed_sql_source_is_refused(text: str) -> None:
    """--sql takes DB:TABLE with a plain table name."""
    with pytest.raises(RecordError, match="DB:TABLE"):
        split_sql_source(text)


def test_cli_sql_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``servresp indicators --sql DB:TABLE`` writes the facts; no records at all is exit 2."""
    tables = sqlite_tables(tmp_path, {"calls": [
        {"received_at": "2026-10-03T10:00:00Z", "answered_at": "2026-10-03T10:00:05Z", "rings": "1"}]})
    assert main(["indicators", "--min-count", "0", "--sql", tables[0]]) == 0
    assert '"metric":"call.answered_by_ring2_rate"' in capsys.readouterr().out
    assert main(["indicators"]) == 2
    assert main(["indicators", "--sql", f"{tmp_path / 'missing.db'}:calls"]) == 2
