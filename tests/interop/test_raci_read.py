"""Reading RACI matrices: letters in a cell, tables in Markdown, CSV records, workbook sheets."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from servresp.interop.raci_read import parse_letters, read_matrices, unquote


@pytest.mark.parametrize(("cell", "letters"), [
    ("A/R", ("A", "R")), ("A / R", ("A", "R")), ("C/I", ("C", "I")), ("R, C", ("R", "C")),
    ("**A**", ("A",)), ("S", ("S",)), ("ar", ("A", "R")), ("", ()), ("-", ()), ("—", ()),
])
def test_cells_hold_one_or_more_letters(cell: str, letters: tuple[str, ...]) -> None:
    """A/R, A / R, R, C and RASCI's S are read; blanks and dashes hold no role."""
    assert parse_letters(cell) == (letters, ())


def test_unknown_letters_are_kept_and_words_are_not_letters() -> None:
    """X is an unknown letter; 'Responsible' or 'No' is text, not a role cell."""
    assert parse_letters("X") == ((), ("X",))
    assert parse_letters("A/P") == (("A",), ("P",))
    assert parse_letters("Responsible") is None
    assert parse_letters("No") is None


@given(st.text())
def test_any_cell_text_is_read_without_crashing(text: str) -> None:
    """Whatever a cell holds, parsing returns letters, unknown tokens, or None."""
    parsed = parse_letters(text)
    assert parsed is None or all(len(t) == 1 for t in parsed[0] + parsed[1])


def test_the_legend_table_is_ignored_and_section_rows_skipped(data: Path) -> None:
    """Only the matrix is read from the document; bold phase rows are headings, not tasks."""
    matrices, problems = read_matrices(data / "raci" / "website_launch.md")
    assert problems == []
    assert len(matrices) == 1
    names = [t.name.text for t in matrices[0].tasks]
    assert "**Planning**" not in names
    assert names[0] == "Define project scope"
    assert matrices[0].tasks[0].name.line == 20
    assert [c.text for c in matrices[0].header][:2] == ["Project Sponsor", "Project Manager"]


def test_csv_lines_count_from_the_record_start(tmp_path: Path) -> None:
    """A quoted cell spanning lines does not shift the next record's line."""
    path = tmp_path / "m.csv"
    path.write_text('Task,Ops,Dev\n"two\nlines",A,R\nNext,A,R\n', encoding="utf-8")
    matrices, _ = read_matrices(path)
    assert [t.name.line for t in matrices[0].tasks] == [2, 4]


def test_every_sheet_is_read_or_only_the_one_asked(tmp_path: Path) -> None:
    """Cells are named with their sheet when several are read; --sheet picks one."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Ops"
    first.append(["Task", "Ops", "Dev"])
    first.append(["Deploy", "A", "R"])
    second = book.create_sheet("Dev")
    second.append(["Task", "Ops", "Dev"])
    second.append(["Build", "I", "A/R"])
    path = tmp_path / "m.xlsx"
    book.save(path)
    both, _ = read_matrices(path)
    assert [t.name.ref for m in both for t in m.tasks] == ["Ops!A2", "Dev!A2"]
    one, _ = read_matrices(path, sheet="Dev")
    assert [t.name.ref for m in one for t in m.tasks] == ["A2"]
    _, problems = read_matrices(path, sheet="QA")
    assert "no sheet 'QA'" in problems[0].message


def test_unreadable_files_are_problems_not_crashes(tmp_path: Path) -> None:
    """A broken workbook, bad UTF-8 and a file without a matrix each give one problem."""
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    (tmp_path / "bad.csv").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "none.md").write_text("# nothing here\n", encoding="utf-8")
    for name, words in (("bad.xlsx", "not a readable XLSX"), ("bad.csv", "not UTF-8"),
                        ("none.md", "no RACI matrix found")):
        matrices, problems = read_matrices(tmp_path / name)
        assert matrices == []
        assert words in problems[0].message


def test_unquote_undoes_formula_neutralising_only() -> None:
    """'=SUM(A1) reads as =SUM(A1); an ordinary apostrophe stays."""
    assert unquote("'=SUM(A1)") == "=SUM(A1)"
    assert unquote("'tis") == "'tis"
