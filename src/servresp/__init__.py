"""servresp: who in a company keeps each customer promise, and who shares a failure.

Load a model, read facts, evaluate them with durable_rules and trace a promise::

    import servresp

    model = servresp.load_default()
    facts = servresp.read_facts(["examples/october.jsonl"], model)
    evaluation = servresp.evaluate(model, facts)
    result = servresp.trace(model, evaluation, "service_as_promised")

The everyday API, re-exported here (each stage's package has the rest):

- model (`servresp.model`): `load_default`, `load_model`, `default_rules_dir`,
  `iter_problems`, `Model`; graph questions `accountable_for`, `duties_serving`,
  `upstream_of`, `downstream_of`, `units_implicated_by`, `rules_reading`;
- evaluate (`servresp.evaluate`): `read_facts`, `parse_facts`, `Fact`, `FactSet`,
  `evaluate`, `Engine`, `Evaluation`, `Breach`, `Firing`;
- trace (`servresp.trace`): `trace`, `Trace`, `Owner`, `Candidate`, `Evidence`,
  `build_report`, `Report`;
- lint (`servresp.lint`): `lint`, `CheckReport`;
- records (`servresp.records`): `read_records`, `indicators_from_files`, `build_monthly`;
- render (`servresp.render`): `render_report`, `render_why`, `generate_charts`, `write_charts`;
- errors: `ServrespError` and its kinds `ModelError`, `FactError`, `EngineError`,
  `UnknownIdError`, each carrying located `Problem` values.

`servresp.trace`, `servresp.evaluate` and `servresp.lint` are each the stage's package and,
when called, its main function. Nothing here starts durable_rules until something is evaluated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp._lazy import lazy_exports
from servresp.errors import (
    EngineError,
    FactError,
    ModelError,
    Problem,
    ServrespError,
    UnknownIdError,
)

if TYPE_CHECKING:
    from servresp import evaluate, lint, trace
    from servresp._version import __version__
    from servresp.evaluate.engine import Breach, Engine, Evaluation, Firing
    from servresp.evaluate.facts import Fact, FactSet, parse_facts, read_facts
    from servresp.lint.runner import CheckReport
    from servresp.model import (
        Model,
        accountable_for,
        default_rules_dir,
        downstream_of,
        duties_serving,
        iter_problems,
        load_default,
        load_model,
        rules_reading,
        units_implicated_by,
        upstream_of,
    )
    from servresp.records.indicators import indicators_from_files
    from servresp.records.monthly import build_monthly
    from servresp.records.reader import read_records
    from servresp.render.charts import generate as generate_charts
    from servresp.render.charts import write as write_charts
    from servresp.render.text import render_report, render_why
    from servresp.trace.evidence import Evidence
    from servresp.trace.report import Report, build_report
    from servresp.trace.tracer import Candidate, Owner, Trace

__all__ = [
    "Breach",
    "Candidate",
    "CheckReport",
    "Engine",
    "EngineError",
    "Evaluation",
    "Evidence",
    "Fact",
    "FactError",
    "FactSet",
    "Firing",
    "Model",
    "ModelError",
    "Owner",
    "Problem",
    "Report",
    "ServrespError",
    "Trace",
    "UnknownIdError",
    "__version__",
    "accountable_for",
    "build_monthly",
    "build_report",
    "default_rules_dir",
    "downstream_of",
    "duties_serving",
    "evaluate",
    "generate_charts",
    "indicators_from_files",
    "iter_problems",
    "lint",
    "load_default",
    "load_model",
    "parse_facts",
    "read_facts",
    "read_records",
    "render_report",
    "render_why",
    "rules_reading",
    "trace",
    "units_implicated_by",
    "upstream_of",
    "write_charts",
]

_LAZY = {  # everything: `servresp indicators` needs neither networkx nor the model
    "evaluate": "servresp.evaluate:", "trace": "servresp.trace:",  # the stages, callable
    "Fact": "servresp.evaluate.facts", "FactSet": "servresp.evaluate.facts",
    "parse_facts": "servresp.evaluate.facts", "read_facts": "servresp.evaluate.facts",
    **dict.fromkeys(("Model", "accountable_for", "default_rules_dir", "downstream_of", "duties_serving",
                     "iter_problems", "load_default", "load_model", "rules_reading",
                     "units_implicated_by", "upstream_of"), "servresp.model"),
    "Evidence": "servresp.trace.evidence",
    "Candidate": "servresp.trace.tracer", "Owner": "servresp.trace.tracer",
    "Trace": "servresp.trace.tracer",
    "__version__": "servresp._version",  # read from the package metadata: ~1 ms, only when asked
    "Breach": "servresp.evaluate.engine", "Engine": "servresp.evaluate.engine",
    "Evaluation": "servresp.evaluate.engine", "Firing": "servresp.evaluate.engine",
    "CheckReport": "servresp.lint.runner",
    "indicators_from_files": "servresp.records.indicators",
    "build_monthly": "servresp.records.monthly", "read_records": "servresp.records.reader",
    "render_report": "servresp.render.text", "render_why": "servresp.render.text",
    "Report": "servresp.trace.report", "build_report": "servresp.trace.report",
    "lint": "servresp.lint:",  # the stage, callable: `trace` needs none of lint's checks
    "generate_charts": "servresp.render.charts:generate",
    "write_charts": "servresp.render.charts:write",
}

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
