"""servresp: who in a company keeps each customer promise, and who shares a failure.

Load a model, evaluate facts with durable_rules, trace a failing promise to its owners::

    import servresp
    model = servresp.load_default()
"""

from servresp.errors import (
    EngineError,
    FactError,
    ModelError,
    Problem,
    ServrespError,
    UnknownIdError,
)
from servresp.load import default_rules_dir, iter_problems, load_default, load_model
from servresp.model import Model

__all__ = [
    "EngineError",
    "FactError",
    "Model",
    "ModelError",
    "Problem",
    "ServrespError",
    "UnknownIdError",
    "default_rules_dir",
    "iter_problems",
    "load_default",
    "load_model",
]
