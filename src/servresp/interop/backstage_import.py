"""Backstage Groups and Users → the units of a model, with dangling references reported.

The organisation (a group with no parent) gives the management tiers: its head is the
model's ``top_management`` tier, and the heads of the groups in its chain below it are
``middle_management``. Groups with child groups are departments; leaf groups with
members are teams whose member units are their parent departments (servresp teams are
made of departments' staff); other leaf groups are departments. People are kept, by
reference, as comments on their groups' unit files: the rules format has no people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from servresp.errors import Problem
from servresp.interop._model_files import model_file
from servresp.interop._names import comment_text, safe_id
from servresp.interop.backstage_read import Entity
from servresp.interop.backstage_rules import parse_ref, spec_of

__all__ = ["import_entities"]

_TIERS = ("top_management", "middle_management")
Key = tuple[str, str, str]


def _text(value: str) -> dict[str, str]:
    return {"en": value, "zh": value}


def _display(entity: Entity) -> str:
    profile = spec_of(entity.data).get("profile")
    name = profile.get("displayName") if isinstance(profile, dict) else None
    return name if isinstance(name, str) and name.strip() else entity.name


def _resolve(entity: Entity, field: str, ref: object, kind: str, table: Mapping[Key, Entity],
             problems: list[Problem]) -> Key | None:
    """Return the key a reference names, or None (a dangling one is reported)."""
    if not isinstance(ref, str):
        return None
    key = parse_ref(ref, kind=kind, namespace=entity.namespace)
    if key not in table:
        named = comment_text(f"{key[1][:80]}/{key[2][:80]}")
        problems.append(entity.at(field, f"dangling reference {ref[:200]!r}: no {kind} {named} "
                                         "in the catalog"))
        return None
    return key


def _refs(entity: Entity, field: str) -> list[tuple[str, object]]:
    values = spec_of(entity.data).get(field)
    return [(f"spec.{field}[{i}]", v) for i, v in enumerate(values)] if isinstance(values, list) else []


def _links(groups: dict[Key, Entity], users: dict[Key, Entity], problems: list[Problem],
           ) -> tuple[dict[Key, Key], dict[Key, set[Key]]]:
    """Return each group's parent and each group's members, reporting dangling refs."""
    parent: dict[Key, Key] = {}
    members: dict[Key, set[Key]] = {key: set() for key in groups}
    for key, group in sorted(groups.items()):
        up = _resolve(group, "spec.parent", spec_of(group.data).get("parent"), "group", groups, problems)
        if up is not None:
            parent[key] = up
        for field, ref in _refs(group, "children"):
            down = _resolve(group, field, ref, "group", groups, problems)
            if down is not None:
                parent.setdefault(down, key)
        for field, ref in _refs(group, "members"):
            user = _resolve(group, field, ref, "user", users, problems)
            if user is not None:
                members[key].add(user)
    for key, person in sorted(users.items()):
        for field, ref in _refs(person, "memberOf"):
            found = _resolve(person, field, ref, "group", groups, problems)
            if found is not None:
                members[found].add(key)
    return parent, members


def import_entities(entities: Sequence[Entity], *, source: str) -> tuple[dict[str, str], list[Problem]]:
    """Return the model files (relative path → text) for a catalog's groups, and its problems."""
    problems: list[Problem] = []
    groups: dict[Key, Entity] = {}
    users: dict[Key, Entity] = {}
    for entity in entities:
        table = {"group": groups, "user": users}.get(entity.kind)
        if table is None:
            continue
        if entity.key in table:
            first = table[entity.key]
            problems.append(entity.at("metadata.name", f"{entity.kind} {entity.namespace}/{entity.name} is "
                                                       f"declared twice (first at {first.doc.file}:"
                                                       f"{first.doc.line('metadata.name')})"))
            continue
        table[entity.key] = entity
    parent, members = _links(groups, users, problems)
    children: dict[Key, list[Key]] = {}
    for child, up in sorted(parent.items()):
        children.setdefault(up, []).append(child)
    return _files(groups, users, parent, children, members, source), problems


def _kinds(groups: dict[Key, Entity], parent: dict[Key, Key], children: dict[Key, list[Key]],
           members: dict[Key, set[Key]]) -> dict[Key, str]:
    kinds: dict[Key, str] = {}
    for key in sorted(groups):
        if key not in parent:
            kinds[key] = "tier"
        elif children.get(key):
            kinds[key] = "department"
        else:
            kinds[key] = "team" if members[key] and parent[key] in parent else "department"
    return kinds


def _files(groups: dict[Key, Entity], users: dict[Key, Entity], parent: dict[Key, Key],
           children: dict[Key, list[Key]], members: dict[Key, set[Key]], source: str) -> dict[str, str]:
    kinds = _kinds(groups, parent, children, members)
    ids: dict[Key, str] = {}
    taken: set[str] = set(_TIERS)
    roots = [k for k in sorted(groups) if kinds[k] == "tier"]
    for i, key in enumerate(roots):
        ids[key] = "top_management" if i == 0 else safe_id(groups[key].name, fallback="org", taken=taken)
        taken.add(ids[key])
    for key in sorted(groups):
        if key not in ids:
            ids[key] = safe_id(groups[key].name, fallback="group", taken=taken)
            taken.add(ids[key])
    header = [f"Imported from {source} by 'servresp backstage import'.",
              "Check with: servresp check --rules OUT"]
    files: dict[str, str] = {}
    for key in sorted(groups, key=lambda k: ids[k]):
        group = groups[key]
        unit: dict[str, Any] = {"id": ids[key], "kind": kinds[key], "name": _text(_display(group)),
                                "faces": "internal"}
        if kinds[key] == "team":
            unit["members"] = [ids[parent[key]]]
        kind = str(spec_of(group.data).get("type"))
        notes = [*header, f"Backstage group:{key[1]}/{key[2]} (type {kind})",
                 *([f"parent: group:{parent[key][1]}/{parent[key][2]}"] if key in parent else []),
                 *(f"member: user:{u[1]}/{u[2]} ({_display(users[u])})" for u in sorted(members[key]))]
        files[f"{ids[key]}.yaml"] = model_file(header=notes, unit=unit)
    if roots and any(kinds[k] == "department" for k in groups):
        org = _display(groups[roots[0]])
        files["middle_management.yaml"] = model_file(
            header=[*header, "the heads of the groups in the organisation's chain"],
            unit={"id": "middle_management", "kind": "tier", "name": _text(f"Group leads of {org}"),
                  "faces": "internal"})
    return files
