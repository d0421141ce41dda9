"""The lint stage: `servresp check`'s findings over a model.

- `servresp.lint.runner`: `lint` → `CheckReport`, and its text and JSON renderings;
- `servresp.lint.codes`: every finding code (docs/check.md);
- `servresp.lint.checks`, `servresp.lint.standards`: the checks, one function each;
- `servresp.lint.scorecard`: S3's five requirements, scored from the model;
- `servresp.lint.verdict`: whether a model has errors, remembered while its files stay the same.

The checks are imported on first use, so a remembered verdict costs none of them. The
package itself can be called: ``servresp.lint(model)`` is `servresp.lint.runner.lint`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp._lazy import callable_stage, lazy_exports

if TYPE_CHECKING:
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

__getattr__, __dir__ = lazy_exports(__name__, dict.fromkeys(__all__, "servresp.lint.runner"), __all__)

callable_stage(__name__, "servresp.lint.runner:lint")
