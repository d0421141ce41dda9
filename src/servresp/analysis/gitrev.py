"""A rules folder at a git revision → a `Model`, read with git into a temporary folder.

Nothing is written into the repository: the folder's ``*.yaml`` blobs are read with
``git ls-tree`` and ``git cat-file`` and written to a temporary folder that is removed once
the model is loaded. Problems and ``check`` findings name files as git does, ``rev:path``
(``main:rules/sales.yaml:14``). Works from any directory inside the repository; the rules
path is relative to the repository's top folder.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import attrs

from servresp._fs import write_atomic
from servresp.errors import ModelError, Problem, ServrespError, did_you_mean
from servresp.model.load import load_model

if TYPE_CHECKING:
    from servresp.model.classes import Model

__all__ = ["GitError", "load_revision", "load_worktree", "repo_root"]


class GitError(ServrespError):
    """Git is missing, the directory is not in a repository, or a revision names no commit."""


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        # git from PATH, arguments as a list: no shell
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)  # noqa: S603, S607
    except FileNotFoundError:
        raise GitError("git is not installed; install git to compare revisions") from None


def repo_root(cwd: Path | None = None) -> Path:
    """Return the top folder of the git repository holding ``cwd`` (default: the current one)."""
    here = Path.cwd() if cwd is None else cwd
    done = _git(["rev-parse", "--show-toplevel"], here)
    if done.returncode:
        raise GitError(f"{here} is not inside a git repository; run diff --git from a checkout")
    return Path(done.stdout.decode("utf-8").strip())


def _commit(root: Path, rev: str) -> str:
    """Return the commit id ``rev`` names, or raise `GitError` with a suggestion."""
    done = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root)
    if done.returncode or rev.startswith("-"):
        refs = _git(["for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags"], root)
        known = refs.stdout.decode("utf-8", "replace").split()
        raise GitError(f"unknown git revision {rev!r}{did_you_mean(rev, known)}")
    return done.stdout.decode("utf-8").strip()


def _rules_path(rules: str) -> str:
    """Return ``rules`` as a clean path inside the repository ("" for its top folder)."""
    path = PurePosixPath(rules.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        raise GitError(f"--rules {rules!r} must be a folder inside the repository, relative to its "
                       "top folder (e.g. rules)")
    return "/".join(part for part in path.parts if part != ".")


_FILE_MODES = ("100644", "100755")
"""Regular files; a symbolic link's blob holds its target's name, not YAML."""


def _yaml_blobs(root: Path, commit: str, rules: str) -> list[tuple[str, str]]:
    """Return (file name, blob id) of the ``*.yaml`` files directly in ``rules`` at ``commit``."""
    listed = _git(["ls-tree", "-z", commit, "--", f"{rules}/"] if rules else
                  ["ls-tree", "-z", commit], root)
    blobs = []
    for entry in listed.stdout.decode("utf-8").split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        mode, kind, blob = meta.split()
        name = PurePosixPath(path).name
        if kind == "blob" and mode in _FILE_MODES and name.endswith(".yaml"):
            blobs.append((name, blob))
    return sorted(blobs)


def _relabel(problem: Problem, folder: Path, label: str) -> Problem:
    file = label if problem.file in ("", str(folder)) else f"{label}/{problem.file}"
    return attrs.evolve(problem, file=file)


def load_revision(rev: str, rules: str = "rules", *, cwd: Path | None = None) -> Model:
    """Load the rules folder ``rules`` as it is at git revision ``rev``.

    Raise `GitError` when ``rev`` names no commit, and `ModelError` (files named
    ``rev:path``) when the folder is missing there or does not load.
    """
    root = repo_root(cwd)
    commit = _commit(root, rev)
    path = _rules_path(rules)
    label = f"{rev}:{path}" if path else f"{rev}:"
    blobs = _yaml_blobs(root, commit, path)
    if not blobs:
        raise ModelError([Problem(label, 0, "", "no *.yaml files in this folder at this revision",
                                  "give the rules folder with --rules, relative to the "
                                  "repository's top folder")])
    with tempfile.TemporaryDirectory(prefix="servresp-diff-") as tmp:
        folder = Path(tmp) / (PurePosixPath(path).name or "rules")
        for name, blob in blobs:
            data = _git(["cat-file", "blob", blob], root).stdout
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise ModelError([Problem(f"{label}/{name}", 0, "", "the file is not UTF-8 text",
                                          "save it as UTF-8")]) from None
            write_atomic(folder, name, text)
        try:
            model = load_model(folder, name=folder.name)
        except ModelError as exc:
            raise ModelError(_relabel(p, folder, label) for p in exc.problems) from None
    where = {id_: (f"{label}/{file}", line) for id_, (file, line) in model.locations.items()}
    return attrs.evolve(model, locations=where)


def load_worktree(rules: str = "rules", *, cwd: Path | None = None) -> Model:
    """Load the rules folder ``rules`` of the repository's working tree, as it is on disk."""
    folder = repo_root(cwd) / _rules_path(rules)
    return load_model(Path(os.path.relpath(folder, Path.cwd())))  # files named as the user sees them
