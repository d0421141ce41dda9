"""servresp.facts: JSON, JSONL and CSV in; valid facts, located rejections and unknown names out."""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servresp.errors import FactError
from servresp.evaluate.facts import MAX_FIELDS, FactSet, UnknownSignal, parse_facts, read_facts
from servresp.model.classes import Model, SignalKind
from servresp.model.load import load_model
from strategies import facts_for, models

DATA = Path(__file__).parents[1] / "data"
FACTS = DATA / "facts"
RATE = "call.answered_rate"
LATE = "supplier.late_delivery"
AT = "2026-10-03T10:00:00Z"
SCALARS = "event attributes must be strings, numbers or booleans"
SURROGATE = "not UTF-8 text (a byte that is no UTF-8, or a lone surrogate)"


@cache
def minimal() -> Model:
    return load_model(DATA / "minimal")


def parse(text: str, fmt: str = "auto", source: str = "f.jsonl") -> FactSet:
    return parse_facts(text, minimal(), source=source, fmt=fmt)


def rejected(facts: FactSet) -> list[str]:
    return [str(p) for p in facts.rejected]


def one_rejection(line: str) -> str:
    facts = parse(line)
    assert not facts.facts
    assert len(facts.rejected) == 1, facts.rejected
    return str(facts.rejected[0])


# --------------------------------------------------------------------------- formats


def test_json_object_file():
    """A .json file holding one object gives one fact at the object's first line."""
    facts = read_facts([FACTS / "one.json"], minimal())
    assert [f.to_json() for f in facts.facts] == [{
        "metric": RATE, "value": 0.9, "period": "2026-10", "unit": "desk",
        "source": str(FACTS / "one.json"), "line": 1,
    }]
    assert (facts.read, facts.rejected, facts.unknown) == (1, (), ())


def test_json_list_keeps_line_numbers_of_each_object():
    """In a pretty-printed list each fact and each rejection names the line its object starts on."""
    source = str(FACTS / "list.json")
    facts = read_facts([source], minimal())
    assert [f.line for f in facts.facts] == [2, 12]
    assert rejected(facts) == [
        f"{source}:7: value: not a finite number",
        f"{source}:14: id: 'id' is reserved by the rules engine (rename the field)",
    ]
    assert facts.read == 4


def test_jsonl_file_reads_each_line():
    """A JSONL stream gives one fact per non-blank line, numbered from 1, blank lines counted."""
    text = (f'{{"metric": "{RATE}", "value": 0.9, "period": "2026-10"}}\n\n'
            f'{{"event": "{LATE}", "at": "{AT}", "critical": true}}\n')
    facts = parse(text)
    assert [(f.kind, f.name, f.line) for f in facts.facts] == [
        (SignalKind.METRIC, RATE, 1), (SignalKind.EVENT, LATE, 3)]
    assert facts.facts[1].attributes == (("critical", True),)


def test_csv_file_reads_metrics_and_events():
    """CSV rows use the same columns; empty cells are absent; numbers and booleans are typed."""
    source = str(FACTS / "facts.csv")
    facts = read_facts([source], minimal())
    assert [f.to_json() for f in facts.facts] == [
        {"metric": RATE, "value": 0.9, "period": "2026-10", "unit": "desk", "n": 1200,
         "source": source, "line": 2},
        {"event": LATE, "at": AT, "attributes": {"critical": True}, "unit": "buyer",
         "source": source, "line": 3},
        {"event": LATE, "at": "2026-10-05T10:00:00Z", "attributes": {"critical": False},
         "unit": "buyer", "source": source, "line": 4},
    ]
    assert rejected(facts) == [
        f"{source}:5: value: not a finite number",
        f"{source}:6: period: '2026-13' is not a period; write YYYY-MM, YYYY-Www or YYYY-MM-DD",
    ]


def test_csv_row_with_more_cells_than_columns():
    """A CSV row longer than its header is rejected at its line."""
    facts = parse(f"metric,value,period\n{RATE},0.9,2026-10,extra\n{RATE},0.9,2026-10\n",
                  fmt="csv", source="f.csv")
    assert rejected(facts) == ["f.csv:2: more cells than header columns"]
    assert [f.line for f in facts.facts] == [3]


def test_csv_with_carriage_returns():
    """CSV text with carriage returns as line ends (as parse_facts may be given) reads row by row."""
    facts = parse(f"metric,value,period\r\n{RATE},0.9,2026-10\r\n{RATE},0.8,2026-11\r", fmt="csv")
    assert [(f.line, f.value) for f in facts.facts] == [(2, 0.9), (3, 0.8)]


def test_csv_cell_over_the_size_limit():
    """A CSV cell larger than the csv module allows stops that file with a located rejection."""
    text = f"metric,value,period\n{RATE},0.9,2026-10\n{RATE},{'9' * 200_000},2026-10\n{RATE},0.5,2026-10\n"
    facts = parse(text, fmt="csv", source="f.csv")
    assert [f.line for f in facts.facts] == [2]
    assert rejected(facts) == [("f.csv:3: not valid CSV (field larger than field limit (131072)); "
                                "the rest of this CSV file is skipped")]


def test_stdin_is_read_for_dash():
    """``-`` reads the given stdin and names it ``-``."""
    stdin = io.StringIO(f'{{"event": "{LATE}", "at": "{AT}"}}\n')
    facts = read_facts(["-"], minimal(), stdin=stdin)
    assert [(f.source, f.line, f.name) for f in facts.facts] == [("-", 1, LATE)]


def test_stdin_may_hold_a_json_list():
    """Standard input is sniffed: a JSON list works as well as JSONL."""
    stdin = io.StringIO(f'[\n  {{"event": "{LATE}", "at": "{AT}"}}\n]\n')
    facts = read_facts(["-"], minimal(), stdin=stdin)
    assert [(f.source, f.line) for f in facts.facts] == [("-", 2)]


def test_several_files_are_concatenated_in_order():
    """Facts of several files come in argument order, each with its own source."""
    facts = read_facts([FACTS / "one.json", FACTS / "breach.jsonl"], minimal())
    assert [(Path(f.source).name, f.line) for f in facts.facts] == [
        ("one.json", 1), ("breach.jsonl", 1), ("breach.jsonl", 2), ("breach.jsonl", 3)]


def test_byte_order_mark_is_ignored():
    """A UTF-8 BOM before JSONL, a JSON list or a CSV header does not break the first line."""
    line = f'{{"event": "{LATE}", "at": "{AT}"}}'
    assert [f.line for f in parse("\ufeff" + line).facts] == [1]
    assert [f.line for f in parse("\ufeff[" + line + "]", fmt="json").facts] == [1]
    assert [f.line for f in parse(f"\ufeffevent,at\n{LATE},{AT}\n", fmt="csv").facts] == [2]


def test_empty_input_reads_nothing():
    """Empty or blank input is no fact and no problem."""
    for text, fmt in (("", "auto"), ("\n \n", "auto"), ("[]", "json"), ("", "csv")):
        assert parse(text, fmt=fmt) == FactSet(())


def test_missing_file_is_a_fact_error():
    """A file that cannot be opened raises FactError naming it."""
    with pytest.raises(FactError) as caught:
        read_facts(["tests/data/facts/missing.jsonl"], minimal())
    assert str(caught.value) == "tests/data/facts/missing.jsonl: cannot read facts: No such file or directory"


def test_d21_a_line_that_is_not_utf8_is_rejected_alone(tmp_path):
    """One bad byte rejects its line only, as on stdin; the other lines are read."""
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"metric": "caf\xe9"}\n{"metric": "call.answered_rate", "value": 0.9, '
                     b'"period": "2026-10"}\n')
    facts = read_facts([path], minimal())
    assert [str(p) for p in facts.rejected] == [f"{path}:1: not UTF-8 text (save the file as UTF-8)"]
    assert [f.line for f in facts.facts] == [2]


# --------------------------------------------------------------------------- rejections


def test_each_malformed_line_is_rejected_with_file_line_and_field():
    """Every malformed case of bad.jsonl is reported at its line and field; the rest is read."""
    source = str(FACTS / "bad.jsonl")
    facts = read_facts([source], minimal())
    periods = "write YYYY-MM, YYYY-Www or YYYY-MM-DD"
    assert rejected(facts) == [
        f"{source}:2: not valid JSON (Expecting ',' delimiter)",
        f"{source}:3: value: not a finite number",
        f"{source}:4: value: not a finite number",
        f"{source}:5: value: 1.5 is outside the range [0, 1] of call.answered_rate",
        f"{source}:6: value: missing field 'value'",
        f"{source}:7: period: missing field 'period' (e.g. 2026-10)",
        f"{source}:8: period: '2026-13' is not a period; {periods}",
        f"{source}:9: at: 'the third of October' is not an ISO 8601 timestamp, e.g. 2026-10-03T10:00:00Z",
        f"{source}:10: at: '2026-10-03T10:00:00' has no time zone; add Z or an offset like +08:00",
        f"{source}:11: id: 'id' is reserved by the rules engine (rename the field)",
        f"{source}:12: sid: 'sid' is reserved by the rules engine (rename the field)",
        f"{source}:13: $s: '$s' is reserved by the rules engine (rename the field)",
        f"{source}:14: order: event attributes must be strings, numbers or booleans",
        f"{source}:15: metric: a fact needs exactly one of 'metric' or 'event'",
    ]
    assert facts.unknown == (UnknownSignal(source, 16, SignalKind.METRIC, "call.answerd_rate", RATE),)
    assert [f.line for f in facts.facts] == [1, 17, 19]
    assert facts.read == 18


@pytest.mark.parametrize(("line", "message"), [
    (f'{{"metric": "{RATE}", "value": -Infinity, "period": "2026-10"}}', "value: not a finite number"),
    (f'{{"metric": "{RATE}", "value": -0.1, "period": "2026-10"}}',
     "value: -0.1 is outside the range [0, 1] of call.answered_rate"),
    (f'{{"metric": "{RATE}", "value": "0.9", "period": "2026-10"}}', "value: expected a number, found '0.9'"),
    (f'{{"metric": "{RATE}", "value": true, "period": "2026-10"}}', "value: expected a number, found True"),
    (f'{{"metric": "{RATE}", "value": 0.9, "period": 202610}}',
     "period: '202610' is not a period; write YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    (f'{{"metric": "{RATE}", "value": 0.9, "period": "2026-10", "n": -1}}',
     "n: expected a whole number ≥ 0, found -1"),
    (f'{{"metric": "{RATE}", "value": 0.9, "period": "2026-10", "n": 1.5}}',
     "n: expected a whole number ≥ 0, found 1.5"),
    (f'{{"metric": "{RATE}", "value": 0.9, "period": "2026-10", "vlaue": 1}}',
     "vlaue: unknown field 'vlaue' for a metric fact (did you mean 'value'?)"),
    (f'{{"metric": "{RATE}", "value": 0.9, "period": "2026-10", "unit": 5}}',
     "unit: expected a unit id, found 5"),
    ('{"metric": "", "value": 0.9, "period": "2026-10"}', "metric: expected a metric name, found ''"),
    (f'{{"event": 3, "at": "{AT}"}}', "event: expected an event name, found 3"),
    (f'{{"event": "{LATE}"}}', "at: missing field 'at' (e.g. 2026-10-03T10:00:00Z)"),
    (f'{{"event": "{LATE}", "at": "{AT}", "x": NaN}}', "x: not a finite number"),
    (f'{{"event": "{LATE}", "at": "{AT}", "x": [1]}}', f"x: {SCALARS}"),
    (f'{{"event": "{LATE}", "at": "{AT}", "x": null}}', f"x: {SCALARS}"),
    ("{}", "a fact needs exactly one of 'metric' or 'event'"),
    ("3.5", "a fact must be a JSON object"),
    ('"text"', "a fact must be a JSON object"),
])
def test_more_malformed_lines(line, message):
    """Other defects are rejected with the field and a message that says what is wrong."""
    assert one_rejection(line) == f"f.jsonl:1: {message}"


def test_too_many_fields():
    """A fact with more fields than durable_rules can take is rejected."""
    row = {"event": LATE, "at": AT} | {f"k{i}": i for i in range(MAX_FIELDS)}
    assert one_rejection(json.dumps(row)) == f"f.jsonl:1: {MAX_FIELDS + 2} fields; at most {MAX_FIELDS}"


def test_broken_json_list_stops_at_the_broken_object():
    """In a JSON list, the objects before a syntax error are read and the error names its line."""
    text = f'[\n  {{"event": "{LATE}", "at": "{AT}"}},\n  {{"event": oops}},\n  {{"event": "{LATE}"}}\n]'
    facts = parse(text, fmt="json", source="f.json")
    assert [f.line for f in facts.facts] == [2]
    assert rejected(facts) == [
        "f.json:3: not valid JSON (Expecting value); the rest of this JSON file is skipped"]


def test_json_file_with_several_objects_reports_the_extra_data():
    """A .json file holding JSON lines does not silently drop all but the first."""
    text = f'{{"event": "{LATE}", "at": "{AT}"}}\n{{"event": "{LATE}", "at": "{AT}"}}\n'
    facts = parse(text, fmt="json", source="f.json")
    assert [f.line for f in facts.facts] == [1]
    assert rejected(facts) == [
        "f.json:2: not valid JSON (Extra data); the rest of this JSON file is skipped"]


@pytest.mark.parametrize(("text", "message"), [
    ('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", "not valid JSON (nested too deeply)"),
    (f'{{"metric": "{RATE}", "value": {"9" * 400}, "period": "2026-10"}}', "value: not a finite number"),
    (f'{{"metric": "{RATE}", "value": {"9" * 5000}, "period": "2026-10"}}',
     "not valid JSON (a number with too many digits)"),
    (f'{{"event": "{LATE}", "at": "{AT}", "x": "\\ud800"}}', f"x: {SURROGATE}"),
    (f'{{"event": "{LATE}", "at": "{AT}", "\\udfff": 1}}', f"\\udfff: {SURROGATE}"),
    (f'{{"event": "{LATE}", "at": "0001-01-01T00:30:00+01:00"}}',
     "at: '0001-01-01T00:30:00+01:00' is outside the years 1-9999 in UTC"),
])
def test_hostile_lines_are_rejected_not_raised(text, message):
    """Deep nesting, huge numbers, lone surrogates and impossible moments are rejections."""
    assert one_rejection(text) == f"f.jsonl:1: {message}"


def test_field_names_are_printed_on_one_line():
    """A field name holding a newline or tab is escaped, so each rejection stays one line."""
    text = (f'{{"event": "{LATE}", "at": "{AT}", "a\\nb": [1]}}\n'
            f'{{"event": "{LATE}", "at": "{AT}", "c\\td": {{}}}}')
    assert rejected(parse(text)) == [f"f.jsonl:1: a\\nb: {SCALARS}", f"f.jsonl:2: c\\td: {SCALARS}"]


def test_hostile_json_document_is_rejected_not_raised():
    """A too-deep JSON list file is one rejection."""
    facts = parse("[" + "[" * 100_000, fmt="json", source="f.json")
    assert rejected(facts) == [
        "f.json:1: not valid JSON (nested too deeply); the rest of this JSON file is skipped"]


# --------------------------------------------------------------------------- unknowns and warnings


def test_unknown_names_are_listed_with_did_you_mean_not_rejected():
    """Unknown metrics and events go to ``unknown`` with the closest known name of their kind."""
    text = "\n".join([
        '{"metric": "call.answerd_rate", "value": 0.9, "period": "2026-10"}',
        f'{{"event": "supplier.lat_delivery", "at": "{AT}"}}',
        f'{{"metric": "{LATE}", "value": 0.9, "period": "2026-10"}}',
        f'{{"event": "completely.different", "at": "{AT}"}}',
    ])
    facts = parse(text)
    assert facts.rejected == ()
    assert facts.facts == ()
    assert [u.to_json() for u in facts.unknown] == [
        {"source": "f.jsonl", "line": 1, "kind": "metric", "name": "call.answerd_rate",
         "suggestion": RATE},
        {"source": "f.jsonl", "line": 2, "kind": "event", "name": "supplier.lat_delivery",
         "suggestion": LATE},
        {"source": "f.jsonl", "line": 3, "kind": "metric", "name": LATE, "suggestion": None},
        {"source": "f.jsonl", "line": 4, "kind": "event", "name": "completely.different",
         "suggestion": None},
    ]
    assert facts.read == 4


def test_malformed_unknown_fact_is_rejected_not_unknown():
    """An unknown name does not excuse a malformed fact: it is rejected for its defect."""
    assert one_rejection('{"metric": "nobody.knows", "value": NaN, "period": "2026-10"}') == (
        "f.jsonl:1: value: not a finite number")


def test_unknown_unit_is_a_warning_and_the_fact_is_kept():
    """A unit the model does not know is context: the fact is read, with a warning."""
    facts = parse(f'{{"metric": "{RATE}", "value": 0.9, "period": "2026-10", "unit": "nobody"}}')
    assert [f.unit for f in facts.facts] == ["nobody"]
    assert [str(w) for w in facts.warnings] == ["f.jsonl:1: unit: unknown unit 'nobody'; kept as context"]


def test_event_attributes_are_kept_sorted_without_reserved_fields():
    """An event's extra fields become its attributes, sorted; event, at and unit are not among them."""
    facts = parse(f'{{"unit": "buyer", "z": 1, "event": "{LATE}", "a": "x", "at": "{AT}", "n": 2.5}}')
    assert facts.facts[0].attributes == (("a", "x"), ("n", 2.5), ("z", 1))
    assert facts.facts[0].to_json() == {"event": LATE, "at": AT, "unit": "buyer", "source": "f.jsonl",
                                        "line": 1, "attributes": {"a": "x", "n": 2.5, "z": 1}}


def test_fact_set_addition_concatenates():
    """Adding fact sets keeps every part in order."""
    first, second = parse(FACTS.joinpath("bad.jsonl").read_text(encoding="utf-8")), parse("{}")
    both = first + second
    assert both.facts == first.facts
    assert both.rejected == first.rejected + second.rejected
    assert both.read == first.read + 1


# --------------------------------------------------------------------------- properties


@settings(max_examples=30)
@given(st.data())
def test_generated_valid_facts_are_all_read(data):
    """Facts the model's signals accept are all read, none rejected or unknown, lines 1..n."""
    model = data.draw(models())
    rows = data.draw(facts_for(model))
    facts = parse_facts("\n".join(json.dumps(r) for r in rows), model, source="g.jsonl")
    assert (facts.rejected, facts.unknown) == ((), ())
    assert [f.line for f in facts.facts] == list(range(1, len(rows) + 1))
    assert [f.name for f in facts.facts] == [r.get("metric", r.get("event")) for r in rows]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


def _fact_like() -> st.SearchStrategy[dict[str, object]]:
    keys = st.sampled_from(["metric", "event", "value", "period", "at", "unit", "n", "id", "$x", "x"])
    values = _JSON | st.sampled_from([RATE, LATE, "2026-10", AT, "2026-13", 0.9, 1.5, "desk"])
    return st.dictionaries(keys, values, max_size=6)


@given(st.lists(st.text(max_size=40) | _JSON.map(json.dumps) | _fact_like().map(json.dumps), max_size=6),
       st.sampled_from(["auto", "json", "csv"]))
def test_fuzzed_input_never_raises(lines, fmt):
    """Any text in any format yields a FactSet, every line counted once."""
    facts = parse("\n".join(lines), fmt=fmt)
    assert facts.read == len(facts.facts) + len(facts.rejected) + len(facts.unknown)
    for problem in facts.rejected:
        assert problem.file == "f.jsonl"
        assert problem.line >= 1


# --------------------------------------------------------------------------- issue 14


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"])
def test_d4_line_separators_inside_strings_do_not_split_lines(separator):
    r"""Only ``\\n`` ends a line: U+2028 and friends keep their line, and later lines their numbers.

    JSON allows U+2028, U+2029 and U+0085 in a string as they are; a raw C0 control it does not,
    so that line alone is rejected.
    """
    text = (f'{{"event": "supplier.late_delivery", "at": "2026-10-03T10:00:00Z", "note": "a{separator}b"}}\n'
            '{"metric": "call.answered_rate", "value": 0.9, "period": "2026-10"}\n')
    facts = parse_facts(text, minimal(), source="f")
    if separator >= "\x20":
        assert (facts.rejected, [f.line for f in facts.facts]) == ((), [1, 2])
        assert dict(facts.facts[0].attributes)["note"] == f"a{separator}b"
    else:
        assert ([p.line for p in facts.rejected], [f.line for f in facts.facts]) == ([1], [2])


def test_d5_lines_after_a_leading_json_list_are_read():
    """A JSONL file whose first line is a list: the lines after its ``]`` are read, not dropped."""
    good = '{"metric": "call.answered_rate", "value": 0.9, "period": "2026-10"}'
    facts = parse_facts(f"[{good}]\n{good}\nnot json\n", minimal(), source="f")
    assert [f.line for f in facts.facts] == [1, 2]
    assert [str(p) for p in facts.rejected] == ["f:3: not valid JSON (Expecting value)"]
    facts = parse_facts(f"[{good}] x\n{good}\n", minimal(), source="f")
    assert [str(p) for p in facts.rejected] == ["f:1: not valid JSON (Extra data after the list)"]
    facts = parse_facts(f"[{good}]\n{good}\n", minimal(), source="f.json", fmt="json")
    assert [str(p) for p in facts.rejected] == [
        "f.json:2: not valid JSON (Extra data); the rest of this JSON file is skipped"]


def test_a_broken_leading_list_falls_back_to_lines():
    """``[`` alone on line 1 of a stream: that line is rejected and the good lines are kept."""
    good = '{"metric": "call.answered_rate", "value": 0.9, "period": "2026-10"}'
    facts = parse_facts(f"[\n{good}\n", minimal(), source="-")
    assert [f.line for f in facts.facts] == [2]
    assert [p.line for p in facts.rejected] == [1]


def test_d25_a_duplicate_json_key_rejects_the_fact():
    """``{"value": 0.1, "value": 0.9}`` is rejected naming the key, not read as 0.9."""
    text = '{"metric": "call.answered_rate", "value": 0.1, "value": 0.9, "period": "2026-10"}\n'
    facts = parse_facts(text, minimal(), source="f")
    assert [str(p) for p in facts.rejected] == ["f:1: value: duplicate key 'value' (keep one of them)"]
    assert facts.facts == ()


def test_d21_bad_bytes_in_a_file_and_on_stdin_agree(tmp_path):
    """The same bytes give the same rejections whether read from a file or from stdin."""
    data = b'{"metric": "call.answered_rate", "value": 0.9, "period": "2026-10"}\n\xff\xfe\n'
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    from_file = read_facts([path], minimal())
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")
    from_stdin = read_facts(["-"], minimal(), stdin=stdin)
    assert [(p.line, p.message) for p in from_file.rejected] == [(2, "not UTF-8 text")]
    assert [(p.line, p.message) for p in from_stdin.rejected] == [(2, "not UTF-8 text")]


def test_read_facts_takes_one_path_alone(tmp_path):
    """``read_facts("f.jsonl", model)`` reads that file (a string is not a list of one-letter names)."""
    path = tmp_path / "f.jsonl"
    path.write_text('{"metric": "call.answered_rate", "value": 0.9, "period": "2026-10"}\n', encoding="utf-8")
    assert len(read_facts(str(path), minimal()).facts) == 1
    assert len(read_facts(path, minimal()).facts) == 1


def test_d24_a_fact_file_given_twice_is_a_warning(tmp_path):
    """The same fact file twice: read twice (later lines win) but said so."""
    path = tmp_path / "f.jsonl"
    path.write_text('{"metric": "call.answered_rate", "value": 0.9, "period": "2026-10"}\n', encoding="utf-8")
    facts = read_facts([path, path], minimal())
    assert [str(w) for w in facts.warnings] == [
        f"{path}: given twice; its facts are read twice (the later line wins)"]


@pytest.mark.parametrize("at", ["9999-12-31T23:00:00Z", "9999-12-31T23:59:59.999999-23:59",
                                "0001-01-01T00:00:00+23:59"])
def test_d1_events_at_the_ends_of_the_calendar_are_read_or_rejected(at):
    """Far dates are facts (inside 1-9999 in UTC) or one located rejection, never an exception."""
    facts = parse_facts(f'{{"event": "supplier.late_delivery", "at": "{at}"}}\n', minimal(), source="f")
    assert len(facts.facts) + len(facts.rejected) == 1
