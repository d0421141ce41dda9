"""servresp.evaluate._durable: JSON for durable_rules without exponents; the C engine driven directly."""

import json

import durable_rules_engine
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servresp.evaluate import _durable
from servresp.evaluate._durable import dumps


@pytest.mark.parametrize(("value", "text"), [
    ({"v": 0.00001}, '{"v": 0.00001}'),
    ({"v": -0.00001}, '{"v": -0.00001}'),
    ({"v": 1e16}, '{"v": 10000000000000000}'),
    ({"v": 1e-4}, '{"v": 0.0001}'),
    ({"v": 9999999999999998.0}, '{"v": 9999999999999998.0}'),
    ({"v": 0.0, "n": "é"}, '{"v": 0.0, "n": "é"}'),
    ({"v": 2.5e-07, "n": "é"}, '{"v": 0.00000025, "n": "é"}'),
    ({"a": {"b": [1e-05, 0.5]}}, '{"a": {"b": [0.00001, 0.5]}}'),
    ([1e20, {"x": 3e-06}], '[100000000000000000000, {"x": 0.000003}]'),
])
def test_dumps_writes_numbers_positionally(value: object, text: str) -> None:
    """Floats json writes with an exponent come out positional, at any depth; the rest as json."""
    assert dumps(value) == text


def test_a_string_that_looks_like_a_marker_stays_a_string() -> None:
    """A string like a float marker stays a string: no text is taken for a mark."""
    for looks in ("\x000\x00", "\x00servresp0#0\x00", "servresp0"):
        assert json.loads(dumps({"a": looks, "b": 1e-05})) == {"a": looks, "b": 1e-05}


_TEXT = (st.text(st.sampled_from(["a", "\x00", "0", "#", "s", "é", " "]) | st.characters(), max_size=4)
         | st.sampled_from(["servresp0", "\x00servresp0#0\x00", "\x000\x00"]))
_SCALARS = (st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(2**63), 2**63)
            | _TEXT)


@given(st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=8))
def test_dumps_round_trips_without_exponents(value: object) -> None:
    """The text parses back to the same value, and no number in it has an exponent."""
    text = dumps(value)
    numbers: list[str] = []

    def number(token: str) -> float:
        numbers.append(token)
        return float(token)

    assert _floats(json.loads(text, parse_float=number, parse_int=number)) == _floats(value)
    assert not [n for n in numbers if "e" in n.lower()]


def _floats(item: object) -> object:
    """``item`` with every number as a float (a positional 1e16 reads back as an int)."""
    if isinstance(item, dict):
        return {k: _floats(v) for k, v in item.items()}
    if isinstance(item, list):
        return [_floats(v) for v in item]
    return float(item) if isinstance(item, int | float) else item



_FLAT = st.dictionaries(_TEXT, st.none() | st.booleans() | _SCALARS, max_size=6)


@given(_FLAT)
def test_flat_messages_are_json_dumps_when_no_float_needs_an_exponent(value: dict[str, object]) -> None:
    """The fast path for flat messages writes exactly what ``json.dumps`` writes."""
    if not any(isinstance(v, float) and "e" in repr(v) for v in value.values()):
        assert dumps(value) == json.dumps(value, ensure_ascii=False)
    else:
        assert dumps(value) != json.dumps(value, ensure_ascii=False)


@given(st.text(), st.text(),
       st.one_of(st.none(), st.integers(), st.floats(allow_nan=False, allow_infinity=False)), st.text())
def test_reading_is_the_json_of_its_message(message_id: str, signal: str, value: float | None,
                                            window: str) -> None:
    """A reading's JSON reads back as its message, and writes its number without an exponent."""
    numbers: list[str] = []
    text = _durable.reading(message_id, signal, value, window)
    read = json.loads(text, parse_float=lambda n: numbers.append(n) or float(n),
                      parse_int=lambda n: numbers.append(n) or int(n))
    message = {"id": message_id, "signal": signal, "value": value, "window": window}
    assert read == json.loads(dumps(message))  # a huge float reads back as an int, as from dumps
    assert read == message | {"value": read["value"]}
    assert read["value"] == value if not isinstance(value, float) else float(read["value"]) == value
    assert not any("e" in n.lower() for n in numbers)


@given(st.text(), st.text(), st.lists(st.tuples(st.text(), st.text()), unique_by=lambda kv: kv[0]))
def test_event_is_the_json_of_its_message(message_id: str, signal: str,
                                          attributes: list[tuple[str, str]]) -> None:
    """An event group's JSON reads back as its message: each attribute as ``a:<name>``."""
    text = _durable.event(message_id, signal, tuple(attributes))
    assert json.loads(text) == {"id": message_id, "signal": signal, **{f"a:{k}": v for k, v in attributes}}


def _held(ruleset: _durable.Ruleset) -> list[object]:
    """Return the facts and events ``ruleset`` holds (durable's default sid)."""
    return [*json.loads(durable_rules_engine.get_facts(ruleset.handle, "0")),
            *json.loads(durable_rules_engine.get_events(ruleset.handle, "0"))]


def test_events_are_consumed_and_facts_stay_until_retracted() -> None:
    """A drained event is gone; a drained fact stays (and fires every rule) until retracted."""
    definition = {"r0": {"all": [{"m": {"signal": "x"}}]},
                  "r1": {"all": [{"m": {"$and": [{"signal": "x"}, {"$gt": {"v": 1}}]}}]}}
    ruleset = _durable.acquire(definition, {"r0": "any x", "r1": "x over 1"})
    try:
        fired: list[tuple[str, str]] = []
        assert _durable.fire(ruleset, '{"id":"e1","signal":"x"}', event=True, fired=fired)
        assert fired == [("any x", "e1")]
        assert _held(ruleset) == []
        assert not _durable.fire(ruleset, '{"id":"e2","signal":"y"}', event=True, fired=fired)
        fact = '{"id":"f1","signal":"x","v":2}'
        assert _durable.fire(ruleset, fact, event=False, fired=fired)
        assert sorted(fired[1:]) == [("any x", "f1"), ("x over 1", "f1")]
        assert _held(ruleset) == [{"id": "f1", "signal": "x", "v": 2}]
        _durable.retract_facts(ruleset, [fact])
        assert _held(ruleset) == []
    finally:
        _durable.release([ruleset])


def test_a_message_seen_twice_is_an_error() -> None:
    """A stored message's id is refused again: `fire` raises instead of ignoring it."""
    ruleset = _durable.acquire({"r0": {"all": [{"m": {"signal": "x"}}]}}, {"r0": "x"})
    try:
        fact = '{"id":"twice","signal":"x"}'
        assert _durable.fire(ruleset, fact, event=False, fired=[])
        with pytest.raises(_durable.MessageObservedError):
            _durable.fire(ruleset, fact, event=False, fired=[])
        _durable.retract_facts(ruleset, [fact])
        assert _held(ruleset) == []
    finally:
        _durable.release([ruleset])
