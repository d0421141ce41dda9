"""`servresp cutsets`: a promise of the model or an MEF file, as text, JSON or MEF."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema

from servresp.cli import main

ROOT = Path(__file__).parents[2]
SCRAM = ROOT / "tests" / "data" / "faulttree" / "scram"
SCHEMA = json.loads((ROOT / "docs" / "schema" / "cutsets.schema.json").read_text(encoding="utf-8"))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_mef_json():
    """An MEF input: SCRAM's two-train system, JSON that validates, the exact probability."""
    tree = str(SCRAM / "correct_tree_input_with_probs.xml")
    code, out, err = run("cutsets", "--mef", tree, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert data["probability"]["exact"] == 0.646


def test_promise_with_history_and_probability_file(tmp_path: Path):
    """A promise with probabilities from history, one of them overridden by a file."""
    given = tmp_path / "p.json"
    given.write_text('{"qc.product_quality": 0.01}', encoding="utf-8")
    code, out, _ = run("cutsets", "product_works", "--facts", str(ROOT / "examples" / "october.jsonl"),
                       "--probabilities", str(given), "--format", "json")
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert data["top"] == "product_works"
    assert 0 < data["probability"]["exact"] <= data["probability"]["rare_event"]


def test_every_promise_as_text():
    """Without PROMISE: each promise, the units behind each cut set."""
    code, out, _ = run("cutsets")
    assert code == 0
    assert [line.split(":")[0] for line in out.splitlines() if "minimal cut sets" in line] == [
        "commitment_kept", "product_works", "service_as_promised"]
    assert "[customer_service AND service_team]" in out


def test_every_promise_as_json_is_a_list():
    """Without PROMISE, JSON is a list of reports, one per promise."""
    code, out, _ = run("cutsets", "--format", "json")
    assert code == 0
    jsonschema.validate(json.loads(out), SCHEMA)


def test_export_mef_and_read_it_back(tmp_path: Path):
    """--format mef writes the promise's tree; --mef reads it back to the same cut sets."""
    code, mef, _ = run("cutsets", "product_works", "--format", "mef")
    assert code == 0
    path = tmp_path / "product_works.xml"
    path.write_text(mef, encoding="utf-8")
    direct = json.loads(run("cutsets", "product_works", "--format", "json")[1])
    again = json.loads(run("cutsets", "--mef", str(path), "--format", "json")[1])
    assert [[e.replace("-", ".") for e in s] for s in again["cut_sets"]] == direct["cut_sets"]


def test_errors_are_one_line_each(tmp_path: Path):
    """Bad input: located lines on stderr, exit 2, no traceback."""
    assert run("cutsets", "product_work")[0] == 2
    assert "did you mean 'product_works'" in run("cutsets", "product_work")[2]
    bad = tmp_path / "bad.xml"
    bad.write_text("<opsa-mef><define-gate name='g'></opsa-mef>", encoding="utf-8")
    code, out, err = run("cutsets", "--mef", str(bad))
    assert (code, out) == (2, "")
    assert err == f"{bad}:1: not well-formed XML: mismatched tag (fix the XML syntax)\n"
    code, _, err = run("cutsets", "--mef", str(bad), "--facts", "x.jsonl")
    assert code == 2
    assert "--mef takes no PROMISE, --rules or --facts" in err
    assert run("cutsets", "--format", "mef")[0] == 2
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert run("cutsets", "product_works", "--facts", str(empty))[1:] == (
        "", f"error: {empty}: no readable fact to learn from\n")
