"""servresp.analysis.gitrev: a rules folder at a git revision, read without touching the repo."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import servresp
from servresp.analysis.gitrev import GitError, load_revision, load_worktree, repo_root
from servresp.errors import ModelError

RULES = Path(servresp.default_rules_dir())


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                           "-c", "commit.gpgsign=false", *args],
                          cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Make a repository: the bundled rules on main, a raised target on 'raise', a broken file on 'broken'."""
    root = tmp_path_factory.mktemp("repo")
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(RULES, root / "rules")
    (root / "docs").mkdir()
    (root / "docs" / "README").write_text("docs\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "rules")
    git(root, "checkout", "-qb", "raise")
    promises = root / "rules" / "promises.yaml"
    promises.write_text(promises.read_text(encoding="utf-8").replace(
        "target: 0.75\n", "target: 0.95\n", 1), encoding="utf-8")
    git(root, "commit", "-qam", "raise")
    git(root, "checkout", "-qb", "broken")
    (root / "rules" / "hr.yaml").write_text("unit: [\n", encoding="utf-8")
    git(root, "commit", "-qam", "break")
    git(root, "checkout", "-q", "main")
    return root


def test_reads_a_revision_from_a_subdirectory(repo: Path):
    """From any folder in the repo, the rules at a revision load, their files named rev:path."""
    model = load_revision("raise", cwd=repo / "docs")
    assert model.standards["call_answer_ring3"].target == 0.95
    assert model.location("hr").startswith("raise:rules/hr.yaml:")
    assert load_revision("main", "./rules/", cwd=repo).standards["call_answer_ring3"].target == 0.75
    assert git(repo, "status", "--porcelain") == ""


def test_unknown_revision_is_one_clear_line(repo: Path):
    """A revision that names no commit: one line, with the closest branch."""
    with pytest.raises(GitError) as caught:
        load_revision("rasie", cwd=repo)
    assert str(caught.value) == "unknown git revision 'rasie'; did you mean 'raise'?"
    with pytest.raises(GitError, match="unknown git revision '--all'"):
        load_revision("--all", cwd=repo)


def test_a_missing_folder_and_a_bad_file_are_located(repo: Path):
    """No rules at the path, or a file that does not load: problems named rev:path."""
    with pytest.raises(ModelError) as missing:
        load_revision("main", "nope", cwd=repo)
    assert str(missing.value).startswith("main:nope: no *.yaml files in this folder")
    with pytest.raises(ModelError) as broken:
        load_revision("broken", cwd=repo)
    assert all(p.file.startswith("broken:rules/") for p in broken.value.problems)
    assert any(p.file == "broken:rules/hr.yaml" and p.line for p in broken.value.problems)


def test_rules_path_must_stay_inside(repo: Path):
    """A rules path that leaves the repository is refused."""
    with pytest.raises(GitError, match="must be a folder inside the repository"):
        load_revision("main", "../rules", cwd=repo)


def test_worktree_and_outside_a_repo(repo: Path, tmp_path: Path):
    """The working tree loads as it is on disk; outside a repository, one clear line."""
    assert repo_root(repo / "docs") == repo.resolve()
    assert load_worktree(cwd=repo / "docs").standards["call_answer_ring3"].target == 0.75
    with pytest.raises(GitError, match="is not inside a git repository"):
        load_revision("main", cwd=tmp_path)
