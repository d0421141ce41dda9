"""The command line's reliability contract (issue 14): exit codes, streams, encodings, frictions."""

from __future__ import annotations

import gc
import io
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import referencing

from servresp import cli
from servresp.cli import main, model_cmds

ROOT = Path(__file__).parents[2]
MINIMAL = ROOT / "tests" / "data" / "minimal"
OCTOBER = ROOT / "examples" / "october.jsonl"
SCHEMAS = ROOT / "docs" / "schema"
GOOD = '{"metric": "call.answered_rate", "value": 0.5, "period": "2026-10"}\n'


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def servresp(*argv: str, stdin: bytes = b"", env: dict[str, str] | None = None,
             cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the real process (its streams, locale and signals are what is tested)."""
    return subprocess.run([sys.executable, "-m", "servresp", *argv], input=stdin, capture_output=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}, cwd=cwd,
                          check=False, timeout=120)


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    trace = json.loads((SCHEMAS / "trace.schema.json").read_text(encoding="utf-8"))
    registry = referencing.Registry().with_resource(trace["$id"], referencing.Resource.from_contents(trace))
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _boom(*_args: object) -> int:
    raise ZeroDivisionError("division by zero")


# --------------------------------------------------------------------------- bugs, Ctrl-C, pipes


def test_a_bug_exits_70_with_one_line_and_how_to_see_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception: exit 70 (not 1, not 2), one line naming it a bug, no traceback."""
    monkeypatch.setattr(model_cmds, "_show", _boom)
    monkeypatch.delenv("SERVRESP_DEBUG", raising=False)
    code, out, err = run("show", "desk", "--rules", str(MINIMAL))
    assert (code, out) == (70, "")
    assert err == ("servresp: internal error (a bug, not your input): ZeroDivisionError: division by zero; "
                   "run again with --debug or SERVRESP_DEBUG=1 to see the traceback, and report it\n")


@pytest.mark.parametrize("how", ["--debug first", "--debug last", "SERVRESP_DEBUG=1"])
def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """--debug (before or after the command) or SERVRESP_DEBUG=1 lets the exception through."""
    monkeypatch.setattr(model_cmds, "_show", _boom)
    argv = ["show", "desk", "--rules", str(MINIMAL)]
    if how == "--debug first":
        argv.insert(0, "--debug")
    elif how == "--debug last":
        argv.append("--debug")
    else:
        monkeypatch.setenv("SERVRESP_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(argv, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("command", ["docs", "trace", "watch", "check"])
def test_d22_ctrl_c_exits_130_without_traceback(monkeypatch: pytest.MonkeyPatch, command: str,
                                                 tmp_path: Path) -> None:
    """Ctrl-C anywhere in a command: exit 130 and one word on stderr."""
    def interrupted(*_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("servresp.cli.common.load_keyed", interrupted)
    monkeypatch.setattr("servresp.cli.model_cmds.load_model", interrupted)
    argv = {"docs": ["docs", str(tmp_path)], "trace": ["trace", "--facts", str(OCTOBER)],
            "watch": ["watch"], "check": ["check"]}[command]
    assert run(*argv) == (130, "", "interrupted\n")


def _default_sigint() -> None:
    """Let the child take SIGINT even when this run ignores it (a job started with ``&``)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_reading_stdin(pid: int, timeout: float = 60.0) -> None:
    """Wait until ``pid`` blocks in read(0) (Linux /proc), or 2 s where /proc cannot say."""
    syscall = Path(f"/proc/{pid}/syscall")
    deadline = time.monotonic() + timeout
    while platform.machine() == "x86_64" and time.monotonic() < deadline:
        try:
            if syscall.read_text().startswith("0 0x0 "):  # x86-64 read(2) on fd 0
                return
        except OSError:
            break
        time.sleep(0.05)
    time.sleep(2.0)


def test_d22_a_real_sigint_exits_130_quietly() -> None:
    """SIGINT to a process reading stdin: exit 130, no traceback (the watch test covers --follow)."""
    process = subprocess.Popen([sys.executable, "-m", "servresp", "trace", "--facts", "-"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=_default_sigint)  # noqa: PLW1509 - no threads started here
    _wait_reading_stdin(process.pid)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"Traceback" not in err


def test_a_closed_pipe_exits_quietly() -> None:
    """``servresp show … | head -0``: no traceback, no 'Exception ignored', exit 141."""
    process = subprocess.Popen([sys.executable, "-m", "servresp", "trace", "--facts", str(OCTOBER)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # the reader went away before the first line
    _, err = process.communicate(timeout=60)
    assert err == b""
    assert process.returncode == 141


# --------------------------------------------------------------------------- encodings and stdin


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1"},
                                 {"LC_ALL": "C", "PYTHONIOENCODING": "ascii:strict"}])
def test_d29_narrow_encodings_fall_back_to_escapes(env: dict[str, str]) -> None:
    """Chinese names on an ASCII or Latin-1 stream are written as escapes, exit 0."""
    done = servresp("show", "customer_service", "--lang", "zh", env=env)
    assert done.returncode == 0, done.stderr
    assert b"\\u" in done.stdout
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize("argv", [["watch", "--rules", str(MINIMAL)],
                                  ["trace", "--facts", "-", "--rules", str(MINIMAL)]])
def test_d3_a_bad_byte_on_stdin_rejects_its_line_only(argv: list[str]) -> None:
    """Invalid UTF-8 on stdin under a UTF-8 locale: that line is rejected, the rest is read."""
    done = servresp(*argv, stdin=GOOD.encode() + b"\xff\n" + GOOD.encode(),
                    env={"PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert b"-:2: not UTF-8 text" in done.stderr
    assert b"Traceback" not in done.stderr


def test_d3_a_bad_byte_on_stdin_of_indicators(tmp_path: Path) -> None:
    """Indicators - reads stdin line by line too."""
    rows = b"type,received_at,answered_at,rings\ncalls,2026-10-01T10:00:00Z,2026-10-01T10:00:05Z,1\n"
    done = servresp("indicators", "--min-count", "1", "-", stdin=rows + b"\xff,x\n",
                    env={"PYTHONIOENCODING": "utf-8"}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"rejected: -:3: not UTF-8 text" in done.stderr
    assert b"call.answered_by_ring2_rate" in done.stdout


# --------------------------------------------------------------------------- far dates, terminals


def test_d1_an_event_at_the_end_of_the_calendar_is_traced(tmp_path: Path) -> None:
    """An event at 9999-12-31T23:00Z: trace, why, report and watch answer for period 9999-12."""
    facts = tmp_path / "far.jsonl"
    facts.write_text('{"event": "supplier.late_delivery", "at": "9999-12-31T23:00:00Z"}\n'
                     '{"event": "supplier.late_delivery", "at": "9999-12-31T23:30:00Z"}\n', encoding="utf-8")
    rules = ["--rules", str(MINIMAL)]
    code, out, _ = run("trace", "--facts", str(facts), *rules, "--format", "json")
    assert (code, json.loads(out)["period"]) == (0, "9999-12")
    assert run("why", "buyer", "service_ok", "--facts", str(facts), *rules)[0] == 0
    assert run("report", "--facts", str(facts), *rules)[0] == 0
    done = servresp("watch", *rules, stdin=facts.read_bytes())
    assert done.returncode == 0
    assert [json.loads(line)["period"] for line in done.stdout.splitlines()] == ["9999-12"]


def test_d20_show_escapes_terminal_controls(tmp_path: Path) -> None:
    """A unit name holding an escape sequence is shown as text, never sent to the terminal."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for path in MINIMAL.iterdir():
        text = path.read_text(encoding="utf-8")
        text = text.replace("Service desk", '"Desk \\e[2J\\e]0;pwned\\a \\u202eevil"')
        (rules / path.name).write_text(text, encoding="utf-8")
    code, out, _ = run("show", "desk", "--rules", str(rules))
    assert code == 0
    assert not {"\x1b", "\x07", "\u202e"} & set(out)
    assert "Desk \\x1b[2J\\x1b]0;pwned\\x07 \\u202eevil" in out


# --------------------------------------------------------------------------- frictions


def test_check_json_on_a_model_that_does_not_load_is_json(tmp_path: Path) -> None:
    """Check --format json always prints servresp.check/1: load problems are SR000 findings (exit 2)."""
    code, out, err = run("check", "--rules", str(ROOT / "tests" / "data" / "bad" / "duplicate_key"),
                         "--format", "json")
    assert (code, err) == (2, "")
    document = json.loads(out)
    validator("check.schema.json").validate(document)
    assert [(f["code"], f["line"], f["path"]) for f in document["findings"]] == [("SR000", 4, "unit.kind")]
    code, out, _ = run("check", "--rules", str(tmp_path / "none"), "--format", "json")
    assert (code, json.loads(out)["summary"]["errors"]) == (2, 1)


def test_load_problems_print_with_their_code() -> None:
    """In text, a load problem reads like any finding: ``file:line: error SR000 path: message``."""
    code, _, err = run("check", "--rules", str(ROOT / "tests" / "data" / "bad" / "duplicate_key"))
    assert code == 2
    assert err.endswith("desk.yaml:4: error SR000 unit.kind: duplicate key 'kind' (first at line 3) "
                        "(hint: keep one of them)\n")


def test_the_promise_after_facts_is_taken_as_the_promise() -> None:
    """``trace --facts F PROMISE`` traces PROMISE and says how to write it; why takes both ids."""
    code, out, err = run("trace", "--facts", str(OCTOBER), "service_as_promised", "--format", "json")
    assert code == 0
    assert [t["promise"] for t in json.loads(out)["traces"]] == ["service_as_promised"]
    assert err.startswith("note: read 'service_as_promised' as promise, not fact files")
    code, out, _ = run("why", "--facts", str(OCTOBER), "customer_service", "service_as_promised")
    assert (code, out.split(" ", 1)[0]) == (0, "customer_service")
    code, _, err = run("why", "customer_service", "--facts", str(OCTOBER))
    assert (code, err) == (2, "servresp: error: missing promise; write them before --facts\n")


def test_schemas_of_check_report_and_watch_outputs(tmp_path: Path) -> None:
    """check, report and watch outputs validate against docs/schema/*.schema.json."""
    code, out, _ = run("check", "--format", "json")
    assert code in (0, 1)
    validator("check.schema.json").validate(json.loads(out))
    code, out, _ = run("report", "--facts", str(OCTOBER), "--format", "json")
    assert code == 0
    validator("report.schema.json").validate(json.loads(out))
    done = servresp("watch", stdin=OCTOBER.read_bytes(), cwd=tmp_path)
    lines = done.stdout.decode().splitlines()
    assert lines
    for line in lines:
        validator("watch.schema.json").validate(json.loads(line))


def test_d8_indicators_to_dev_null_and_a_fifo_stream(tmp_path: Path) -> None:
    """-o /dev/null works; -o a FIFO streams into it; neither is replaced."""
    records = sorted(str(p) for p in (ROOT / "examples" / "records").iterdir())
    assert run("indicators", *records, "-o", os.devnull)[0] == 0
    assert Path(os.devnull).is_char_device()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert run("indicators", *records, "-o", str(fifo))[0] == 0
    out, _ = reader.communicate(timeout=60)
    assert fifo.is_fifo()
    assert b'"metric":"call.answered_by_ring2_rate"' in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--port", "99999"], "argument --port: expected a port from 0 to 65535, found '99999'"),
    (["--port", "-1"], "argument --port: expected a port from 0 to 65535, found '-1'"),
    (["--workers", "99999999999999999999"], "argument --workers: 99999999999999999999 workers; at most 64"),
    (["--time-limit", "nan"], "argument --time-limit: expected a number of seconds > 0, found 'nan'"),
])
def test_serve_refuses_impossible_options_before_starting(argv: list[str], message: str) -> None:
    """A port past 65535 or a huge worker count is a usage error, not a bug or a process storm."""
    assert run("serve", *argv) == (2, "", f"servresp serve: error: {message}\n")


def test_an_argument_no_file_system_can_hold_is_a_usage_error() -> None:
    """A lone surrogate (no OS gives one) in an argument: exit 2 naming it, not a bug."""
    assert run("docs", "\ud800") == (2, "", "servresp: error: argument 2 is not valid text: '\\ud800'\n")


def test_a_path_the_system_refuses_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """An OSError about a file given (here: name too long) is one line and exit 2."""
    def refused(*_args: object) -> int:
        raise OSError(36, "File name too long", "a" * 300)

    monkeypatch.setattr(model_cmds, "_show", refused)
    code, _, err = run("show", "desk")
    assert code == 2
    assert err == f"error: {'a' * 200!r}: File name too long\n"


def test_one_id_after_facts_fills_the_last_missing_one() -> None:
    """``why --facts F PROMISE`` takes PROMISE and still asks for the unit (exit 2, no bug)."""
    code, _, err = run("why", "--facts", str(OCTOBER), "service_as_promised")
    assert code == 2
    assert err.splitlines() == [
        ("note: read 'service_as_promised' as promise, not fact files; write them before --facts to "
         "silence this note"), "servresp: error: missing unit; write them before --facts"]


def test_the_process_entry_exits_with_mains_status_and_freezes_what_is_left(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`run` (the script and ``python -m servresp``) exits with `main`'s code, objects frozen."""
    monkeypatch.setattr(cli, "main", lambda: 3)
    try:
        with pytest.raises(SystemExit) as exited:
            cli.run()
        assert exited.value.code == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_python_m_servresp_runs_the_process_entry() -> None:
    """``python -m servresp`` gives the same exit code and output as the script."""
    done = subprocess.run([sys.executable, "-m", "servresp", "show", "nosuchunit"], capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 2
    assert "nosuchunit" in done.stderr
