"""servresp: who in a company keeps each customer promise, and who shares a failure.

Load a model, read facts, evaluate them with durable_rules and trace a promise::

    import servresp

    model = servresp.load_default()
    facts = servresp.read_facts(["examples/october.jsonl"], model)
    evaluation = servresp.evaluate(model, facts)
    result = servresp.trace(model, evaluation, "service_as_promised")
"""

from servresp.engine import Breach, Engine, Evaluation, Firing, evaluate
from servresp.errors import (
    EngineError,
    FactError,
    ModelError,
    Problem,
    ServrespError,
    UnknownIdError,
)
from servresp.facts import Fact, FactSet, parse_facts, read_facts
from servresp.load import default_rules_dir, iter_problems, load_default, load_model
from servresp.model import Model
from servresp.report import Report, build_report
from servresp.trace import Candidate, Evidence, Owner, Trace, trace

__all__ = [
    "Breach",
    "Candidate",
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
    "build_report",
    "default_rules_dir",
    "evaluate",
    "iter_problems",
    "load_default",
    "load_model",
    "parse_facts",
    "read_facts",
    "trace",
]
