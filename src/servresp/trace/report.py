"""The root-cause answer for tools: facts → evaluation → traces, as the ``servresp.trace/1`` JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import attrs

from servresp._value import Value
from servresp.errors import Problem, UnknownIdError
from servresp.evaluate.engine import Breach, Evaluation, evaluate
from servresp.evaluate.facts import FactSet
from servresp.i18n import current
from servresp.model.classes import Model
from servresp.trace.tracer import Candidate, Evidence, Owner, Trace, trace

__all__ = ["SCHEMA", "Report", "build_report", "trace_to_dict"]

SCHEMA = "servresp.trace/1"
_DIGITS = 12
"""Significant digits of masses, gaps and burns: hides float noise (0.06000000000000005), and,
unlike decimal places, never rounds a small positive gap or mass to 0."""


@attrs.frozen(repr=False, eq=False)  # Value: attrs' repr, == and hash
class Report(Value):
    """The JSON envelope: the model, what was read, and one trace per promise."""

    model: Model
    evaluation: Evaluation
    traces: tuple[Trace, ...]
    lang: str = attrs.field(factory=current, kw_only=True)
    """The language its *why* sentences were written in (`servresp.i18n.use` when it was built)."""

    @property
    def facts(self) -> FactSet:
        """What was read."""
        return self.evaluation.facts

    def to_dict(self) -> dict[str, Any]:
        """Return the ``servresp.trace/1`` document as plain data."""
        model = self.model
        facts = self.facts
        return {
            "schema": SCHEMA,
            "lang": self.lang,
            "model": {"name": model.name, "units": len(model.units), "duties": len(model.duties),
                      "promises": len(model.promises), "standards": len(model.standards),
                      "rules": len(model.rules)},
            "period": self.evaluation.period,
            "facts": {
                "read": facts.read,
                "rejected": [_problem(p) for p in facts.rejected],
                "unknown": [u.to_json() for u in facts.unknown],
                "warnings": [_problem(p) for p in (*facts.warnings, *self.evaluation.warnings)],
            },
            "traces": [trace_to_dict(t) for t in self.traces],
        }

    def to_json(self) -> str:
        """Return the document pretty-printed with sorted keys and a final newline."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    def trace_of(self, promise: str) -> Trace:
        """Return the trace of ``promise``; raise `UnknownIdError` when it was not traced."""
        for item in self.traces:
            if item.promise == promise:
                return item
        raise UnknownIdError("traced promise", promise, [t.promise for t in self.traces])


def build_report(model: Model, facts: FactSet, *, promises: Iterable[str] | None = None,
                 period: str | None = None) -> Report:
    """Evaluate ``facts`` and trace ``promises`` (all, by id, when None)."""
    evaluation = evaluate(model, facts, period=period)
    chosen = list(promises) if promises is not None else list(model.promises)
    return Report(model, evaluation, tuple(trace(model, evaluation, p) for p in chosen))


def _problem(problem: Problem) -> dict[str, Any]:
    message = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
    return {"source": problem.file, "line": problem.line, "field": problem.path, "message": message}


def _r(value: float) -> float:
    return float(f"{value:.{_DIGITS}g}") + 0.0


def _breach(breach: Breach) -> dict[str, Any]:
    return {"standard": breach.standard, "metric": breach.metric, "actual": breach.actual,
            "target": breach.target, "comparator": str(breach.comparator), "gap": _r(breach.gap),
            "period": breach.period, "burn": _r(breach.burn),
            "budget": None if breach.budget is None else _r(breach.budget),
            "fact": breach.fact.to_json()}


def _evidence(item: Evidence) -> dict[str, Any]:
    return {"kind": item.kind, "id": item.id, "duty": item.duty, "mass": _r(item.mass),
            "facts": [f.to_json() for f in item.facts]}


def _owner(owner: Owner) -> dict[str, Any]:
    return {"unit": owner.unit, "share": owner.share, "mass": _r(owner.mass),
            "roles": list(owner.roles), "duties": list(owner.duties),
            "evidence": [_evidence(e) for e in owner.evidence],
            "paths": [list(p) for p in owner.paths], "why": list(owner.why)}


def _candidate(candidate: Candidate) -> dict[str, Any]:
    return {"unit": candidate.unit, "share": 0, "duties": list(candidate.duties),
            "would_implicate": list(candidate.would_implicate), "why": list(candidate.why)}


def trace_to_dict(item: Trace) -> dict[str, Any]:
    """Return one trace as plain data (an entry of the envelope's ``traces``)."""
    return {
        "promise": item.promise, "status": item.status, "period": item.period,
        "breaches": [_breach(b) for b in item.breaches],
        "aspirations": [_breach(b) for b in item.aspirations],
        "fired_rules": [{"rule": f.rule, "facts": [x.to_json() for x in f.facts]}
                        for f in item.firings],
        "owners": [_owner(o) for o in item.owners],
        "candidates": [_candidate(c) for c in item.candidates],
        "unmeasured": list(item.unmeasured), "mass": _r(item.mass),
        "no_data": dict(item.no_data),
    }
