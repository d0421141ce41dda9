"""The columnar (DuckDB) path of `servresp indicators` gives the Python path's output, byte for byte."""

import datetime as dt
import tempfile
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from record_strategies import _rows, record_sets
from servresp.records import columnar
from servresp.records.indicators import Indicators, indicators_from_files

HEADER = "received_at,answered_at,abandoned,rings,agent"

_STAMPS = st.sampled_from([
    "2026-10-03T10:00:00+08:00", "2026-10-03 10:00", "2026-10-03T10:00Z", "2026-10-03t10:00:00z",
    "2026-10-31T23:59:59-04:00", "2026-11-01 01:30", "2026-11-01 01:30:00", "2026-03-29 02:30",
    "2026-10-25 02:30", "2026-03-08 02:30", "2026-02-30 10:00", "2026-10-03T24:00:00Z",
    "1900-10-03T10:00:00Z", "2150-01-01T00:00:00Z",
    "2026-10-03T10:00:00+24:00", "2026-10-03T10:00:00+05:30", "2026-10-03T10:00:00.5Z",
    "2026-10-03", "20261003T100000", " 2026-10-03T10:00:00Z ", "\u30002026-10-03T10:00:00Z",
    "yesterday", "", "2026-10-03T10:00:00+08", "2026-10-03T10:00:00-00:00",
])
_FLAGS = st.sampled_from(["", "true", "false", "TRUE", " yes ", "n", "1", "0", "t", "F", "maybe", "2"])
_RINGS = st.sampled_from(["", "0", "1", "2", "3", "4", "9", " 2 ", "-1", "2.0", "\u0663", "99999999999",
                          "1234567890", "x"])


@st.composite
def messy_rows(draw: st.DrawFn) -> str:
    """One data line of a call log, valid or not, with 4 to 7 cells."""
    cells = [draw(_STAMPS), draw(_STAMPS | st.just("")), draw(_FLAGS), draw(_RINGS),
             draw(st.sampled_from(["A1", "张三", ""]))]
    extra = draw(st.integers(-1, 2))
    cells = cells[:extra] if extra < 0 else cells + ["x"] * extra
    return ",".join(cells)


def both(paths: list[str], monkeypatch: pytest.MonkeyPatch, **options: Any) -> tuple[Indicators, Indicators]:
    """Return (columnar path, Python path) for the same files."""
    monkeypatch.delenv("SERVRESP_NO_DUCKDB", raising=False)
    fast = indicators_from_files(paths, min_count=0, **options)
    monkeypatch.setenv("SERVRESP_NO_DUCKDB", "1")
    slow = indicators_from_files(paths, min_count=0, **options)
    monkeypatch.delenv("SERVRESP_NO_DUCKDB")
    return fast, slow


def same(fast: Indicators, slow: Indicators) -> None:
    assert fast.to_jsonl() == slow.to_jsonl()
    assert fast.messages() == slow.messages()
    assert fast.counted == slow.counted


@settings(max_examples=30, deadline=None)
@given(lines=st.lists(messy_rows(), max_size=30), tz=st.sampled_from(
    ["UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]),
    every=st.sampled_from(["month", "week", "day"]), crlf=st.booleans())
def test_messy_call_logs_give_the_python_output(lines: list[str], tz: str, every: str, crlf: bool) -> None:
    """Valid, invalid and borderline rows: same facts, same located rejections, in the same order."""
    end = "\r\n" if crlf else "\n"
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "calls.csv"
        path.write_text(end.join([HEADER, *lines]) + end, encoding="utf-8", newline="")
        plan = columnar.plan_file(path)
        assert plan is not None
        assert columnar.count_file(plan, tz=zoneinfo.ZoneInfo(tz)) is not None
        same(*both([str(path)], patch, tz=tz, every=every))


@settings(max_examples=15, deadline=None)
@given(record_sets())
def test_generated_call_logs_are_counted_in_sql(truth: dict[str, Any]) -> None:
    """The shared generated records: counted by DuckDB, every row of them, and the same output."""
    rows = _rows(truth)["calls"]
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "calls.csv"
        fields = ["abandoned", "answered_at", "received_at", "rings"]
        path.write_text(",".join(fields) + "\n"
                        + "".join(",".join(row.get(f, "") for f in fields) + "\n" for row in rows),
                        encoding="utf-8")
        plan = columnar.plan_file(path)
        assert plan is not None
        counted = columnar.count_file(plan, tz=zoneinfo.ZoneInfo(truth["tz"]))
        assert counted is not None
        assert counted.records + len(counted.rest) == len(rows)
        if truth["tz"] in ("UTC", "Asia/Shanghai"):  # no offset change near: SQL counts every row
            assert counted.rest == ()
        same(*both([str(path)], patch, tz=truth["tz"], every=truth["every"]))


def test_rejections_keep_file_line_and_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad row in a file counted by DuckDB is reported at its own line, with its field."""
    path = tmp_path / "calls.csv"
    good = "2026-10-03T10:00:00+08:00,2026-10-03T10:00:09+08:00,false,2,A1"
    bad = "2026-10-03T10:00:00+08:00,,false,2,A1"
    path.write_text(f"{HEADER}\n{good}\n{good}\n{bad}\n{good}\n", encoding="utf-8")
    fast, slow = both([str(path)], monkeypatch, tz="Asia/Shanghai")
    same(fast, slow)
    assert [str(p) for p in fast.problems] == [
        f"{path}:4: answered_at: a call needs answered_at, or abandoned=true"]
    assert fast.counted == (("calls", 3),)


@pytest.mark.parametrize(("name", "text"), [
    ("calls.csv", 'received_at,rings\n"2026-10-03T10:00:00Z",1\n'),  # quotes: cells may span lines
    ("calls.csv", "type,received_at\ncalls,2026-10-03T10:00:00Z\n"),  # a type column
    ("calls.csv", "Received_At,rings\n2026-10-03T10:00:00Z,1\n"),  # a header not in lower case
    ("calls.csv", "received_at;rings\n2026-10-03T10:00:00Z;1\n"),  # another delimiter
    ("calls.jsonl", '{"received_at": "2026-10-03T10:00:00Z"}\n'),  # not CSV
    ("repairs.csv", "opened_at\n2026-10-03T10:00:00Z\n"),  # a type with no SQL definition
    ("-", ""),  # stdin
])
def test_files_duckdb_cannot_read_line_for_line_go_to_python(tmp_path: Path, name: str, text: str) -> None:
    """Quotes, type columns, other headers, JSONL, other types and stdin: Python reads them."""
    path = tmp_path / name if name != "-" else Path("-")
    if name != "-":
        path.write_text(text, encoding="utf-8")
    assert columnar.plan_file(path) is None


@pytest.mark.parametrize("text", [
    f"{HEADER}\n\n2026-10-03T10:00:00Z,2026-10-03T10:00:09Z,false,2,A1\n",  # a blank line
    f"{HEADER}\n2026-10-03T10:00:00Z,2026-10-03T10:00:09Z,false,2,A1\n\n",  # a blank last line
    f"{HEADER}\r\n\r\n2026-10-03T10:00:00Z,2026-10-03T10:00:09Z,false,2,A1\r\n",  # CRLF, blank
    f"{HEADER}\n2026-10-03T10:00:00Z,2026-10-03T10:00:09Z,false,2,A1\r\n",  # mixed line ends
])
def test_files_with_blank_lines_or_mixed_ends_go_to_python(tmp_path: Path, text: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB does not count a file with a blank line or mixed line ends; Python reads it whole."""
    path = tmp_path / "calls.csv"
    path.write_text(text, encoding="utf-8", newline="")
    plan = columnar.plan_file(path)
    assert plan is None or columnar.count_file(plan, tz=dt.UTC) is None
    same(*both([str(path)], monkeypatch, tz="UTC"))


@pytest.mark.parametrize("name", ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
                                  "Asia/Shanghai", "UTC"])
def test_offsets_come_from_python_zoneinfo(name: str) -> None:
    """The zone table agrees with zoneinfo, per UTC day (instants) and per local day (naive times).

    A UTC day has no offset exactly when the offset changes in it.
    """
    tz = zoneinfo.ZoneInfo(name)
    days, on_day, naive = columnar._days(tz)  # noqa: SLF001 - the table itself
    assert len(days) == len(on_day) == len(naive)
    for i, day in enumerate(days):
        if day.year not in (1971, 1987, 2026, 2099):
            continue
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        offsets = {int(moment.astimezone(tz).utcoffset().total_seconds())  # type: ignore[union-attr]
                   for moment in (midnight, midnight + dt.timedelta(seconds=86399))}
        assert on_day[i] == (offsets.pop() if len(offsets) == 1 else None)
        if naive[i] is not None:
            for hour in range(24):
                wall = dt.datetime(day.year, day.month, day.day, hour, tzinfo=tz)
                assert wall.utcoffset() == dt.timedelta(seconds=naive[i])
