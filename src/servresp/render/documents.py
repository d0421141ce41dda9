"""The model as JSON documents: what the HTTP API serves and the web explorer draws.

Every document is plain data (dicts, lists, strings, numbers) with a ``schema`` key, built
from the model alone and sorted by id, so the same model always gives the same bytes. The
objects are serialised field by field with attrs, so fields added to the model classes appear
here without a change.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from typing import Any

import attrs
import networkx as nx

from servresp.errors import UnknownIdError
from servresp.model.classes import Model
from servresp.model.graph import duties_reaching, roles_on

__all__ = [
    "MODEL_SCHEMA",
    "NODE_SCHEMA",
    "dumps",
    "duty_document",
    "model_document",
    "node_document",
    "promise_document",
    "unit_document",
]

MODEL_SCHEMA = "servresp.model/1"
NODE_SCHEMA = "servresp.node/1"
_HIDDEN = frozenset({"graph", "dependencies", "supports_graph", "locations"})


def _plain(value: object) -> Any:  # noqa: ANN401 - JSON-shaped data of any kind
    if isinstance(value, enum.Enum):
        return value.value
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}  # type: ignore[arg-type]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [_plain(v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, (set, frozenset)) else items
    return value


def _objects(mapping: Mapping[str, object]) -> list[Any]:
    return [_plain(mapping[key]) for key in sorted(mapping)]


def dumps(document: Mapping[str, Any]) -> str:
    """Return ``document`` as JSON the way every servresp output is written."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def model_document(model: Model) -> dict[str, Any]:
    """Return the whole model: units, duties, promises, standards, rules, signals, sources."""
    return {
        "schema": MODEL_SCHEMA,
        "name": model.name,
        "units": _objects(model.units),
        "duties": _objects(model.duties),
        "promises": _objects(model.promises),
        "standards": _objects(model.standards),
        "rules": _objects(model.rules),
        "signals": _objects(model.signals),
        "sources": _objects(model.sources),
        "tracing": _plain(model.tracing),
        "edges": sorted(
            ({"from": u, "to": v, "kind": data["kind"]} for u, v, data in model.graph.edges(data=True)),
            key=lambda e: (e["from"], e["to"], e["kind"]),
        ),
    }


def _node(model: Model, kind: str, id_: str, neighbourhood: dict[str, Any]) -> dict[str, Any]:
    table: Mapping[str, object] = {"unit": model.units, "duty": model.duties,
                                   "promise": model.promises}[kind]
    if id_ not in table:
        raise UnknownIdError(kind, id_, table)
    return {"schema": NODE_SCHEMA, "type": kind, "id": id_, "object": _plain(table[id_]),
            "location": model.location(id_), **neighbourhood}


def unit_document(model: Model, unit: str) -> dict[str, Any]:
    """Return a unit with the duties it owns, the roles it holds elsewhere and its teams."""
    if unit not in model.units:
        raise UnknownIdError("unit", unit, model.units)
    owns = sorted(d.id for d in model.duties.values() if d.owner == unit)
    roles = {
        duty: [str(r) for r in held]
        for duty in sorted(model.duties)
        for holder, held in roles_on(model.graph, duty).items()
        if holder == unit
    }
    teams = sorted(u.id for u in model.units.values() if unit in u.members)
    return _node(model, "unit", unit, {"owns": owns, "roles": roles, "teams": teams})


def duty_document(model: Model, duty: str) -> dict[str, Any]:
    """Return a duty with its RACI holders, suppliers, customers, standards, rules and promises."""
    if duty not in model.duties:
        raise UnknownIdError("duty", duty, model.duties)
    supports = model.supports
    suppliers = sorted(supports.predecessors(duty)) if duty in supports else []
    reaches = sorted(p for p in model.promises
                     if duty in duties_reaching(model.graph, p, view=model.dependencies))
    return _node(model, "duty", duty, {
        "raci": {unit: [str(r) for r in held] for unit, held in roles_on(model.graph, duty).items()},
        "suppliers": suppliers,
        "customers": list(model.duties[duty].supports),
        "upstream": sorted(nx.ancestors(supports, duty)) if duty in supports else [],
        "standards": sorted(s.id for s in model.standards.values() if duty in s.served_by),
        "rules": sorted(r.id for r in model.rules.values() if duty in r.implicates),
        "promises": reaches,
    })


def promise_document(model: Model, promise: str) -> dict[str, Any]:
    """Return a promise with its standards and every duty whose work reaches it."""
    if promise not in model.promises:
        raise UnknownIdError("promise", promise, model.promises)
    return _node(model, "promise", promise, {
        "standards": sorted(s.id for s in model.standards_of(promise)),
        "duties": sorted(duties_reaching(model.graph, promise, view=model.dependencies)),
    })


def node_document(model: Model, id_: str) -> dict[str, Any]:
    """Return the document of a unit, duty or promise, whichever ``id_`` names."""
    for table, build in ((model.units, unit_document), (model.duties, duty_document),
                         (model.promises, promise_document)):
        if id_ in table:
            return build(model, id_)
    raise UnknownIdError("unit, duty or promise", id_, [*model.units, *model.duties, *model.promises])
