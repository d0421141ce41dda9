"""A model → Backstage catalog entities: a Group per unit, a System per promise.

The organisation is a root Group named after the model; tiers and departments are its
children and each team sits under its first member department. Every promise becomes a
System owned by the unit accountable for most of the duties that feed it directly, with
annotations linking to the charts ``servresp docs`` writes. Every entity passes
`backstage_rules.validate_entity` (the tests check each one).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from servresp.interop._model_files import dump
from servresp.interop._names import rfc1123
from servresp.model.classes import Model, UnitKind

__all__ = ["ANNOTATION_PREFIX", "export_catalog", "promise_owner"]

ANNOTATION_PREFIX = "servresp.io"
_API = "backstage.io/v1alpha1"


def promise_owner(model: Model, promise: str) -> str:
    """Return the unit accountable for most duties that support ``promise`` (ties by id)."""
    counts = Counter(d.raci.accountable for d in model.duties.values() if promise in d.supports)
    if not counts:
        tiers = [u.id for u in model.units.values() if u.kind is UnitKind.TIER]
        return "top_management" if "top_management" in model.units else (tiers or sorted(model.units))[0]
    best = max(counts.values())
    return min(unit for unit, n in counts.items() if n == best)


def _names(model: Model) -> tuple[str, dict[str, str]]:
    org = rfc1123(model.name, fallback="organisation")
    taken = {org}
    names = {}
    for unit in model.units:
        names[unit] = rfc1123(unit, fallback="unit", taken=taken)
        taken.add(names[unit])
    return org, names


def _entity(kind: str, name: str, spec: dict[str, Any], *, title: str = "", description: str = "",
            annotations: dict[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if title:
        meta["title"] = title
    if description:
        meta["description"] = description
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": _API, "kind": kind, "metadata": meta, "spec": spec}


def export_catalog(model: Model, *, charts: str = "docs/charts", lang: str = "en") -> str:
    """Return the catalog as one multi-document YAML text (Groups, then Systems)."""
    org, names = _names(model)
    parent: dict[str, str] = {}
    for unit in model.units.values():
        members = [m for m in unit.members if m in names and model.units[m].kind is UnitKind.DEPARTMENT]
        parent[unit.id] = names[members[0]] if unit.kind is UnitKind.TEAM and members else org
    children: dict[str, list[str]] = {org: []}
    for unit_id, up in parent.items():
        children.setdefault(up, []).append(names[unit_id])
    docs = [_entity("Group", org, {"type": "organization", "children": sorted(children[org])},
                    title=model.name, description=f"The organisation of the servresp model {model.name}")]
    for unit in model.units.values():
        spec: dict[str, Any] = {"type": unit.kind.value, "parent": parent[unit.id],
                                "children": sorted(children.get(names[unit.id], []))}
        annotations = {f"{ANNOTATION_PREFIX}/unit": unit.id,
                       f"{ANNOTATION_PREFIX}/duty-sheet": f"{charts}/units/{unit.id}.md"}
        if unit.members:
            annotations[f"{ANNOTATION_PREFIX}/member-units"] = ",".join(unit.members)
        docs.append(_entity("Group", names[unit.id], spec, title=unit.name.in_lang(lang),
                            annotations=annotations))
    taken = {org, *names.values()}
    for promise in model.promises.values():
        name = rfc1123(promise.id, fallback="promise", taken=taken)
        taken.add(name)
        owner = promise_owner(model, promise.id)
        docs.append(_entity(
            "System", name, {"owner": f"group:default/{names[owner]}"},
            title=promise.id, description=" ".join(promise.text.in_lang(lang).split()),
            annotations={f"{ANNOTATION_PREFIX}/promise": promise.id,
                         f"{ANNOTATION_PREFIX}/promise-map": f"{charts}/promises/{promise.id}.md",
                         f"{ANNOTATION_PREFIX}/raci": f"{charts}/raci.md"}))
    return "".join(f"---\n{dump(doc)}" for doc in docs)
