"""servresp.render.diff_text: a model diff as text, Markdown for a pull request, or JSON."""

from __future__ import annotations

import json

import attrs
import pytest

import servresp
from servresp.analysis.diff import diff_models
from servresp.model.classes import Model
from servresp.render.diff_text import STRINGS, render_diff

MODEL = servresp.load_default()


def raised() -> Model:
    standards = dict(MODEL.standards)
    standards["call_answer_ring3"] = attrs.evolve(standards["call_answer_ring3"], target=0.95)
    duty = MODEL.duties["top_management.consult_before_change"]
    text = attrs.evolve(duty.text, en="Ask | every department")
    duties = {**MODEL.duties, duty.id: attrs.evolve(duty, text=text)}
    return attrs.evolve(MODEL, standards=standards, duties=duties, graph=None, dependencies=None,
                        supports=None)


DIFF = diff_models(MODEL, raised(), old_label="main:rules", new_label="HEAD:rules")


def test_markdown_for_a_pull_request():
    """Markdown: a heading, the verdict in bold, one table per section, pipes escaped."""
    text = render_diff(DIFF, fmt="markdown")
    lines = text.splitlines()
    assert lines[0] == "## servresp diff: `main:rules` → `HEAD:rules`"
    assert "**❌ this change introduces 1 check error(s): `servresp check` would fail**" in lines
    assert "### targets (S3 feasibility against the baseline) (1)" in lines
    target = next(line for line in lines if line.startswith("| call_answer_ring3 |"))
    assert "| >= 0.95 (baseline 0.7), standard | infeasible |" in target
    assert any("Ask \\| every department" in line for line in lines)
    assert "### consult before merging (" in text


def test_text_and_chinese():
    """Text lists the same sections; --lang zh writes the headings in Chinese."""
    text = render_diff(DIFF)
    assert text.splitlines()[1] == "❌ this change introduces 1 check error(s): servresp check would fail"
    assert "  standards  call_answer_ring3  target  0.75  0.95" in text.splitlines()
    zh = render_diff(DIFF, lang="zh")
    assert "目标（按 S3 可行性对照现状判断）" in zh
    assert "不可行" in zh
    assert "客户服务部" in zh


def test_an_empty_diff_says_so():
    """Comparing a model with itself says there is no change, in each format."""
    same = diff_models(MODEL, MODEL, old_label="a", new_label="b")
    assert render_diff(same) == "servresp diff: a → b\nno change: the two models hold the same objects\n"
    assert "no change" in render_diff(same, fmt="markdown")
    assert json.loads(render_diff(same, fmt="json"))["summary"]["changed"] == 0


def test_json_and_tables():
    """JSON is the servresp.diff/1 document; both languages hold the same words."""
    assert json.loads(render_diff(DIFF, fmt="json")) == DIFF.to_dict()
    assert set(STRINGS["en"]) == set(STRINGS["zh"])
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render_diff(DIFF, fmt="html")
