"""The escape point (8D): when a caught duty's failure reaches the customer, its barriers share.

8D separates a defect's cause from the barrier that failed to catch it. When a promise is
breached and an implicated duty is caught by barriers (``catches`` in the rules), the
failure got past every one of them: `ESCAPE_FRACTION` of that duty's evidence mass moves
from the cause to the barriers, split equally, and each barrier's owner takes it with the
role ``escape``. The cause's owners keep the rest. See docs/tracing.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from servresp._value import Value
from servresp.i18n import decimal, number
from servresp.i18n import gettext as _
from servresp.model.graph import barriers_of

if TYPE_CHECKING:
    from collections.abc import Mapping

    from servresp.model.classes import Model

__all__ = ["ESCAPE_FRACTION", "Escape", "escape_points"]

ESCAPE_FRACTION = 0.25
"""Part of a caught duty's mass that moves to the barriers it escaped (a company's choice:
the sources name no number; the cause keeps most of the blame)."""


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Escape(Value):
    """Mass that moves from a caught duty to one barrier it escaped."""

    cause: str
    """The implicated duty whose failure got through."""
    barrier: str
    """The duty that should have caught it."""
    unit: str
    """The barrier's owner: the escape point."""
    mass: float
    """The mass moved."""

    def why(self, cause_mass: float) -> str:
        """Say why the barrier's owner takes this mass, with the numbers to recompute it."""
        return _("{unit} holds {barrier}, a barrier that catches {cause}'s failures; the failure "
                 "reached the customer past it, so as the escape point it takes {mass} of the {fraction} of "
                 "{cause}'s {cause_mass} that moves to the barriers it escaped (8D: the cause and the escape "
                 "point are both owned).").format(unit=self.unit, barrier=self.barrier, cause=self.cause,
                                        mass=decimal(self.mass, 4), fraction=number(ESCAPE_FRACTION),
                                        cause_mass=decimal(cause_mass, 4))


def escape_points(model: Model, duty_mass: Mapping[str, float]) -> list[Escape]:
    """Return the escapes of a breached promise's implicated duties, by cause then barrier."""
    barriers = barriers_of(model)
    found: list[Escape] = []
    for cause in sorted(duty_mass):
        caught_by = barriers.get(cause, ())
        if not caught_by or duty_mass[cause] <= 0:
            continue
        part = ESCAPE_FRACTION * duty_mass[cause] / len(caught_by)
        found.extend(Escape(cause, b, model.duties[b].owner, part) for b in caught_by)
    return found
