"""Failure probabilities from the history of facts (smoothed shares), or from a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from servresp.analysis.history import (
    check_probabilities,
    history_periods,
    implicated_by_period,
    probabilities_from_history,
    read_probabilities,
)
from servresp.errors import FaultTreeError
from servresp.evaluate.engine import Engine
from servresp.evaluate.facts import parse_facts
from servresp.model.load import load_model

MINIMAL = Path(__file__).parents[1] / "data" / "minimal"
HISTORY = "\n".join(json.dumps(f) for f in [
    {"metric": "call.answered_rate", "value": 0.90, "period": "2026-08"},
    {"metric": "call.answered_rate", "value": 0.99, "period": "2026-09"},
    {"metric": "call.answered_rate", "value": 0.80, "period": "2026-10"},
    {"event": "supplier.late_delivery", "at": "2026-10-03T10:00:00Z"},
    {"event": "supplier.late_delivery", "at": "2026-10-09T10:00:00Z"},
])


def test_periods_and_what_each_implicates():
    """Each period on its own: the breach implicates the desk, two late deliveries the buyer."""
    model = load_model(MINIMAL)
    facts = parse_facts(HISTORY, model, source="history.jsonl")
    assert history_periods(facts) == ["2026-08", "2026-09", "2026-10"]
    assert implicated_by_period(model, facts) == {
        "2026-08": {"desk.answer_calls"},
        "2026-09": set(),
        "2026-10": {"desk.answer_calls", "buyer.buy_on_time"},
    }


def test_probabilities_are_laplace_smoothed_shares():
    """(periods implicated + 1) / (periods + 2): 3/5 for the desk, 2/5 the buyer, 1/5 the boss."""
    model = load_model(MINIMAL)
    facts = parse_facts(HISTORY, model, source="history.jsonl")
    assert probabilities_from_history(model, facts) == pytest.approx(
        {"boss.organise": 0.2, "buyer.buy_on_time": 0.4, "desk.answer_calls": 0.6})


def test_a_reused_engine_learns_as_a_fresh_one():
    """Passing a compiled engine (as the service does) gives the same probabilities, twice over."""
    model = load_model(MINIMAL)
    facts = parse_facts(HISTORY, model, source="history.jsonl")
    fresh = probabilities_from_history(model, facts)
    with Engine(model) as engine:
        assert probabilities_from_history(model, facts, engine=engine) == fresh
        assert probabilities_from_history(model, facts, engine=engine) == fresh


def test_no_history_gives_one_half():
    """With no period at all, every duty is as likely to fail as not."""
    model = load_model(MINIMAL)
    assert probabilities_from_history(model, parse_facts("", model, source="none.jsonl"),
                                      ["desk.answer_calls"]) == {"desk.answer_calls": 0.5}


def test_probability_file_is_read(tmp_path: Path):
    """A JSON object event → probability."""
    path = tmp_path / "p.json"
    path.write_text('{"a": 0.25, "b": 1}', encoding="utf-8")
    assert read_probabilities(path, ["a", "b"]) == {"a": 0.25, "b": 1.0}


def test_probability_file_problems_are_all_reported(tmp_path: Path):
    """Unknown events (with a suggestion) and values outside [0, 1], each named."""
    path = tmp_path / "p.json"
    path.write_text('{"desk.answer_call": 0.1, "boss.organise": 2, "buyer.buy_on_time": "x"}',
                    encoding="utf-8")
    with pytest.raises(FaultTreeError) as caught:
        read_probabilities(path, ["desk.answer_calls", "boss.organise", "buyer.buy_on_time"])
    assert [f"{p.path}: {p.message}" for p in caught.value.problems] == [
        "boss.organise: expected a probability from 0 to 1, found 2",
        "buyer.buy_on_time: expected a probability from 0 to 1, found 'x'",
        "desk.answer_call: unknown event 'desk.answer_call'; did you mean 'desk.answer_calls'?",
    ]


def test_probability_file_must_be_json(tmp_path: Path):
    """Not JSON: the line and what the parser said."""
    path = tmp_path / "p.json"
    path.write_text("{\n  'a': 1}", encoding="utf-8")
    with pytest.raises(FaultTreeError) as caught:
        read_probabilities(path, ["a"])
    assert str(caught.value) == f"{path}:2: not JSON: Expecting property name enclosed in double quotes"


def test_decoded_probabilities_are_checked_under_their_source():
    """check_probabilities: what a request sent, checked as a file is, named by its source."""
    assert check_probabilities({"a": 0}, ["a"]) == {"a": 0.0}
    with pytest.raises(FaultTreeError) as caught:
        check_probabilities([0.5], ["a"], source="body")
    assert str(caught.value) == 'body: expected an object {"event": probability, …}'
    with pytest.raises(FaultTreeError) as caught:
        check_probabilities({"a": True, "b": 0.1}, ["a"])
    assert [str(p) for p in caught.value.problems] == [
        "probabilities: a: expected a probability from 0 to 1, found True",
        "probabilities: b: unknown event 'b'",
    ]
