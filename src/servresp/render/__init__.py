"""The render stage: values → text in every format people read, and the chart writer.

Each renderer maps a value to a `str`; only `servresp.render.charts.write` touches the disk,
through the one file writer (`servresp._fs`), inside the folder it was given.

- `servresp.render.text`: a trace report and a why answer as text;
- `servresp.render.report_md`: the monthly standards report as Markdown;
- `servresp.render.neighbourhood`: `servresp show`'s view of one id;
- `servresp.render.charts`: every chart of a model (RACI matrix, duty sheets, promise maps),
  built by `generate`, written by `write`, compared by `stale`;
- `markdown`, `csvfile`, `html`, `mermaid`, `dot`: one output format each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp._lazy import lazy_exports

if TYPE_CHECKING:
    from servresp.render.charts import (
        GENERATED_MARK,
        NO_GRAPHVIZ,
        generate,
        gist,
        promise_diagram,
        raci_matrix,
        stale,
        write,
        write_svgs,
    )
    from servresp.render.neighbourhood import (
        render_neighbourhood,
    )
    from servresp.render.report_md import (
        render_report_md,
    )
    from servresp.render.text import (
        render_report,
        render_why,
    )

__all__ = [
    "GENERATED_MARK",
    "NO_GRAPHVIZ",
    "generate",
    "gist",
    "promise_diagram",
    "raci_matrix",
    "render_neighbourhood",
    "render_report",
    "render_report_md",
    "render_why",
    "stale",
    "write",
    "write_svgs",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "GENERATED_MARK": "servresp.render.charts",
    "NO_GRAPHVIZ": "servresp.render.charts",
    "generate": "servresp.render.charts",
    "gist": "servresp.render.charts",
    "promise_diagram": "servresp.render.charts",
    "raci_matrix": "servresp.render.charts",
    "stale": "servresp.render.charts",
    "write": "servresp.render.charts",
    "write_svgs": "servresp.render.charts",
    "render_report": "servresp.render.text",
    "render_why": "servresp.render.text",
    "render_neighbourhood": "servresp.render.neighbourhood",
    "render_report_md": "servresp.render.report_md",
}, __all__)
