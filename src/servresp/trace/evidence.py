"""`Evidence`: one standard missed or rule fired, and the duty it lands on.

Its own module so that the why sentences and the tracer both read it without importing each
other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from servresp._value import Value

if TYPE_CHECKING:
    from servresp.evaluate.facts import Fact

__all__ = ["Evidence"]


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Evidence(Value):
    """One piece of evidence behind an owner's share."""

    kind: str
    """``breach`` (a missed standard) or ``rule`` (a fired diagnostic rule)."""
    id: str
    """The standard's or the rule's id."""
    duty: str
    """The implicated duty the evidence lands on."""
    mass: float
    """The mass it puts on that duty."""
    facts: tuple[Fact, ...]
    """The facts read."""
