"""servresp.analysis._fields: model objects as flat field paths with plain JSON values."""

from __future__ import annotations

import json

import servresp
from servresp.analysis._fields import flatten, plain

MODEL = servresp.load_default()


def test_nested_fields_become_dotted_paths():
    """A duty flattens to text.en, raci.accountable, supports (a whole list) and so on."""
    duty = MODEL.duties["sales.long_term_relationships"]
    flat = flatten(duty)
    assert flat["raci.accountable"] == "sales"
    assert flat["text.zh"] == duty.text.zh
    assert flat["supports"] == list(duty.supports)
    assert flat["source.source"] == duty.source.source


def test_values_are_plain_json():
    """Enums by value, tuples as lists, conditions as dicts: everything dumps as JSON."""
    for table in (MODEL.standards, MODEL.rules, MODEL.signals):
        for item in table.values():
            json.dumps(flatten(item))
    assert plain(MODEL.standards["call_answer_ring3"].comparator) == ">="
    assert plain(MODEL.tracing)["management_fraction"] == MODEL.tracing.management_fraction
