"""Hostile fact files: only servresp's own errors escape, and every valid line is kept."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostile import CASES, fact_line_bytes, valid_fact_line
from servresp.errors import ServrespError
from servresp.evaluate.facts import read_facts
from servresp.model.load import load_default, load_model
from servresp.trace.report import build_report

MODELS = {"minimal": load_model(Path(__file__).parents[1] / "data" / "minimal"), "bundled": load_default()}


@st.composite
def _files(draw: st.DrawFn, model_name: str) -> tuple[bytes, set[int]]:
    """Draw a fact file of valid and hostile lines, and the numbers of the valid ones."""
    model = MODELS[model_name]
    lines, valid = [], set()
    for number in range(1, draw(st.integers(1, 12)) + 1):
        if draw(st.booleans()):
            lines.append(draw(valid_fact_line(model)).encode("utf-8"))
            valid.add(number)
        else:
            lines.append(draw(fact_line_bytes()))
    ending = draw(st.sampled_from([b"\n", b"\r\n"]))
    return ending.join(lines) + draw(st.sampled_from([b"", ending])), valid


@pytest.mark.parametrize("model_name", sorted(MODELS))
@given(data=st.data())
def test_fact_files_keep_every_valid_line_and_raise_nothing_else(tmp_path_factory: pytest.TempPathFactory,
                                                               model_name: str, data: st.DataObject) -> None:
    """Valid lines are facts at their own line number; the rest is rejected; the trace holds."""
    CASES["facts: read and trace a hostile fact file"] += 1
    content, valid = data.draw(_files(model_name))
    path = tmp_path_factory.mktemp("facts") / "f.jsonl"
    path.write_bytes(content)
    model = MODELS[model_name]
    facts = read_facts(path, model)
    kept = {f.line for f in facts.facts}
    first = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first != b"[":  # a leading JSON list is read as one document (docs/tracing.md)
        assert valid <= kept, (content, facts.rejected)
    assert all(p.line >= 0 and "\n" not in str(p) for p in facts.rejected)
    if facts.facts:
        try:
            report = build_report(model, facts)
        except ServrespError:
            return
        assert {t.promise for t in report.traces} == set(model.promises)
