"""A report for people: each promise's status, breaches and owners ranked by share."""

from __future__ import annotations

from servresp.errors import UnknownIdError
from servresp.trace.report import Report
from servresp.trace.tracer import Trace

__all__ = ["render_report", "render_why"]

_MARK = {"breached": "BREACHED", "at_risk": "AT RISK", "ok": "ok"}


def render_report(report: Report) -> str:
    """Render every trace of ``report`` as text."""
    facts = report.facts
    period = report.evaluation.period or "-"
    counts = f"{facts.read} read, {len(facts.rejected)} rejected, {len(facts.unknown)} unknown"
    lines = [f"servresp trace — model {report.model.name}, period {period}", f"facts: {counts}", ""]
    for item in report.traces:
        lines.extend(_render_trace(report, item))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _render_trace(report: Report, item: Trace) -> list[str]:
    model = report.model
    lines = [f"{item.promise}: {_MARK[item.status]} — {model.promises[item.promise].text.en}"]
    lines.extend(f"  breach  {b.standard}: {b.metric} = {b.actual:g} in {b.period} "
                 f"(target {b.comparator} {b.target:g}, gap {b.gap:.4f})" for b in item.breaches)
    lines.extend(f"  aim     {b.standard}: {b.metric} = {b.actual:g} (aspiration "
                 f"{b.comparator} {b.target:g}; reported, not a breach)" for b in item.aspirations)
    lines.extend(f"  rule    {f.rule} fired on {len(f.facts)} fact(s)" for f in item.firings)
    if item.unmeasured:
        lines.append(f"  no data {', '.join(item.unmeasured)}")
    if item.owners:
        unit_width = max(len("unit"), *(len(o.unit) for o in item.owners))
        role_width = max(len("roles"), *(len(", ".join(o.roles)) for o in item.owners))
        lines.append(f"  {'share':>7}  {'unit':<{unit_width}}  {'roles':<{role_width}}  duties")
        lines.extend(f"  {o.share:7.2%}  {o.unit:<{unit_width}}  {', '.join(o.roles):<{role_width}}  "
                     f"{_few(o.duties)}" for o in item.owners)
    if item.candidates:
        lines.append("  candidates (no evidence yet): "
                     + ", ".join(c.unit for c in item.candidates))
    return lines


def _few(ids: tuple[str, ...], most: int = 3) -> str:
    shown = ", ".join(ids[:most])
    return f"{shown} (+{len(ids) - most} more)" if len(ids) > most else shown


def render_why(report: Report, unit: str, promise: str) -> str:
    """Explain why ``unit`` has its share of ``promise``'s failure, or why it has none."""
    model = report.model
    if unit not in model.units:
        raise UnknownIdError("unit", unit, model.units)
    item = report.trace_of(promise)
    owner = next((o for o in item.owners if o.unit == unit), None)
    if owner is not None:
        head = (f"{unit} shares {promise} ({item.status}) at {owner.share:.2%}, as "
                f"{', '.join(owner.roles)} on {', '.join(owner.duties)}.")
        paths = [f"  path: {' → '.join(p)}" for p in owner.paths]
        return "\n".join([head, *(f"- {w}" for w in dict.fromkeys(owner.why)), *paths]) + "\n"
    candidate = next((c for c in item.candidates if c.unit == unit), None)
    if candidate is not None:
        return "\n".join([f"{unit} has no share of {promise} ({item.status}).",
                          *(f"- {w}" for w in dict.fromkeys(candidate.why))]) + "\n"
    if item.status == "ok":
        return f"{unit} has no share: {promise} is ok in {item.period or 'the input'}.\n"
    return (f"{unit} has no share of {promise} ({item.status}): it holds no role on an "
            f"implicated duty, no duty of it supplies one, and it is not a management tier above "
            f"one.\n")
