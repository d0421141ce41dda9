"""Model files for a person to finish: comments above entries, values that read back unchanged."""

from hypothesis import given
from hypothesis import strategies as st

from servresp.interop._model_files import Entry, model_file
from servresp.model._yaml import parse_yaml

_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)))


@given(note=_TEXT, value=_TEXT)
def test_any_text_reads_back_and_notes_stay_comments(note: str, value: str) -> None:
    """Whatever a name holds, the value reads back as written and the note adds no key."""
    text = model_file(header=[note], sections=[("promises", [Entry({"id": "p", "en": value}, (note,))])])
    doc, problems = parse_yaml(text, name="f.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == {"promises": [{"id": "p", "en": value}]}


def test_empty_sections_are_left_out() -> None:
    """A section with no entry is not written."""
    assert "duties" not in model_file(header=["h"], unit={"id": "u"}, sections=[("duties", [])])
