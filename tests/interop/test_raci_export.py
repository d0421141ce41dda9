"""The model's RACI matrix as XLSX, CSV and Markdown: frozen header, sheets, colours, no formulas."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

import servresp
from servresp import _fs
from servresp.interop.raci_check import check_file
from servresp.interop.raci_export import FILLS, export_csv, export_markdown, export_xlsx, neutralise
from servresp.interop.raci_import import import_matrices
from servresp.interop.raci_read import read_matrices
from servresp.model.load import load_model


@pytest.fixture(scope="module")
def model() -> servresp.Model:
    return servresp.load_default()


def test_workbook_has_a_sheet_per_unit_a_frozen_header_and_role_colours(
        model: servresp.Model, tmp_path: Path) -> None:
    """Every unit gets its sheet with the duties it owns; cells are coloured by role."""
    path = tmp_path / "raci.xlsx"
    path.write_bytes(export_xlsx(model))
    book = load_workbook(path)
    assert book.sheetnames == list(model.units)
    sheet = book["qc"]
    assert sheet.freeze_panes == "C2"
    assert [c.value for c in sheet[1]][:3] == ["Duty", "Text", "customer_service"]
    owned = sorted(d.id for d in model.duties.values() if d.owner == "qc")
    assert sorted(str(r[0].value) for r in sheet.iter_rows(min_row=2)) == owned
    for row in sheet.iter_rows(min_row=2, min_col=3):
        for cell in row:
            if cell.value:
                assert cell.fill.start_color.rgb == "00" + FILLS[str(cell.value)[0]]


def test_the_same_model_gives_the_same_bytes(model: servresp.Model) -> None:
    """No timestamps: the workbook, the CSV and the Markdown are byte-identical run to run."""
    assert export_xlsx(model) == export_xlsx(model)
    assert export_csv(model) == export_csv(model)


def test_exports_check_clean_and_import_back_to_the_same_raci(model: servresp.Model, tmp_path: Path) -> None:
    """Each format checks without errors, and importing it gives every duty's RACI back."""
    (tmp_path / "raci.xlsx").write_bytes(export_xlsx(model))
    (tmp_path / "raci.csv").write_text(export_csv(model), encoding="utf-8")
    (tmp_path / "raci.md").write_text(export_markdown(model), encoding="utf-8")
    for name in ("raci.xlsx", "raci.csv", "raci.md"):
        report, _ = check_file(tmp_path / name)
        assert not report.has_errors, name
        assert report.tasks == len(model.duties)
        matrices, _ = read_matrices(tmp_path / name)
        out = tmp_path / f"model-{name}"
        for relpath, text in import_matrices(name, matrices).items():
            _fs.write_atomic(out, relpath, text)
        back = load_model(out)
        for duty in model.duties.values():
            raci = back.duties[duty.id].raci
            assert (raci.accountable, set(raci.responsible), set(raci.consulted), set(raci.informed)) == (
                duty.raci.accountable, set(duty.raci.responsible), set(duty.raci.consulted),
                set(duty.raci.informed) - set(duty.raci.consulted)), (name, duty.id)


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx"])
def test_formula_looking_text_is_neutralised(text: str) -> None:
    """OWASP: a leading quote keeps a spreadsheet from running the cell."""
    assert neutralise(text) == f"'{text}"
    assert neutralise("plain") == "plain"


def test_formula_text_from_a_hostile_matrix_is_stored_as_text(tmp_path: Path) -> None:
    """A task named like a formula is a quoted string in the workbook and the CSV, never a formula."""
    source = tmp_path / "m.csv"
    source.write_text('Task,Ops,Dev\n"=HYPERLINK(""http://x"")",A,R\n', encoding="utf-8")
    matrices, _ = read_matrices(source)
    out = tmp_path / "model"
    for relpath, text in import_matrices("m.csv", matrices).items():
        _fs.write_atomic(out, relpath, text)
    hostile = load_model(out)
    book = load_workbook(io.BytesIO(export_xlsx(hostile)))
    cell = book["ops"]["B2"]
    assert cell.data_type == "s"
    assert cell.value == "'=HYPERLINK(\"http://x\")"
    rows = list(csv.reader(io.StringIO(export_csv(hostile))))
    assert rows[1][1].startswith("'=")
