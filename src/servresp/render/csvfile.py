r"""The RACI matrix as CSV, for spreadsheets; quoting is left to the `csv` module.

The file starts with a UTF-8 byte-order mark so that spreadsheet programs that guess the
encoding (Excel does) show the Chinese names correctly; rows end with ``\n``, and newlines
inside a field are written as ``\n`` too, like every other renderer does. A cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so that no
spreadsheet runs it as a formula (OWASP's advice on CSV injection; docs/charts.md).
"""

from __future__ import annotations

import csv
import io
import re

from servresp.render.views import RaciMatrix

__all__ = ["BOM", "neutralise", "raci_csv", "unneutralise"]

BOM = "\ufeff"
"""The byte-order mark that opens the file."""

_NEWLINE = re.compile(r"\r\n|\r")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Cells a spreadsheet would run as a formula (OWASP, "CSV injection")."""


def neutralise(value: str) -> str:
    """Prefix a ``'`` to a cell a spreadsheet would run as a formula, as OWASP recommends.

    ``=HYPERLINK(…)`` becomes ``'=HYPERLINK(…)``. A cell that already starts with quotes before
    a formula gets one more, so `unneutralise` gives every text back exactly.
    """
    return "'" + value if value.lstrip("'").startswith(_FORMULA_START) else value


def unneutralise(cell: str) -> str:
    """Undo `neutralise`: drop the one ``'`` it put before formula-like text."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_START) else cell


def _field(value: str) -> str:
    r"""Write every newline as ``\n`` (the writer quotes it; a lone ``\r`` it would not), neutralised."""
    return _NEWLINE.sub("\n", neutralise(value))


def raci_csv(matrix: RaciMatrix) -> str:
    """Return one row per duty: owner id and name, duty id and text, then a cell per unit.

    The header names the fixed columns ``owner, owner_name, duty, text`` and the units by id,
    so that the header does not change with the language.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["owner", "owner_name", "duty", "text", *(column.id for column in matrix.columns)])
    for group in matrix.groups:
        for row in group.rows:
            writer.writerow([_field(group.owner), _field(group.name), _field(row.duty), _field(row.text),
                             *(_field(cell) for cell in row.cells)])
    return BOM + buffer.getvalue()
