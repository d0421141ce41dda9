"""RACI matrix → model skeleton: loads, passes check when clean, carries problems, never escapes OUT."""

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servresp import _fs
from servresp.interop.raci_import import import_matrices
from servresp.interop.raci_read import read_matrices
from servresp.lint.runner import lint
from servresp.model.load import load_model


def _import(path: Path, out: Path) -> dict[str, str]:
    matrices, problems = read_matrices(path)
    assert problems == []
    files = import_matrices(path.name, matrices)
    for relpath, text in files.items():
        _fs.write_atomic(out, relpath, text)
    return files


def test_a_clean_matrix_becomes_a_model_that_passes_check(data: Path, tmp_path: Path) -> None:
    """Units from columns, duties from rows with their RACI; check finds no error."""
    _import(data / "raci" / "clean_onboarding.md", tmp_path)
    model = load_model(tmp_path)
    assert sorted(model.units) == ["finance", "hiring_manager", "hr", "it", "new_employee"]
    duty = model.duties["hiring_manager.prepare_the_workstation"]
    assert (duty.raci.accountable, duty.raci.responsible, duty.raci.informed) == (
        "hiring_manager", ("it",), ("hr",))
    support = model.duties["hiring_manager.plan_the_first_week"]
    assert support.raci.responsible == ("hiring_manager", "hr")  # S supports: it does work too
    assert model.duties["finance.set_up_payroll"].raci.responsible == ("finance",)
    assert not [f for f in lint(model).findings if f.severity == "error"]


def test_problems_become_comments_and_the_model_still_loads(data: Path, tmp_path: Path) -> None:
    """Two A: the first kept, the settle note above the duty; the skeleton loads."""
    files = _import(data / "raci" / "website_launch.md", tmp_path)
    text = files["project_sponsor.yaml"]
    assert "# error two_accountable (line 24)" in text
    assert "# settle: project_sponsor, project_manager are all accountable" in text
    model = load_model(tmp_path)
    assert model.duties["project_sponsor.build_back_end"].raci.responsible == ("developer", "project_manager")
    assert "project_manager.build_front_end_2" in model.duties  # the duplicate row, kept and flagged


HOSTILE = st.one_of(
    st.sampled_from(["../../etc/passwd", "..", "/abs/path", '=HYPERLINK("http://x")', "+1", "@SUM(A1)",
                     "x" * 10_000, "\x00\x01\x1b[31m", "\u2028line\u2029", "CON", "任务", " ", "a|b"]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40),
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(roles=st.lists(HOSTILE, min_size=2, max_size=4), tasks=st.lists(HOSTILE, min_size=1, max_size=4))
def test_hostile_names_never_crash_or_escape_out(tmp_path: Path, roles: list[str], tasks: list[str]) -> None:
    """Control characters, ../, formulas and 10,000-character names: files land in OUT and load."""
    case = Path(tempfile.mkdtemp(dir=tmp_path))
    out = case / "out"
    source = case / "m.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Task", *roles])
        for task in tasks:
            writer.writerow([task, "A", *(["R"] * (len(roles) - 1))])
    matrices, problems = read_matrices(source)
    if problems:  # e.g. a NUL in the CSV: reported, not a crash
        assert problems[0].file == str(source)
        return
    files = import_matrices(str(source), matrices)
    for relpath, text in files.items():
        written = _fs.write_atomic(out, relpath, text)
        assert written.parent == out.resolve()
    load_model(out)
