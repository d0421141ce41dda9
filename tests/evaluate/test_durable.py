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


# No NUL: dumps marks numbers with "\x00<n>\x00", and a string equal to a marker is replaced
# by the number (a known limitation, reported with the mutation-testing results).
_TEXT = st.text(st.characters(blacklist_characters="\x00"), max_size=3)
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
