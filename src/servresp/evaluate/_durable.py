"""The corner of durable_rules servresp relies on, in one place.

- `Host` starts none of the stock host's timer threads (#291); engines dispatch themselves.
- `Ruleset` sends numbers in positional notation: durable_rules' JSON parser rejects
  exponents (``1e-05`` fails with error 204), which ``json.dumps`` writes for small and
  large floats.
- `register` and `unregister` add and drop rulesets on a host (durable has no unregister).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import durable_rules_engine
from durable import engine as durable

__all__ = ["Host", "MessageObservedException", "Ruleset", "assert_fact", "dumps", "register",
           "retract_fact", "unregister"]

MessageObservedException = durable.MessageObservedException


def _needs_exponent(value: object) -> bool:
    """Return whether ``repr`` writes the float ``value`` with an exponent (|x| < 1e-4 or ≥ 1e16)."""
    return isinstance(value, float) and value != 0.0 and not 1e-4 <= abs(value) < 1e16


def dumps(value: object) -> str:
    """Return compact JSON whose floats never use exponent notation."""
    if isinstance(value, dict) and not any(
            _needs_exponent(v) or isinstance(v, dict | list) for v in value.values()):
        return json.dumps(value, ensure_ascii=False)  # the common case: a flat message
    numbers: dict[str, str] = {}

    def positional(item: object) -> object:
        if isinstance(item, float) and "e" in repr(item):
            marker = f"\x00{len(numbers)}\x00"
            numbers[json.dumps(marker)] = format(Decimal(repr(item)), "f")
            return marker
        if isinstance(item, dict):
            return {k: positional(v) for k, v in item.items()}
        if isinstance(item, list):
            return [positional(v) for v in item]
        return item

    text = json.dumps(positional(value), ensure_ascii=False)
    for marker, number in numbers.items():
        text = text.replace(marker, number)
    return text


class Host(durable.Host):  # type: ignore[misc]  # durable has no types
    """A host without the two timer threads the stock one starts (#291)."""

    def _run(self) -> None:
        return


class Ruleset(durable.Ruleset):  # type: ignore[misc]  # durable has no types
    """A ruleset whose definition and facts are sent with `dumps`."""

    def __init__(self, name: str, host: Host, definition: dict[str, Any]) -> None:
        """Create the ruleset in the C engine; each rule's ``run`` becomes its action."""
        self._actions = {}
        self._name = name
        self._host = host
        for rule_name, rule in definition.items():
            action: Callable[[Any], None] = rule.pop("run")
            self._actions[rule_name] = durable.Promise(action)
        self._handle = durable_rules_engine.create_ruleset(name, dumps(definition))
        self._definition = definition

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
    code, handle = durable_rules_engine.retract_fact(ruleset._handle, text or dumps(fact))  # noqa: SLF001
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


def register(host: Host, name: str, definition: dict[str, Any]) -> Ruleset:
    """Add a ruleset to ``host``; raise when the name is taken or the C engine refuses it."""
    if name in host._ruleset_directory:  # noqa: SLF001 - durable keeps no public registry
        raise ValueError(f"ruleset {name!r} is already registered")
    ruleset = Ruleset(name, host, definition)
    host._ruleset_directory[name] = ruleset  # noqa: SLF001
    host._ruleset_list.append(ruleset)  # noqa: SLF001
    return ruleset


def unregister(host: Host, name: str) -> None:
    """Drop a ruleset from ``host`` and free it in the C engine (#137, #371)."""
    ruleset = host._ruleset_directory.pop(name, None)  # noqa: SLF001
    if ruleset is not None:
        host._ruleset_list.remove(ruleset)  # noqa: SLF001
        durable_rules_engine.delete_ruleset(ruleset._handle)  # noqa: SLF001
