"""servresp.cli trace and why: exit codes, rejected lines on stderr, JSON for tools, sentences."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servresp.cli import main

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = "tests/data/minimal"
FACTS = "tests/data/facts"
RATE = "call.answered_rate"
LATE = "supplier.late_delivery"


@pytest.fixture(autouse=True)
def _in_the_checkout(monkeypatch):
    """Run every command from the repository root, so relative paths print as given."""
    monkeypatch.chdir(ROOT)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def trace_json(*argv: str) -> dict[str, Any]:
    code, out, _ = run("trace", *argv, "--format", "json")
    assert code == 0
    document: dict[str, Any] = json.loads(out)
    return document


def traced(document: dict[str, Any], promise: str) -> dict[str, Any]:
    return next(t for t in document["traces"] if t["promise"] == promise)


# --------------------------------------------------------------------------- trace


def test_trace_text_report():
    """The trace command prints each promise's status, breaches and ranked owners, and exits 0."""
    code, out, err = run("trace", "--facts", "examples/product_broken.jsonl")
    assert (code, err) == (0, "")
    head = "servresp trace — model rules, period 2026-10\nfacts: 17 read, 0 rejected, 0 unknown\n"
    assert out.startswith(head)
    assert "product_works: BREACHED — " in out
    breach = ("  breach  product_defect_rate: product.defect_rate = 0.045 in 2026-10 "
              "(target <= 0.02, gap 0.0250)")
    assert breach in out.splitlines()
    assert "service_as_promised: ok — " in out
    assert "purchasing" in out


def test_trace_json_for_tools():
    """--format json prints the servresp.trace/1 document for every promise."""
    document = trace_json("--facts", "examples/product_broken.jsonl")
    assert document["schema"] == "servresp.trace/1"
    assert {t["promise"]: t["status"] for t in document["traces"]} == {
        "commitment_kept": "ok", "product_works": "breached", "service_as_promised": "ok"}


def test_trace_one_promise():
    """A PROMISE argument traces that promise only."""
    document = trace_json("product_works", "--facts", "examples/product_broken.jsonl")
    assert [t["promise"] for t in document["traces"]] == ["product_works"]


@pytest.mark.parametrize(("example", "code"), [
    ("product_broken", 1), ("service_broken", 1), ("commitment_broken", 1), ("october", 1), ("healthy", 0),
])
def test_fail_on_breached(example, code):
    """--fail-on breached exits 1 when a promise is breached, 0 when none is."""
    assert run("trace", "--facts", f"examples/{example}.jsonl", "--fail-on", "breached")[0] == code


def test_fail_on_at_risk():
    """--fail-on at_risk also exits 1 on a promise that is only at risk; breached ignores it."""
    facts = f"{FACTS}/at_risk.jsonl"
    assert traced(trace_json("--facts", facts, "--rules", MINIMAL), "service_ok")["status"] == "at_risk"
    assert run("trace", "--facts", facts, "--rules", MINIMAL, "--fail-on", "at_risk")[0] == 1
    assert run("trace", "--facts", facts, "--rules", MINIMAL, "--fail-on", "breached")[0] == 0
    assert run("trace", "--facts", facts, "--rules", MINIMAL)[0] == 0
    assert run("trace", "--facts", "examples/healthy.jsonl", "--fail-on", "at_risk")[0] == 0
    # at_risk means "at risk or worse": a breached promise fails it too
    assert run("trace", "--facts", "examples/product_broken.jsonl", "--fail-on", "at_risk")[0] == 1


def test_rejected_lines_go_to_stderr_and_the_rest_is_traced():
    """Malformed lines are printed one a line on stderr; the rest is traced and the exit is 0."""
    code, out, err = run("trace", "--facts", "examples/bad_lines.jsonl", "--format", "json")
    assert code == 0
    assert err.splitlines() == [
        "rejected: examples/bad_lines.jsonl:2: not valid JSON (Expecting ',' delimiter)",
        "rejected: examples/bad_lines.jsonl:3: value: not a finite number",
        ("rejected: examples/bad_lines.jsonl:4: value: 1.5 is outside the range [0, 1] "
         "of repair.same_day_rate"),
        "rejected: examples/bad_lines.jsonl:5: value: missing field 'value'",
        "rejected: examples/bad_lines.jsonl:6: id: 'id' is reserved by the rules engine (rename the field)",
        ("unknown: examples/bad_lines.jsonl:7: metric 'call.answerd_by_ring2_rate'; "
         "did you mean 'call.answered_by_ring2_rate'?"),
    ]
    document = json.loads(out)
    assert [r["line"] for r in document["facts"]["rejected"]] == [2, 3, 4, 5, 6]
    assert document["facts"]["read"] == 9


def test_duplicate_readings_warn_on_stderr():
    """A later file's reading of the same metric and period wins, with a warning line."""
    code, _, err = run("trace", "--facts", "examples/october.jsonl", "examples/healthy.jsonl")
    assert code == 0
    assert ("warning: examples/healthy.jsonl:1: value: call.answered_by_ring2_rate for 2026-10 was already "
            "given at examples/october.jsonl:1; this later value wins") in err.splitlines()


def test_period_option():
    """--period evaluates that period: October's facts say nothing about September."""
    document = trace_json("--facts", "examples/october.jsonl", "--period", "2026-09")
    assert document["period"] == "2026-09"
    assert {t["status"] for t in document["traces"]} == {"no_data"}  # nothing read of 2026-09


def test_facts_from_stdin(monkeypatch):
    """--facts - reads standard input."""
    monkeypatch.setattr("sys.stdin", io.StringIO(Path(FACTS, "breach.jsonl").read_text(encoding="utf-8")))
    document = trace_json("--facts", "-", "--rules", MINIMAL)
    assert traced(document, "service_ok")["status"] == "breached"
    assert traced(document, "service_ok")["breaches"][0]["fact"]["source"] == "-"


def test_csv_and_json_files():
    """CSV and JSON fact files are traced like JSONL."""
    document = trace_json("--facts", f"{FACTS}/facts.csv", f"{FACTS}/list.json", "--rules", MINIMAL)
    assert traced(document, "service_ok")["status"] == "breached"
    sources = {r["source"] for r in document["facts"]["rejected"]}
    assert sources == {f"{FACTS}/facts.csv", f"{FACTS}/list.json"}


@pytest.mark.parametrize(("argv", "message"), [
    (["trace", "--facts", "examples/missing.jsonl"],
     "error: examples/missing.jsonl: cannot read facts: No such file or directory"),
    (["trace", "servce_as_promised", "--facts", "examples/october.jsonl"],
     "error: unknown promise 'servce_as_promised'; did you mean 'service_as_promised'?"),
    (["trace", "--facts", "examples/october.jsonl", "--period", "2026-13"],
     "error: --period: '2026-13' is not a period; write YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    (["trace", "--facts", "examples/october.jsonl", "--rules", "tests/data/nowhere"],
     "tests/data/nowhere: error SR000 no such rules folder (hint: pass --rules DIR)"),
    (["trace", "--facts"], "servresp trace: error: argument --facts: expected at least one argument"),
    (["trace", "--facts", "examples/october.jsonl", "--format", "yaml"],
     "servresp trace: error: argument --format: invalid choice: 'yaml' (choose from 'text', 'json')"),
    (["why", "nobody", "product_works", "--facts", "examples/healthy.jsonl"], "error: unknown unit 'nobody'"),
    (["why", "sales", "product_work", "--facts", "examples/healthy.jsonl"],
     "error: unknown promise 'product_work'; did you mean 'product_works'?"),
])
def test_usage_and_input_errors_exit_2(argv, message):
    """Nothing evaluated: one clear error line on stderr, nothing on stdout, exit 2."""
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == message


def test_no_readable_fact_exits_2():
    """A file with no readable fact reports each line, then fails with exit 2."""
    code, out, err = run("trace", "--facts", f"{FACTS}/unreadable.jsonl", "--rules", MINIMAL)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"rejected: {FACTS}/unreadable.jsonl:1: value: not a finite number",
        f"rejected: {FACTS}/unreadable.jsonl:2: not valid JSON (Expecting value)",
        (f"unknown: {FACTS}/unreadable.jsonl:3: metric 'call.answerd_rate'; "
         "did you mean 'call.answered_rate'?"),
        f"error: {FACTS}/unreadable.jsonl: no readable fact to evaluate",
    ]


def test_help_exits_0():
    """--help is not an error."""
    with mock.patch("sys.stdout", io.StringIO()):
        assert run("trace", "--help")[0] == 0


# --------------------------------------------------------------------------- why


def test_why_for_an_owner():
    """Why UNIT PROMISE, for an owner: its share and roles, every why sentence and its paths."""
    owner = traced(trace_json("--facts", "examples/product_broken.jsonl"), "product_works")["owners"][0]
    assert owner["unit"] == "purchasing"
    code, out, err = run("why", "purchasing", "product_works", "--facts", "examples/product_broken.jsonl")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (f"purchasing shares product_works (breached) at {owner['share']:.2%}, as "
                        f"{', '.join(owner['roles'])} on {', '.join(owner['duties'])}.")
    assert lines[1:1 + len(owner["why"])] == [f"- {w}" for w in owner["why"]]
    assert lines[1 + len(owner["why"]):] == [f"  path: {' → '.join(p)}" for p in owner["paths"]]


def test_why_for_a_candidate():
    """Why, for a candidate: no share, and what would implicate it."""
    item = traced(trace_json("--facts", "examples/product_broken.jsonl"), "product_works")
    candidate = next(c for c in item["candidates"] if c["would_implicate"])
    code, out, _ = run("why", candidate["unit"], "product_works", "--facts", "examples/product_broken.jsonl")
    assert code == 0
    assert out == "\n".join([f"{candidate['unit']} has no share of product_works (breached).",
                             *(f"- {w}" for w in candidate["why"])]) + "\n"
    assert "it would take a share if rule " in out


def test_why_for_an_uninvolved_unit():
    """Why, for a unit with no role, supply or management link: says so."""
    item = traced(trace_json("--facts", "examples/product_broken.jsonl"), "product_works")
    involved = {o["unit"] for o in item["owners"]} | {c["unit"] for c in item["candidates"]}
    assert "marketing" not in involved
    code, out, _ = run("why", "marketing", "product_works", "--facts", "examples/product_broken.jsonl")
    assert code == 0
    assert out == ("marketing has no share of product_works (breached): it holds no role on an implicated "
                   "duty, no duty of it supplies one, and it is not a management tier above one.\n")


def test_why_when_the_promise_is_ok():
    """Why, on a healthy promise says it is ok in the period."""
    code, out, _ = run("why", "sales", "product_works", "--facts", "examples/healthy.jsonl")
    assert (code, out) == (0, "sales has no share: product_works is ok in 2026-10.\n")


def test_why_for_top_management():
    """Top management always answers for a breached promise (S0), as management."""
    code, out, _ = run("why", "top_management", "service_as_promised", "--facts",
                       "examples/service_broken.jsonl")
    assert code == 0
    assert out.startswith("top_management shares service_as_promised (breached) at ")
    assert "management" in out.splitlines()[0]


# --------------------------------------------------------------------------- fuzzing


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_FIELDS = st.fixed_dictionaries({}, optional={
    "metric": st.sampled_from([RATE, "call.answerd_rate", ""]) | st.text(max_size=5),
    "event": st.sampled_from([LATE, "supplier.lat_delivery"]) | _JSON,
    "value": st.floats() | st.integers() | st.sampled_from([0.5, 0.99, "0.5"]),
    "period": st.sampled_from(["2026-10", "2026-W44", "2026-10-03", "2026-13", "9999-12-31"]) | _JSON,
    "at": st.sampled_from(["2026-10-03T10:00:00Z", "2026-10-03T10:00:00", "0001-01-01T00:00:00+01:00"])
    | _JSON,
    "unit": st.sampled_from(["desk", "buyer", "ghost"]) | _JSON,
    "n": st.integers(-2, 5) | _JSON,
    "critical": _JSON,
    "id": st.integers(),
})
_ANY_KEYS = st.dictionaries(st.text(max_size=4), _JSON, max_size=3)
_LINES = st.lists(st.text(max_size=30) | _JSON.map(json.dumps)
                  | st.builds(lambda a, b: json.dumps(a | b), _FIELDS, _ANY_KEYS), max_size=6)


@settings(max_examples=30)
@given(_LINES, st.sampled_from(["\n", "\r\n"]))
def test_fuzzed_fact_lines_never_raise(lines, newline):
    """Whatever the fact lines, trace returns 0 or 2 and every stderr line is a report, never a traceback."""
    with mock.patch("sys.stdin", io.StringIO(newline.join(lines))):
        code, out, err = run("trace", "--facts", "-", "--rules", MINIMAL, "--format", "json")
    assert code in (0, 2)
    prefixes = ("rejected: ", "unknown: ", "warning: ", "error: ")
    assert all(line.startswith(prefixes) for line in err.splitlines()), err
    if code == 0:
        assert json.loads(out)["schema"] == "servresp.trace/1"
        out.encode("utf-8")


def _cyclic_model(tmp_path: Path) -> Path:
    """Copy the minimal model with a supports cycle: it loads, and `check` finds SR104."""
    import shutil  # noqa: PLC0415 - only here

    folder = tmp_path / "model"
    shutil.copytree(MINIMAL, folder)
    desk = folder / "desk.yaml"
    text = desk.read_text(encoding="utf-8")
    desk.write_text(text.replace("supports: [service_ok]", "supports: [service_ok, boss.organise]"),
                    encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", ["trace", "why", "report"])
def test_a_model_check_finds_errors_in_is_refused(tmp_path: Path, command: str):
    """Issue 13: trace, why and report refuse a model with check errors, unless --no-check."""
    folder = str(_cyclic_model(tmp_path))
    head = ["why", "desk", "service_ok"] if command == "why" else [command]
    argv = [*head, "--facts", f"{MINIMAL}/../facts/breach.jsonl", "--rules", folder]
    status, out, err = run(*argv)
    assert (status, out) == (2, "")
    assert "error SR104" in err
    assert "pass --no-check" in err.splitlines()[-1]
    status, out, _ = run(*argv, "--no-check")
    assert status == 0
    assert out


def test_watch_refuses_a_model_check_finds_errors_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = str(_cyclic_model(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status, _, err = run("watch", "--rules", folder)
    assert status == 2
    assert "error SR104" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run("watch", "--rules", folder, "--no-check")[0] == 0
