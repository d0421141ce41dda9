"""servresp.cli serve and mcp: arguments, and a bad model refused before anything starts."""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING

from servresp.cli import main
from servresp.service.limits import Limits

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_a_bad_model_is_refused_with_the_cli_problem_lines(tmp_path: Path) -> None:
    """Serve and mcp load the rules first: a broken folder exits 2 with file:line problems."""
    (tmp_path / "units.yaml").write_text("units: [\n", encoding="utf-8")
    for command in ("serve", "mcp"):
        status, _out, err = run(command, "--rules", str(tmp_path))
        assert status == 2
        assert "units.yaml:2: error SR000 invalid YAML" in err


def test_bad_arguments_are_usage_errors() -> None:
    """--workers 0 and a non-number port exit 2 with argparse's message."""
    status, _out, err = run("serve", "--workers", "0")
    assert status == 2
    assert "0 is not a positive whole number" in err
    assert run("serve", "--port", "http")[0] == 2


def test_serve_passes_the_limits_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit options reach the server as one Limits value; the host defaults to 127.0.0.1."""
    seen: dict[str, object] = {}

    def fake_serve(model: object, **options: object) -> None:
        seen.update(options, model=model)

    monkeypatch.setattr("servresp.service.server.serve", fake_serve)
    status, _out, _err = run("serve", "--max-body", "10", "--max-facts", "5", "--time-limit", "2.5",
                             "--cors-origin", "https://a.example", "--port", "9")
    assert status == 0
    assert seen["limits"] == Limits(max_body_bytes=10, max_facts=5, time_limit=2.5,
                                    cors_origins=("https://a.example",))
    assert (seen["host"], seen["port"], seen["workers"]) == ("127.0.0.1", 9, 1)
    assert "servresp.service.server" in sys.modules
