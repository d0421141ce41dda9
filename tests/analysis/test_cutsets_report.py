"""The servresp.cutsets/1 report: JSON exactly as the schema says, text that names units."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import given

from faulttree_strategies import fault_trees
from servresp.analysis.cutsets_report import analyse, render_cutsets
from servresp.analysis.mef import read_mef
from servresp.model.faulttree import FaultTree, fault_tree
from servresp.model.load import load_default

ROOT = Path(__file__).parents[2]
SCRAM = ROOT / "tests" / "data" / "faulttree" / "scram"
SCHEMA = json.loads((ROOT / "docs" / "schema" / "cutsets.schema.json").read_text(encoding="utf-8"))


def test_schema_is_valid():
    """docs/schema/cutsets.schema.json is itself a valid draft 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@given(fault_trees())
def test_json_validates_and_is_stable(tree: FaultTree):
    """Every report validates against the schema; the same tree gives the same bytes."""
    text = render_cutsets(analyse(tree), fmt="json")
    jsonschema.validate(json.loads(text), SCHEMA)
    assert text == render_cutsets(analyse(tree), fmt="json")


def test_json_has_exactly_the_agreed_keys():
    """The two-train system: the agreed envelope, probabilities three ways, importance by event."""
    data = analyse(read_mef([SCRAM / "correct_tree_input_with_probs.xml"])).to_dict()
    assert sorted(data) == ["cut_sets", "importance", "probability", "schema", "top"]
    assert data["schema"] == "servresp.cutsets/1"
    assert data["top"] == "TopEvent"
    assert data["cut_sets"] == [["PumpOne", "PumpTwo"], ["PumpOne", "ValveTwo"],
                                ["PumpTwo", "ValveOne"], ["ValveOne", "ValveTwo"]]
    assert sorted(data["probability"]) == ["exact", "mcub", "rare_event"]
    assert [i["event"] for i in data["importance"]] == ["PumpOne", "PumpTwo", "ValveOne", "ValveTwo"]


def test_without_probabilities_measures_are_null():
    """A model tree without history: cut sets and occurrence, every probability null."""
    data = analyse(fault_tree(load_default(), "product_works")).to_dict()
    jsonschema.validate(data, SCHEMA)
    assert data["probability"] == {"exact": None, "rare_event": None, "mcub": None}
    assert all(i["mif"] is None and i["occurrence"] >= 1 for i in data["importance"])


def test_text_names_the_units_behind_each_cut_set():
    """The bundled model: a defect reaches the customer only past QC ("production AND qc")."""
    text = render_cutsets(analyse(fault_tree(load_default(), "product_works")))
    assert "production.product_quality AND qc.product_quality  [production AND qc]" in text
    assert text.startswith("product_works: ")
