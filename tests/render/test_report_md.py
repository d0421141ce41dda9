"""servresp.render.report_md: the monthly standards report as Markdown, against golden files."""

from pathlib import Path

import pytest

import servresp
from golden import DATA, assert_golden
from servresp.records.monthly import build_monthly
from servresp.render.report_md import render_report_md

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _from_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _markdown(model: servresp.Model, path: str) -> str:
    facts = servresp.read_facts([path], model)
    period = servresp.evaluate(model, facts).period
    return render_report_md(build_monthly(model, facts, period=period))


def test_special_characters_render_literally() -> None:
    """A standard's text with |, *, [ ] and HTML stays one cell and shows as written."""
    text = _markdown(servresp.load_model(DATA / "golden_model"), "tests/data/golden_facts.jsonl")
    assert_golden("report_golden_model.md", text)
    assert r"Calls \| answered \*in\* time &lt;b>\[x\]&lt;/b>" in text
    assert "<b>" not in text
    assert "| no_complaints (aspiration) |" in text
    assert "| callbacks_fast | service_ok | no data |" in text


@pytest.mark.parametrize("example", ["october", "service_broken", "product_broken", "healthy"])
def test_bundled_examples_render_as_their_golden_markdown(example: str) -> None:
    assert_golden(f"report_{example}.md", _markdown(servresp.load_default(), f"examples/{example}.jsonl"))
