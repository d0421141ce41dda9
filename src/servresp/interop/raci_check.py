"""Judge RACI matrices: one accountable and someone doing the work on every row.

Each problem names the task, its line (Markdown, CSV) or cell (XLSX), a stable code and a
severity; `RaciReport.to_dict` is the ``servresp.raci/1`` JSON (docs/schema/raci.schema.json).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from servresp.errors import Problem
from servresp.i18n import gettext as _
from servresp.interop.raci_read import Cell, Matrix, Task, parse_letters, read_matrices

__all__ = ["CODES", "RaciProblem", "RaciReport", "check_file", "check_matrices", "row_letters",
           "row_problems"]

SCHEMA = "servresp.raci/1"

CODES = {
    "two_accountable": "error",
    "no_accountable": "error",
    "no_responsible": "error",
    "unknown_letter": "error",
    "duplicate_task": "error",
    "duplicate_column": "error",
    "accountable_only": "warning",
    "only_consulted_informed": "warning",
}
"""Every problem code and its severity (docs/interop.md explains each)."""


@attrs.frozen
class RaciProblem:
    """One thing wrong with a matrix, on the row (or column) where it is."""

    task: str | None
    """The row's task name; None for a column's problem."""
    line: int
    """1-based line in the file (the sheet's row in a workbook)."""
    cell: str | None
    """``B7`` in a workbook; None in Markdown and CSV."""
    code: str
    """A key of `CODES`."""
    message: str

    @property
    def severity(self) -> str:
        """``error`` or ``warning``."""
        return CODES[self.code]

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as in the JSON output."""
        return {"task": self.task, "line": self.line, "cell": self.cell, "code": self.code,
                "severity": self.severity, "message": self.message}


@attrs.frozen
class RaciReport:
    """What `check_file` found: the tasks and roles read, and every problem."""

    file: str
    tasks: int
    roles: tuple[str, ...]
    problems: tuple[RaciProblem, ...]

    @property
    def has_errors(self) -> bool:
        """Whether any problem is an error (``raci check`` exits 1)."""
        return any(p.severity == "error" for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        """Return the ``servresp.raci/1`` JSON object."""
        return {"schema": SCHEMA, "file": self.file, "tasks": self.tasks, "roles": list(self.roles),
                "problems": [p.to_dict() for p in self.problems]}

    def to_json(self) -> str:
        """Return the JSON text, sorted keys, with a final newline."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """Return one line per problem, then a summary line."""
        lines = []
        for p in self.problems:
            where = f"{self.file}:{p.line}" + (f": {p.cell}" if p.cell else "")
            task = f" {p.task!r}:" if p.task is not None else ""
            lines.append(f"{where}:{task} {_(p.severity)} {p.code}: {p.message}")
        errors = sum(1 for p in self.problems if p.severity == "error")
        warnings = len(self.problems) - errors
        lines.append(_("{file}: {tasks} tasks, {roles} roles: {errors} errors, {warnings} warnings").format(
            file=self.file, tasks=self.tasks, roles=len(self.roles), errors=errors, warnings=warnings))
        return "\n".join(lines) + "\n"


def _at(cell: Cell) -> tuple[int, str | None]:
    return cell.line, cell.ref


def row_letters(task: Task, header: Sequence[Cell]) -> tuple[dict[str, list[int]], list[tuple[int, str]]]:
    """Return the columns holding each known letter, and (column, token) of unknown ones."""
    letters: dict[str, list[int]] = {}
    unknown: list[tuple[int, str]] = []
    for index, cell in enumerate(task.roles[: len(header)]):
        parsed = parse_letters(cell.text)
        if parsed is None:
            unknown.append((index, cell.text.strip()))
            continue
        for letter in parsed[0]:
            letters.setdefault(letter, []).append(index)
        unknown.extend((index, token) for token in parsed[1])
    return letters, unknown


def row_problems(task: Task, header: Sequence[Cell]) -> Iterator[RaciProblem]:
    """Yield the problems of one row: its letters, its accountable, who does the work."""
    name = task.name.text.strip()
    line, ref = _at(task.name)
    letters, unknown = row_letters(task, header)

    def role(index: int) -> str:
        return header[index].text.strip()

    for index, token in unknown:
        cell = task.roles[index]
        yield RaciProblem(name, cell.line, cell.ref, "unknown_letter",
                          _("{role} holds {token}, which is no role letter (R, A, S, C, I; blank or '-' "
                            "for none)").format(role=repr(role(index)), token=repr(token[:40])))
    accountable = letters.get("A", [])
    if len(accountable) > 1:
        second = task.roles[accountable[1]]
        names = ", ".join(repr(role(i)) for i in accountable)
        yield RaciProblem(name, second.line, second.ref, "two_accountable",
                          _("{count} accountable ({names}); a task has exactly one").format(
                              count=len(accountable), names=names))
    elif not accountable:
        yield RaciProblem(name, line, ref, "no_accountable",
                          _("no one is accountable (A); give one role the A"))
    doers = letters.get("R", [])
    if not doers and not accountable:
        yield RaciProblem(name, line, ref, "no_responsible", _("no one does the work (R)"))
    elif not doers:
        yield RaciProblem(name, line, ref, "accountable_only",
                          _("only the accountable {role} and no responsible (R) does the work; add an R "
                            "if someone else does it").format(role=repr(role(accountable[0]))))
    if set(letters) and set(letters) <= {"C", "I"}:
        yield RaciProblem(name, line, ref, "only_consulted_informed",
                          _("every role here is only consulted or informed; who does it, who answers?"))


def _matrix_problems(matrix: Matrix) -> Iterator[RaciProblem]:
    seen_columns: dict[str, Cell] = {}
    for cell in matrix.header:
        key = " ".join(cell.text.split()).casefold()
        if key in seen_columns:
            first = seen_columns[key]
            yield RaciProblem(None, cell.line, cell.ref, "duplicate_column",
                              _("column {column} appears twice (first {first})").format(
                                  column=repr(cell.text.strip()),
                                  first=first.ref or _("at line {line}").format(line=first.line)))
        else:
            seen_columns[key] = cell
    seen_tasks: dict[str, Cell] = {}
    for task in matrix.tasks:
        key = " ".join(task.name.text.split()).casefold()
        if key in seen_tasks:
            first = seen_tasks[key]
            yield RaciProblem(task.name.text.strip(), task.name.line, task.name.ref, "duplicate_task",
                              _("task listed twice (first at {first}); merge the rows").format(
                                  first=first.ref or _("line {line}").format(line=first.line)))
        else:
            seen_tasks[key] = task.name
        yield from row_problems(task, matrix.header)


def check_matrices(file: str, matrices: Sequence[Matrix]) -> RaciReport:
    """Return the report on matrices read from ``file``."""
    roles = dict.fromkeys(c.text.strip() for m in matrices for c in m.header)
    problems = [p for m in matrices for p in _matrix_problems(m)]
    return RaciReport(file=file, tasks=sum(len(m.tasks) for m in matrices), roles=tuple(roles),
                      problems=tuple(problems))


def check_file(path: Path, *, name: str | None = None, sheet: str | None = None,
               ) -> tuple[RaciReport, list[Problem]]:
    """Read and judge ``path``; the problems are why it could not be read (exit 2)."""
    shown = name or str(path)
    matrices, problems = read_matrices(path, name=shown, sheet=sheet)
    return check_matrices(shown, matrices), problems
