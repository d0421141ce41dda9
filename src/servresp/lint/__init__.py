"""The lint stage: `servresp check`'s findings over a model.

- `servresp.lint.runner`: `lint` → `CheckReport`, and its text and JSON renderings;
- `servresp.lint.codes`: every finding code (docs/check.md);
- `servresp.lint.checks`, `servresp.lint.standards`: the checks, one function each;
- `servresp.lint.scorecard`: S3's five requirements, scored from the model.

The package itself can be called: ``servresp.lint(model)`` is `servresp.lint.runner.lint`.
"""

from servresp._lazy import callable_stage
from servresp.lint.runner import (
    CODES,
    SCHEMA,
    CheckReport,
    Code,
    Finding,
    ScorePoint,
    Severity,
    lint,
    render_findings,
)

__all__ = [
    "CODES",
    "SCHEMA",
    "CheckReport",
    "Code",
    "Finding",
    "ScorePoint",
    "Severity",
    "lint",
    "render_findings",
]

callable_stage(__name__, "servresp.lint.runner:lint")
