"""servresp.trace.readings: every standard's readings by period, and its published schema."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from servresp.evaluate.facts import parse_facts
from servresp.model.classes import Model, StandardStatus
from servresp.model.load import load_default
from servresp.trace.readings import readings, readings_to_dict, render_readings

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "readings.schema.json").read_text(encoding="utf-8"))
PERIODS = ("2026-08", "2026-09", "2026-10", "2026-W40", "2026-10-05")


@cache
def bundled() -> Model:
    return load_default()


def _parse(rows: list[dict[str, Any]]) -> Any:
    return parse_facts("\n".join(json.dumps(r) for r in rows), bundled(), source="t.jsonl")


@st.composite
def metric_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    metrics = sorted({s.metric for s in bundled().standards.values()})
    return draw(st.lists(st.fixed_dictionaries({
        "metric": st.sampled_from(metrics),
        "value": st.floats(0, 1, allow_nan=False),
        "period": st.sampled_from(PERIODS),
    }, optional={"n": st.integers(1, 500)}), max_size=20))


def test_the_example_month_reads_as_the_engine_judges_it() -> None:
    """october.jsonl: each standard has its one October reading; breached ones are the trace's."""
    model = bundled()
    facts = parse_facts((ROOT / "examples" / "october.jsonl").read_text(encoding="utf-8"), model,
                        source="october.jsonl")
    series = {item.standard.id: item.readings for item in readings(model, facts)}
    assert series["call_answer_ring2"][0].period == "2026-10"
    assert series["call_answer_ring2"][0].breached
    assert not series["call_answer_ring3"][0].breached
    assert series["call_answer_ring2"][0].n == 1180


@settings(max_examples=40)
@given(metric_rows())
def test_every_reading_is_listed_once_in_order_and_judged(rows: list[dict[str, Any]]) -> None:
    """A standard lists each period of its window once (the later line wins), oldest first."""
    model = bundled()
    series = readings(model, _parse(rows))
    assert [item.standard.id for item in series] == sorted(model.standards)
    for item in series:
        standard = item.standard
        expected: dict[str, dict[str, Any]] = {}
        for row in rows:
            if row["metric"] == standard.metric:
                expected[row["period"]] = row
        kinds = {"month": ("2026-08", "2026-09", "2026-10"), "week": ("2026-W40",), "day": ("2026-10-05",)}
        wanted = [p for p in kinds[str(standard.window)] if p in expected]
        assert [r.period for r in item.readings] == wanted
        for reading in item.readings:
            row = expected[reading.period]
            assert reading.value == row["value"]
            assert reading.n == row.get("n")
            missed = not standard.is_met(row["value"])
            assert reading.breached == (missed and standard.status is StandardStatus.STANDARD)


@settings(max_examples=25)
@given(metric_rows())
def test_the_document_validates_and_is_stable(rows: list[dict[str, Any]]) -> None:
    """The servresp.readings/1 document validates against its schema; same facts, same bytes."""
    facts = _parse(rows)
    document = readings_to_dict(readings(bundled(), facts))
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert render_readings(readings(bundled(), facts)) == render_readings(readings(bundled(), _parse(rows)))


def test_the_schema_is_valid() -> None:
    """docs/schema/readings.schema.json is a valid draft 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
