"""Tests for `servresp.lint.verdict`: a model without errors is checked once per set of files."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from servresp.lint import verdict
from servresp.model.load import load_keyed

MINIMAL = Path(__file__).parents[1] / "data" / "minimal"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return shutil.copytree(MINIMAL, tmp_path / "rules")


def checked(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.checked")) if cache.is_dir() else []


def refuse_to_lint(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the checks ran")

    monkeypatch.setattr("servresp.lint.runner.lint", fail)


def make_cyclic(folder: Path) -> None:
    desk = folder / "desk.yaml"
    text = desk.read_text(encoding="utf-8")
    desk.write_text(text.replace("supports: [service_ok]", "supports: [service_ok, boss.organise]"),
                    encoding="utf-8")


def test_a_model_without_errors_is_remembered(cache: Path, folder: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The first call checks and remembers; the second neither imports nor runs the checks."""
    assert verdict.errors_of(*load_keyed(folder)) == ()
    assert len(checked(cache)) == 1
    refuse_to_lint(monkeypatch)
    assert verdict.errors_of(*load_keyed(folder)) == ()


@pytest.mark.usefixtures("cache")
def test_an_edited_file_is_checked_again(folder: Path) -> None:
    """A verdict belongs to the bytes it was given on: an edit that adds an error is caught."""
    assert verdict.errors_of(*load_keyed(folder)) == ()
    make_cyclic(folder)
    assert {f.code for f in verdict.errors_of(*load_keyed(folder))} == {"SR104"}


def test_errors_are_never_remembered(cache: Path, folder: Path) -> None:
    """A model with errors is checked, and its errors reported, every time."""
    make_cyclic(folder)
    for _ in range(2):
        assert {f.code for f in verdict.errors_of(*load_keyed(folder))} == {"SR104"}
    assert checked(cache) == []


def test_another_model_name_is_checked_again(cache: Path, folder: Path) -> None:
    """The verdict is on one model: the same files under another name are checked again."""
    verdict.errors_of(*load_keyed(folder))
    verdict.errors_of(*load_keyed(folder, name="other"))
    assert len(checked(cache)) == 2


@pytest.mark.parametrize("content", [b"", b"\x00 not a verdict", b"servresp x checked\n"])
def test_a_corrupt_entry_is_ignored(cache: Path, folder: Path, content: bytes) -> None:
    """An entry that does not repeat its own key and verdict counts for nothing, and is rewritten."""
    verdict.errors_of(*load_keyed(folder))
    (entry,) = checked(cache)
    good = entry.read_bytes()
    entry.write_bytes(content)
    assert verdict.errors_of(*load_keyed(folder)) == ()
    assert entry.read_bytes() == good


def test_a_corrupt_entry_does_not_pass_a_model(cache: Path, folder: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A truncated entry is no verdict: the checks run again."""
    verdict.errors_of(*load_keyed(folder))
    (entry,) = checked(cache)
    entry.write_bytes(entry.read_bytes()[:-2])
    refuse_to_lint(monkeypatch)
    with pytest.raises(AssertionError, match="the checks ran"):
        verdict.errors_of(*load_keyed(folder))


def test_servresp_no_cache_turns_it_off(cache: Path, folder: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the cache there is no key, and the checks run every time."""
    monkeypatch.setenv("SERVRESP_NO_CACHE", "1")
    model, key = load_keyed(folder)
    assert key is None
    assert verdict.errors_of(model, key) == ()
    assert checked(cache) == []


def test_an_edited_check_is_run_again(cache: Path, folder: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The source of the checks is part of the key: a changed check does not trust an old verdict."""
    verdict.errors_of(*load_keyed(folder))
    package = tmp_path / "servresp"
    shutil.copytree(Path(verdict.__file__).parent, package / "lint",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (package / "errors.py").write_bytes(Path(verdict.errors.__file__).read_bytes())
    (package / "lint" / "checks.py").write_text("# edited\n", encoding="utf-8", newline="")
    monkeypatch.setattr(verdict.errors, "__file__", str(package / "errors.py"))
    verdict.errors_of(*load_keyed(folder))
    assert len(checked(cache)) == 2


def test_a_remembered_verdict_imports_none_of_the_checks(tmp_path: Path) -> None:
    """A second `trace` of unchanged files imports no checks, parser or fault trees; one command module."""
    facts = Path(__file__).parents[1] / "data" / "facts" / "breach.jsonl"
    watched = ("servresp.model.faulttree", "servresp.model._parse")
    code = ("import sys, io; from servresp.cli import main; "
            f"status = main(['trace', '--rules', {str(MINIMAL)!r}, '--facts', {str(facts)!r}], "
            "stdout=io.StringIO(), stderr=io.StringIO()); "
            "print(status, sorted(m for m in sys.modules "
            f"if m.startswith(('servresp.lint.', 'servresp.cli.')) or m in {watched!r}))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("SERVRESP_NO_CACHE", None)
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env=env).stdout.split(" ", 1) for _ in range(2)]
    assert runs[0][0] == runs[1][0] == "0"
    assert "servresp.lint.runner" in runs[0][1]
    assert runs[1][1].strip() == ("['servresp.cli.common', 'servresp.cli.lang', 'servresp.cli.trace_cmds', "
                                  "'servresp.lint.verdict']")
