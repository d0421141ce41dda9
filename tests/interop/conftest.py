"""Shared fixtures for the interop tests: the data folder and matrices copied to CSV and XLSX."""

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from servresp.interop.raci_read import markdown_grids

DATA = Path(__file__).parents[1] / "data" / "interop"


@pytest.fixture
def data() -> Path:
    return DATA


def _table(md: Path) -> list[list[str]]:
    """Return the first table of a Markdown file with two letter columns or more (the matrix)."""
    grids = [g for g in markdown_grids(md.read_text(encoding="utf-8")) if len(g[0]) > 3]
    return [[cell.text for cell in row] for row in grids[0]]


@pytest.fixture
def as_csv(tmp_path: Path) -> Callable[[Path], Path]:
    def convert(md: Path) -> Path:
        out = tmp_path / f"{md.stem}.csv"
        with out.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(_table(md))
        return out
    return convert


@pytest.fixture
def as_xlsx(tmp_path: Path) -> Callable[[Path], Path]:
    def convert(md: Path) -> Path:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Matrix"
        sheet.append([f"RACI chart: {md.stem}"])  # a title row above the header, as templates have
        sheet.append([])
        for row in _table(md):
            sheet.append([value or None for value in row])
        out = tmp_path / f"{md.stem}.xlsx"
        book.save(out)
        return out
    return convert
