"""The standards report as Markdown, for the monthly staff meeting S3 describes."""

from __future__ import annotations

from servresp.model.classes import Comparator, Model, StandardStatus
from servresp.records.monthly import MonthlyReport, OwnerShare, StandardLine
from servresp.render import markdown as md

__all__ = ["render_report_md"]

_STATUS = {"breached": "**breached**", "at_risk": "at risk", "ok": "ok"}
_SIGN = {Comparator.GE: "≥", Comparator.GT: ">", Comparator.LE: "≤", Comparator.LT: "<",
         Comparator.EQ: "="}


def render_report_md(report: MonthlyReport) -> str:
    """Render ``report`` as a Markdown document."""
    facts = report.facts
    lines = [
        f"# Service standards report — {report.period or '-'}",
        "",
        (f"How far were we from the standard this period (S3)? "
         f"{f'Compared with {report.previous}' if report.previous else 'No earlier period to compare with'}."
         f" Model `{report.model.name}`; {facts.read} facts read, "
         f"{len(facts.rejected)} rejected, {len(facts.unknown)} unknown."),
        "",
        "## Standards",
        "",
        "| Standard | Promise | Actual | Target | Gap | Change | Error budget left | n |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(_row(report.model, line) for line in report.standards)
    misses = [line for line in report.standards
              if line.met is False and line.standard.status is StandardStatus.STANDARD]
    lines += ["", "## Misses and their owners", ""]
    if not misses:
        lines += ["No standard was missed.", ""]
    for line in misses:
        lines += _miss(report.model, line)
    lines += ["## Promises", "", "| Promise | Status | Missed standards | Rules fired | Top owners |",
              "|---|---|---|---|---|"]
    lines.extend(
        f"| {p.promise} | {_STATUS.get(p.status, p.status)} | {', '.join(p.breached) or '—'} | "
        f"{', '.join(p.fired) or '—'} | "
        f"{', '.join(f'{o.unit} {_pct(o.share)}' for o in p.owners) or '—'} |"
        for p in report.promises
    )
    unmeasured = [line.standard.id for line in report.standards if line.actual is None]
    if unmeasured:
        lines += ["", f"No reading for: {', '.join(unmeasured)}."]
    return "\n".join(lines) + "\n"


def _miss(model: Model, line: StandardLine) -> list[str]:
    standard = line.standard
    said = (f"{_esc(standard.text.en)} Actual {_value(model, standard.metric, line.actual)} "
            f"against {_target(model, line)}, a gap of {_amount(model, standard.metric, line.gap)}.")
    lines = [f"### {standard.id} ({standard.promise})", "", said, ""]
    lines.extend(_owner(o) for o in line.owners)
    if not line.owners:
        lines.append("- no owner: no unit holds a role on the duties that serve this standard")
    return [*lines, ""]


def _row(model: Model, line: StandardLine) -> str:
    standard = line.standard
    name = standard.id
    if standard.status is StandardStatus.ASPIRATION:
        name += " (aspiration)"
    gap = "—" if line.gap is None else "met" if line.met else _amount(model, standard.metric, line.gap)
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
        return f"{_amount(model, metric, left)} of {_amount(model, metric, line.budget)} ({_pct(share)})"
    return f"overrun by {_amount(model, metric, -left)} ({-share:.2f} budgets)"


def _change(model: Model, line: StandardLine) -> str:
    change = line.change
    if change is None:
        return "—"
    if change == 0:
        return "±0"
    rising = line.standard.comparator in (Comparator.GE, Comparator.GT)
    better = (change > 0) == rising
    sign = "+" if change > 0 else "−"
    return f"{sign}{_amount(model, line.standard.metric, abs(change))} ({'better' if better else 'worse'})"


def _owner(owner: OwnerShare) -> str:
    return f"- {owner.unit}: {_pct(owner.share)} ({', '.join(owner.roles)})"


def _is_rate(model: Model, metric: str) -> bool:
    signal = model.signals.get(metric)
    return signal is not None and signal.range == (0.0, 1.0)


def _value(model: Model, metric: str, value: float | None) -> str:
    if value is None:
        return "no data"
    return _pct(value) if _is_rate(model, metric) else f"{value:g}"


def _amount(model: Model, metric: str, value: float | None) -> str:
    """Format a difference: percentage points for rates."""
    if value is None:
        return "—"
    return f"{100 * value:.2f} pts" if _is_rate(model, metric) else f"{value:g}"


def _target(model: Model, line: StandardLine) -> str:
    standard = line.standard
    return f"{_SIGN[standard.comparator]} {_value(model, standard.metric, standard.target)}"


def _pct(value: float) -> str:
    text = f"{100 * value:.2f}%"
    return text.replace("-", "−")


def _esc(text: str) -> str:
    """Escape model text (standard texts, ids) so it renders literally: no table break, no HTML."""
    return md.text(text)
