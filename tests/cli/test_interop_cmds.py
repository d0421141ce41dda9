"""servresp raci / backstage / openslo: exit codes, files written into OUT, JSON, located problems."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from servresp.cli import main
from servresp.model.load import load_default

ROOT = Path(__file__).resolve().parents[2]
DATA = "tests/data/interop"


@pytest.fixture(autouse=True)
def _in_the_checkout(monkeypatch):
    """Run every command from the repository root, so relative paths print as given."""
    monkeypatch.chdir(ROOT)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_raci_check_exits_1_on_errors_0_on_a_clean_matrix() -> None:
    """Errors give 1; a clean matrix 0; the JSON names the schema and the file as given."""
    code, out, _ = run("raci", "check", f"{DATA}/raci/website_launch.md", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert (doc["schema"], doc["file"], doc["tasks"]) == (
        "servresp.raci/1", f"{DATA}/raci/website_launch.md", 10)
    code, out, _ = run("raci", "check", f"{DATA}/raci/clean_onboarding.md")
    assert code == 0
    assert out.endswith("5 tasks, 5 roles: 0 errors, 0 warnings\n")


def test_raci_check_text_names_the_line_task_and_code() -> None:
    """One line per problem: file:line: 'task': severity code: message."""
    _, out, _ = run("raci", "check", f"{DATA}/raci/website_launch.md")
    assert (f"{DATA}/raci/website_launch.md:24: 'Build back end': error two_accountable: "
            "2 accountable ('Project Sponsor', 'Project Manager'); a task has exactly one") in out


def test_an_unreadable_matrix_exits_2_with_one_line(tmp_path: Path) -> None:
    """No table: one located line on stderr, exit 2, no traceback."""
    path = tmp_path / "empty.md"
    path.write_text("# nothing\n", encoding="utf-8")
    code, out, err = run("raci", "check", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}: no RACI matrix found")


def test_raci_import_writes_a_model_that_check_accepts(tmp_path: Path) -> None:
    """The skeleton is written into OUT and passes servresp check."""
    code, out, err = run("raci", "import", f"{DATA}/raci/website_launch.md", str(tmp_path / "m"))
    assert code == 0
    assert "wrote _promises.yaml" in out
    assert "problems in" in err
    assert run("check", "--rules", str(tmp_path / "m"))[0] == 0


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "md"])
def test_raci_export_writes_into_out(tmp_path: Path, fmt: str) -> None:
    """The bundled model's matrix lands in OUT/raci.<format>; csv and md can go to stdout."""
    code, out, _ = run("raci", "export", str(tmp_path), "--format", fmt)
    assert (code, out) == (0, f"wrote raci.{fmt}\n")
    assert run("raci", "check", str(tmp_path / f"raci.{fmt}"))[0] == 0
    code, out, _ = run("raci", "export", "-", "--format", fmt)
    assert code == (2 if fmt == "xlsx" else 0)


def test_backstage_import_and_export(tmp_path: Path) -> None:
    """The example organisation imports cleanly; broken refs give exit 1 and located lines."""
    code, _, err = run("backstage", "import", f"{DATA}/backstage/org.yaml", str(tmp_path / "org"))
    assert (code, err) == (0, "")
    assert run("check", "--rules", str(tmp_path / "org"))[0] == 0
    code, _, err = run("backstage", "import", f"{DATA}/backstage/broken.yaml", str(tmp_path / "bad"))
    assert code == 1
    assert err.splitlines()[0].startswith(f"{DATA}/backstage/broken.yaml:4: group:-bad name-.metadata.name:")
    code, out, _ = run("backstage", "export", str(tmp_path / "cat"))
    assert (code, out) == (0, "wrote catalog-info.yaml\n")


def test_openslo_export_then_import(tmp_path: Path) -> None:
    """One file per standard; importing them gives a model check accepts."""
    code, out, _ = run("openslo", "export", str(tmp_path / "slo"))
    assert code == 0
    files = sorted(str(p) for p in (tmp_path / "slo").glob("*.yaml"))
    assert len(files) == len(out.splitlines()) == len(load_default().standards)
    code, _, err = run("openslo", "import", *files, str(tmp_path / "model"))
    assert (code, err) == (0, "")
    assert run("check", "--rules", str(tmp_path / "model"))[0] == 0


def test_openslo_import_reports_what_it_cannot_represent(tmp_path: Path) -> None:
    """A rolling window is a finding (exit 1); an invalid file alone exits 2."""
    code, _, err = run("openslo", "import", f"{DATA}/openslo/checkout-latency.yaml", str(tmp_path / "a"))
    assert code == 1
    assert "rolling 28d window cannot be represented" in err
    code, _, err = run("openslo", "import", f"{DATA}/openslo/invalid.yaml", str(tmp_path / "b"))
    assert code == 2
    assert err.splitlines()[-1] == "openslo import: no valid SLO to import"
