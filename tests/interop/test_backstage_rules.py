"""Backstage's entity rules: names, namespaces, annotation keys and each kind's required spec."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servresp.interop.backstage_rules import is_valid_name, parse_ref, validate_entity


def _group(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "backstage.io/v1alpha1", "kind": "Group", "metadata": {"name": "team-a"},
            "spec": {"type": "team", "children": [], **spec}}


@pytest.mark.parametrize(("name", "valid"), [
    ("team-a", True), ("Team_A.1", True), ("a", True), ("a" * 63, True), ("a" * 64, False),
    ("-team", False), ("team-", False), ("team a", False), ("", False), ("tëam", False), ("a/b", False),
])
def test_entity_names_follow_backstage(name: str, valid: bool) -> None:
    """[a-zA-Z0-9-_.], 1–63 characters, alphanumeric at both ends."""
    assert is_valid_name(name) is valid


def test_a_valid_group_has_no_problem() -> None:
    """apiVersion, kind, metadata.name and spec.type/children are enough."""
    assert list(validate_entity(_group())) == []


def test_each_kind_requires_its_spec_fields() -> None:
    """Group: type and children; User: memberOf; System: owner."""
    group = _group()
    del group["spec"]["children"]
    assert ("spec.children", "a Group requires spec.children") in validate_entity(group)
    user = {"apiVersion": "backstage.io/v1alpha1", "kind": "User", "metadata": {"name": "jdoe"}, "spec": {}}
    assert ("spec.memberOf", "a User requires spec.memberOf") in validate_entity(user)
    system = {"apiVersion": "backstage.io/v1alpha1", "kind": "System", "metadata": {"name": "s"},
              "spec": {"owner": ""}}
    assert [p for p, _ in validate_entity(system)] == ["spec.owner"]


def test_metadata_rules() -> None:
    """A wrong apiVersion, namespace, annotation key or label value is each reported."""
    entity = _group()
    entity["apiVersion"] = "backstage.io/v2"
    entity["metadata"] = {"name": "ok", "namespace": "Bad_NS", "annotations": {"-bad/key": "v", "ok/k": 1},
                          "labels": {"tier": "not valid!"}}
    paths = [p for p, _ in validate_entity(entity)]
    assert paths == ["apiVersion", "metadata.namespace", "metadata.labels.tier",
                     "metadata.annotations.-bad/key", "metadata.annotations.ok/k"]


@given(st.text(max_size=80))
def test_any_name_is_judged_without_crashing(name: str) -> None:
    """Every string is either valid or reported on metadata.name."""
    entity = _group()
    entity["metadata"]["name"] = name
    paths = [p for p, _ in validate_entity(entity)]
    assert ("metadata.name" in paths) is not is_valid_name(name)


def test_references_take_kind_and_namespace_defaults() -> None:
    """team-a, group:team-a and group:default/team-a name the same group."""
    assert parse_ref("team-a", kind="group") == ("group", "default", "team-a")
    assert parse_ref("Group:ops/team-a", kind="user") == ("group", "ops", "team-a")
    assert parse_ref("ops/team-a", kind="group", namespace="x") == ("group", "ops", "team-a")
