"""A RACI matrix → a model skeleton: a unit per column, a duty per row, problems as comments.

The skeleton loads (`servresp.load_model`) and passes ``servresp check`` when the matrix is
clean. The rules format needs what a matrix does not say — a promise the duties feed and a
standard that measures it — so the import writes one placeholder of each, marked as such.
Where the matrix is wrong (two A, no A, unknown letters), the import picks a reading that
loads and writes the problem above the duty for a person to settle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from servresp.interop._model_files import Entry, model_file
from servresp.interop._names import MAX_ID, safe_id
from servresp.interop.raci_check import row_letters, row_problems
from servresp.interop.raci_read import Matrix, Task

__all__ = ["import_matrices"]

PROMISE = "matrix_duties_done"
STANDARD = "matrix_duties_done_rate"
METRIC = "matrix.duties_done_rate"
SOURCE = "S1"
_RESERVED = {PROMISE, STANDARD}
_DUTY_ID = re.compile(r"([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\Z")


def _text(value: str) -> dict[str, str]:
    """Both languages get the text as written: the matrix has one language."""
    return {"en": value, "zh": value}


def _units(matrices: Sequence[Matrix]) -> tuple[dict[str, str], dict[tuple[int, int], str]]:
    """Return unit id → column name, and (matrix, column) → unit id (same name, same unit)."""
    by_name: dict[str, str] = {}
    names: dict[str, str] = {}
    columns: dict[tuple[int, int], str] = {}
    for m_index, matrix in enumerate(matrices):
        for c_index, cell in enumerate(matrix.header):
            name = " ".join(cell.text.split())
            key = name.casefold()
            if key not in by_name:
                unit = safe_id(name, fallback=f"unit_{len(names) + 1}", taken=set(names) | _RESERVED)
                by_name[key] = unit
                names[unit] = name
            columns[(m_index, c_index)] = by_name[key]
    return names, columns


def _raci(letters: dict[str, list[int]], unit_of: dict[int, str]) -> tuple[dict[str, Any], list[str]]:
    """Return a RACI that loads, and notes on what had to be chosen."""
    notes = []
    accountable = [unit_of[i] for i in letters.get("A", [])]
    doers = list(dict.fromkeys(unit_of[i] for i in letters.get("R", []) + letters.get("S", [])))
    others = [unit_of[i] for letter in ("C", "I") for i in letters.get(letter, [])]
    if len(accountable) > 1:
        notes.append(f"settle: {', '.join(accountable)} are all accountable; kept {accountable[0]}, "
                     "the others as responsible")
        doers = list(dict.fromkeys([*doers, *accountable[1:]]))
    chosen = accountable[0] if accountable else (doers or others or ["unassigned"])[0]
    if not accountable:
        notes.append(f"settle: no one is accountable; {chosen} was made accountable")
    consulted = [unit_of[i] for i in letters.get("C", []) if unit_of[i] != chosen]
    informed = [unit_of[i] for i in letters.get("I", [])
                if unit_of[i] != chosen and unit_of[i] not in consulted]
    raci: dict[str, Any] = {"accountable": chosen, "responsible": doers or [chosen]}
    if consulted:
        raci["consulted"] = list(dict.fromkeys(consulted))
    if informed:
        raci["informed"] = list(dict.fromkeys(informed))
    return raci, notes


def _duty_id(task: Task, owner: str, taken: set[str], row: int) -> str:
    """Keep a name that already is ``<owner>.<slug>`` (an exported model); else make one."""
    name = task.name.text.strip()
    kept = _DUTY_ID.match(name)
    if kept and kept.group(1) == owner and name not in taken and len(kept.group(2)) <= MAX_ID:
        return name
    slug = safe_id(name, fallback=f"task_{row}")
    n, candidate = 2, f"{owner}.{slug}"
    while candidate in taken:
        candidate = f"{owner}.{slug}_{n}"
        n += 1
    return candidate


def import_matrices(file: str, matrices: Sequence[Matrix]) -> dict[str, str]:
    """Return the model files (relative path → text) for the matrices read from ``file``."""
    names, columns = _units(matrices)
    duties: dict[str, list[Entry]] = {unit: [] for unit in names}
    taken: set[str] = set()
    seen: dict[str, str] = {}
    row = 0
    for m_index, matrix in enumerate(matrices):
        unit_of = {c: columns[(m_index, c)] for c in range(len(matrix.header))}
        for task in matrix.tasks:
            row += 1
            letters, _ = row_letters(task, matrix.header)
            raci, notes = _raci(letters, unit_of)
            owner = raci["accountable"]
            duty_id = _duty_id(task, owner, taken, row)
            taken.add(duty_id)
            name = task.name.text.strip() or f"row {row}"
            where = task.name.ref or f"line {task.name.line}"
            problem_notes = [f"{p.severity} {p.code} ({p.cell or f'line {p.line}'}): {p.message}"
                             for p in row_problems(task, matrix.header)]
            key = " ".join(name.split()).casefold()
            if key in seen:
                problem_notes.append(f"error duplicate_task: also at {seen[key]}; merge the two duties")
            seen.setdefault(key, where)
            duties.setdefault(owner, []).append(Entry(
                {"id": duty_id, "text": _text(task.text or name), "raci": raci, "supports": [PROMISE],
                 "source": {"id": SOURCE, "section": name}},
                (f"from {where}: {name}", *problem_notes, *notes)))
    return _files(file, names, duties, matrices)


def _files(file: str, names: dict[str, str], duties: dict[str, list[Entry]],
           matrices: Sequence[Matrix]) -> dict[str, str]:
    files: dict[str, str] = {}
    header = [f"Imported from {file} by 'servresp raci import'. Check with: servresp check --rules OUT"]
    if "unassigned" in duties and "unassigned" not in names:
        names["unassigned"] = "Unassigned"
    for unit, name in sorted(names.items()):
        files[f"{unit}.yaml"] = model_file(
            header=[*header, f"column {name!r}; set kind and faces to what the unit is"],
            unit={"id": unit, "kind": "department", "name": _text(name or unit), "faces": "internal"},
            sections=[("duties", duties.get(unit, []))])
    section = matrices[0].task_header.text.strip() if matrices else ""
    files["_sources.yaml"] = model_file(header=header, sections=[("sources", [Entry(
        {"id": SOURCE, "title": f"RACI matrix {Path(file).name}", "file": Path(file).name or "matrix"})])])
    served = sorted(d.data["id"] for entries in duties.values() for d in entries)
    placeholder = ("placeholder written by raci import: a matrix names no promise or standard; "
                   "replace both with the promise these duties keep and how it is measured")
    files["_promises.yaml"] = model_file(header=[*header, placeholder], sections=[
        ("promises", [Entry({"id": PROMISE, "text": _text(f"The duties of {Path(file).name} are done "
                                                           "as the matrix assigns them."),
                             "source": {"id": SOURCE, "section": section or "RACI"}})]),
        ("standards", [Entry({
            "id": STANDARD, "text": _text("Share of the matrix's duties done on time in the month."),
            "promise": PROMISE, "metric": METRIC, "comparator": ">=", "target": 0.95, "window": "month",
            "domain": "organisation_and_supervision", "served_by": served or [],
            "source": {"id": SOURCE, "section": section or "RACI"}, "note": placeholder})]),
        ("signals", [Entry({
            "name": METRIC, "kind": "metric",
            "meaning": _text("Duties of the matrix done on time / duties due, in the period."),
            "range": [0, 1]})]),
    ])
    return files
