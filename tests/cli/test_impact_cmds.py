"""servresp impact and diff: planted changes on a copy of the bundled model, exit codes, git."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import servresp
from servresp.cli import main

RULES = Path(servresp.default_rules_dir())


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def edit(folder: Path, file: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``folder/file``."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def sides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two copies of the bundled rules, old and new, with the working folder above them."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(RULES, tmp_path / "old")
    shutil.copytree(RULES, tmp_path / "new")
    return tmp_path / "old", tmp_path / "new"


def diff_json(*argv: str) -> tuple[int, dict]:
    code, out, err = run("diff", *argv, "--format", "json")
    assert err == ""
    return code, json.loads(out)


def consulted(document: dict) -> dict[str, set[str]]:
    return {i["unit"]: {r["why"] for r in i["reasons"]} for i in document["consult"]}


# --------------------------------------------------------------------------- impact


def test_impact_text_and_json():
    """`impact ID` prints the people to involve; --format json is servresp.impact/1."""
    code, out, err = run("impact", "customer_service.resolve_on_the_spot")
    assert (code, err) == (0, "")
    assert "consult before the change (1):" in out
    code, out, _ = run("impact", "call_answer_ring3", "--format", "json", "--lang", "zh")
    assert code == 0
    assert json.loads(out)["schema"] == "servresp.impact/1"


def test_impact_unknown_id_exit_2():
    """An unknown id is one line on stderr with a suggestion, exit 2."""
    code, out, err = run("impact", "customer_service.resolve_on_the_spt")
    assert (code, out) == (2, "")
    assert err == ("error: unknown duty, standard, rule, signal, unit or promise "
                   "'customer_service.resolve_on_the_spt'; did you mean "
                   "'customer_service.resolve_on_the_spot'?\n")


# --------------------------------------------------------------------------- planted changes


def test_accountable_unit_moved(sides: tuple[Path, Path]):
    """Moving A from sales to marketing: both are consulted, the move is listed, exit 0."""
    _, new = sides
    text = (new / "sales.yaml").read_text(encoding="utf-8")
    at = text.index("accountable: sales", text.index("  - id: sales.long_term_relationships\n"))
    (new / "sales.yaml").write_text(text[:at] + "accountable: marketing"
                                    + text[at + len("accountable: sales"):], encoding="utf-8")
    code, document = diff_json("old", "new")
    assert code == 0
    assert {(m["role"], m["unit"], m["move"]) for m in document["raci"]} == {
        ("accountable", "marketing", "gained"), ("accountable", "sales", "lost")}
    people = consulted(document)
    assert "accountable" in people["sales"]
    assert "accountable" in people["marketing"]


def test_target_raised_past_feasibility(sides: tuple[Path, Path]):
    """75% → 95% against a 70% baseline: infeasible, a new SR204 error located, exit 1."""
    _, new = sides
    edit(new, "promises.yaml", "target: 0.75\n", "target: 0.95\n")
    code, document = diff_json("old", "new")
    assert code == 1
    [target] = document["targets"]
    assert (target["standard"], target["verdict"]) == ("call_answer_ring3", "infeasible")
    [finding] = document["findings"]["new"]
    assert (finding["code"], finding["file"]) == ("SR204", "new/promises.yaml")
    assert finding["line"] > 0
    assert "customer_service" in consulted(document)


def test_supports_edge_removed_orphans_a_duty(sides: tuple[Path, Path]):
    """Cutting employee.share_information's only supports edge: orphaned, SR103, exit 1."""
    _, new = sides
    edit(new, "employee.yaml", "    supports: [employee.serve_internal_customers]\n    source: {id: S3, "
         'section: "服务无处不在', '    supports: []\n    source: {id: S3, section: "服务无处不在')
    code, document = diff_json("old", "new")
    assert code == 1
    assert document["orphaned"] == ["employee.share_information"]
    assert [f["code"] for f in document["findings"]["new"]] == ["SR103"]
    assert "employee" in consulted(document)


def test_consulted_list_emptied(sides: tuple[Path, Path]):
    """The consult-before-change duty consults no one: nine departments lose C and are consulted."""
    _, new = sides
    edit(new, "top_management.yaml",
         "      consulted: [marketing, sales, customer_service, rnd, production, purchasing, qc, "
         "hr, finance]\n", "")
    code, out, err = run("diff", "old", "new", "--format", "markdown")
    assert (code, err) == (0, "")
    assert "**✅ no new check error**" in out
    assert "### RACI moves (9)" in out
    for unit in ("marketing", "sales", "customer_service", "rnd", "production", "purchasing",
                 "qc", "hr", "finance"):
        assert f"| top_management.consult_before_change | C | {unit} | loses |" in out
        assert any(line.startswith(f"| {unit} (") and "consulted on" in line
                   for line in out.splitlines())


def test_strict_blocks_a_new_warning(sides: tuple[Path, Path]):
    """A signal nothing reads is a new warning: exit 0, and 1 with --strict."""
    _, new = sides
    with (new / "signals.yaml").open("a", encoding="utf-8") as stream:
        stream.write("  - name: call.unread_rate\n    kind: metric\n"
                     "    meaning: {en: Unread, zh: 未读}\n")
    code, document = diff_json("old", "new")
    assert code == 0
    assert document["added"]["signals"] == ["call.unread_rate"]
    assert [(f["code"], f["severity"]) for f in document["findings"]["new"]] == [("SR108", "warning")]
    assert run("diff", "old", "new", "--strict")[0] == 1


def test_a_side_that_does_not_load_exit_2(sides: tuple[Path, Path]):
    """A broken model on either side: its problems located file:line, exit 2, nothing on stdout."""
    old, _ = sides
    edit(old, "hr.yaml", "  id: hr\n", "  id: hr\n  colour: blue\n")
    code, out, err = run("diff", "old", "new")
    assert (code, out) == (2, "")
    assert err.startswith("old/hr.yaml:")
    assert "colour" in err


@pytest.mark.usefixtures("sides")
def test_one_folder_without_git_is_a_usage_error():
    """`diff` with one folder and no --git: one line, exit 2."""
    code, _, err = run("diff", "old")
    assert code == 2
    assert err == "servresp diff: error: give two rules folders OLD NEW, or --git OLD [NEW]\n"


# --------------------------------------------------------------------------- git


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                   capture_output=True)


def test_git_revisions_from_a_subdirectory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`diff --git main HEAD` from a sub-folder: the change, rev:path labels, exit 1 on an error."""
    git(tmp_path, "init", "-q", "-b", "main")
    shutil.copytree(RULES, tmp_path / "rules")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "keep").write_text("", encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "rules")
    git(tmp_path, "checkout", "-qb", "pr")
    edit(tmp_path / "rules", "promises.yaml", "target: 0.75\n", "target: 0.95\n")
    git(tmp_path, "commit", "-qam", "raise")
    monkeypatch.chdir(tmp_path / "src")
    code, out, err = run("diff", "--git", "main", "HEAD", "--format", "markdown")
    assert (code, err) == (1, "")
    assert out.startswith("## servresp diff: `main:rules` → `HEAD:rules`\n")
    assert "| HEAD:rules/promises.yaml:" in out
    code, out, err = run("diff", "--git", "mian", "HEAD")
    assert (code, out, err) == (2, "", "error: unknown git revision 'mian'; did you mean 'main'?\n")
    code, out, _ = run("diff", "--git", "HEAD")
    assert code == 0
    assert "no change" in out


def test_the_ci_recipe_runs_diff_on_rules_changes():
    """docs/ci/servresp-diff.yml: a workflow on rules/** pull requests that posts the Markdown."""
    recipe = Path(__file__).resolve().parents[2] / "docs" / "ci" / "servresp-diff.yml"
    workflow = yaml.safe_load(recipe.read_text(encoding="utf-8"))
    assert workflow[True]["pull_request"]["paths"] == ["rules/**"]  # YAML 1.1 reads `on` as True
    steps = workflow["jobs"]["diff"]["steps"]
    script = next(s["run"] for s in steps if s.get("id") == "diff")
    command = script[script.index("servresp diff"):script.index(">")].replace("\\\n", " ")
    assert command.split()[:4] == ["servresp", "diff", "--git", '"origin/$BASE"']
    assert "--format markdown" in " ".join(command.split())
    assert any("gh pr comment" in s.get("run", "") for s in steps)
