"""The corner of durable_rules servresp relies on, in one place.

- The C engine is driven directly (`fire`, `drain`, `retract_facts`): no `durable.engine.Host`,
  so none of its timer threads (#291), no exception per unmatched message and no Python
  closure per fired rule.
- `dumps` writes numbers in positional notation: durable_rules' JSON parser rejects
  exponents (``1e-05`` fails with error 204), which ``json.dumps`` writes for small and
  large floats.
- `acquire` and `release` lend compiled rulesets from a pool. durable has no unregister, and
  even `delete_ruleset` leaves ~300 KB per ruleset in its C heap (#137, #371), so a released
  ruleset is kept, empty, and lent again to the next engine compiled from the same
  definition: evaluating one model in a loop, with a fresh `Engine` each time, stays flat.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Mapping
from typing import Any

import durable_rules_engine

__all__ = ["POOL_LIMIT", "MessageObservedError", "Ruleset", "acquire", "drain", "dumps", "event",
           "fire", "pooled", "reading", "release", "retract_facts"]


class MessageObservedError(Exception):
    """durable_rules already holds a message with this id (or one whose id hashes alike, #376)."""


_encode = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)``, without building an encoder per call."""


def _flat(message: dict[Any, Any]) -> bool:
    """Return whether ``message`` holds no container and no float that needs an exponent."""
    for v in message.values():
        kind = v.__class__
        if kind is float:
            if v != 0.0 and not 1e-4 <= abs(v) < 1e16:
                return False
        elif kind is dict or kind is list or (kind is not str and kind is not int and kind is not bool
                                              and v is not None):
            return False
    return True


def dumps(value: object) -> str:
    """Return compact JSON whose floats never use exponent notation."""
    if isinstance(value, dict) and value.__class__ is dict and _flat(value):  # the common case
        return _encode(value)
    numbers: dict[str, str] = {}
    plain = _encode(value)
    tag = next(f"servresp{i}" for i in itertools.count() if f"servresp{i}" not in plain)
    # Each marker holds ``tag``, which the input's own text does not: no string is mistaken for one.

    def positional(item: object) -> object:
        if isinstance(item, float) and "e" in repr(item):
            marker = f"\x00{tag}#{len(numbers)}\x00"
            from decimal import Decimal  # noqa: PLC0415 - only an exponent needs it (~0.7 ms to import)

            numbers[json.dumps(marker)] = format(Decimal(repr(item)), "f")
            return marker
        if isinstance(item, dict):
            return {k: positional(v) for k, v in item.items()}
        if isinstance(item, list):
            return [positional(v) for v in item]
        return item

    text = _encode(positional(value))
    for marker, number in numbers.items():
        text = text.replace(marker, number)
    return text


_string = json.encoder.encode_basestring
"""A string's JSON as ``json.dumps(text, ensure_ascii=False)`` writes it."""


def reading(message_id: str, signal: str, value: float | None, window: str) -> str:
    """Return the JSON of a reading's message: what `dumps` gives for it, without the spaces."""
    if value.__class__ is int or (isinstance(value, float) and value.__class__ is float
                                  and (value == 0.0 or 1e-4 <= abs(value) < 1e16)):  # as `_flat`
        return (f'{{"id":{_string(message_id)},"signal":{_string(signal)},"value":{value!r},'
                f'"window":{_string(window)}}}')
    return dumps({"id": message_id, "signal": signal, "value": value, "window": window})


def event(message_id: str, signal: str, attributes: tuple[tuple[str, str], ...]) -> str:
    """Return the JSON of an event group's message: ``a:<name>`` for each attribute (a string)."""
    body = "".join(f",{_string(f'a:{k}')}:{_string(v)}" for k, v in attributes)
    return f'{{"id":{_string(message_id)},"signal":{_string(signal)}{body}}}'



class Ruleset:
    """A ruleset compiled in durable's C engine, and what each of its rules stands for."""

    def __init__(self, name: str, text: str) -> None:
        """Create the ruleset in the C engine from its definition's JSON ``text`` (no actions)."""
        self.name = name
        self.handle: int = durable_rules_engine.create_ruleset(name, text)
        self.key = text
        """The definition's JSON: rulesets with equal keys are interchangeable."""
        self.rules: Mapping[str, str] = {}
        """Rule name → what the engine records when the rule fires."""


def drain(ruleset: Ruleset, state: int, fired: list[tuple[str, str]]) -> None:
    """Run the rules pending on ``state``: append (the rule's record, message id) for each.

    This is durable's action loop (`durable.engine.Ruleset.do_actions`) without its Python
    closures: the state is never written (DURABLE_RULES.md §4), so it is not sent back
    (`update_state`), and a fired rule only needs its name and its message's id. Completing a
    rule consumes the events it matched; facts stay until retracted.
    """
    handle = ruleset.handle
    started = durable_rules_engine.start_action_for_state(handle, state)
    if started is None:
        return
    text: str | None = started[1]
    rules, loads = ruleset.rules, json.loads
    try:
        while text is not None:
            ((rule, match),) = loads(text).items()  # {"r3": {"m": {"id": ..., ...}}}
            fired.append((rules[rule], str(match["m"]["id"])))
            text = durable_rules_engine.complete_and_start_action(handle, state)
    except BaseException:
        durable_rules_engine.abandon_action(handle, state)
        raise


def fire(ruleset: Ruleset, text: str, *, event: bool, fired: list[tuple[str, str]]) -> bool:
    """Post ``text`` (a message's `dumps`) as an event, or assert it as a fact, and `drain` it.

    Return whether a rule matched it (a fact is then stored until retracted). Reads durable's
    result code instead of raising for unmatched input, as `durable.engine.Host.post` does (an
    exception per unmatched message is costly). Raise `MessageObservedError` when a message
    with its id is already stored. On an error from durable the message is retracted, so
    that the pooled ruleset keeps nothing.
    """
    post = durable_rules_engine.assert_event if event else durable_rules_engine.assert_fact
    code: int  # 0 matched, 1 unmatched, 2 already seen
    try:
        code, state = post(ruleset.handle, text)
        if code not in (_UNMATCHED, _OBSERVED):
            drain(ruleset, state, fired)
    except BaseException:
        retract_facts(ruleset, [text])
        raise
    if code == _OBSERVED:
        raise MessageObservedError(text)
    return code != _UNMATCHED


def retract_facts(ruleset: Ruleset, texts: list[str]) -> None:
    """Retract messages still stored, given as their `dumps`, in one call to the C engine.

    Messages that are not stored (unmatched, or events already consumed) are skipped.
    """
    if not texts:
        return
    if len(texts) == 1:
        durable_rules_engine.retract_fact(ruleset.handle, texts[0])
    else:
        durable_rules_engine.retract_facts(ruleset.handle, f"[{','.join(texts)}]")


_UNMATCHED, _OBSERVED = 1, 2
"""durable_rules' result codes (see `durable.engine.Ruleset._handle_result`)."""


POOL_LIMIT = 256
"""Released rulesets kept for reuse, at most; past it they are deleted (and durable leaks)."""

_free: dict[str, list[Ruleset]] = {}
_pool_lock = threading.Lock()
_names = itertools.count()


def acquire(definition: Mapping[str, Any], rules: Mapping[str, str]) -> Ruleset:
    """Return a ruleset compiled from ``definition`` (rules without ``run``), recording ``rules``.

    A released ruleset with the same definition is reused; otherwise a new one is created.
    Raise what the C engine raises when it refuses the definition.
    """
    text = dumps(definition)
    with _pool_lock:
        free = _free.get(text)
        ruleset = free.pop() if free else None
        if free == []:
            del _free[text]
    if ruleset is None:
        ruleset = Ruleset(f"servresp.{next(_names)}", text)
    ruleset.rules = rules
    return ruleset


def release(rulesets: list[Ruleset]) -> None:
    """Give ``rulesets`` back (each must hold no facts): kept for reuse up to `POOL_LIMIT`."""
    for ruleset in rulesets:
        ruleset.rules = {}
        with _pool_lock:
            keep = pooled() < POOL_LIMIT
            if keep:
                _free.setdefault(ruleset.key, []).append(ruleset)
        if not keep:
            durable_rules_engine.delete_ruleset(ruleset.handle)


def pooled() -> int:
    """Return how many released rulesets are waiting for reuse."""
    return sum(map(len, _free.values()))
