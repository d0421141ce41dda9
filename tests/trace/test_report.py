"""servresp.report: the servresp.trace/1 document, its published JSON Schema, and stable bytes."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from servresp.errors import UnknownIdError
from servresp.evaluate.facts import FactSet, parse_facts, read_facts
from servresp.model.classes import Model
from servresp.model.load import load_default, load_model
from servresp.trace.report import SCHEMA, Report, build_report
from strategies import facts_for, models

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parents[1] / "data"
FACTS = DATA / "facts"
EXAMPLES = sorted((ROOT / "examples").glob("*.jsonl"))
SCHEMA_FILE = ROOT / "docs" / "schema" / "trace.schema.json"


@cache
def minimal() -> Model:
    return load_model(DATA / "minimal")


@cache
def bundled() -> Model:
    return load_default()


@cache
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def problems(document: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(document)]


def report_of(model: Model, paths: Sequence[Path], **options: Any) -> Report:
    return build_report(model, read_facts(paths, model), **options)


# --------------------------------------------------------------------------- the schema


def test_schema_is_valid_draft_2020_12():
    """docs/schema/trace.schema.json is itself a valid draft 2020-12 schema for servresp.trace/1."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"] == {"const": SCHEMA}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_validates(example):
    """The JSON of each bundled example validates against the published schema."""
    document = json.loads(report_of(bundled(), [example]).to_json())
    assert problems(document) == []


def test_all_examples_together_validate():
    """All examples read at once (duplicates, rejections, unknowns, warnings) still validate."""
    document = json.loads(report_of(bundled(), EXAMPLES).to_json())
    assert document["facts"]["rejected"]
    assert document["facts"]["unknown"]
    assert document["facts"]["warnings"]
    assert problems(document) == []


def test_minimal_and_file_formats_validate():
    """Reports over JSON, CSV and JSONL fixtures of the minimal model validate."""
    files = [FACTS / n for n in ("one.json", "list.json", "facts.csv", "bad.jsonl", "breach.jsonl")]
    document = json.loads(report_of(minimal(), files).to_json())
    assert problems(document) == []


def test_empty_report_validates():
    """No facts at all: period null, every trace ok, still a valid document."""
    document = build_report(minimal(), FactSet(())).to_dict()
    assert document["period"] is None
    assert problems(document) == []


@pytest.mark.parametrize(("path", "value"), [
    (("extra",), 1),
    (("traces", 0, "status"), "broken"),
    (("traces", 0, "breaches", 0, "gap"), 0),
    (("traces", 0, "breaches", 0, "comparator"), "=>"),
    (("traces", 0, "owners", 0, "share"), 1.5),
    (("traces", 0, "owners", 0, "roles"), ["boss"]),
    (("traces", 0, "owners", 0, "evidence", 0, "kind"), "hunch"),
    (("traces", 0, "owners", 0, "nickname"), "x"),
    (("traces", 0, "candidates", 0, "share"), 0.1),
    (("traces", 0, "fired_rules", 0, "facts", 0, "id"), 7),
    (("facts", "rejected"), [{"source": "f", "line": 1, "message": "m"}]),
    (("facts", "unknown"), [{"source": "f", "line": 1, "kind": "thing", "name": "x", "suggestion": None}]),
    (("schema",), "servresp.trace/2"),
])
def test_schema_refuses_what_the_contract_forbids(path, value):
    """A document with one field wrong or one field too many does not validate."""
    document = copy.deepcopy(report_of(minimal(), [FACTS / "breach.jsonl"]).to_dict())
    assert problems(document) == []
    target: Any = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert problems(document) != []


@settings(max_examples=25, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data())
def test_generated_reports_validate(data):
    """Reports over generated models and facts validate against the schema."""
    model = data.draw(models())
    rows = data.draw(facts_for(model))
    facts = parse_facts("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), model, source="g.jsonl")
    report = build_report(model, facts)
    assume(all(b.gap > 0 for b in (*report.evaluation.breaches, *report.evaluation.aspirations)))
    document = json.loads(report.to_json())
    assert problems(document) == []


def test_strict_standard_missed_at_its_target(tmp_path):
    """calls_answered > 0.96 read at 0.96 is a breach with a positive gap and owners."""
    folder = tmp_path / "strict"
    shutil.copytree(DATA / "minimal", folder)
    text = (folder / "sources.yaml").read_text(encoding="utf-8")
    text = text.replace('comparator: ">="', 'comparator: ">"')
    (folder / "sources.yaml").write_text(text, encoding="utf-8")
    model = load_model(folder)
    facts = parse_facts('{"metric": "call.answered_rate", "value": 0.96, "period": "2026-10"}', model,
                        source="f.jsonl")
    document = build_report(model, facts).to_dict()
    assert document["traces"][0]["status"] == "breached"
    assert document["traces"][0]["owners"]
    assert problems(document) == []


# --------------------------------------------------------------------------- the document


def test_document_envelope():
    """The envelope names the schema, the model's counts, the period and what was read."""
    report = report_of(minimal(), [FACTS / "bad.jsonl"])
    document = report.to_dict()
    assert document["schema"] == "servresp.trace/1"
    assert document["model"] == {"name": "minimal", "units": 3, "duties": 3, "promises": 1,
                                 "standards": 1, "rules": 1}
    assert document["period"] == "2026-10"
    assert document["facts"]["read"] == 18
    assert document["facts"]["rejected"][5] == {
        "source": str(FACTS / "bad.jsonl"), "line": 7, "field": "period",
        "message": "missing field 'period' (e.g. 2026-10)"}
    assert document["facts"]["unknown"] == [{
        "source": str(FACTS / "bad.jsonl"), "line": 16, "kind": "metric", "name": "call.answerd_rate",
        "suggestion": "call.answered_rate"}]
    assert [t["promise"] for t in document["traces"]] == ["service_ok"]


def test_duplicate_warning_is_in_the_document():
    """The engine's later-line-wins warning is listed with the reader's warnings."""
    model = minimal()
    text = ('{"metric": "call.answered_rate", "value": 0.9, "period": "2026-10", "unit": "ghost"}\n'
            '{"metric": "call.answered_rate", "value": 0.97, "period": "2026-10"}\n')
    document = build_report(model, parse_facts(text, model, source="f.jsonl")).to_dict()
    assert [(w["line"], w["field"]) for w in document["facts"]["warnings"]] == [(1, "unit"), (2, "value")]


def test_breach_and_owner_numbers():
    """A breach carries actual, target, comparator, gap, burn and budget; owners their share and mass."""
    document = report_of(minimal(), [FACTS / "breach.jsonl"]).to_dict()
    [item] = document["traces"]
    [breach] = item["breaches"]
    keys = ("standard", "actual", "target", "comparator", "gap", "burn", "budget")
    assert {k: breach[k] for k in keys} == {
        "standard": "calls_answered", "actual": 0.9, "target": 0.96, "comparator": ">=", "gap": 0.06,
        "burn": 1.5, "budget": 0.04}
    assert [(o["unit"], o["share"], o["mass"]) for o in item["owners"]] == [
        ("buyer", 0.6875, 1.375), ("desk", 0.3125, 0.625)]
    assert item["mass"] == 2.0


def test_tiny_gap_stays_positive():
    """A reading a hair below its target is a breach with a positive gap, and owners a positive mass."""
    model = minimal()
    facts = parse_facts('{"metric": "call.answered_rate", "value": 0.9599999, "period": "2026-10"}',
                        model, source="f.jsonl")
    [item] = build_report(model, facts).to_dict()["traces"]
    assert item["breaches"][0]["gap"] > 0
    assert all(o["mass"] > 0 for o in item["owners"])
    assert problems(build_report(model, facts).to_dict()) == []


def test_promises_and_period_options():
    """build_report traces only the promises asked for, at the period asked for."""
    model = bundled()
    facts = read_facts([ROOT / "examples" / "october.jsonl"], model)
    report = build_report(model, facts, promises=["product_works"], period="2026-09")
    assert [t.promise for t in report.traces] == ["product_works"]
    assert report.evaluation.period == "2026-09"
    assert report.trace_of("product_works").status == "no_data"  # no reading of 2026-09 (issue 13)


def test_to_json_is_sorted_indented_and_ends_with_a_newline():
    """to_json is json.dumps(to_dict(), sort_keys, indent=2, ensure_ascii=False) plus a newline."""
    model = minimal()
    text = ('{"event": "supplier.late_delivery", "at": "2026-10-01T00:00:00Z", "供应商": "华信"}\n'
            '{"event": "supplier.late_delivery", "at": "2026-10-02T00:00:00Z"}')
    facts = parse_facts(text, model, source="事实.jsonl")
    report = build_report(model, facts)
    text = report.to_json()
    orders: list[list[str]] = []
    json.loads(text, object_pairs_hook=lambda pairs: orders.append([k for k, _ in pairs]) or dict(pairs))
    assert orders
    assert all(keys == sorted(keys) for keys in orders)  # every object's keys, in sorted order
    assert text.endswith("}\n")
    assert text.startswith('{\n  "')  # indented by two spaces
    assert not any(line.startswith(" " * 3) and not line.startswith(" " * 4) for line in text.splitlines())
    assert "\\u" not in text  # not ASCII-escaped
    assert "华信" in text
    assert "事实.jsonl" in text


def test_same_input_same_bytes_in_process():
    """Two reports of the same input are byte-identical."""
    paths = [ROOT / "examples" / "october.jsonl", ROOT / "examples" / "bad_lines.jsonl"]
    assert report_of(bundled(), paths).to_json() == report_of(bundled(), paths).to_json()


def _cli_json(seed: str) -> tuple[bytes, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    command = [sys.executable, "-m", "servresp", "trace", "--format", "json", "--facts",
               *(str(p.relative_to(ROOT)) for p in EXAMPLES)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout, done.stderr


def test_same_bytes_whatever_the_hash_seed():
    """The CLI's JSON (and its stderr) are byte-identical under PYTHONHASHSEED=0 and =123."""
    first, second = _cli_json("0"), _cli_json("123")
    assert first == second
    assert json.loads(first[0])["schema"] == SCHEMA


# --------------------------------------------------------------------------- found by mutation testing


def test_a_problem_without_a_hint_gets_no_empty_brackets():
    """The message gains `` (hint)`` only when there is a hint (docs/testing.md)."""
    rejected = report_of(minimal(), [FACTS / "bad.jsonl"]).to_dict()["facts"]["rejected"]
    assert [r["message"] for r in rejected[:2]] == [
        "not valid JSON (Expecting ',' delimiter)", "not a finite number"]
def test_trace_of_an_untraced_promise_is_an_unknown_id() -> None:
    """``Report.trace_of`` names the promise (and a close one) instead of a bare StopIteration."""
    model = load_default()
    facts = parse_facts((ROOT / "examples" / "october.jsonl").read_text(encoding="utf-8"), model, source="f")
    report = build_report(model, facts, promises=["service_as_promised"])
    with pytest.raises(UnknownIdError, match="unknown traced promise 'product_works'"):
        report.trace_of("product_works")
