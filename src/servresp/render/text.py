"""A report for people: each promise's status, breaches and owners ranked by share."""

from __future__ import annotations

from servresp.errors import UnknownIdError
from servresp.i18n import N_, columns, ljust, percent, pick, rjust, use
from servresp.i18n import gettext as _
from servresp.model.classes import Model
from servresp.trace.report import Report
from servresp.trace.tracer import Trace

__all__ = ["render_report", "render_why"]

_MARK = {"breached": N_("BREACHED"), "at_risk": N_("AT RISK"), "ok": N_("ok"), "no_data": N_("NO DATA")}


def render_report(report: Report, *, lang: str | None = None) -> str:
    """Render every trace of ``report`` as text, in ``lang`` (default: `servresp.i18n.current`)."""
    with use(lang):
        return _render_report(report)


def _render_report(report: Report) -> str:
    facts = report.facts
    period = report.evaluation.period or "-"
    counts = _("{read} read, {rejected} rejected, {unknown} unknown").format(
        read=facts.read, rejected=len(facts.rejected), unknown=len(facts.unknown))
    title = _("servresp trace — model {model}, period {period}").format(model=report.model.name,
                                                                      period=period)
    lines = [title, _("facts: {counts}").format(counts=counts), ""]
    for item in report.traces:
        lines.extend(_render_trace(report, item))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _render_trace(report: Report, item: Trace) -> list[str]:
    model = report.model
    lines = [f"{item.promise}: {_(_MARK[item.status])} — {pick(model.promises[item.promise].text)}"]
    lines.extend("  " + _("breach  {standard}: {metric} = {actual} in {period} "
                          "(target {comparator} {target}, gap {gap})").format(
                              standard=b.standard, metric=b.metric, actual=f"{b.actual:g}", period=b.period,
                              comparator=b.comparator, target=f"{b.target:g}", gap=f"{b.gap:.4f}")
                 for b in item.breaches)
    lines.extend("  " + _("aim     {standard}: {metric} = {actual} (aspiration {comparator} {target}; "
                          "reported, not a breach)").format(standard=b.standard, metric=b.metric,
                                                            actual=f"{b.actual:g}", comparator=b.comparator,
                                                            target=f"{b.target:g}")
                 for b in item.aspirations)
    lines.extend("  " + _("rule    {rule} fired on {count} fact(s)").format(rule=f.rule, count=len(f.facts))
                 for f in item.firings)
    if item.unmeasured:
        lines.append("  " + _("no data {standards}").format(standards=", ".join(item.unmeasured)))
        notes = dict(item.no_data)
        lines.extend(f"          {s}: {notes[s]}" for s in item.unmeasured  # the telling ones
                     if notes.get(s) and notes[s] not in _plain_no_data(model, s, item.period))
    if item.owners:
        share, unit, roles, duties = _("share"), _("unit"), _("roles"), _("duties")
        unit_width = max(columns(unit), *(columns(o.unit) for o in item.owners))
        role_width = max(columns(roles), *(columns(_roles(o.roles)) for o in item.owners))
        lines.append(f"  {rjust(share, 7)}  {ljust(unit, unit_width)}  {ljust(roles, role_width)}  {duties}")
        lines.extend(f"  {rjust(percent(o.share), 7)}  {ljust(o.unit, unit_width)}  "
                     f"{ljust(_roles(o.roles), role_width)}  {_few(o.duties)}" for o in item.owners)
    if item.candidates:
        lines.append("  " + _("candidates (no evidence yet): {units}").format(
            units=", ".join(c.unit for c in item.candidates)))
    return lines


def _roles(roles: tuple[str, ...]) -> str:
    return _(", ").join(_(r) for r in roles)


def _plain_no_data(model: Model, standard: str, period: str | None) -> set[str]:
    """Return the notes that only say a standard has no reading (the others tell more)."""
    metric = model.standards[standard].metric if standard in model.standards else standard
    return {_("no reading of {metric}").format(metric=metric),
            _("no reading of {metric} in {period}").format(metric=metric, period=period)}


def _few(ids: tuple[str, ...], most: int = 3) -> str:
    shown = ", ".join(ids[:most])
    return _("{shown} (+{more} more)").format(shown=shown, more=len(ids) - most) if len(ids) > most else shown


def render_why(report: Report, unit: str, promise: str, *, lang: str | None = None) -> str:
    """Explain why ``unit`` has its share of ``promise``'s failure, or why it has none.

    The *why* sentences are those the trace was built with: build the report inside
    ``servresp.i18n.use(lang)`` for them to be in ``lang`` too.
    """
    with use(lang):
        return _render_why(report, unit, promise)


def _render_why(report: Report, unit: str, promise: str) -> str:
    model = report.model
    if unit not in model.units:
        raise UnknownIdError("unit", unit, model.units)
    item = report.trace_of(promise)
    owner = next((o for o in item.owners if o.unit == unit), None)
    if owner is not None:
        head = _("{unit} shares {promise} ({status}) at {share}, as {roles} on {duties}.").format(
            unit=unit, promise=promise, status=_(item.status), share=percent(owner.share),
            roles=_roles(owner.roles), duties=", ".join(owner.duties))
        paths = ["  " + _("path: {path}").format(path=" → ".join(p)) for p in owner.paths]
        return "\n".join([head, *(f"- {w}" for w in dict.fromkeys(owner.why)), *paths]) + "\n"
    candidate = next((c for c in item.candidates if c.unit == unit), None)
    if candidate is not None:
        return "\n".join([_("{unit} has no share of {promise} ({status}).").format(
                              unit=unit, promise=promise, status=_(item.status)),
                          *(f"- {w}" for w in dict.fromkeys(candidate.why))]) + "\n"
    if item.status == "ok":
        return _("{unit} has no share: {promise} is ok in {period}.").format(
            unit=unit, promise=promise, period=item.period or _("the input")) + "\n"
    return _("{unit} has no share of {promise} ({status}): it holds no role on an implicated duty, no "
             "duty of it supplies one, and it is not a management tier above one.").format(
                 unit=unit, promise=promise, status=_(item.status)) + "\n"
