"""Which duties a model can see fail, and which reach a promise: read from the model directly.

A duty is *observable* when some standard's ``served_by`` or some rule's ``implicates`` names
it: evidence can land on it. A duty is *orphaned* when no dependency path leads from it to a
promise (``check``'s SR103). Both are plain functions of one model, so `servresp.analysis.diff`
compares them before and after a change; swap in a lint helper here when one exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp.lint.checks import reached_duties

if TYPE_CHECKING:
    from servresp.model.classes import Model

__all__ = ["observers_of", "orphaned_duties", "unobservable_duties"]


def observers_of(model: Model) -> dict[str, tuple[str, ...]]:
    """Return duty id → the standards and rules that can put evidence on it, sorted."""
    seen: dict[str, set[str]] = {duty: set() for duty in model.duties}
    for standard in model.standards.values():
        for duty in standard.served_by:
            seen.setdefault(duty, set()).add(standard.id)
    for rule in model.rules.values():
        for duty in rule.implicates:
            seen.setdefault(duty, set()).add(rule.id)
    return {duty: tuple(sorted(ids)) for duty, ids in sorted(seen.items()) if duty in model.duties}


def unobservable_duties(model: Model) -> set[str]:
    """Return the duties no standard serves and no rule implicates: no fact can show them fail."""
    return {duty for duty, observers in observers_of(model).items() if not observers}


def orphaned_duties(model: Model) -> set[str]:
    """Return the duties with no dependency path to any promise."""
    reached = set().union(*reached_duties(model).values())
    return set(model.duties) - reached
