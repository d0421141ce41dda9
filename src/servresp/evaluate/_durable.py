"""The corner of durable_rules servresp relies on, in one place.

- `Host` starts none of the stock host's timer threads (#291); engines dispatch themselves.
- `Ruleset` sends numbers in positional notation: durable_rules' JSON parser rejects
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
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import durable_rules_engine
from durable import engine as durable

__all__ = ["POOL_LIMIT", "Host", "MessageObservedException", "Ruleset", "acquire", "assert_fact",
           "dumps", "pooled", "release", "retract_fact", "retract_facts"]

MessageObservedException = durable.MessageObservedException


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


class Host(durable.Host):  # type: ignore[misc]  # durable has no types
    """A host without the two timer threads the stock one starts (#291)."""

    def _run(self) -> None:
        return


class Ruleset(durable.Ruleset):  # type: ignore[misc]  # durable has no types
    """A ruleset whose definition and facts are sent with `dumps`; its actions can be rebound."""

    def __init__(self, name: str, text: str) -> None:
        """Create the ruleset in the C engine from its definition's JSON ``text`` (no actions)."""
        self._actions: dict[str, Any] = {}
        self._name = name
        self._host: Host | None = None
        self._handle = durable_rules_engine.create_ruleset(name, text)
        self._definition = text
        self.key = text
        """The definition's JSON: rulesets with equal keys are interchangeable."""

    def bind(self, host: Host | None, actions: Mapping[str, Callable[[Any], None]]) -> None:
        """Run ``actions`` (by rule name) for ``host`` from now on; no actions when unbound."""
        self._host = host
        self._actions = {name: durable.Promise(action) for name, action in actions.items()}

    def assert_fact(self, fact: dict[str, Any]) -> Any:  # noqa: ANN401 - durable's result
        """Assert one fact."""
        return self._handle_result(durable_rules_engine.assert_fact(self._handle, dumps(fact)), fact)

    def retract_fact(self, fact: dict[str, Any]) -> Any:  # noqa: ANN401 - durable's result
        """Retract one fact."""
        return self._handle_result(durable_rules_engine.retract_fact(self._handle, dumps(fact)), fact)


def assert_fact(ruleset: Ruleset, fact: dict[str, Any], text: str | None = None) -> bool:
    """Assert ``fact`` (``text``: its `dumps`, when known) and run the actions it fires.

    Return False when no rule matched it (durable then stores nothing).

    Reads durable's result code instead of raising for unmatched input, as
    `durable.engine.Host.assert_fact` does (an exception per unmatched fact is costly).
    """
    code, handle = durable_rules_engine.assert_fact(ruleset._handle, text or dumps(fact))  # noqa: SLF001
    if code == _UNMATCHED:
        return False
    if code == _OBSERVED:
        raise MessageObservedException(fact)
    _run_actions(ruleset, 0 if code == _QUEUED else handle)
    return True


def retract_fact(ruleset: Ruleset, fact: dict[str, Any], text: str | None = None) -> None:
    """Retract a stored ``fact`` (``text``: its `dumps`, when known)."""
    retract_facts(ruleset, [text or dumps(fact)])


def retract_facts(ruleset: Ruleset, texts: list[str]) -> None:
    """Retract stored facts, given as their `dumps`, in one call to the C engine."""
    if not texts:
        return
    batch = texts[0] if len(texts) == 1 else f"[{','.join(texts)}]"
    retract = durable_rules_engine.retract_fact if len(texts) == 1 else durable_rules_engine.retract_facts
    code, handle = retract(ruleset._handle, batch)  # noqa: SLF001
    if code not in (_UNMATCHED, _OBSERVED):
        _run_actions(ruleset, 0 if code == _QUEUED else handle)


_UNMATCHED, _OBSERVED, _QUEUED = 1, 2, 3
"""durable_rules' result codes (see `durable.engine.Ruleset._handle_result`)."""


def _run_actions(ruleset: Ruleset, handle: int) -> None:
    """Run the actions pending on ``handle`` synchronously; raise the first error."""
    errors: list[BaseException] = []

    def complete(error: BaseException | None, _state: object) -> None:
        if error:
            errors.append(error)

    ruleset.do_actions(handle, complete)
    if errors:
        raise errors[0]


POOL_LIMIT = 256
"""Released rulesets kept for reuse, at most; past it they are deleted (and durable leaks)."""

_free: dict[str, list[Ruleset]] = {}
_pool_lock = threading.Lock()
_names = itertools.count()


def acquire(definition: Mapping[str, Any], host: Host, actions: Mapping[str, Callable[[Any], None]]
            ) -> Ruleset:
    """Return a ruleset compiled from ``definition`` (rules without ``run``) running ``actions``.

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
    ruleset.bind(host, actions)
    return ruleset


def release(rulesets: list[Ruleset]) -> None:
    """Give ``rulesets`` back (each must hold no facts): kept for reuse up to `POOL_LIMIT`."""
    for ruleset in rulesets:
        ruleset.bind(None, {})
        with _pool_lock:
            keep = pooled() < POOL_LIMIT
            if keep:
                _free.setdefault(ruleset.key, []).append(ruleset)
        if not keep:
            durable_rules_engine.delete_ruleset(ruleset._handle)  # noqa: SLF001


def pooled() -> int:
    """Return how many released rulesets are waiting for reuse."""
    return sum(map(len, _free.values()))
