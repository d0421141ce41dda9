"""Tests for `servresp._value`: the classes on it repr, compare, hash and order as attrs' own would."""

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servresp._value import Value
from servresp.errors import Problem
from servresp.model import classes
from servresp.model.classes import Citation, Model, Raci, Text
from servresp.trace.escape import Escape
from servresp.trace.evidence import Evidence
from strategies import models

CLASSES = [c for c in vars(classes).values() if isinstance(c, type) and attrs.has(c)]


def twin(cls: type) -> type:
    """Return a plain ``@attrs.frozen`` class with ``cls``'s fields: attrs' own repr, == and hash."""
    fields = {a.name: attrs.field(eq=a.eq, repr=a.repr, hash=a.hash) for a in attrs.fields(cls)
              if a.init}  # a field worked out after init (Model._tiers) is neither compared nor shown
    return attrs.make_class(cls.__name__, fields, frozen=True)


TWINS = {cls: twin(cls) for cls in CLASSES}


def as_twin(value: Any) -> Any:
    return TWINS[type(value)](**{a.name: getattr(value, a.name) for a in attrs.fields(type(value))
                                 if a.init})


def objects(model: Model) -> Iterator[Any]:
    """Every attrs object in ``model``, nested ones too, and the model itself."""
    stack: list[Any] = [model]
    while stack:
        value = stack.pop()
        if attrs.has(type(value)):
            yield value
            stack.extend(getattr(value, a.name) for a in attrs.fields(type(value)) if a.eq)
        elif isinstance(value, tuple):
            stack.extend(value)
        elif hasattr(value, "values"):
            stack.extend(value.values())


def test_every_model_class_is_a_value():
    """All the model's attrs classes share `Value`'s methods; attrs compiled none of them."""
    assert len(CLASSES) == 16
    for cls in CLASSES:
        assert issubclass(cls, Value), cls
        assert {"__repr__", "__eq__", "__hash__"}.isdisjoint(vars(cls)), cls


@settings(max_examples=25)
@given(models(), models())
def test_repr_eq_and_hash_are_attrs_own(first: Model, second: Model):
    """Repr, == and hash agree with attrs-generated twins of the same fields, object by object."""
    found = [*objects(first), *objects(second)]
    for value in found:
        assert repr(value) == repr(as_twin(value))
        assert value == attrs.evolve(value)
    by_class: dict[type, list[Any]] = {}
    for value in found:
        by_class.setdefault(type(value), []).append(value)
    for values in by_class.values():
        for a in values[:8]:
            for b in values[:8]:
                assert (a == b) is (as_twin(a) == as_twin(b))
                assert (a != b) is (as_twin(a) != as_twin(b))
                if a == b and not isinstance(a, Model):  # a model's mappings hash with neither
                    assert hash(a) == hash(b)


def test_other_classes_and_values_are_never_equal():
    """Like attrs: an object equals only objects of its own class; the rest is NotImplemented."""
    text = Text("a", "b")
    assert text != Citation("S1", "a")
    assert text.__eq__(("a", "b")) is NotImplemented
    assert text != ("a", "b")
    assert {text: 1}[Text("a", "b")] == 1


def test_eq_false_fields_are_neither_compared_nor_shown():
    """A model's graph and locations play no part in ==, hash or repr."""
    empty: dict[str, Any] = {}
    one = Model(units=empty, duties=empty, promises=empty, standards=empty, rules=empty,
                signals=empty, sources=empty, locations={"x": ("f.yaml", 1)})
    other = attrs.evolve(one, graph=None, locations={})
    assert one == other
    assert hash(one.tracing) == hash(other.tracing)
    assert "locations" not in repr(one)
    assert repr(one) == repr(other)


def test_a_value_met_again_inside_its_own_repr_shows_as_dots():
    """A (mis)built object that contains itself prints ``...`` there, as attrs' repr does."""
    inner: list[Any] = []
    raci = Raci("a", inner)  # type: ignore[arg-type]
    inner.append(raci)
    assert repr(raci) == "Raci(accountable='a', responsible=[...], consulted=(), informed=())"


def test_frozen_and_slotted_as_before():
    """The classes stay frozen and slotted."""
    text = Text("a", "b")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        text.en = "c"  # type: ignore[misc]
    assert not hasattr(text, "__dict__")


def ordered_twin(cls: type) -> type:
    """Return a plain ``@attrs.frozen(order=True)`` class with ``cls``'s fields."""
    fields = {a.name: attrs.field(eq=a.eq, order=a.order, repr=a.repr, hash=a.hash)
              for a in attrs.fields(cls)}
    return attrs.make_class(cls.__name__, fields, frozen=True, order=True)


PROBLEM_TWIN = ordered_twin(Problem)
_problems = st.builds(Problem, st.sampled_from(["a.yaml", "b.yaml", ""]), st.integers(0, 3),
                      st.sampled_from(["", "unit.id", "duties[1]"]), st.sampled_from(["x", "y"]),
                      st.sampled_from(["", "h"]))


@given(_problems, _problems)
def test_problems_order_as_attrs_order_true(a: Problem, b: Problem):
    """`OrderedValue`: <, <=, >, >=, ==, hash and repr of problems are attrs' order=True ones."""
    ta, tb = (PROBLEM_TWIN(*attrs.astuple(p)) for p in (a, b))
    assert (a < b, a <= b, a > b, a >= b, a == b) == (ta < tb, ta <= tb, ta > tb, ta >= tb, ta == tb)
    assert repr(a) == repr(ta)
    assert a != b or hash(a) == hash(b)
    assert a.__lt__("x") is NotImplemented
    with pytest.raises(TypeError):
        assert a < "x"  # type: ignore[operator]


def test_the_trace_s_values_repr_and_compare_as_before():
    """Evidence and Escape (plain values of the trace) keep attrs' repr and equality."""
    evidence = Evidence("rule", "desk.slow", "desk.answer", 0.5, ())
    assert repr(evidence) == repr(as_twin_of(evidence))
    assert evidence == Evidence("rule", "desk.slow", "desk.answer", 0.5, ())
    assert evidence != attrs.evolve(evidence, mass=0.25)
    escape = Escape("a.b", "c.d", "c", 0.1)
    assert repr(escape) == "Escape(cause='a.b', barrier='c.d', unit='c', mass=0.1)"
    assert len({escape, Escape("a.b", "c.d", "c", 0.1)}) == 1


def as_twin_of(value: Any) -> Any:
    return twin(type(value))(**{a.name: getattr(value, a.name) for a in attrs.fields(type(value))})
