"""Backstage's own rules for catalog entities, as a validator, and entity references.

The rules are those of Backstage's catalog model (its ``Entity``, ``Group``, ``User``,
``System`` and ``Location`` JSON schemas and ``KubernetesValidatorFunctions``): names of
1–63 characters from ``[a-zA-Z0-9-_.]`` that start and end alphanumeric, DNS-label
namespaces, prefixed annotation keys, and each kind's required ``spec`` fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["API_VERSIONS", "is_valid_name", "parse_ref", "spec_of", "validate_entity"]

API_VERSIONS = ("backstage.io/v1alpha1", "backstage.io/v1beta1")
_NAME = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\Z")
_NAMESPACE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_MAX_NAME = 63
_MAX_PREFIX = 253
_REQUIRED_SPEC = {"Group": ("type", "children"), "User": ("memberOf",), "System": ("owner",),
                  "Component": ("type", "lifecycle", "owner"), "API": ("type", "lifecycle", "owner",
                                                                          "definition"),
                  "Resource": ("type", "owner"), "Domain": ("owner",)}
_LISTS = {"Group": ("children", "members"), "User": ("memberOf",)}


def is_valid_name(value: object) -> bool:
    """Whether ``value`` is a valid entity name (or label value, or annotation key name)."""
    return isinstance(value, str) and 1 <= len(value) <= _MAX_NAME and bool(_NAME.match(value))


def _key_problem(key: object) -> str | None:
    if not isinstance(key, str):
        return "keys must be strings"
    prefix, _, name = key.rpartition("/")
    if "/" in key and (not prefix or len(prefix) > _MAX_PREFIX or not _DNS_SUBDOMAIN.match(prefix)):
        return f"key prefix {prefix[:80]!r} is not a DNS subdomain of at most {_MAX_PREFIX} characters"
    if not is_valid_name(name):
        return f"key name {name[:80]!r} must be 1–63 characters of [a-zA-Z0-9-_.], alphanumeric at both ends"
    return None


def _metadata(meta: object) -> Iterator[tuple[str, str]]:
    if not isinstance(meta, Mapping):
        yield "metadata", "metadata must be a mapping with a name"
        return
    name = meta.get("name")
    if not is_valid_name(name):
        shown = repr(name[:80]) if isinstance(name, str) else repr(name)
        yield "metadata.name", (f"invalid entity name {shown}: 1–63 characters of [a-zA-Z0-9-_.], "
                                "starting and ending with a letter or digit")
    namespace = meta.get("namespace")
    if namespace is not None and not (isinstance(namespace, str) and len(namespace) <= _MAX_NAME
                                      and _NAMESPACE.match(namespace)):
        yield "metadata.namespace", "a namespace is a DNS label: lowercase letters, digits and '-'"
    for field in ("title", "description"):
        if field in meta and not isinstance(meta[field], str):
            yield f"metadata.{field}", f"{field} must be a string"
    for field in ("labels", "annotations"):
        yield from _pairs(field, meta.get(field))


def _pairs(field: str, values: object) -> Iterator[tuple[str, str]]:
    if values is None:
        return
    if not isinstance(values, Mapping):
        yield f"metadata.{field}", f"{field} must be a mapping of strings"
        return
    for key, value in values.items():
        problem = _key_problem(key)
        if problem:
            yield f"metadata.{field}.{key}", problem
        elif not isinstance(value, str):
            yield f"metadata.{field}.{key}", "the value must be a string"
        elif field == "labels" and value and not is_valid_name(value):
            yield f"metadata.{field}.{key}", "a label value is 0–63 characters of [a-zA-Z0-9-_.]"


def _spec(kind: str, spec: object) -> Iterator[tuple[str, str]]:
    required = _REQUIRED_SPEC.get(kind, ())
    if not isinstance(spec, Mapping):
        if required or kind == "Location":
            yield "spec", f"a {kind} needs a spec mapping"
        return
    for field in required:
        value = spec.get(field)
        if value is None:
            yield f"spec.{field}", f"a {kind} requires spec.{field}"
        elif field in _LISTS.get(kind, ()):
            continue
        elif field != "definition" and not (isinstance(value, str) and value):
            yield f"spec.{field}", f"spec.{field} must be a non-empty string"
    for field in _LISTS.get(kind, ()):
        value = spec.get(field)
        if value is not None and not (isinstance(value, list)
                                      and all(isinstance(v, str) and v for v in value)):
            yield f"spec.{field}", f"spec.{field} must be a list of entity references"
    if kind == "Group" and "parent" in spec and not (isinstance(spec["parent"], str) and spec["parent"]):
        yield "spec.parent", "spec.parent must be an entity reference"


def validate_entity(entity: object) -> Iterator[tuple[str, str]]:
    """Yield (field path, message) for every rule ``entity`` breaks; nothing when valid."""
    if not isinstance(entity, Mapping):
        yield "", "an entity must be a mapping with apiVersion, kind, metadata and spec"
        return
    if entity.get("apiVersion") not in API_VERSIONS:
        yield "apiVersion", f"apiVersion must be one of {', '.join(API_VERSIONS)}"
    kind = entity.get("kind")
    if not (isinstance(kind, str) and kind):
        yield "kind", "kind must be a non-empty string"
        kind = ""
    yield from _metadata(entity.get("metadata"))
    yield from _spec(kind, entity.get("spec"))


def parse_ref(ref: str, *, kind: str, namespace: str = "default") -> tuple[str, str, str]:
    """Return (kind, namespace, name) of ``[kind:][namespace/]name``, kinds in lower case."""
    head, colon, rest = ref.partition(":")
    if not colon:
        head, rest = kind, ref
    ns, slash, name = rest.rpartition("/")
    return head.lower(), (ns if slash else namespace), name


def spec_of(entity: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return the entity's spec, or an empty mapping."""
    spec = entity.get("spec")
    return spec if isinstance(spec, Mapping) else {}
