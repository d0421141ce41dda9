"""What a trace reads that depends on the model alone, computed once per model and kept.

A trace of a large organisation spent most of its time recomputing, for every implicated
duty, things no fact can change: the duties above it along ``supports`` and the nearest
management duties among them, the duties that reach a promise, the shortest path from a
promise to every node, and the sentences naming the conditions that would implicate a
duty. `index_of` gives one `TraceIndex` per model (models are immutable), filled lazily
and dropped with the model.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from typing import TYPE_CHECKING

import networkx as nx

from servresp.i18n import current as current_language
from servresp.i18n import gettext as _
from servresp.model.graph import duties_reaching
from servresp.trace import why as _why

if TYPE_CHECKING:
    from servresp.model.classes import Model

__all__ = ["Above", "TraceIndex", "index_of"]


class Above:
    """The duties above one duty along ``supports``, nearest first, and its management."""

    __slots__ = ("ancestors", "management")

    def __init__(self, ancestors: tuple[str, ...], management: tuple[str, ...]) -> None:
        self.ancestors = ancestors
        """Every duty above, sorted by id."""
        self.management = management
        """Per management tier, its duties nearest above (sorted by id)."""


class TraceIndex:
    """Per-model answers a trace needs; each is computed on first use, then kept."""

    def __init__(self, model: Model) -> None:
        self._model = weakref.proxy(model)
        self.management_tiers: frozenset[str] = frozenset(model.management_tiers)
        """The model's management tiers."""
        self.tier_of: dict[str, str | None] = {d: model.management_tier_of(d) for d in model.duties}
        """Duty → the management tier that performs it, or None."""
        self._above: dict[str, Above] = {}
        self._reaching: dict[str, frozenset[str]] = {}
        self._from_promise: dict[str, dict[str, list[str]]] = {}
        self._conditions: dict[str, dict[str, frozenset[str]]] = {}

    def above(self, duty_id: str) -> Above:
        """Return the duties above ``duty_id`` along ``supports``, and its nearest management."""
        found = self._above.get(duty_id)
        if found is None:
            found = self._above[duty_id] = self._compute_above(duty_id)
        return found

    def reaching(self, promise: str) -> frozenset[str]:
        """Return every duty with a dependency path to ``promise``."""
        found = self._reaching.get(promise)
        if found is None:
            model = self._model
            found = frozenset(duties_reaching(model.graph, promise, view=model.dependencies))
            self._reaching[promise] = found
        return found

    def from_promise(self, promise: str) -> dict[str, list[str]]:
        """Return the shortest path from ``promise`` to every node, against the flow (read only)."""
        found = self._from_promise.get(promise)
        if found is None:
            reverse = self._model.dependencies.reverse(copy=False)
            found = (nx.single_source_shortest_path(reverse, promise) if promise in reverse
                     else {promise: [promise]})  # no duty serves it
            self._from_promise[promise] = found
        return found

    def conditions_by_duty(self) -> dict[str, frozenset[str]]:
        """Return duty → the conditions that would implicate it, in the current language."""
        language = current_language()
        found = self._conditions.get(language)
        if found is None:
            found = self._conditions[language] = _conditions_by_duty(self._model)
        return found

    def _compute_above(self, duty_id: str) -> Above:
        supports = self._model.supports
        if duty_id not in supports:
            return Above((), ())
        layers: defaultdict[int, list[str]] = defaultdict(list)
        for above, steps in dict(nx.single_target_shortest_path_length(supports, duty_id)).items():
            if steps:
                layers[steps].append(above)
        nearest: list[str] = []
        missing = set(self.management_tiers)
        for steps in sorted(layers):
            if not missing:
                break
            found = [a for a in layers[steps] if self.tier_of[a] in missing]
            nearest.extend(found)
            missing -= {self.tier_of[a] for a in found}
        ancestors = sorted(a for layer in layers.values() for a in layer)
        return Above(tuple(ancestors), tuple(sorted(nearest)))


def _conditions_by_duty(model: Model) -> dict[str, frozenset[str]]:
    """Duty → the conditions over facts that would implicate it."""
    found: defaultdict[str, set[str]] = defaultdict(set)
    for rule in model.rules.values():
        for duty_id in rule.implicates:
            found[duty_id].add(_("rule {rule}: {condition}").format(rule=rule.id,
                                                                      condition=_why.condition(rule.when)))
    for standard in model.standards.values():
        if standard.status == "standard":
            for duty_id in standard.served_by:
                found[duty_id].add(_("standard {standard}: {metric} not {comparator} {target}").format(
                    standard=standard.id, metric=standard.metric, comparator=standard.comparator,
                    target=f"{standard.target:g}"))
    return {d: frozenset(c) for d, c in found.items()}


_INDEXES: dict[int, TraceIndex] = {}
_LOCK = threading.Lock()


def index_of(model: Model) -> TraceIndex:
    """Return the model's `TraceIndex`, made on first use and dropped with the model."""
    key = id(model)
    with _LOCK:
        index = _INDEXES.get(key)
        if index is None:
            index = _INDEXES[key] = TraceIndex(model)
            weakref.finalize(model, _INDEXES.pop, key, None)
        return index
