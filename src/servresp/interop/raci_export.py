"""A model → its RACI matrix as Markdown, CSV or XLSX (bytes), ready for people who use spreadsheets.

Rows are duties (the duty id, then its text), columns are units, cells the letters each unit
holds (``A/R``). The workbook has a sheet per unit with the duties it owns, a frozen header
row, a fill colour per role, and text that a spreadsheet would run as a formula neutralised
with a leading quote (OWASP's advice against CSV injection). Reading an export back with
``raci import`` gives the same duties and RACI.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence

from servresp.model.classes import Duty, Model, Role
from servresp.render.csvfile import neutralise

__all__ = ["FILLS", "export_csv", "export_markdown", "export_xlsx", "neutralise"]

_LETTER = {Role.ACCOUNTABLE: "A", Role.RESPONSIBLE: "R", Role.CONSULTED: "C", Role.INFORMED: "I"}
FILLS = {"A": "F4B6B6", "R": "B7E1B0", "C": "FFE699", "I": "BDD7EE"}
"""Cell fill per role (the cell's first letter): accountable red, responsible green,
consulted yellow, informed blue."""
_MAX_CELL = 32_767
_FIXED_TIME = "2000-01-01T00:00:00Z"
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def _cell(text: str) -> str:
    """Neutralise a formula, drop what XML cannot hold, and keep within a cell's 32,767 characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415 - with the workbook code

    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))[:_MAX_CELL]


def letters(duty: Duty, unit: str) -> str:
    """Return the letters ``unit`` holds on ``duty``: ``A/R``, ``C``, or ``""``."""
    return "/".join(_LETTER[role] for role in duty.raci.roles_of(unit))


def _rows(model: Model, duties: Sequence[Duty], lang: str) -> list[list[str]]:
    header = ["Duty", "Text", *model.units]
    return [header, *([d.id, d.text.in_lang(lang), *(letters(d, u) for u in model.units)] for d in duties)]


def export_csv(model: Model, *, lang: str = "en") -> str:
    """Return the whole matrix as CSV, formula-looking text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in _rows(model, list(model.duties.values()), lang):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def export_markdown(model: Model, *, lang: str = "en") -> str:
    """Return the whole matrix as a Markdown document with a legend."""
    rows = _rows(model, list(model.duties.values()), lang)
    lines = [f"# RACI matrix of {model.name}", "",
             "A accountable (answers for it) · R responsible (does it) · C consulted · I informed", "",
             "| " + " | ".join(_md_cell(c) for c in rows[0]) + " |",
             "|" + "|".join("---" for _ in rows[0]) + "|"]
    lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows[1:])
    return "\n".join(lines) + "\n"


def _sheet_titles(units: Sequence[str]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for unit in units:
        base = _SHEET_UNSAFE.sub("_", unit)[:31] or "unit"
        title, n = base, 2
        while title.casefold() in {t.casefold() for t in titles.values()}:
            title = f"{base[:27]}_{n}"
            n += 1
        titles[unit] = title
    return titles


def export_xlsx(model: Model, *, lang: str = "en") -> bytes:
    """Return the workbook: a sheet per unit with the duties it owns; same model, same bytes."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl is only needed for workbooks
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    fills = {letter: PatternFill("solid", start_color=colour, end_color=colour)
             for letter, colour in FILLS.items()}
    for unit, title in _sheet_titles(list(model.units)).items():
        sheet = book.create_sheet(title)
        owned = [d for d in model.duties.values() if d.owner == unit]
        for row in _rows(model, owned, lang):
            sheet.append([_cell(text) for text in row])
        for cell in sheet[1]:
            cell.font = bold
        for row in sheet.iter_rows(min_row=2, min_col=3):
            for cell in row:
                if cell.value:
                    cell.fill = fills[str(cell.value)[0]]
                    cell.alignment = Alignment(horizontal="center")
        sheet.freeze_panes = "C2"
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue())


def _reproducible(data: bytes) -> bytes:
    """Rewrite the zip with fixed times, so that the same model gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" +
                                 _FIXED_TIME.encode(), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()
