import datetime as dt
import io
import json
import os
import threading
import zoneinfo
from pathlib import Path

import pytest

from servresp.errors import Problem
from servresp.records.reader import RecordError, iter_records, read_records, type_from_name
from servresp.records.types import Call, Complaint, Counter, CustomersServed, Delivery, Feedback, Repair

EXAMPLES = Path(__file__).parents[2] / "examples" / "records"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _problems(path: str, **kwargs: object) -> list[str]:
    return [str(p).replace(str(Path(path).parent) + "/", "")
            for p in read_records([path], **kwargs).problems]  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "expected"), [
    ("calls.csv", "calls"),
    ("2026-10-repairs.jsonl", "repairs"),
    ("data/October_complaint.csv", "complaints"),
    ("feedback.ndjson", "feedback"),
    ("deliveries-2026-10.json", "deliveries"),
    ("Counters.CSV", "counters"),
    ("customers.csv", "customers"),
    ("notes.csv", None),
    ("calls-and-repairs.csv", None),
    ("recalls.csv", None),
])
def test_type_from_file_name(name: str, expected: str | None) -> None:
    """One word of the file's name gives the type; none or two give nothing."""
    assert type_from_name(name) == expected


def test_examples_read_without_problems() -> None:
    """Every example file reads clean, one type per file, October 2026."""
    found = read_records(sorted(EXAMPLES.iterdir()))
    assert found.problems == ()
    kinds: dict[str, int] = {}
    for item in found.records:
        kinds[item.record.type] = kinds.get(item.record.type, 0) + 1
    assert kinds == {"calls": 50, "complaints": 7, "counters": 10, "customers": 1,
                     "deliveries": 32, "feedback": 30, "repairs": 43}


def test_each_type_reads_from_csv_and_jsonl(tmp_path: Path) -> None:
    """The same rows give the same records from CSV and from JSONL."""
    rows = {
        "calls": {"received_at": "2026-10-01T09:00:00Z", "answered_at": "2026-10-01T09:00:08Z",
                  "rings": "2"},
        "repairs": {"opened_at": "2026-10-01T09:00:00Z", "closed_at": "2026-10-01T15:00:00Z",
                    "inside_service_area": "yes", "special_case": "no"},
        "complaints": {"received_at": "2026-10-01T09:00:00Z", "customer": "C1", "escalated": "true",
                       "handled_with_authority": "false"},
        "feedback": {"received_at": "2026-10-01T09:00:00Z", "first_reply_at": "2026-10-02T09:00:00Z"},
        "deliveries": {"supplier": "s1", "due_at": "2026-10-01T09:00:00Z", "rejected": "1"},
        "counters": {"date": "2026-10-01", "peak_day": "true", "open": "3", "total": "4"},
        "customers": {"period": "2026-10", "served": "100"},
    }
    for type_, row in rows.items():
        csv_path = _write(tmp_path, f"{type_}.csv", ",".join(row) + "\n" + ",".join(row.values()) + "\n")
        jsonl = _write(tmp_path, "x.jsonl", json.dumps({"type": type_, **row}) + "\n")
        from_csv = read_records([csv_path])
        from_json = read_records([jsonl])
        assert from_csv.problems == from_json.problems == ()
        assert from_csv.records[0].record == from_json.records[0].record
        assert from_csv.records[0].line == 2
        assert from_json.records[0].line == 1


def test_records_carry_typed_values() -> None:
    """Flags, counts, timestamps and periods are read into Python values."""
    utc = dt.UTC
    stream = io.StringIO(
        '{"type": "call", "received_at": "2026-10-01T09:00:00Z", "abandoned": true}\n'
        '{"type": "repair", "opened_at": "2026-10-01T09:00:00Z"}\n'
        '{"type": "complaint", "received_at": "2026-10-01T09:00:00Z", "customer": 17, "escalated": 1}\n'
        '{"type": "feedback", "received_at": "2026-10-01T09:00:00Z"}\n'
        '{"type": "delivery", "supplier": "s", "due_at": "2026-10-01T09:00:00Z",'
        ' "delivered_at": "2026-10-01T08:00:00Z"}\n'
        '{"type": "counter", "date": "2026-10-01", "open": 2, "total": 2}\n'
        '{"type": "customer", "period": "2026-W40", "served": 0}\n'
    )
    records = [r.record for r in read_records(["-"], stdin=stream).records]
    moment = dt.datetime(2026, 10, 1, 9, tzinfo=utc)
    assert records[0] == Call(moment, None, None)
    assert records[0].abandoned
    assert not records[0].answered_by_ring(6)
    assert records[1] == Repair(moment, None, inside_service_area=True, special_case=False)
    assert records[2] == Complaint(moment, "17", escalated=True, resolved_at=None,
                                   handled_with_authority=False)
    assert records[2].escalated_without_authority
    assert records[3] == Feedback(moment, None, None)
    assert records[4] == Delivery("s", moment, moment - dt.timedelta(hours=1), rejected=False)
    assert records[4].on_time
    assert records[5] == Counter(dt.date(2026, 10, 1), peak_day=False, open=2, total=2)
    assert isinstance(records[6], CustomersServed)
    assert str(records[6].period) == "2026-W40"


def test_timestamps_without_offset_are_local_in_the_zone(tmp_path: Path) -> None:
    """A naive timestamp is read as local time in tz; one with an offset keeps it."""
    path = _write(tmp_path, "calls.csv", "received_at,abandoned\n2026-10-25 02:30,true\n"
                                         "2026-10-25T02:30:00+05:00,true\n")
    first, second = (r.record for r in read_records([path], tz=BERLIN).records)
    assert isinstance(first, Call)
    assert isinstance(second, Call)
    assert first.received_at == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # fold 0: the first 02:30
    assert second.received_at == dt.datetime(2026, 10, 24, 21, 30, tzinfo=dt.UTC)


def test_bad_rows_are_reported_with_file_line_and_field_and_the_rest_read(tmp_path: Path) -> None:
    """Each bad row is one problem naming its line and field; good rows are still read."""
    path = _write(tmp_path, "calls.csv", (
        "received_at,answered_at,abandoned,rings\n"
        "2026-10-01T09:00:00Z,2026-10-01T09:00:05Z,,1\n"
        "2026-13-01T09:00:00Z,,true,\n"
        "2026-10-01T09:00:00Z,2026-10-01T09:00:05Z,,\n"
        "2026-10-01T09:00:00Z,2026-10-01T09:00:05Z,true,2\n"
        "2026-10-01T09:00:00Z,,,\n"
        "2026-10-01T09:00:00Z,2026-10-01T08:00:00Z,,1\n"
        "2026-10-01T09:00:00Z,2026-10-01T09:00:05Z,maybe,1\n"
        "2026-10-01T09:00:00Z,2026-10-01T09:00:05Z,,-1\n"
        "2026-10-01T09:00:00Z,2026-10-01T09:00:05Z,,1,extra\n"
        "2026-10-01T09:00:00Z,,yes,\n"
    ))
    assert _problems(path) == [
        ("calls.csv:3: received_at: '2026-13-01T09:00:00Z' is not an ISO 8601 timestamp "
        "(e.g. 2026-10-03T10:00:00+08:00, or 2026-10-03 10:00 in the --tz zone)"),
        "calls.csv:4: rings: missing field 'rings'",
        ("calls.csv:5: abandoned: an abandoned call has no answered_at "
        "(clear one of abandoned or answered_at)"),
        "calls.csv:6: answered_at: a call needs answered_at, or abandoned=true",
        ("calls.csv:7: answered_at: 2026-10-01T08:00:00+00:00 is before received_at "
        "2026-10-01T09:00:00+00:00"),
        "calls.csv:8: abandoned: expected true or false, found 'maybe' (write true/false, yes/no or 1/0)",
        "calls.csv:9: rings: expected a whole number ≥ 0, found '-1'",
        "calls.csv:10: 5 cells but 4 header columns",
    ]
    assert len(read_records([path]).records) == 2


def test_bad_json_lines_are_reported_and_the_rest_read(tmp_path: Path) -> None:
    """Broken JSON, a non-object and a nested value are problems with their line."""
    path = _write(tmp_path, "2026-10-feedback.jsonl", (
        '{"received_at": "2026-10-01T09:00:00Z"}\n'
        '{"received_at": "2026-10-01T09:00:00Z"\n'
        "\n"
        '["received_at"]\n'
        '{"received_at": "2026-10-01T09:00:00Z", "tags": ["a"]}\n'
        '{"received_at": "2026-10-02T09:00:00Z", "first_reply_at": "2026-10-01T09:00:00Z"}\n'
        '{"recieved_at": "2026-10-01T09:00:00Z"}\n'
        '{"type": "calls?", "received_at": "2026-10-01T09:00:00Z"}\n'
        '{"received_at": "2026-10-01T09:00:00Z"}\n'
    ))
    assert _problems(path) == [
        "2026-10-feedback.jsonl:2: not valid JSON (Expecting ',' delimiter)",
        "2026-10-feedback.jsonl:4: a record must be a JSON object",
        "2026-10-feedback.jsonl:5: tags: expected a single value, found a list or object",
        ("2026-10-feedback.jsonl:6: first_reply_at: 2026-10-01T09:00:00+00:00 is before received_at "
        "2026-10-02T09:00:00+00:00"),
        ("2026-10-feedback.jsonl:7: received_at: missing field 'received_at' "
        "(found 'recieved_at': rename it to 'received_at')"),
        ("2026-10-feedback.jsonl:8: type: unknown record type 'calls?' "
        "(one of calls, complaints, counters, customers, deliveries, feedback, repairs)"),
    ]
    assert len(read_records([path]).records) == 2


def test_every_type_checks_its_fields(tmp_path: Path) -> None:
    """Each type's own checks name the field."""
    path = _write(tmp_path, "mixed.jsonl", (
        '{"type": "repairs", "opened_at": "2026-10-02T09:00:00Z", "closed_at": "2026-10-01T09:00:00Z"}\n'
        '{"type": "complaints", "received_at": "2026-10-01T09:00:00Z"}\n'
        '{"type": "complaints", "received_at": "2026-10-01T09:00:00Z", "customer": true}\n'
        '{"type": "deliveries", "due_at": "2026-10-01T09:00:00Z"}\n'
        '{"type": "deliveries", "supplier": "s", "due_at": 20261001}\n'
        '{"type": "counters", "date": "2026-10-32", "open": 1, "total": 1}\n'
        '{"type": "counters", "date": "2026-10-01", "open": 3, "total": 2}\n'
        '{"type": "counters", "date": "2026-10-01", "open": 0, "total": 0}\n'
        '{"type": "customers", "period": "October", "served": 5}\n'
        '{"type": "customers", "period": "2026-10", "served": 2.5}\n'
        '{"received_at": "2026-10-01T09:00:00Z"}\n'
    ))
    assert _problems(path) == [
        "mixed.jsonl:1: closed_at: 2026-10-01T09:00:00+00:00 is before opened_at 2026-10-02T09:00:00+00:00",
        "mixed.jsonl:2: customer: missing field 'customer'",
        "mixed.jsonl:3: customer: expected a name or id, found True",
        "mixed.jsonl:4: supplier: missing field 'supplier'",
        ("mixed.jsonl:5: due_at: expected an ISO 8601 timestamp, found 20261001 "
        "(e.g. 2026-10-03T10:00:00+08:00)"),
        "mixed.jsonl:6: date: '2026-10-32' is not a date (write YYYY-MM-DD)",
        "mixed.jsonl:7: open: 3 open counters out of 2",
        "mixed.jsonl:8: total: expected a whole number ≥ 1, found 0",
        "mixed.jsonl:9: period: 'October' is not a period; write YYYY-MM, YYYY-Www or YYYY-MM-DD",
        "mixed.jsonl:10: served: expected a whole number ≥ 0, found 2.5",
        ("mixed.jsonl:11: type: the record type is not known (add a 'type' field (calls, complaints, "
        "counters, customers, deliveries, feedback, repairs) or name the file after it, e.g. calls.csv)"),
    ]


def test_csv_without_type_or_typed_name_is_one_problem(tmp_path: Path) -> None:
    """A CSV whose type nothing gives is reported once, for the whole file."""
    path = _write(tmp_path, "export.csv", "received_at,abandoned\n2026-10-01T09:00:00Z,true\n" * 3)
    found = read_records([path])
    assert found.records == ()
    assert [p.line for p in found.problems] == [0]
    assert found.problems[0].path == "type"


def test_type_column_overrides_the_file_name(tmp_path: Path) -> None:
    """A type column wins over the name; an empty cell falls back to the name."""
    path = _write(tmp_path, "calls.csv", (
        "type,received_at,abandoned,supplier,due_at\n"
        ",2026-10-01T09:00:00Z,true,,\n"
        "delivery,,,s1,2026-10-01T09:00:00Z\n"
    ))
    types = [r.record.type for r in read_records([path]).records]
    assert types == ["calls", "deliveries"]


def test_quoted_multiline_cells_keep_line_numbers(tmp_path: Path) -> None:
    """A row spanning lines starts where it starts; the next row's line is right."""
    path = _write(tmp_path, "complaints.csv", (
        "received_at,customer,note\n"
        '2026-10-01T09:00:00Z,C1,"two\nlines"\n'
        "2026-10-01T09:00:00Z,,\n"
    ))
    found = read_records([path])
    assert [r.line for r in found.records] == [2]
    assert [p.line for p in found.problems] == [4]


def test_not_utf8_line_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    """A line that is not UTF-8 is one problem; a BOM is ignored."""
    path = tmp_path / "calls.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"received_at": "2026-10-01T09:00:00Z", "abandoned": true}\n'
                     b'{"received_at": "\xff"}\n'
                     b'{"received_at": "2026-10-01T09:00:00Z", "abandoned": true}\n')
    found = read_records([path])
    assert len(found.records) == 2
    assert found.problems == (Problem(str(path), 2, "", "not UTF-8 text", "save the file as UTF-8"),)


def test_format_is_sniffed_without_a_known_extension(tmp_path: Path) -> None:
    """A file without .csv/.jsonl is JSONL when it starts with '{', else CSV."""
    as_json = _write(tmp_path, "calls.txt", '{"received_at": "2026-10-01T09:00:00Z", "abandoned": 1}\n')
    as_csv = _write(tmp_path, "calls.log", "received_at,abandoned\n2026-10-01T09:00:00Z,1\n")
    assert len(read_records([as_json, as_csv]).records) == 2


def test_empty_file_gives_nothing(tmp_path: Path) -> None:
    """An empty file is neither a problem nor a record."""
    assert read_records([_write(tmp_path, "calls.csv", "")]).records == ()


def test_unreadable_file_raises_record_error(tmp_path: Path) -> None:
    """A missing file is an input error naming it."""
    missing = str(tmp_path / "calls.csv")
    with pytest.raises(RecordError, match=r"calls\.csv: cannot read records: No such file or directory"):
        list(iter_records(missing))


def test_progress_is_called_with_bytes_read(tmp_path: Path) -> None:
    """Progress reports the bytes read of the file's size, ending at the size."""
    path = _write(tmp_path, "calls.csv", "received_at,abandoned\n" + "2026-10-01T09:00:00Z,true\n" * 5000)
    calls: list[tuple[str, int, int]] = []
    items = list(iter_records(path, progress=lambda *a: calls.append(a)))
    assert len(items) == 5000
    size = Path(path).stat().st_size
    assert calls[-1] == (path, size, size)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)


# --- cases found by mutation testing (docs/testing.md) -----------------------------------


def test_stdin_drops_a_leading_bom_like_a_file(tmp_path: Path) -> None:
    """A BOM opening line 1 is dropped from stdin as from a file; one opening line 2 is not."""
    row = '{"type": "calls", "received_at": "2026-10-01T09:00:00Z", "abandoned": true}\n'
    text = "\ufeff" + row + "\ufeff" + row
    from_file = read_records([_write(tmp_path, "rows.jsonl", text)])
    from_stdin = read_records(["-"], stdin=io.StringIO(text))
    for found in (from_file, from_stdin):
        assert [r.line for r in found.records] == [1]
        assert [(p.line, p.message) for p in found.problems] == [
            (2, "not valid JSON (Unexpected UTF-8 BOM (decode using utf-8-sig))")]


def test_record_error_lists_one_problem_per_line() -> None:
    """The error's text is its problems, one per line, in order."""
    error = RecordError([Problem("a.csv", 0, "", "cannot read records: gone"),
                         Problem("b.csv", 3, "type", "unknown record type 'x'")])
    assert str(error) == "a.csv: cannot read records: gone\nb.csv:3: type: unknown record type 'x'"


def test_a_line_that_is_no_json_object_is_a_problem_without_a_field(tmp_path: Path) -> None:
    """Bad JSON and a JSON value that is no object are problems of the whole line."""
    path = _write(tmp_path, "calls.jsonl", '{"received_at": \n[1, 2]\n')
    assert read_records([path]).problems == (
        Problem(path, 1, "", "not valid JSON (Expecting value)"),
        Problem(path, 2, "", "a record must be a JSON object"))
# --------------------------------------------------------------------------- issue 14

CALL = "2026-10-01T10:00:00Z,2026-10-01T10:00:05Z,1"


def test_d15_a_cell_over_the_csv_limit_rejects_its_row_only(tmp_path: Path) -> None:
    """A 200,000-character cell: that row is rejected, the next is read."""
    path = tmp_path / "calls.csv"
    text = f"received_at,answered_at,rings,agent\n{CALL},{'x' * 200_000}\n{CALL},y\n"
    path.write_text(text, encoding="utf-8")
    result = read_records([path])
    assert [str(p) for p in result.problems] == [
        f"{path}:2: not valid CSV (field larger than field limit (131072))"]
    assert [r.line for r in result.records] == [3]


def test_d24_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    """The same file twice (under two names): read once, and said so."""
    path = tmp_path / "calls.csv"
    path.write_text(f"received_at,answered_at,rings\n{CALL}\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    other = tmp_path / "sub" / ".." / "calls.csv"
    result = read_records([path, other])
    assert len(result.records) == 1
    assert [str(p) for p in result.problems] == [
        f"{other}: given twice (also as {path}); read once (pass each file once)"]


def test_d24_a_ticket_read_twice_counts_once(tmp_path: Path) -> None:
    """The same ticket id twice, in one file or two: counted once, the repeat reported."""
    first, second = tmp_path / "repairs.jsonl", tmp_path / "more-repairs.jsonl"
    row = '{"opened_at": "2026-10-01T09:00:00Z", "closed_at": "2026-10-01T10:00:00Z", "ticket": "R-1"}\n'
    first.write_text(row + row.replace("R-1", "R-2"), encoding="utf-8")
    second.write_text(row, encoding="utf-8")
    result = read_records([first, second])
    assert len(result.records) == 2
    assert [str(p) for p in result.problems] == [
        (f"{second}:1: ticket: ticket 'R-1' was already read at {first}:1; counted once "
         "(remove the repeated row)")]


def test_d24_a_duplicated_csv_column_is_refused(tmp_path: Path) -> None:
    """Two columns of one name: the file is skipped with one problem (no value silently wins)."""
    path = tmp_path / "calls.csv"
    path.write_text(f"received_at,answered_at,rings,Rings\n{CALL},2\n", encoding="utf-8")
    result = read_records([path])
    assert (result.records, [str(p) for p in result.problems]) == ((), [
        (f"{path}:1: rings: column 'rings' appears twice in the header; the file is skipped "
         "(keep one column of each name)")])


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_upper_case_headers_and_other_delimiters_are_read(tmp_path: Path, delimiter: str) -> None:
    """``RECEIVED_AT;Answered_At;RINGS`` reads like the lower-case, comma-separated header."""
    path = tmp_path / "calls.csv"
    rows = ["RECEIVED_AT,Answered_At,RINGS", CALL, CALL]
    path.write_text("\n".join(r.replace(",", delimiter) for r in rows) + "\n", encoding="utf-8")
    result = read_records([path])
    assert (len(result.records), result.problems) == (2, ())


def test_a_missing_column_is_reported_once_with_a_hint(tmp_path: Path) -> None:
    """A column every row misses: one line, with the header and a did-you-mean."""
    path = tmp_path / "calls.csv"
    path.write_text("recieved_at,answered_at,rings\n" + f"{CALL}\n" * 50, encoding="utf-8")
    result = read_records([path])
    assert [str(p) for p in result.problems] == [
        (f"{path}:1: received_at: no column 'received_at': every row misses it "
         "(did you mean 'recieved_at'? the header has recieved_at, answered_at, rings)")]


def test_records_json_nested_too_deep_or_too_many_digits_is_a_problem(tmp_path: Path) -> None:
    """A JSON line nested 100,000 deep, or a number of 5,000 digits: one problem each."""
    path = tmp_path / "calls.jsonl"
    path.write_text("[" * 100_000 + "\n" + '{"rings": ' + "9" * 5000 + "}\n", encoding="utf-8")
    assert [p.message for p in read_records([path]).problems] == [
        "not valid JSON (nested too deeply)", "not valid JSON (a number with too many digits)"]


def test_a_folder_is_no_records_file_but_a_fifo_is_read(tmp_path: Path) -> None:
    """A folder is refused; a FIFO (``indicators <(cmd)``) is read like a file."""
    (tmp_path / "calls.csv").mkdir()
    with pytest.raises(RecordError, match="cannot read records: a folder, not a file"):
        read_records([tmp_path / "calls.csv"])
    fifo = tmp_path / "more-calls.csv"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(f"received_at,answered_at,rings\n{CALL}\n",
                                                             encoding="utf-8"))
    writer.start()
    assert len(read_records([fifo]).records) == 1
    writer.join(timeout=30)


@pytest.mark.parametrize("stamp", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00",
                                   "2026-10-03T10:00:00Z\x00junk"])
def test_far_or_junk_timestamps_reject_their_row(tmp_path: Path, stamp: str) -> None:
    """A timestamp outside 1-9999 in UTC, or with junk after it, is a located problem (fuzz found it)."""
    path = tmp_path / "calls.csv"
    path.write_text(f"received_at,answered_at,rings\n{stamp},2026-10-01T10:00:05Z,1\n", encoding="utf-8")
    result = read_records([path])
    assert (result.records, [(p.line, p.path) for p in result.problems]) == ((), [(2, "received_at")])
