"""servresp.render.impact_text: an impact as text in English or Chinese, or as JSON."""

from __future__ import annotations

import json

import pytest

import servresp
from servresp.analysis.impact import impact
from servresp.render.impact_text import STRINGS, render_impact

MODEL = servresp.load_default()


def test_text_lists_people_with_reasons():
    """The text names each unit with its reasons, strongest first, and counts long lists."""
    text = render_impact(impact(MODEL, "customer_service.resolve_on_the_spot"))
    lines = text.splitlines()
    assert lines[0].startswith("impact of duty customer_service.resolve_on_the_spot — The people")
    assert "consult before the change (1):" in lines
    assert ("  customer_service (Customer service): accountable for "
            "customer_service.resolve_on_the_spot; responsible for "
            "customer_service.resolve_on_the_spot; owns downstream "
            "customer_service.handle_complaints") in lines
    management = next(line for line in lines if line.startswith("  top_management ("))
    assert "management above, through" in management
    assert "… (+" in management


def test_chinese_headings_and_model_texts():
    """--lang zh: Chinese headings, the subject's and units' Chinese texts."""
    text = render_impact(impact(MODEL, "call_answer_ring3"), lang="zh")
    standard = MODEL.standards["call_answer_ring3"]
    assert text.startswith(f"变更影响：标准 call_answer_ring3 — {standard.text.zh}")
    assert "变更前须征求意见（1）：" in text
    assert "customer_service (客户服务部): 负责（A）" in text
    assert "Customer service" not in text


def test_json_is_the_document_and_stable():
    """JSON output is the servresp.impact/1 document, sorted, with a final newline."""
    report = impact(MODEL, "hr")
    text = render_impact(report, fmt="json")
    assert json.loads(text) == report.to_dict()
    assert text.endswith("}\n")
    assert text == render_impact(impact(MODEL, "hr"), fmt="json")


def test_both_languages_have_every_word():
    """The English and Chinese tables hold the same keys; an unknown format is refused."""
    assert set(STRINGS["en"]) == set(STRINGS["zh"])
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render_impact(impact(MODEL, "hr"), fmt="xml")
