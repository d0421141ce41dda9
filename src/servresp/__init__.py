"""servresp: who in a company keeps each customer promise, and who shares a failure.

Load a model, read facts, evaluate them with durable_rules and trace a promise::

    import servresp

    model = servresp.load_default()
    facts = servresp.read_facts(["examples/october.jsonl"], model)
    evaluation = servresp.evaluate(model, facts)
    result = servresp.trace(model, evaluation, "service_as_promised")
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_WHERE = {
    "Breach": "engine", "Engine": "engine", "Evaluation": "engine", "Firing": "engine",
    "evaluate": "engine",
    "EngineError": "errors", "FactError": "errors", "ModelError": "errors", "Problem": "errors",
    "ServrespError": "errors", "UnknownIdError": "errors",
    "Fact": "facts", "FactSet": "facts", "parse_facts": "facts", "read_facts": "facts",
    "default_rules_dir": "load", "iter_problems": "load", "load_default": "load",
    "load_model": "load",
    "Model": "model",
    "Report": "report", "build_report": "report",
    "Candidate": "trace", "Evidence": "trace", "Owner": "trace", "Trace": "trace",
}


# `trace` is both a module and its main function: bind the function before any import of
# the module can shadow it (importing servresp.trace starts no rules engine).
from servresp.trace import trace  # noqa: E402 - after the lazy table, on purpose


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the named module exports
    """Import the public API lazily, so `servresp check` does not start the rules engine."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'servresp' has no attribute {name!r}")
    import importlib  # noqa: PLC0415 - only needed on first access

    value = getattr(importlib.import_module(f"servresp.{module}"), name)
    globals()[name] = value
    return value


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
