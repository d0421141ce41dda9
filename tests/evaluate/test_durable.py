"""servresp.evaluate._durable: JSON for durable_rules without exponents."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
