"""Model objects → flat ``{field path: plain value}``, so two versions compare field by field."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["Plain", "flatten", "plain"]

Plain = str | int | float | bool | list[Any] | dict[str, Any] | None
"""A JSON value."""


def plain(value: object) -> Plain:
    """Return ``value`` as a JSON value: enums by value, tuples as lists, attrs as dicts."""
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in sorted(value.items())}
    cls = type(value)
    if attrs.has(cls):
        return {f.name: plain(getattr(value, f.name)) for f in attrs.fields(cls) if f.eq}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def flatten(obj: object) -> dict[str, Plain]:
    """Return ``{dotted field path: plain value}`` for an attrs object, nested objects expanded.

    Fields that take no part in equality (positions, caches) are left out; lists stay whole,
    so a reordered or extended list is one changed field.
    """
    out: dict[str, Plain] = {}
    _walk(obj, "", out)
    return out


def _walk(value: object, path: str, out: dict[str, Plain]) -> None:
    cls = type(value)
    if attrs.has(cls):
        for field in attrs.fields(cls):
            if field.eq:
                _walk(getattr(value, field.name), f"{path}.{field.name}" if path else field.name, out)
    else:
        out[path] = plain(value)
