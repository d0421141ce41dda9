"""The evaluate stage: facts and periods in, durable_rules evaluation out.

- `servresp.evaluate.facts`: read JSON, JSONL and CSV facts, each bad line rejected with its place;
- `servresp.evaluate.periods`: period labels (month, ISO week, day) and timestamps;
- `servresp.evaluate.engine`: the durable_rules engine (`Engine`, `evaluate`, `Evaluation`).

The engine and the fact reader are imported on first use, so reading facts does not
start durable_rules, and periods alone (the records stage) do not import the model. The
package itself can be called: ``servresp.evaluate(model, facts)`` is
`servresp.evaluate.engine.evaluate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp._lazy import callable_stage, lazy_exports
from servresp.evaluate.periods import (
    Period,
    parse_period,
    parse_timestamp,
)

if TYPE_CHECKING:
    from servresp.evaluate.engine import (
        Breach,
        Engine,
        Evaluation,
        Firing,
        evaluate,
    )
    from servresp.evaluate.facts import (
        Fact,
        FactSet,
        UnknownSignal,
        parse_facts,
        read_facts,
    )

__all__ = [
    "Breach",
    "Engine",
    "Evaluation",
    "Fact",
    "FactSet",
    "Firing",
    "Period",
    "UnknownSignal",
    "evaluate",
    "parse_facts",
    "parse_period",
    "parse_timestamp",
    "read_facts",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "Breach": "servresp.evaluate.engine",
    "Engine": "servresp.evaluate.engine",
    "Evaluation": "servresp.evaluate.engine",
    "Firing": "servresp.evaluate.engine",
    "evaluate": "servresp.evaluate.engine",
    **dict.fromkeys(("Fact", "FactSet", "UnknownSignal", "parse_facts", "read_facts"),
                    "servresp.evaluate.facts"),  # facts read the model: periods alone need no networkx
}, __all__)


callable_stage(__name__, "servresp.evaluate.engine:evaluate")

