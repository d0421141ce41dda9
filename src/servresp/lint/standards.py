"""S3's five requirements of a service standard: explicit, measurable, feasible, timely, aligned.

Each check yields `Issue`s relative to one standard (S3 对于客户服务标准的要求).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import networkx as nx

from servresp.errors import did_you_mean
from servresp.i18n import N_
from servresp.i18n import gettext as _
from servresp.lint.codes import Issue, Severity
from servresp.model.classes import Comparator, SignalKind, StandardStatus, Text, Window

if TYPE_CHECKING:
    from collections.abc import Iterator

    from servresp.model.classes import Model, Signal, Standard

__all__ = ["iter_standard_issues"]

_EPSILON = 1e-9
"""Float slack: 0.80 − 0.70 is 0.10000000000000009, and S3 calls that step feasible."""


def iter_standard_issues(model: Model, *, max_step: float) -> Iterator[Issue]:
    """Yield the issues of every standard, by standard id."""
    suppliers = _Suppliers(model.supports)
    for standard in model.standards.values():
        yield from _standard(model, standard, max_step, suppliers)


class _Suppliers:
    """Whether a duty feeds a promise along supports edges: one path search, remembered."""

    def __init__(self, supports: nx.DiGraph[str]) -> None:
        self.supports = supports
        self.known: dict[tuple[str, str], bool] = {}

    def feeds(self, duty: str, promise: str) -> bool:
        """Return whether ``duty`` has a supports path to ``promise`` (is upstream of it)."""
        key = (duty, promise)
        if key not in self.known:
            graph = self.supports
            self.known[key] = (duty != promise and duty in graph and promise in graph
                               and nx.has_path(graph, duty, promise))
        return self.known[key]


def _standard(model: Model, standard: Standard, max_step: float,
              supports: _Suppliers) -> Iterator[Issue]:
    """SR105 and S3's five requirements: explicit, measurable, feasible, timely, aligned."""
    sid = standard.id
    signal = model.signals.get(standard.metric)
    if standard.promise not in model.promises:
        yield Issue("SR105", "standard", sid, "promise",
                    _("standard {standard} measures {promise}, which is no promise of the "
                      "model{did_you_mean}").format(
                          standard=repr(sid), promise=repr(standard.promise),
                          did_you_mean=did_you_mean(standard.promise, model.promises)),
                    _("name the customer promise the standard tells is kept"))
    if not isinstance(standard.text, Text):
        yield Issue("SR201", "standard", sid, "text",
                    _("standard {standard} has no text").format(standard=repr(sid)),
                    _("say what is measured in plain words, in English and Chinese (S3 明确性)"))
    if signal is None or signal.kind is not SignalKind.METRIC:
        what = _("is not declared") if signal is None else _("is declared as an event")
        yield Issue("SR201", "standard", sid, "metric",
                    _("standard {standard} reads the metric {metric}, which {what}").format(
                        standard=repr(sid), metric=repr(standard.metric), what=what),
                    _("declare the metric under signals, with its meaning and range"))
    measurable = list(_measurable(standard, signal))
    yield from measurable
    if not measurable:
        yield from _feasible(standard, signal, max_step)
    if not isinstance(standard.window, Window):
        yield Issue("SR205", "standard", sid, "window",
                    _("standard {standard} has no time window").format(standard=repr(sid)),
                    _("judge it over a month, week or day: S3 及时性 asks for explicit time limits"))
    if standard.promise in model.promises:
        yield from _aligned(standard, supports)


def _bounds(signal: Signal | None) -> tuple[float, float] | None:
    return signal.range if signal is not None else None


def _measurable(standard: Standard, signal: Signal | None) -> Iterator[Issue]:
    """SR202: a number, a comparator, and a target the metric's range can meet and miss."""
    sid, target, op = standard.id, standard.target, standard.comparator
    if not isinstance(op, Comparator):
        yield Issue("SR202", "standard", sid, "comparator",
                    _("standard {standard} has no comparator").format(standard=repr(sid)),
                    _("use one of >=, <=, >, <, =="))
    if not _is_number(target):
        yield Issue("SR202", "standard", sid, "target",
                    _("standard {standard} has no numeric target").format(standard=repr(sid)),
                    _("write the number the metric must reach, e.g. 0.96 (S3 可衡量性)"))
    bounds = _bounds(signal)
    if bounds is None or not isinstance(op, Comparator) or not _is_number(target):
        return
    low, high = bounds
    never = {Comparator.GE: target > high, Comparator.GT: target >= high,
             Comparator.LE: target < low, Comparator.LT: target <= low,
             Comparator.EQ: not low <= target <= high}[op]
    always = {Comparator.GE: target <= low, Comparator.GT: target < low,
              Comparator.LE: target >= high, Comparator.LT: target > high,
              Comparator.EQ: False}[op]
    rng = f"[{_num(low)}, {_num(high)}]"
    if never or always:
        outcome = _("can never be met") if never else _("can never be missed")
        yield Issue("SR202", "standard", sid, "target",
                    _("target {comparator} {target} {outcome}: {metric} ranges over {range}").format(
                        comparator=op, target=_num(target), outcome=outcome, metric=repr(standard.metric),
                        range=rng),
                    _("write the target on the metric's scale (a rate of {percent} is 0.96)").format(
                        percent="96%"))
    baseline = standard.baseline
    if baseline is not None and not low <= baseline <= high:
        yield Issue("SR202", "standard", sid, "baseline",
                    _("baseline {baseline} is outside {metric}'s range {range}").format(
                        baseline=_num(baseline), metric=repr(standard.metric), range=rng),
                    _("write the baseline on the metric's scale"))


def _feasible(standard: Standard, signal: Signal | None, max_step: float) -> Iterator[Issue]:
    """SR203 perfection and SR204 a jump from the baseline (S3 可行性)."""
    yield from _perfection(standard, signal)
    yield from _jump(standard, signal, max_step)


_ASPIRATION_FIX = N_("kept as an aspiration, it is reported and never breached; measure a feasible "
                     "standard beside it")
_STEP_FIX = N_("set a target the process can reach from today's level (S3: {feasible} when {today} is "
               "today's) and raise it when met, or mark it 'status: aspiration'")
_STEP_EXAMPLE = {"feasible": "75–80%", "today": "70%"}


def _perfection(standard: Standard, signal: Signal | None) -> Iterator[Issue]:
    """SR203: a target no process reaches by chance: every case, or not a single miss.

    An error when a baseline shows the process short of it (S3: 70% now, so 100% "是目标,
    不可能"); a warning when no baseline judges it — perfection can be a policy the company
    holds in its own hands (S3's Carrefour opens every counter at the Spring Festival) — and
    on aspirations, which are aims by definition.
    """
    target, op, baseline = standard.target, standard.comparator, standard.baseline
    low, high = _bounds(signal) or (0.0, 1.0)
    top = op in (Comparator.GE, Comparator.EQ) and math.isclose(target, high, abs_tol=_EPSILON)
    bottom = op in (Comparator.LE, Comparator.EQ) and math.isclose(target, low, abs_tol=_EPSILON)
    if not (top or bottom):
        return
    what = _("target {comparator} {target} demands perfection ({cases})").format(
        comparator=op, target=_num(target), cases=_("every case") if top else _("not one case"))
    if standard.status is StandardStatus.ASPIRATION:
        yield Issue("SR203", "standard", standard.id, "target",
                    _("{what}: an aim, not a standard (S3 可行性)").format(what=what), _(_ASPIRATION_FIX),
                    Severity.WARNING)
    elif baseline is None:
        yield Issue("SR203", "standard", standard.id, "target",
                    _("{what}, and no baseline shows the process reaches it").format(what=what),
                    _("keep it only if every case is in the company's own hands (like opening every "
                      "counter on peak days); else give today's level as baseline and a reachable "
                      "target, or mark it 'status: aspiration'"), Severity.WARNING)
    elif not op.holds(baseline, target):
        yield Issue("SR203", "standard", standard.id, "target",
                    _("{what} while the baseline is {baseline}: S3 calls such a number an aim, not a "
                      "standard").format(what=what, baseline=_num(baseline)),
                    _(_STEP_FIX).format(**_STEP_EXAMPLE), Severity.ERROR)


def _jump(standard: Standard, signal: Signal | None, max_step: float) -> Iterator[Issue]:
    """SR204: a target further from the baseline than one feasible step."""
    target, op, baseline = standard.target, standard.comparator, standard.baseline
    if baseline is None:
        return
    gap = {Comparator.GE: target - baseline, Comparator.GT: target - baseline,
           Comparator.LE: baseline - target, Comparator.LT: baseline - target,
           Comparator.EQ: abs(target - baseline)}[op]
    bounds = _bounds(signal)
    if bounds is not None and bounds[1] > bounds[0]:
        step, scale = gap / (bounds[1] - bounds[0]), _("of the metric's range")
    elif baseline:
        step, scale = gap / abs(baseline), _("of the baseline")
    else:
        step, scale = gap, _("on the metric's scale")
    if step <= max_step + _EPSILON:
        return
    aspiration = standard.status is StandardStatus.ASPIRATION
    yield Issue("SR204", "standard", standard.id, "target",
                _("target {comparator} {target} is {step} {scale} away from the baseline {baseline}; "
                  "S3 calls a step of {feasible} feasible").format(
                      comparator=op, target=_num(target), step=_pct(step), scale=scale,
                      baseline=_num(baseline), feasible=_pct(max_step)),
                _(_ASPIRATION_FIX) if aspiration else _(_STEP_FIX).format(**_STEP_EXAMPLE),
                Severity.WARNING if aspiration else Severity.ERROR)


def _aligned(standard: Standard, suppliers: _Suppliers) -> Iterator[Issue]:
    """SR206: a standard should be delivered by work that feeds the promise it measures."""
    if any(suppliers.feeds(duty_id, standard.promise) for duty_id in standard.served_by):
        return
    served = ", ".join(standard.served_by) or _("none")
    yield Issue("SR206", "standard", standard.id, "served_by",
                _("no duty serving {standard} ({served}) supports the promise {promise} it measures").format(
                    standard=repr(standard.id), served=served, promise=repr(standard.promise)),
                _("serve it with a duty that feeds {promise}, or measure the promise its duties feed "
                  "(S3 吻合性)").format(promise=repr(standard.promise)))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _num(value: float) -> str:
    """Format a number without float noise: 0.96, 1, 0.7."""
    return f"{value:.6g}"


def _pct(value: float) -> str:
    return f"{value * 100:.3g}%"
