"""Tests for `servresp.cli` on the foundation's contract: bad rules and bad usage exit 2 with clear lines."""

import argparse
import importlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

import servresp.cli
from servresp.cli import GROUPS, _build_parser, main

DATA = Path(__file__).parents[1] / "data"
LINE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+): (?P<rest>.+)$")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def in_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tests/data, so that problems name files as ``bad/<case>/<file>``."""
    monkeypatch.chdir(DATA)
    return DATA


@pytest.mark.usefixtures("in_data")
def test_duplicate_key_exits_2_with_one_located_line():
    """A rules folder with a duplicate key: exit 2, one ``file:line: field: message`` line."""
    code, out, err = run("check", "--rules", "bad/duplicate_key")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        ("bad/duplicate_key/desk.yaml:4: error SR000 unit.kind: duplicate key 'kind' (first at line 3)"
        " (hint: keep one of them)")]


@pytest.mark.usefixtures("in_data")
def test_unknown_accountable_exits_2_with_did_you_mean():
    """An unknown unit in raci.accountable: exit 2, one line with a suggestion."""
    code, out, err = run("check", "--rules", "bad/unknown_accountable")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        ("bad/unknown_accountable/desk.yaml:10: error SR000 duties[0].raci.accountable:"
        " unknown unit 'dsek'; did you mean 'desk'?")]


@pytest.mark.usefixtures("in_data")
def test_one_line_per_problem_sorted_without_traceback():
    """Every problem is one line, sorted by file and line; no traceback."""
    code, _, err = run("check", "--rules", "bad/many_problems")
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 5
    located = [LINE.match(line) for line in lines]
    assert all(located), lines
    keys = [(m["file"], int(m["line"])) for m in located if m]
    assert keys == sorted(keys)
    assert {f for f, _ in keys} == {f"bad/many_problems/{n}.yaml"
                                    for n in ("boss", "buyer", "desk", "sources")}
    assert "Traceback" not in err


@pytest.mark.usefixtures("in_data")
@pytest.mark.parametrize("command", [["check"], ["show", "desk"], ["docs", "out", "--check"]])
def test_every_command_reports_a_broken_model_the_same_way(command: list[str]):
    """Each command that loads a model exits 2 with the same lines for broken rules."""
    code, _, err = run(*command, "--rules", "bad/two_accountables")
    assert code == 2
    assert err.splitlines() == [
        ("bad/two_accountables/desk.yaml:10: error SR000 duties[0].raci.accountable: 2 accountable"
        " units; a duty has exactly one (hint: name one unit; list the others as responsible or"
        " consulted)")]


def test_missing_rules_folder(tmp_path: Path):
    """A rules folder that does not exist is one line and exit 2."""
    code, _, err = run("check", "--rules", str(tmp_path / "nope"))
    assert code == 2
    assert err == f"{tmp_path / 'nope'}: error SR000 no such rules folder (hint: pass --rules DIR)\n"


@pytest.mark.parametrize(("argv", "expected"), [
    ([], "servresp: error: the following arguments are required: command"),
    (["check", "--nope"], "servresp: error: unrecognized arguments: --nope"),
    (["show"], "servresp show: error: the following arguments are required: id"),
    (["check", "--rules"], "servresp check: error: argument --rules: expected one argument"),
])
def test_usage_errors_exit_2(argv: list[str], expected: str):
    """Bad arguments print argparse's message as one line on stderr and exit 2."""
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert err == expected + "\n"


@pytest.mark.parametrize("argv", [["frobnicate"], ["check", "--format", "xml"]])
def test_invalid_choices_exit_2(argv: list[str]):
    """An unknown command or option value is a usage error, exit 2."""
    code, _, err = run(*argv)
    assert code == 2
    assert err.startswith("servresp")
    assert "invalid choice" in err
    assert len(err.splitlines()) == 1


def test_help_exits_0():
    """``--help`` is not an error, and writes to the stdout it is given."""
    code, out, _ = run("--help")
    assert code == 0
    assert "check" in out


def test_check_minimal_model_exits_0():
    """`servresp check` on a clean model exits 0 with nothing on stderr."""
    code, _, err = run("check", "--rules", str(DATA / "minimal"))
    assert (code, err) == (0, "")


def test_show_unknown_id_exits_2():
    """`servresp show` with a typo exits 2 with a suggestion."""
    code, out, err = run("show", "dsk", "--rules", str(DATA / "minimal"))
    assert (code, out) == (2, "")
    assert err.startswith("error: unknown ")
    assert err.endswith("'dsk'; did you mean 'desk'?\n")


def _python_m(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "servresp", *argv], cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", check=False,
                          timeout=120)


def test_python_m_check_from_another_directory(tmp_path: Path):
    """``python -m servresp check --rules tests/data/minimal`` works from another working directory."""
    done = _python_m(tmp_path, "check", "--rules", str(DATA / "minimal"))
    assert (done.returncode, done.stderr) == (0, "")


def test_python_m_bad_rules_no_traceback(tmp_path: Path):
    """The real process exits 2 on bad rules and prints no traceback."""
    done = _python_m(tmp_path, "check", "--rules", str(DATA / "bad" / "duplicate_key"))
    assert done.returncode == 2
    assert done.stderr == ("desk.yaml:4: error SR000 unit.kind: duplicate key 'kind' (first at line 3)"
                           " (hint: keep one of them)\n")


def _commands(words: tuple[str, ...] = ()) -> dict[str, argparse.ArgumentParser]:
    parser, handlers = _build_parser(words)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    assert sorted(sub.choices) == sorted(handlers)
    return dict(sub.choices)


def _helps(parser: argparse.ArgumentParser) -> list[str]:
    """Return the help of ``parser`` and of every parser below it (``raci check``…)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001
    return [parser.format_help(), *(h for s in subs for p in s.choices.values() for h in _helps(p))]


def test_each_group_lists_the_commands_it_adds():
    """`GROUPS` names each module's commands as its `register` adds them: the parser is built from it."""
    modules = {p.stem for p in Path(servresp.cli.__file__).parent.glob("*_cmds.py")}
    assert set(GROUPS) == modules
    for name, commands in GROUPS.items():
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"servresp.cli.{name}").register(sub)
        assert tuple(sub.choices) == commands, name
    every = [command for commands in GROUPS.values() for command in commands]
    assert every == list(_commands())
    assert len(every) == len(set(every))


def test_a_command_parsed_alone_is_parsed_as_among_all():
    """The parser built for ``servresp NAME …`` gives NAME the same options, help and messages."""
    everything = _commands()
    for name, full in everything.items():
        alone = _commands((name, "--facts", "x"))
        assert name in alone
        assert len(alone) < len(everything)
        assert _helps(alone[name]) == _helps(full)
    assert _commands(("--debug", "trace")).keys() == everything.keys()
    assert _commands(("nonsense",)).keys() == everything.keys()
