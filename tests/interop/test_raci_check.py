"""Judging RACI matrices: planted violations reported on their rows, in every format, as JSON."""

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from servresp.interop.raci_check import CODES, check_file

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "schema" / "raci.schema.json").read_text())

# Planted in tests/data/interop/raci/website_launch.md, known before the checker was run.
WEBSITE = {
    ("Approve budget", 21, "accountable_only"),
    ("Build back end", 24, "two_accountable"),
    ("Run acceptance tests", 27, "no_accountable"),
    ("Run acceptance tests", 27, "no_responsible"),
    ("Run acceptance tests", 27, "only_consulted_informed"),
    ("Content migration", 28, "unknown_letter"),
    ("Build front end", 30, "duplicate_task"),
}
# Planted in tests/data/interop/raci/incident_process.csv.
INCIDENT = {
    ('Communicate status, "hourly"', 9, "two_accountable"),
    ('Communicate status, "hourly"', 9, "accountable_only"),
    ("Raise a change request", 10, "no_accountable"),
    ("Raise a change request", 10, "no_responsible"),
    ("Raise a change request", 10, "only_consulted_informed"),
    ("Update the known-error database", 11, "accountable_only"),
}


def _found(path: Path) -> set[tuple[str | None, int, str]]:
    report, problems = check_file(path)
    assert problems == []
    return {(p.task, p.line, p.code) for p in report.problems}


@pytest.mark.parametrize(("name", "planted"), [("website_launch.md", WEBSITE),
                                                ("incident_process.csv", INCIDENT)])
def test_every_planted_violation_is_reported_on_its_row(data: Path, name: str,
                                                        planted: set[tuple[str, int, str]]) -> None:
    """Each double accountable and each row without a responsible is found, and nothing else."""
    assert _found(data / "raci" / name) == planted


def test_a_clean_matrix_gives_no_errors(data: Path) -> None:
    """The onboarding matrix (RASCI, A/R and 'A, R' cells, a legend below) is clean."""
    report, _ = check_file(data / "raci" / "clean_onboarding.md")
    assert report.problems == ()
    assert report.tasks == 5
    assert report.roles == ("HR", "Hiring Manager", "IT", "Finance", "New Employee")
    assert not report.has_errors


@pytest.mark.parametrize("name", ["website_launch.md", "clean_onboarding.md"])
def test_the_same_matrix_as_csv_and_xlsx_gives_the_same_problems(
        data: Path, name: str, as_csv: Callable[[Path], Path], as_xlsx: Callable[[Path], Path]) -> None:
    """Markdown, CSV and XLSX copies report the same (task, code) pairs; XLSX names cells."""
    md = data / "raci" / name

    def pairs(path: Path) -> set[tuple[str | None, str]]:
        return {(p.task, p.code) for p in check_file(path)[0].problems}

    assert pairs(md) == pairs(as_csv(md)) == pairs(as_xlsx(md))
    report, _ = check_file(as_xlsx(md))
    for problem in report.problems:
        assert problem.cell is not None
        assert problem.cell.endswith(str(problem.line))


def test_two_accountable_points_at_the_second_a_in_a_workbook(
        data: Path, as_xlsx: Callable[[Path], Path]) -> None:
    """The cell of the second A is named (the header sits on row 3 under a title)."""
    report, _ = check_file(as_xlsx(data / "raci" / "website_launch.md"))
    double = next(p for p in report.problems if p.code == "two_accountable")
    assert (double.task, double.cell) == ("Build back end", "C9")


def test_duplicate_columns_are_reported(tmp_path: Path) -> None:
    """A role listed twice is a column problem with no task."""
    path = tmp_path / "m.csv"
    path.write_text("Task,Ops,Dev,ops\nDeploy,A,R,\n", encoding="utf-8")
    report, _ = check_file(path)
    assert [(p.task, p.line, p.code) for p in report.problems] == [(None, 1, "duplicate_column")]


def test_json_output_matches_its_schema_and_is_stable(data: Path) -> None:
    """servresp.raci/1: the exact keys, valid against docs/schema/raci.schema.json."""
    report, _ = check_file(data / "raci" / "website_launch.md", name="website_launch.md")
    doc = report.to_dict()
    jsonschema.validate(doc, SCHEMA)
    assert set(doc) == {"schema", "file", "tasks", "roles", "problems"}
    assert doc["schema"] == "servresp.raci/1"
    assert doc["file"] == "website_launch.md"
    assert set(doc["problems"][0]) == {"task", "line", "cell", "code", "severity", "message"}
    assert report.to_json() == check_file(data / "raci" / "website_launch.md",
                                          name="website_launch.md")[0].to_json()
    assert {p["severity"] for p in doc["problems"]} == {"error", "warning"}
    assert set(CODES) == set(SCHEMA["properties"]["problems"]["items"]["properties"]["code"]["enum"])
