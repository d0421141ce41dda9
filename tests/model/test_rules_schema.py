"""Tests for docs/schema/rules.schema.json: a valid schema that agrees with the loader."""

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings

from servresp.model.classes import Model
from servresp.model.load import default_rules_dir, iter_problems
from strategies import dump_model, models

ROOT = Path(__file__).parents[2]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "rules.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
MINIMAL = Path(__file__).parents[1] / "data" / "minimal"


def schema_errors(text: str) -> list[str]:
    data = yaml.safe_load(text)
    return [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def test_schema_is_valid():
    """The schema itself is valid JSON Schema draft 2020-12."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", sorted(MINIMAL.glob("*.yaml")), ids=lambda p: p.name)
def test_minimal_files_validate(path: Path):
    """Every file of the minimal model validates."""
    assert schema_errors(path.read_text(encoding="utf-8")) == []


def _bundled_files() -> list[Path]:
    return sorted(default_rules_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", _bundled_files(), ids=lambda p: p.name)
def test_bundled_files_validate(path: Path):
    """Every file of the bundled model validates, and the bundled model loads without a problem."""
    assert list(iter_problems(default_rules_dir())) == []
    assert schema_errors(path.read_text(encoding="utf-8")) == []


@settings(max_examples=30)
@given(models())
def test_generated_files_validate(model: Model):
    """Every file that `dump_model` writes for a valid model validates."""
    for name, text in dump_model(model).items():
        assert schema_errors(text) == [], name


def test_empty_file_validates():
    """An empty file is valid for the schema as for the loader."""
    assert schema_errors("") == []


def _edit(name: str, old: str, new: str) -> tuple[str, str]:
    text = (MINIMAL / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return name, text.replace(old, new)


INVALID: dict[str, tuple[str, str]] = {
    "unknown top-level key": _edit("sources.yaml", "signals:", "signal:"),
    "unknown unit key": _edit("desk.yaml", "  faces: external", "  faces: external\n  colour: red"),
    "unknown duty key": _edit("desk.yaml", "    supports: [service_ok]", "    suports: [service_ok]"),
    "unknown raci key": _edit("buyer.yaml", "responsible: [buyer]}",
                              "responsible: [buyer], approver: boss}"),
    "wrong type: name is a string": _edit("desk.yaml", "  name: {en: Service desk, zh: 客户服务部}",
                                          "  name: Service desk"),
    "wrong type: supports is a string": _edit("buyer.yaml", "supports: [desk.answer_calls]",
                                              "supports: desk.answer_calls"),
    "wrong type: target is a string": _edit("sources.yaml", "target: 0.96", 'target: "96%"'),
    "wrong type: weight is a boolean": _edit("desk.yaml", "weight: 0.5", "weight: true"),
    "wrong type: promises is a mapping": ("extra.yaml", "promises: {id: p}\n"),
    "wrong type: tracing is a list": ("tracing.yaml", "tracing: [0.2]\n"),
    "bad enum: unit kind": _edit("boss.yaml", "kind: tier", "kind: tear"),
    "bad enum: faces": _edit("desk.yaml", "faces: external", "faces: outward"),
    "bad enum: comparator": _edit("sources.yaml", 'comparator: ">="', 'comparator: "=>"'),
    "bad enum: window": _edit("sources.yaml", "window: month", "window: quarter"),
    "bad enum: domain": _edit("sources.yaml", "domain: time_limits", "domain: speed"),
    "bad enum: signal kind": _edit("sources.yaml", "kind: event", "kind: happening"),
    "bad enum: threshold": _edit("desk.yaml", "threshold: company", "threshold: mine"),
    "bad id: capital letter": _edit("desk.yaml", "  id: desk\n", "  id: Desk\n"),
    "bad id: duty without a dot": _edit("boss.yaml", "id: boss.organise", "id: boss_organise"),
    "bad id: source": _edit("sources.yaml", "- {id: S4,", "- {id: s4,"),
    "bad id: signal name": _edit("sources.yaml", "name: call.answered_rate",
                                 "name: answered_rate"),
    "accountable as a list": _edit("desk.yaml", "accountable: desk", "accountable: [desk, buyer]"),
    "accountable as a one-item list": _edit("desk.yaml", "accountable: desk",
                                            "accountable: [desk]"),
    "no responsible unit": _edit("buyer.yaml", "responsible: [buyer]", "responsible: []"),
    "missing required key": _edit("desk.yaml", "    supports: [service_ok]\n", ""),
    "blank text": _edit("buyer.yaml", "{en: Buy on time,", "{en: '  ',"),
    "text without zh": _edit("buyer.yaml", "{en: Buy on time, zh: 及时采购}", "{en: Buy on time}"),
    "unit listed twice": _edit("buyer.yaml", "responsible: [buyer]", "responsible: [buyer, buyer]"),
    "event with a range": _edit("sources.yaml", "    kind: event\n",
                                "    kind: event\n    range: [0, 1]\n"),
    "range of three numbers": _edit("sources.yaml", "range: [0, 1]", "range: [0, 1, 2]"),
    "team without members": _edit("desk.yaml", "kind: department", "kind: team"),
    "department with members": _edit("desk.yaml", "  faces: external",
                                     "  faces: external\n  members: [buyer]"),
    "duties without a unit": _edit("boss.yaml", "unit:\n  id: boss\n  kind: tier\n"
                                   "  name: {en: Top management, zh: 高级管理层}\n  faces: both\n", ""),
    "zero weight": _edit("desk.yaml", "weight: 0.5", "weight: 0"),
    "event count zero": _edit("desk.yaml", "count: 2", "count: 0"),
    "metric and event in one condition": _edit(
        "desk.yaml", "when: {event: supplier.late_delivery, count: 2}",
        "when: {event: supplier.late_delivery, metric: call.answered_rate}"),
    "where with a list value": _edit("desk.yaml", "count: 2}", "count: 2, where: {tags: [a]}}"),
    "empty served_by": _edit("sources.yaml", "served_by: [desk.answer_calls]", "served_by: []"),
    "fraction of one": ("tracing.yaml", "tracing: {management_fraction: 1.0}\n"),
    "negative role weight": ("tracing.yaml", "tracing: {role_weights: {accountable: -1}}\n"),
    "unknown role": ("tracing.yaml", "tracing: {role_weights: {approver: 1}}\n"),
    "top level is a list": ("extra.yaml", "- unit: {}\n"),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_examples_are_rejected_by_schema_and_loader(tmp_path: Path, case: str):
    """Each invalid example is rejected by the schema and by the loader: the two agree."""
    name, text = INVALID[case]
    assert schema_errors(text) != [], "the schema accepts it"
    folder = tmp_path / "rules"
    shutil.copytree(MINIMAL, folder)
    (folder / name).write_text(text, encoding="utf-8")
    assert any(p.file == name for p in iter_problems(folder)), "the loader accepts it"


def test_schema_error_names_the_field():
    """A schema error points at the offending field, as an editor would show it."""
    _, text = INVALID["accountable as a list"]
    errors: list[Any] = list(VALIDATOR.iter_errors(yaml.safe_load(text)))
    assert [e.json_path for e in errors] == ["$.duties[0].raci.accountable"]
