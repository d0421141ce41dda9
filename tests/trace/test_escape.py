"""The escape point: a breached promise's caught duty shares its mass with the barriers it passed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from servresp.evaluate.engine import evaluate
from servresp.evaluate.facts import parse_facts
from servresp.model.load import load_model
from servresp.trace.escape import ESCAPE_FRACTION, Escape, escape_points
from servresp.trace.tracer import trace

MINIMAL = Path(__file__).parents[1] / "data" / "minimal"


def _model_with_barrier(tmp_path: Path):
    """Load the minimal model with the buyer's duty catching the desk's failures."""
    folder = tmp_path / "rules"
    shutil.copytree(MINIMAL, folder)
    path = folder / "buyer.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    supports: [desk.answer_calls]\n",
                                 "    supports: [desk.answer_calls]\n    catches: [desk.answer_calls]\n", 1),
                    encoding="utf-8")
    return load_model(folder)


def _trace(model, facts: list[dict[str, object]]):
    read = parse_facts("\n".join(json.dumps(f) for f in facts), model, source="facts.jsonl")
    return trace(model, evaluate(model, read), "service_ok")


BREACH = {"metric": "call.answered_rate", "value": 0.90, "period": "2026-10"}


def test_points_split_the_fraction_over_barriers(tmp_path: Path):
    """One barrier: it takes ESCAPE_FRACTION of the caught duty's mass."""
    model = _model_with_barrier(tmp_path)
    assert escape_points(model, {"desk.answer_calls": 2.0, "boss.organise": 1.0}) == [
        Escape("desk.answer_calls", "buyer.buy_on_time", "buyer", ESCAPE_FRACTION * 2.0)]


def test_barrier_owner_shares_a_breach_as_escape(tmp_path: Path):
    """The desk's breach got past the buyer's barrier: the buyer takes its part as `escape`."""
    model = _model_with_barrier(tmp_path)
    result = _trace(model, [BREACH])
    owners = {o.unit: o for o in result.owners}
    buyer = owners["buyer"]
    assert "escape" in buyer.roles
    escape, rest = ESCAPE_FRACTION * result.mass, (1 - ESCAPE_FRACTION) * result.mass
    assert buyer.mass == pytest.approx(escape + rest * 1 / 6)  # and consulted: weight 1 of 3 + 2 + 1
    assert owners["desk"].mass == pytest.approx(rest * 5 / 6)
    assert "as the escape point it takes" in " ".join(buyer.why)
    assert sum(o.mass for o in result.owners) == pytest.approx(result.mass)


def test_no_escape_without_a_barrier():
    """Without catches, the buyer shares the same breach only as consulted."""
    model = load_model(MINIMAL)
    owners = {o.unit: o for o in _trace(model, [BREACH]).owners}
    assert owners["buyer"].roles == ("consulted",)


def test_no_escape_when_nothing_reached_the_customer(tmp_path: Path):
    """Rules fired but no standard breached (at risk): the barrier still stands, no escape."""
    model = _model_with_barrier(tmp_path)
    late = [{"event": "supplier.late_delivery", "at": f"2026-10-0{d}T10:00:00Z"} for d in (1, 2)]
    result = _trace(model, [{**BREACH, "value": 0.99}, *late])
    assert result.status == "at_risk"
    assert all("escape" not in o.roles for o in result.owners)
