"""A loaded `Model` as plain values and back: what the model cache keeps (`servresp.model._cache`).

Plain values are what `marshal` writes and reads without running code: an object of the
model's classes becomes ``(class name, field, …)``, an enum member ``(enum name, value)``, a
tuple a list, a mapping a dict; strings, numbers, booleans and None stay as they are. Reading
back calls each class itself, so every object is checked by its validators again, and only
the model's own classes and enums can be named.
"""

from __future__ import annotations

import enum
import functools
from typing import Any

import attrs

from servresp.model import classes
from servresp.model.classes import Model

__all__ = ["from_plain", "to_plain"]

_TABLES = ("units", "duties", "promises", "standards", "rules", "signals", "sources")
"""The model's mappings id → object."""
_KINDS: dict[str, type] = {
    name: kind for name in classes.__all__
    if isinstance(kind := getattr(classes, name), type) and name != "Model"
    and (attrs.has(kind) or issubclass(kind, enum.Enum))
}
"""The classes and enums an entry may name."""
_MEMBERS: dict[str, dict[Any, enum.Enum]] = {
    name: {member.value: member for member in kind}
    for name, kind in _KINDS.items() if issubclass(kind, enum.Enum)
}
"""Each enum's members by value (a dict look-up instead of a call to the enum)."""


def to_plain(model: Model) -> dict[str, Any]:
    """Return ``model`` (its name aside) as plain values."""
    plain: dict[str, Any] = {table: {id_: _plain(value) for id_, value in getattr(model, table).items()}
                             for table in _TABLES}
    plain["tracing"] = _plain(model.tracing)
    plain["locations"] = dict(model.locations)
    return plain


def from_plain(plain: dict[str, Any], *, name: str) -> Model:
    """Return the model that `to_plain` gave ``plain``, named ``name``.

    Raise `ValueError`, `TypeError`, `KeyError`, `IndexError` or `AttributeError` when
    ``plain`` is not such a value.
    """
    def table(key: str) -> dict[str, Any]:
        return {id_: _value(value) for id_, value in plain[key].items()}

    locations = {id_: (file, line) for id_, (file, line) in plain["locations"].items()}
    return Model(units=table("units"), duties=table("duties"), promises=table("promises"),
                 standards=table("standards"), rules=table("rules"), signals=table("signals"),
                 sources=table("sources"), tracing=_value(plain["tracing"]), name=name,
                 locations=locations)


def _plain(value: Any) -> Any:  # noqa: ANN401 - any field's value
    kind = type(value)
    if kind is str or kind is float or kind is int or kind is bool or value is None:  # most, first
        return value
    if kind is tuple:
        return [_plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return (kind.__name__, value.value)
    if attrs.has(kind):
        return (kind.__name__, *[_plain(getattr(value, name)) for name in _field_names(kind)])
    raise TypeError(f"cannot keep a {kind.__name__} in the model cache")


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(a.name for a in attrs.fields(kind) if a.init)  # the rest is worked out again


def _value(plain: Any) -> Any:  # noqa: ANN401 - any field's value
    kind = type(plain)
    if kind is str or kind is float or kind is int or kind is bool or plain is None:  # most, first
        return plain
    if kind is list:
        return tuple(_value(item) for item in plain)
    if kind is tuple:
        name = plain[0]
        members = _MEMBERS.get(name)
        if members is not None:
            (member,) = plain[1:]
            return members[member]
        return _KINDS[name](*[_value(item) for item in plain[1:]])
    raise TypeError(f"unexpected {kind.__name__} in a model cache entry")
