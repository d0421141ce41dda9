"""The model as Backstage entities: a Group per unit, a System per promise, all valid."""

import yaml
from hypothesis import given, settings

import servresp
from servresp.interop.backstage_export import export_catalog, promise_owner
from servresp.interop.backstage_rules import validate_entity
from strategies import models


def _docs(model: servresp.Model) -> list[dict]:
    return list(yaml.safe_load_all(export_catalog(model)))


def test_every_exported_entity_passes_backstages_rules() -> None:
    """The bundled model's Groups and Systems are all valid, and refs resolve."""
    model = servresp.load_default()
    docs = _docs(model)
    assert [d for d in docs if list(validate_entity(d))] == []
    groups = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Group"}
    assert len(groups) == len(model.units) + 1
    for name, group in groups.items():
        for child in group["spec"]["children"]:
            assert groups[child]["spec"]["parent"] == name
    systems = [d for d in docs if d["kind"] == "System"]
    assert len(systems) == len(model.promises)
    for system in systems:
        owner = system["spec"]["owner"].removeprefix("group:default/")
        assert owner in groups
        links = system["metadata"]["annotations"]
        assert links["servresp.io/promise-map"].startswith("docs/charts/promises/")


def test_a_promise_is_owned_by_the_unit_accountable_for_most_of_its_duties() -> None:
    """product_works: the owner is the most frequent accountable unit of the duties feeding it."""
    model = servresp.load_default()
    owner = promise_owner(model, "product_works")
    feeding = [d.raci.accountable for d in model.duties.values() if "product_works" in d.supports]
    assert feeding.count(owner) == max(feeding.count(u) for u in feeding)


def test_teams_sit_under_their_first_member_department() -> None:
    """service_team's parent is a department it is made of."""
    model = servresp.load_default()
    team = next(d for d in _docs(model) if d["metadata"].get("annotations", {}).get("servresp.io/unit")
                == "service_team")
    assert team["spec"]["type"] == "team"
    assert team["spec"]["parent"].replace("-", "_") in model.units["service_team"].members


@settings(max_examples=15)
@given(models())
def test_generated_models_export_valid_entities(model: servresp.Model) -> None:
    """Any model the strategies build exports entities Backstage accepts, same bytes each time."""
    assert [d for d in _docs(model) if list(validate_entity(d))] == []
    assert export_catalog(model) == export_catalog(model)
