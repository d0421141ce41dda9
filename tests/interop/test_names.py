"""Names made safe: ids, RFC 1123 labels and comment text, whatever the input."""

import re

from hypothesis import given
from hypothesis import strategies as st

from servresp.interop._names import MAX_ID, comment_text, rfc1123, safe_id


def test_names_become_ids_and_repeats_get_a_suffix() -> None:
    """Words fold to ASCII; digits first get the fallback; a taken id gets _2."""
    assert safe_id("Project Manager", fallback="unit") == "project_manager"
    assert safe_id("Équipe Qualité", fallback="unit") == "equipe_qualite"
    assert safe_id("2nd line", fallback="unit") == "unit_2nd_line"
    assert safe_id("任务", fallback="task_3") == "task_3"
    assert safe_id("sales", fallback="unit", taken={"sales"}) == "sales_2"
    assert safe_id("a__", fallback="unit") == "a__"  # already an id


@given(st.text(), st.sets(st.text(max_size=5), max_size=5))
def test_any_name_gives_a_valid_unused_id(name: str, taken: set[str]) -> None:
    """Every result matches the id pattern, fits MAX_ID and avoids the taken ids."""
    result = safe_id(name, fallback="unit", taken=taken)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", result)
    assert len(result) <= MAX_ID
    assert result not in taken
    label = rfc1123(name, fallback="x", taken=taken)
    assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", label)
    assert len(label) <= 63


@given(st.text())
def test_comment_text_is_one_safe_line(text: str) -> None:
    """No line break, no control character, at most 200 characters and an ellipsis."""
    line = comment_text(text)
    assert not any(c in line for c in "\n\r\x85\u2028\u2029\x00")
    assert len(line) <= 200 * 6 + 1
