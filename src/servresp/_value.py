"""`Value` and `OrderedValue`: the repr, equality, hash and ordering of frozen attrs classes.

attrs writes and compiles a ``__repr__``, ``__eq__`` and ``__hash__`` for every class it
builds; for the classes a command imports that compiling was about a sixth of servresp's
start-up before any work (benchmarks/, B1). A class declared
``@attrs.frozen(repr=False, eq=False)`` on `Value` is still a frozen, slotted attrs class
(`attrs.fields`, `attrs.evolve`, `attrs.asdict` and the per-field ``eq``, ``order`` and
``repr`` flags all work as before); these methods read its fields when called and give what
attrs' own would: the same text, with ``...`` for an object met again inside its own repr,
equality field by field (``eq=False`` fields left out) between objects of the same class
only, a hash of the compared fields, and `OrderedValue`'s ``<`` … ``>=`` comparing the tuples
of the ordered fields.
"""

from __future__ import annotations

import functools
import reprlib
from typing import Any

import attrs

__all__ = ["OrderedValue", "Value"]


@functools.cache
def _shown(cls: type) -> tuple[tuple[str, Any], ...]:
    """Return ``(name, repr function)`` of each field of ``cls`` its repr shows."""
    return tuple((a.name, repr if a.repr is True else a.repr)
                 for a in attrs.fields(cls) if a.repr is not False)


@functools.cache
def _compared(cls: type) -> tuple[tuple[str, Any], ...]:
    """Return ``(name, key function or None)`` of each field of ``cls`` that ``==`` compares."""
    return tuple((a.name, a.eq_key) for a in attrs.fields(cls) if a.eq)


@functools.cache
def _hashed(cls: type) -> tuple[tuple[str, Any], ...]:
    """Return ``(name, key function or None)`` of each field of ``cls`` that ``hash`` reads."""
    return tuple((a.name, a.eq_key) for a in attrs.fields(cls)
                 if a.hash is True or (a.hash is None and a.eq is True))


@functools.cache
def _ordered(cls: type) -> tuple[tuple[str, Any], ...]:
    """Return ``(name, key function or None)`` of each field of ``cls`` that ``<`` compares."""
    return tuple((a.name, a.order_key) for a in attrs.fields(cls) if a.order)


class Value:
    """Base of servresp's frozen attrs classes: attrs' ``repr``, ``==`` and ``hash``, shared."""

    __slots__ = ()

    @reprlib.recursive_repr("...")
    def __repr__(self) -> str:
        """Return ``Class(field=value!r, …)``, as attrs writes it."""
        cls: type = self.__class__
        fields = ", ".join(f"{name}={show(getattr(self, name, attrs.NOTHING))}"
                           for name, show in _shown(cls))
        return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({fields})"

    def __eq__(self, other: object) -> bool:
        """Compare field by field with an object of the same class (else `NotImplemented`)."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        cls: type = self.__class__
        for name, key in _compared(cls):
            mine, theirs = getattr(self, name), getattr(other, name)
            if not (key(mine) == key(theirs) if key else mine == theirs):
                return False
        return True

    def __hash__(self) -> int:
        """Hash the class and the fields ``==`` compares."""
        cls: type = self.__class__
        return hash((cls.__qualname__, *(key(getattr(self, name)) if key else getattr(self, name)
                                         for name, key in _hashed(cls))))


class OrderedValue(Value):
    """`Value` with the comparisons of attrs' ``order=True``, between objects of one class."""

    __slots__ = ()

    def _pair(self, other: object) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        """Return both objects' ordered fields, or None when ``other`` is of another class."""
        if other.__class__ is not self.__class__:
            return None
        return _order_of(self), _order_of(other)

    def __lt__(self, other: object) -> bool:
        """Compare the ordered fields' tuples (`NotImplemented` for another class)."""
        pair = self._pair(other)
        return NotImplemented if pair is None else pair[0] < pair[1]

    def __le__(self, other: object) -> bool:
        """Compare the ordered fields' tuples (`NotImplemented` for another class)."""
        pair = self._pair(other)
        return NotImplemented if pair is None else pair[0] <= pair[1]

    def __gt__(self, other: object) -> bool:
        """Compare the ordered fields' tuples (`NotImplemented` for another class)."""
        pair = self._pair(other)
        return NotImplemented if pair is None else pair[0] > pair[1]

    def __ge__(self, other: object) -> bool:
        """Compare the ordered fields' tuples (`NotImplemented` for another class)."""
        pair = self._pair(other)
        return NotImplemented if pair is None else pair[0] >= pair[1]


def _order_of(value: object) -> tuple[Any, ...]:
    cls: type = value.__class__
    return tuple(key(getattr(value, name)) if key else getattr(value, name) for name, key in _ordered(cls))
