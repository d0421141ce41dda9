"""The gate and barrier checks of `servresp check`: SR130 and SR131."""

from __future__ import annotations

import shutil
from pathlib import Path

from servresp.lint.runner import lint
from servresp.model.load import load_model

MINIMAL = Path(__file__).parents[1] / "data" / "minimal"


def _findings(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    folder = tmp_path / "rules"
    shutil.copytree(MINIMAL, folder)
    path = folder / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return [str(f).replace(f"{folder}/", "") for f in lint(load_model(folder)) if f.code.startswith("SR13")]


def test_sr130_gate_asks_too_much(tmp_path: Path):
    """at_least 3 of the desk's 2 suppliers can never break it."""
    assert _findings(tmp_path, "desk.yaml", "    supports: [service_ok]\n",
                     "    supports: [service_ok]\n    gate: {at_least: 3}\n") == [
        ("desk.yaml:7: error SR130 duties[0].gate: at_least: 3 but only 2 duties support it "
        "(hint: lower at_least, or let more duties support it, or write gate: any)")]


def test_sr130_gate_on_nothing(tmp_path: Path):
    """gate: all on a duty nothing supports says nothing."""
    assert _findings(tmp_path, "boss.yaml", "    supports: [desk.answer_calls]\n",
                     "    supports: [desk.answer_calls]\n    gate: all\n") == [
        ("boss.yaml:7: error SR130 duties[0].gate: gate all but no duty supports it "
        "(hint: lower at_least, or let more duties support it, or write gate: any)")]


def test_sr131_barrier_upstream_of_itself(tmp_path: Path):
    """The desk cannot catch the boss's failures: the boss supplies the desk."""
    found = _findings(tmp_path, "desk.yaml", "    supports: [service_ok]\n",
                      "    supports: [service_ok]\n    catches: [boss.organise]\n")
    assert found == [
        ("desk.yaml:7: error SR131 duties[0].catches: supports and catches form a cycle: desk.answer_calls → "
        "boss.organise → desk.answer_calls (hint: a barrier must not depend on the duty it catches: "
        "remove the catch or the supports edge that leads back to it)")]
