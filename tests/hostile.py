r"""Hypothesis strategies for hostile input, and the fuzz suite's case counter.

What a fuzzer (or a hostile user) feeds servresp, by class, as issue 14 found them:
huge and non-finite numbers, deep nesting, bytes that are not UTF-8, line separators
inside JSON strings, control characters and terminal escapes, far dates, duplicate keys,
trailing junk; and for folders, entries that are no regular file (symlinks that lead out,
nowhere or in a loop, FIFOs, folders with a file's name).

- `fact_line_bytes()` draws one hostile line of a fact file (no ``\\n`` in it);
  `valid_fact_line(model)` one line the model accepts, possibly holding U+2028 and friends.
- `record_file()` draws a hostile records file: ``(file name, bytes)``.
- `yaml_mutation()` draws a change to one file of a rules folder: hostile text spliced in.
- `folder_entry()` draws a hostile entry to put in a folder: see `make_entry`.

`CASES` counts the examples each fuzz test ran; ``make fuzz`` prints it.
"""

from __future__ import annotations

import collections
import json
import os
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from servresp.model.classes import Model, SignalKind

__all__ = [
    "CASES",
    "SEPARATORS",
    "fact_line_bytes",
    "folder_entry",
    "make_entry",
    "record_file",
    "valid_fact_line",
    "yaml_mutation",
]

CASES: collections.Counter[str] = collections.Counter()
"""Examples run per fuzz test (tests/fuzz/conftest.py prints them)."""

SEPARATORS = ("\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r")
"""Characters `str.splitlines` splits at, which a JSON string may hold as they are."""

_HUGE = ("1" + "0" * 400, "-" + "9" * 400, "1e999", "-1e999", "9" * 5000, "1e-999",
         "9223372036854775808", "-9223372036854775809", "18446744073709551616")
_NON_FINITE = ("NaN", "Infinity", "-Infinity")
_DATES = ("9999-12-31T23:59:59Z", "9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z",
          "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59.999999-23:59",
          "2026-10-03T10:00:00Z\u0000junk", "2026-10-03T10:00:00Zjunk", "2026-02-30T00:00:00Z",
          "\u0662\u0660\u0662\u0666-10-03T10:00:00Z", "2026-10-03", "2026-10-03T25:00:00Z",
          "+002026-10-03T10:00:00Z", " 2026-10-03T10:00:00Z", "2026-W40-1T10:00:00Z")
_PERIODS = ("9999-12", "9999-W52", "9999-W53", "9999-12-31", "0001-01", "0001-W01", "0000-12",
            "10000-01", "2026-13", "2026-W00", "\u0662\u0660\u0662\u0666-\u0661\u0660",
            "2026-10 ", "2026-1", "2026-10-00", "")
_TEXTS = ("\x1b[31mred\x1b[0m", "\x00", "\ud800", "\udfff", "a\u2028b", "\u202eevil", "=cmd|' /C calc'!A0",
          "+1", "-1", "@SUM(1)", "\ttab", "AT&amp;T", "style x:y#z;", "<script>", '"', "\\", "x" * 70000)
_KEYS = ("metric", "event", "value", "period", "at", "unit", "n", "id", "sid", "$x", "", "\x00", "\ud800",
         "channel", "note")
_SCALAR_TEXT = st.sampled_from(_HUGE + _NON_FINITE + ("true", "null", "0", "-0.0", "1", "0.5"))
_STRING = st.sampled_from(_DATES + _PERIODS + _TEXTS) | st.text(max_size=12)


def _json_string(text: str) -> str:
    """Return ``text`` as a JSON string; lone surrogates are written as escapes."""
    return json.dumps(text, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8") \
        if not any(0xD800 <= ord(c) <= 0xDFFF for c in text) else json.dumps(text)


@st.composite
def _object_text(draw: st.DrawFn) -> str:
    """Draw a JSON object written by hand: keys may repeat, values may be huge or nested."""
    pairs = []
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.sampled_from(_KEYS) | st.text(max_size=4))
        value = draw(_SCALAR_TEXT | _STRING.map(_json_string) | _nested())
        pairs.append(f"{_json_string(key)}: {value}")
    return "{" + ", ".join(pairs) + "}"


def _nested() -> st.SearchStrategy[str]:
    return st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth) | st.integers(
        1, 3000).map(lambda depth: '{"a":' * depth + "1" + "}" * depth)


_RAW = st.binary(max_size=40).map(lambda b: b.replace(b"\n", b" "))


def fact_line_bytes() -> st.SearchStrategy[bytes]:
    """One hostile line of a fact file, as bytes without a newline."""
    text = (_object_text() | _nested() | st.sampled_from(["[", "]", "[1, 2]", "{", '{"a": 1} x', "null",
                                                          "\ufeff{}", "[{}]", "1e999"]))
    encoded = text.map(lambda t: t.encode("utf-8", "surrogatepass").replace(b"\n", b" "))
    with_bad_byte = st.tuples(encoded, st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]),
                              st.integers(0, 40)).map(lambda t: t[0][: t[2]] + t[1] + t[0][t[2]:])
    return encoded | with_bad_byte | _RAW


@st.composite
def valid_fact_line(draw: st.DrawFn, model: Model) -> str:
    """One fact line ``model`` accepts; an event may carry a note holding line separators."""
    signal = draw(st.sampled_from(sorted(model.signals.values(), key=lambda s: s.name)))
    if signal.kind is SignalKind.METRIC:
        low, high = signal.range or (0.0, 1.0)
        value = draw(st.floats(low, high, allow_nan=False, allow_infinity=False))
        period = draw(st.sampled_from(["2026-10", "2026-W40", "2026-10-03", "9999-12", "9999-W52"]))
        fact: dict[str, Any] = {"metric": signal.name, "value": value, "period": period}
    else:
        at = draw(st.sampled_from(["2026-10-03T10:00:00Z", "9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z"]))
        fact = {"event": signal.name, "at": at}
        if draw(st.booleans()):
            fact["note"] = draw(st.text(alphabet="ab " + "".join(SEPARATORS), max_size=6))
    return json.dumps(fact, ensure_ascii=False)


@st.composite
def record_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """Draw a records file (CSV or JSONL, named after a record type) with hostile rows."""
    kind = draw(st.sampled_from(["calls", "repairs", "complaints", "feedback", "deliveries", "counters",
                                 "customers", "records"]))
    columns = draw(st.lists(st.sampled_from(["received_at", "RECEIVED_AT", "answered_at", "abandoned",
                                             "rings", "opened_at", "closed_at", "ticket", "type", "period",
                                             "served", "date", "open", "total", "escalated", "customer",
                                             "resolved_at", "first_reply_at", "solved_at", "due", "delivered",
                                             "x"]), min_size=1, max_size=6))
    cells = st.sampled_from(_DATES + _PERIODS + _HUGE + _NON_FINITE + _TEXTS[:-1]
                            + ("yes", "no", "true", "1", "0", "R-1", "R-1", "")) | st.text(max_size=6)
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=len(columns) + 1), max_size=6))
    if draw(st.booleans()):
        delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
        lines = [delimiter.join(columns)] + [delimiter.join(row) for row in rows]
        name = f"{kind}.csv"
    else:
        lines = ["{" + ", ".join(f"{_json_string(c)}: {_json_string(v)}" for c, v in zip(columns, row,
                                                                                         strict=False)) + "}"
                 for row in rows]
        name = f"{kind}.jsonl"
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    extra = draw(st.lists(fact_line_bytes(), max_size=2))
    return name, b"\n".join([data, *extra])


@st.composite
def yaml_mutation(draw: st.DrawFn, files: dict[str, str]) -> tuple[str, str]:
    """Splice hostile YAML into one file of ``files``; return (file name, new text)."""
    name = draw(st.sampled_from(sorted(files)))
    lines = files[name].split("\n")
    at = draw(st.integers(0, len(lines)))
    snippet = draw(st.sampled_from([
        "x: " + "[" * 600 + "]" * 600,
        "x:\n" + "".join(" " * i + "- \n" for i in range(0, 400, 2)),
        "  weight: 1" + "0" * 400, "    count: 9223372036854775808", "  target: 1e999",
        "\x00", "\x1b[2J", "a: &x [1]\nb: *x", "a: !!python/object:os.system x", "<<: {a: 1}",
        "- id: " + "a" * 300, "  id: " + "a" * 300, "\t- tab", "? [complex, key]\n: v", "'unterminated",
        "x: 2026-10-03", "\ud800", "x: .nan", "x: .inf", "x: 0x" + "f" * 300, "x: {a: 1, a: 2}",
        "  range: [0, 1" + "0" * 400 + "]", "  fraction: -1" + "0" * 400,
    ]))
    new = "\n".join([*lines[:at], snippet, *lines[at:]])
    return name, new


def folder_entry() -> st.SearchStrategy[tuple[str, str]]:
    """Draw a hostile entry ``(kind, name)`` for `make_entry`."""
    kinds = st.sampled_from(["dir", "dangling", "loop", "fifo", "outside", "banner", "foreign", "tmp",
                             "inside"])
    names = st.sampled_from(["index.md", "raci.md", "raci.csv", "units/desk.md", "promises/service_ok.dot",
                             "x.yaml", "y.yml", "notes.md", "units", "promises", ".raci.md.abcd1234.tmp",
                             "units/gone.md"])
    return st.tuples(kinds, names)


def make_entry(folder: Path, kind: str, name: str, outside: Path) -> None:  # noqa: C901 - a branch per kind
    """Create ``folder/name`` as ``kind``; do nothing when ``name`` is taken already.

    Kinds: a folder, a symlink that leads nowhere, in a loop, to ``outside`` or to a file
    inside, a FIFO, a file with the generated banner, a user's file, or a temporary file.
    """
    path = folder / name
    if os.path.lexists(path):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:  # an earlier entry took the folder's name (a link, a file)
        return
    if kind == "dir":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(folder / "nowhere")
    elif kind == "loop":
        path.symlink_to(path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "outside":
        path.symlink_to(outside)
    elif kind == "inside":
        (folder / "mine.txt").write_text("mine\n", encoding="utf-8")
        path.symlink_to(folder / "mine.txt")
    elif kind == "banner":
        path.write_text("<!-- Generated by servresp docs -->\nmy own notes\n", encoding="utf-8")
    elif kind == "tmp":
        path.write_text("half a file", encoding="utf-8")
    else:
        path.write_text("a user's own file\n", encoding="utf-8")
