"""The standards report as Markdown, for the monthly staff meeting S3 describes."""

from __future__ import annotations

from servresp.i18n import N_, number, pick, use
from servresp.i18n import gettext as _
from servresp.i18n import percent as _percent
from servresp.model.classes import Comparator, Model, StandardStatus
from servresp.records.monthly import MonthlyReport, OwnerShare, StandardLine
from servresp.render import markdown as md

__all__ = ["render_report_md"]

_STATUS = {"breached": N_("**breached**"), "at_risk": N_("at risk"), "ok": N_("ok"),
           "no_data": N_("no data")}
_SIGN = {Comparator.GE: "≥", Comparator.GT: ">", Comparator.LE: "≤", Comparator.LT: "<",
         Comparator.EQ: "="}


def render_report_md(report: MonthlyReport, *, lang: str | None = None) -> str:
    """Render ``report`` as a Markdown document, in ``lang`` (default: `servresp.i18n.current`)."""
    with use(lang):
        return _render_report_md(report)


def _render_report_md(report: MonthlyReport) -> str:
    facts = report.facts
    lines = [
        _("# Service standards report — {period}").format(period=report.period or "-"),
        "",
        (_("How far were we from the standard this period (S3)? Compared with {previous}. Model "
           "`{model}`; {read} facts read, {rejected} rejected, {unknown} unknown.") if report.previous
         else _("How far were we from the standard this period (S3)? No earlier period to compare "
                "with. Model `{model}`; {read} facts read, {rejected} rejected, {unknown} unknown.")
         ).format(previous=report.previous, model=report.model.name, read=facts.read,
                  rejected=len(facts.rejected), unknown=len(facts.unknown)),
        "",
        _("## Standards"),
        "",
        _("| Standard | Promise | Actual | Target | Gap | Change | Error budget left | n |"),
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(_row(report.model, line) for line in report.standards)
    misses = [line for line in report.standards
              if line.met is False and line.standard.status is StandardStatus.STANDARD]
    lines += ["", _("## Misses and their owners"), ""]
    if not misses:
        lines += [_("No standard was missed."), ""]
    for line in misses:
        lines += _miss(report.model, line)
    lines += [_("## Promises"), "", _("| Promise | Status | Missed standards | Rules fired | Top owners |"),
              "|---|---|---|---|---|"]
    lines.extend(
        f"| {p.promise} | {_(_STATUS.get(p.status, p.status))} | {', '.join(p.breached) or '—'} | "
        f"{', '.join(p.fired) or '—'} | "
        f"{', '.join(f'{o.unit} {_pct(o.share)}' for o in p.owners) or '—'} |"
        for p in report.promises
    )
    unmeasured = [line.standard.id for line in report.standards if line.actual is None]
    if unmeasured:
        lines += ["", _("No reading for: {standards}.").format(standards=", ".join(unmeasured))]
    return "\n".join(lines) + "\n"


def _miss(model: Model, line: StandardLine) -> list[str]:
    standard = line.standard
    said = _("{text} Actual {actual} against {target}, a gap of {gap}.").format(
        text=_esc(pick(standard.text)), actual=_value(model, standard.metric, line.actual),
        target=_target(model, line), gap=_amount(model, standard.metric, line.gap))
    lines = [f"### {standard.id} ({standard.promise})", "", said, ""]
    lines.extend(_owner(o) for o in line.owners)
    if not line.owners:
        lines.append(_("- no owner: no unit holds a role on the duties that serve this standard"))
    return [*lines, ""]


def _row(model: Model, line: StandardLine) -> str:
    standard = line.standard
    name = standard.id
    if standard.status is StandardStatus.ASPIRATION:
        name += _(" (aspiration)")
    gap = "—" if line.gap is None else _("met") if line.met else _amount(model, standard.metric, line.gap)
    if line.met is False and standard.status is StandardStatus.STANDARD:
        gap = f"**{gap}**"
    return (f"| {name} | {standard.promise} | {_value(model, standard.metric, line.actual)} | "
            f"{_target(model, line)} | {gap} | {_change(model, line)} | {_budget(model, line)} | "
            f"{'—' if line.n is None else line.n} |")


def _budget(model: Model, line: StandardLine) -> str:
    """Say what is left of the budget, or by how much it was overrun (in budgets, as S3 counts)."""
    left, share = line.budget_left, line.budget_left_share
    if left is None or share is None:
        return "—"
    metric = line.standard.metric
    if left >= 0:
        return _("{left} of {budget} ({share})").format(
            left=_amount(model, metric, left), budget=_amount(model, metric, line.budget), share=_pct(share))
    return _("overrun by {amount} ({budgets} budgets)").format(amount=_amount(model, metric, -left),
                                                              budgets=f"{-share:.2f}")


def _change(model: Model, line: StandardLine) -> str:
    change = line.change
    if change is None:
        return "—"
    if change == 0:
        return "±0"
    rising = line.standard.comparator in (Comparator.GE, Comparator.GT)
    better = (change > 0) == rising
    sign = "+" if change > 0 else "−"
    verdict = _("better") if better else _("worse")
    return f"{sign}{_amount(model, line.standard.metric, abs(change))} ({verdict})"


def _owner(owner: OwnerShare) -> str:
    return _("- {unit}: {share} ({roles})").format(unit=owner.unit, share=_pct(owner.share),
                                                 roles=_(", ").join(_(r) for r in owner.roles))


def _is_rate(model: Model, metric: str) -> bool:
    signal = model.signals.get(metric)
    return signal is not None and signal.range == (0.0, 1.0)


def _value(model: Model, metric: str, value: float | None) -> str:
    if value is None:
        return _("no data")
    return _pct(value) if _is_rate(model, metric) else number(value)


def _amount(model: Model, metric: str, value: float | None) -> str:
    """Format a difference: percentage points for rates."""
    if value is None:
        return "—"
    return _("{points} pts").format(points=f"{100 * value:.2f}") if _is_rate(model, metric) else number(value)


def _target(model: Model, line: StandardLine) -> str:
    standard = line.standard
    return f"{_SIGN[standard.comparator]} {_value(model, standard.metric, standard.target)}"


def _pct(value: float) -> str:
    return _percent(value).replace("-", "−")


def _esc(text: str) -> str:
    """Escape model text (standard texts, ids) so it renders literally: no table break, no HTML."""
    return md.text(text)
