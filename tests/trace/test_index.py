"""Tests for `servresp.trace._index`: answers equal networkx's, made once, dropped with the model."""

import gc
import sys
import weakref
from collections import defaultdict

import networkx as nx
from hypothesis import given

from servresp.i18n import use
from servresp.model.classes import Model
from servresp.model.graph import duties_reaching
from servresp.model.load import default_rules_dir, load_model
from servresp.trace._index import index_of
from strategies import models


def nearest_management(model: Model, duty_id: str) -> set[str]:
    """Per management tier, its duties nearest above ``duty_id``: the definition, one tier at a time."""
    if duty_id not in model.supports:
        return set()
    distance = nx.single_target_shortest_path_length(model.supports, duty_id)
    by_tier: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for above, steps in dict(distance).items():
        tier = model.management_tier_of(above)
        if steps and tier is not None:
            by_tier[tier][above] = steps
    return {d for found in by_tier.values() for d, steps in found.items() if steps == min(found.values())}


@given(models())
def test_the_index_answers_as_networkx_does(model: Model) -> None:
    index = index_of(model)
    for duty_id in model.duties:
        above = index.above(duty_id)
        expected = nx.ancestors(model.supports, duty_id) if duty_id in model.supports else set()
        assert above.ancestors == tuple(sorted(expected))
        assert set(above.management) == nearest_management(model, duty_id)
        assert list(above.management) == sorted(above.management)
        assert index.tier_of[duty_id] == model.management_tier_of(duty_id)
    for promise in model.promises:
        assert index.reaching(promise) == duties_reaching(model.graph, promise)
        for node, path in index.from_promise(promise).items():
            assert path[0] == promise
            assert path[-1] == node
            if node != promise:  # a promise no duty serves is not in the dependency graph
                assert len(path) - 1 == nx.shortest_path_length(model.dependencies, node, promise)


def test_one_index_per_model_kept_while_the_model_lives() -> None:
    model = load_model(default_rules_dir())
    index = index_of(model)
    assert index_of(model) is index
    assert index.above(min(model.duties)) is index.above(min(model.duties))
    assert index_of(load_model(default_rules_dir())) is not index  # an equal model, its own index


def test_the_index_goes_with_its_model() -> None:
    model = load_model(default_rules_dir())
    index = index_of(model)
    index.reaching(min(model.promises))
    kept = weakref.ref(index)
    del index
    assert sys.getrefcount(model) == 2  # the index holds no reference of its own to the model
    del model
    gc.collect()
    assert kept() is None


def test_conditions_are_kept_per_language() -> None:
    model = load_model(default_rules_dir())
    index = index_of(model)
    english = index.conditions_by_duty()
    with use("zh"):
        chinese = index.conditions_by_duty()
    assert english.keys() == chinese.keys()
    assert english != chinese
    assert index.conditions_by_duty() is english
