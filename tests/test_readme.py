"""The README's examples run as written."""

import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_python_example_runs(monkeypatch: pytest.MonkeyPatch):
    """The Python example runs from the checkout and its assertions hold."""
    monkeypatch.chdir(ROOT)
    (code,) = _blocks("python")
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    assert "purchasing" in out.getvalue()


def test_api_doc_examples_run(monkeypatch: pytest.MonkeyPatch):
    """Every Python block of docs/api.md runs, in order, from the checkout."""
    monkeypatch.chdir(ROOT)
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    code = "\n".join(re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    exec(compile(code, "docs/api.md", "exec"), {})  # noqa: S102 - our own docs
    assert "service_as_promised" not in out.getvalue() or "breached" in out.getvalue()
    assert "customer_service" in out.getvalue()


def _tour() -> list[str]:
    (block,) = [b for b in _blocks("sh") if "servresp check" in b]
    commands = [line.split("#")[0].strip() for line in block.splitlines()]
    return [c for c in commands if c.startswith("servresp")]


EXPECTED = {  # what each tour command must print (stdout, then stderr), beyond exiting cleanly
    "servresp check": ("scorecard", ""),
    "servresp show ": ("duty customer_service.resolve_on_the_spot", ""),
    "servresp trace --facts examples/service_broken": ("service_as_promised: BREACHED", ""),
    "servresp trace service_as_promised": ('"schema": "servresp.trace/1"', ""),
    "servresp why hr": ("hr shares service_as_promised", ""),
    "servresp trace --facts examples/bad_lines": ("servresp trace", "rejected: examples/bad_lines.jsonl:2:"),
    "servresp docs": ("wrote ", ""),
    "servresp indicators": ("servresp trace", ""),
    "servresp report": ("# Service standards report", ""),
    "servresp watch": ('"schema":"servresp.watch/1"', "watch: "),
    "servresp impact": ("consult", ""),
    "servresp trace product_works": ("product_works: 未兑现", ""),
}


@pytest.mark.parametrize("command", _tour())
def test_tour_command_runs(command: str, tmp_path: Path):
    """Each tour command exits 0 or 1 (a finding), never 2, prints no traceback, and says what it should."""
    servresp = Path(sys.executable).with_name("servresp")
    shell = command.replace("servresp ", f"{shlex.quote(str(servresp))} ")
    shell = shell.replace("docs/charts", shlex.quote(str(tmp_path / "charts")))
    done = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout
    for prefix, (out, err) in EXPECTED.items():
        if command.startswith(prefix):
            assert out in done.stdout, (command, done.stdout[:500])
            assert err in done.stderr, (command, done.stderr[:500])
