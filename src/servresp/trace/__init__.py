"""The trace stage: an evaluation + the graph → each promise's status and its ranked owners.

- `servresp.trace.tracer`: `trace` and its result classes (`Trace`, `Owner`, `Candidate`);
- `servresp.trace.why`: the plain sentences quoting the values read;
- `servresp.trace.report`: the ``servresp.trace/1`` envelope for tools (`build_report`);
- `servresp.trace.watch`: JSONL in, a ``servresp.watch/1`` line per status change.

The package itself can be called: ``servresp.trace(model, evaluation, promise)`` is
`servresp.trace.tracer.trace`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp._lazy import callable_stage, lazy_exports
from servresp.trace.evidence import Evidence
from servresp.trace.tracer import (
    Candidate,
    Owner,
    Trace,
    status_of,
    trace,
)

if TYPE_CHECKING:
    from servresp.trace.report import (
        Report,
        build_report,
        trace_to_dict,
    )
    from servresp.trace.watch import (
        Change,
        Summary,
        Watcher,
        follow,
        run_watch,
    )

__all__ = [
    "Candidate",
    "Change",
    "Evidence",
    "Owner",
    "Report",
    "Summary",
    "Trace",
    "Watcher",
    "build_report",
    "follow",
    "run_watch",
    "status_of",
    "trace",
    "trace_to_dict",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "Report": "servresp.trace.report",
    "build_report": "servresp.trace.report",
    "trace_to_dict": "servresp.trace.report",
    "Change": "servresp.trace.watch",
    "Summary": "servresp.trace.watch",
    "Watcher": "servresp.trace.watch",
    "follow": "servresp.trace.watch",
    "run_watch": "servresp.trace.watch",
}, __all__)


callable_stage(__name__, "servresp.trace.tracer:trace")

