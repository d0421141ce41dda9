"""Read RACI matrices from Markdown, CSV and XLSX into `Matrix` values (no judging here).

A matrix is a grid whose rows are tasks and whose columns are roles (units); its cells hold
role letters. In a Markdown document every pipe table is a candidate and the ones whose
cells are role letters are kept (a legend table has none); in a workbook every sheet is.
A matrix has two role columns or more. The header is the first row with two filled cells
above letter cells; the task column is the first column that is not made of letters. A row
with no letter at all is a section heading, not a task, and the first blank row after the
tasks ends the matrix (a legend often follows).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from servresp.errors import Problem
from servresp.render.csvfile import unneutralise

__all__ = ["LETTERS", "Cell", "Matrix", "Task", "parse_letters", "read_matrices", "unquote"]

LETTERS = {"R": "responsible", "A": "accountable", "S": "support", "C": "consulted", "I": "informed"}
"""RACI and RASCI letters, and what each stands for."""

_BLANKS = {"", "-", "–", "—", "n/a", "N/A", "."}
_SEPARATORS = re.compile(r"\s*[/,;&+|]\s*|\s+")
_TOKEN = re.compile(r"[A-Za-z]{1,2}\Z")
_TASK_HEADER = re.compile(r"task|activit|deliverable|dut|step|process|item|work|responsibilit|decision",
                          re.IGNORECASE)
_TEXT_HEADER = re.compile(r"text|description|detail", re.IGNORECASE)
_MAX_HEADER_SEARCH = 20


@attrs.frozen
class Cell:
    """One cell as read: its text, its line in the file and, in a workbook, its reference."""

    text: str
    line: int
    ref: str | None = None
    """``B7`` (or ``Sheet!B7`` when several sheets are read); None outside workbooks."""


@attrs.frozen
class Task:
    """A row of a matrix: the task's name and its cell in each role column."""

    name: Cell
    roles: tuple[Cell, ...]
    """One cell per role column, in column order."""
    text: str = ""
    """A description column's text, when the matrix has one."""


@attrs.frozen
class Matrix:
    """A RACI table found in a file: role columns and tasks."""

    header: tuple[Cell, ...]
    """The role columns' header cells."""
    task_header: Cell
    """The task column's header cell."""
    tasks: tuple[Task, ...]


def unquote(text: str) -> str:
    """Undo the quote that neutralises formula-looking text in a spreadsheet (``'=x`` → ``=x``)."""
    return unneutralise(text)


def _clean(text: str) -> str:
    return text.strip().strip("*_`").strip()


def parse_letters(text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Return (known letters, unknown tokens) in a cell, or None when it is not letter-like.

    ``A/R``, ``A / R``, ``R, C`` and ``AR`` hold two letters; blanks and ``-`` hold none.
    """
    cleaned = _clean(text)
    if cleaned in _BLANKS:
        return (), ()
    tokens = [t for t in _SEPARATORS.split(cleaned) if t]
    if not tokens or not all(_TOKEN.match(t) for t in tokens):
        return None
    known: list[str] = []
    unknown: list[str] = []
    for token in tokens:
        upper = token.upper()
        if len(upper) == 2 and not all(c in LETTERS for c in upper):
            return None  # "No", "OK": a word, not two role letters
        for letter in upper:
            (known if letter in LETTERS else unknown).append(letter)
    return tuple(dict.fromkeys(known)), tuple(dict.fromkeys(unknown))


def _is_blank(cell: Cell) -> bool:
    return not _clean(cell.text) or _clean(cell.text) in _BLANKS


def _role_columns(header: Sequence[Cell], body: Sequence[Sequence[Cell]]) -> list[int]:
    """Columns whose header is filled and whose filled cells are mostly role letters.

    Once two such columns make a matrix, a named column left all blank is a role too (a
    unit with no part in these tasks), unless its header names tasks or descriptions.
    """
    columns, blank = [], []
    for index, head in enumerate(header):
        if not head.text.strip():
            continue
        cells = [row[index] for row in body if index < len(row) and not _is_blank(row[index])]
        lettered = [c for c in cells if parse_letters(c.text) is not None]
        if lettered and len(lettered) * 2 > len(cells):
            columns.append(index)
        elif not cells and not (_TASK_HEADER.search(head.text) or _TEXT_HEADER.search(head.text)):
            blank.append(index)
    return sorted(columns + blank) if len(columns) >= 2 else columns


def _matrix(grid: Sequence[Sequence[Cell]], header_row: int) -> Matrix | None:
    header = grid[header_row]
    body = _body(grid[header_row + 1:], len(header))
    roles = _role_columns(header, body)
    others = [i for i in range(len(header)) if i not in roles and header[i].text.strip()]
    if len(roles) < 2 or not others:  # one letter column is a legend, not a matrix
        return None
    named = [i for i in others if _TASK_HEADER.search(header[i].text)]
    task_col = named[0] if named else others[0]
    texts = [i for i in others if i != task_col and _TEXT_HEADER.search(header[i].text)]
    tasks = []
    for row in body:
        cells = tuple(row[i] if i < len(row) else Cell("", row[0].line) for i in roles)
        if all(_is_blank(c) for c in cells):
            continue  # a section heading
        name = row[task_col] if task_col < len(row) else Cell("", row[0].line)
        text = row[texts[0]].text.strip() if texts and texts[0] < len(row) else ""
        tasks.append(Task(name=name, roles=cells, text=text))
    if not tasks:
        return None
    return Matrix(header=tuple(header[i] for i in roles), task_header=header[task_col], tasks=tuple(tasks))


def _body(rows: Sequence[Sequence[Cell]], width: int) -> list[Sequence[Cell]]:
    """Return the rows under a header, up to the first blank row after a filled one."""
    body: list[Sequence[Cell]] = []
    for row in rows:
        if all(not c.text.strip() for c in row):
            if body:
                break
            continue
        body.append(row[:width])
    return body


def matrices_in_grid(grid: Sequence[Sequence[Cell]], *, header_known: bool = False) -> Iterator[Matrix]:
    """Yield the matrix in a grid (the header found in its first rows), if there is one."""
    if header_known:
        found = _matrix(grid, 0) if grid else None
        if found is not None:
            yield found
        return
    for index in range(min(len(grid), _MAX_HEADER_SEARCH)):
        if sum(1 for c in grid[index] if c.text.strip()) < 2:
            continue
        found = _matrix(grid, index)
        if found is not None:
            yield found
            return


# Markdown -----------------------------------------------------------------------------

_DELIMITER = re.compile(r"\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*\Z")
_FENCE = re.compile(r"\s*(```|~~~)")


def _split_row(line: str) -> list[str]:
    text = line.strip()
    text = text.removeprefix("|")
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells = re.split(r"(?<!\\)\|", text)
    return [c.replace("\\|", "|").strip() for c in cells]


def markdown_grids(text: str) -> Iterator[list[list[Cell]]]:
    """Yield each pipe table of a Markdown text as a grid, header first (code blocks skipped)."""
    lines = text.splitlines()
    fenced = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            fenced = not fenced
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        if fenced or "|" not in line or not _DELIMITER.match(nxt) or "-" not in nxt:
            index += 1
            continue
        grid = [[Cell(c, index + 1) for c in _split_row(line)]]
        index += 2
        while index < len(lines) and "|" in lines[index] and lines[index].strip():
            grid.append([Cell(c, index + 1) for c in _split_row(lines[index])])
            index += 1
        yield grid


# CSV and XLSX ------------------------------------------------------------------------

def csv_grid(text: str) -> list[list[Cell]]:
    """Return a CSV text as a grid; each cell keeps the line its record starts on."""
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    grid = []
    start = 1
    for row in reader:
        grid.append([Cell(unquote(value), start) for value in row])
        start = reader.line_num + 1
    return grid


def xlsx_grids(path: Path, name: str, *, sheet: str | None,
               ) -> tuple[list[tuple[str, list[list[Cell]]]], list[Problem]]:
    """Return (sheet title, grid) for every sheet of a workbook, or the one named."""
    from openpyxl import load_workbook  # noqa: PLC0415 - openpyxl is only needed for workbooks
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        return [], [Problem(name, 0, "", f"not a readable XLSX workbook ({exc})",
                            "save it from the spreadsheet program as .xlsx")]
    try:
        titles = list(book.sheetnames)
        if sheet is not None and sheet not in titles:
            return [], [Problem(name, 0, "--sheet", f"no sheet {sheet!r}; the sheets are {titles}")]
        chosen = [sheet] if sheet is not None else titles
        grids = []
        for title in chosen:
            if not hasattr(book[title], "iter_rows"):  # a chart sheet holds no cells
                continue
            prefix = f"{title}!" if len(chosen) > 1 else ""
            grid = [[Cell(unquote("" if value is None else str(value)), row_no,
                          f"{prefix}{get_column_letter(col_no)}{row_no}")
                     for col_no, value in enumerate(row, start=1)]
                    for row_no, row in enumerate(book[title].iter_rows(values_only=True), start=1)]
            grids.append((title, grid))
    finally:
        book.close()
    return grids, []


def read_matrices(path: Path, *, name: str | None = None, sheet: str | None = None,
                  ) -> tuple[list[Matrix], list[Problem]]:
    """Read every RACI matrix in a Markdown, CSV or XLSX file; return them and the problems."""
    shown = name or str(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grids, problems = xlsx_grids(path, shown, sheet=sheet)
        found = [m for _, grid in grids for m in matrices_in_grid(grid)]
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            return [], [Problem(shown, 0, "", f"not UTF-8 text ({exc.reason})", "save it as UTF-8")]
        except OSError as exc:
            return [], [Problem(shown, 0, "", f"cannot read: {exc.strerror}")]
        problems = []
        if suffix in (".csv", ".tsv", ".txt"):
            try:
                found = list(matrices_in_grid(csv_grid(text)))
            except csv.Error as exc:
                return [], [Problem(shown, 0, "", f"not readable as CSV: {exc}")]
        else:
            found = [m for grid in markdown_grids(text) for m in matrices_in_grid(grid, header_known=True)]
    if not found and not problems:
        problems = [Problem(shown, 0, "", "no RACI matrix found: no table whose cells are role letters",
                            "rows are tasks, columns are roles; cells hold R, A, S, C or I")]
    return found, problems
