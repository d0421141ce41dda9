"""servresp.render.text: the trace report and the why answer for people, against golden files."""

from pathlib import Path

import pytest

import servresp
from golden import DATA, assert_golden
from servresp.errors import UnknownIdError
from servresp.render.text import render_report, render_why

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.jsonl"))
GOLDEN_MODEL = servresp.load_model(DATA / "golden_model")
GOLDEN_FACTS = "tests/data/golden_facts.jsonl"


def _report(model: servresp.Model, path: str) -> servresp.Report:
    return servresp.build_report(model, servresp.read_facts([path], model))


@pytest.fixture(autouse=True)
def _from_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # fact sources print as relative paths, the same on every machine


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_bundled_examples_render_as_their_golden_text(example: Path) -> None:
    model = servresp.load_default()
    assert_golden(f"trace_{example.stem}.txt", render_report(_report(model, f"examples/{example.name}")))


def test_every_part_of_a_trace_is_printed() -> None:
    """A breach, an aspiration, a fired rule, a standard with no data and the owners table."""
    text = render_report(_report(GOLDEN_MODEL, GOLDEN_FACTS))
    assert_golden("trace_golden_model.txt", text)
    breach = "  breach  calls_answered: call.answered_rate = 0.9 in 2026-10 (target >= 0.96, gap 0.0600)"
    assert breach in text
    assert "  aim     no_complaints: complaint.rate = 0.004 (aspiration == 0; reported, not a breach)" in text
    assert "  rule    desk.late_supplies fired on 2 fact(s)" in text
    assert "  no data callbacks_fast" in text


def test_accountable_and_responsible_units_are_named_apart() -> None:
    """Desk is accountable for desk.answer_calls, buyer does the work: both appear, each with its role."""
    report = _report(GOLDEN_MODEL, GOLDEN_FACTS)
    owners = {o.unit: o for o in report.trace_of("service_ok").owners}
    assert "accountable" in owners["desk"].roles
    assert "responsible" in owners["buyer"].roles
    assert "desk.answer_calls" in owners["buyer"].duties
    assert_golden("why_buyer.txt", render_why(report, "buyer", "service_ok"))
    assert_golden("why_desk.txt", render_why(report, "desk", "service_ok"))


def test_why_sentences_are_not_repeated() -> None:
    why = render_why(_report(GOLDEN_MODEL, GOLDEN_FACTS), "buyer", "service_ok").splitlines()
    assert len(why) == len(set(why))


def test_why_for_an_unknown_unit_is_refused() -> None:
    with pytest.raises(UnknownIdError):
        render_why(_report(GOLDEN_MODEL, GOLDEN_FACTS), "byuer", "service_ok")
