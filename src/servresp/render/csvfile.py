r"""The RACI matrix as CSV, for spreadsheets; quoting is left to the `csv` module.

The file starts with a UTF-8 byte-order mark so that spreadsheet programs that guess the
encoding (Excel does) show the Chinese names correctly; rows end with ``\n``, and newlines
inside a field are written as ``\n`` too, like every other renderer does.
"""

from __future__ import annotations

import csv
import io
import re

from servresp.render.views import RaciMatrix

__all__ = ["BOM", "raci_csv"]

BOM = "\ufeff"
"""The byte-order mark that opens the file."""

_NEWLINE = re.compile(r"\r\n|\r")


def _field(value: str) -> str:
    r"""Write every newline as ``\n``, which the writer then quotes (a lone ``\r`` it would not)."""
    return _NEWLINE.sub("\n", value)


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
            writer.writerow([group.owner, _field(group.name), row.duty, _field(row.text), *row.cells])
    return BOM + buffer.getvalue()
