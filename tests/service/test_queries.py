"""servresp.service.queries: the answers the API and MCP share, against the library's own."""

from __future__ import annotations

import json
from functools import cache

import pytest
from hypothesis import given, settings

from servresp.errors import FactError
from servresp.evaluate.engine import Engine
from servresp.evaluate.facts import parse_facts
from servresp.model.classes import Model
from servresp.model.load import load_default
from servresp.service import queries
from servresp.trace.report import build_report
from strategies import facts_for


@cache
def bundled() -> Model:
    return load_default()


@cache
def engine() -> Engine:
    return Engine(bundled())


@settings(max_examples=15)
@given(facts_for(bundled(), max_size=10))
def test_a_reused_engine_traces_as_a_fresh_one(rows: list[dict[str, object]]) -> None:
    """trace_json on the service's reused engine gives build_report's bytes; why agrees on shares."""
    text = "\n".join(json.dumps(r) for r in rows)
    facts = parse_facts(text, bundled(), source="-")
    if not facts.facts:
        with pytest.raises(FactError):
            queries.read_facts_text(bundled(), text, fmt="jsonl")
        return
    expected = build_report(bundled(), facts)
    assert queries.trace_json(engine(), facts) == expected.to_json()
    for item in expected.traces:
        for owner in item.owners[:2]:
            why = json.loads(queries.why_json(engine(), facts, unit=owner.unit, promise=item.promise))
            assert (why["role"], why["share"]) == ("owner", owner.share)


def test_too_many_facts_are_refused_before_evaluating() -> None:
    """More fact lines than the cap: TooManyFacts naming the count and the limit."""
    line = json.dumps({"metric": "complaint.rate", "value": 0.01, "period": "2026-10"})
    with pytest.raises(queries.TooManyFacts, match="3 facts in one request; the limit is 2"):
        queries.read_facts_text(bundled(), "\n".join([line] * 3), fmt="jsonl", max_facts=2)
