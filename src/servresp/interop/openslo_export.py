"""A model's standards → OpenSLO v1 SLOs, one per standard, valid against the spec's rules.

A rate met from above (``>=``/``>`` a target in [0, 1) on a metric whose range lies in
[0, 1]) is OpenSLO's own shape: a precomputed success ratio (``ratioMetric.raw``) whose
objective ``target`` is the standard's target. Any other standard is a threshold metric
with ``op`` and ``value``; servresp judges one reading per window, so the objective's
share of good readings is written as 0.99 (OpenSLO's ``target`` must stay below 1, and
with one reading any share above 0 means that reading must meet the threshold). ``==``
becomes ``lte``/``gte`` at the bottom/top of the metric's range and cannot be exported
elsewhere. Windows are calendar windows (1d, 1w, 1M). What OpenSLO has no field for
(promise, duties, domain, status, citation, texts) travels in ``servresp.io/`` annotations
so that ``openslo import`` gives back the same standards.
"""

from __future__ import annotations

from typing import Any

from servresp.errors import Problem
from servresp.interop._model_files import dump
from servresp.interop._names import rfc1123
from servresp.model.classes import Comparator, Model, Standard, Window

__all__ = ["ANNOTATION", "THRESHOLD_SHARE", "export_standards"]

ANNOTATION = "servresp.io"
THRESHOLD_SHARE = 0.99
WINDOW_DURATION = {Window.DAY: "1d", Window.WEEK: "1w", Window.MONTH: "1M"}
OP = {Comparator.GE: "gte", Comparator.LE: "lte", Comparator.GT: "gt", Comparator.LT: "lt"}
_START = "2026-01-01 00:00:00"
_MAX_DESCRIPTION = 1050


def _annotations(standard: Standard) -> dict[str, str]:
    a = {"standard": standard.id, "promise": standard.promise, "metric": standard.metric,
         "comparator": standard.comparator.value, "target": repr(standard.target),
         "domain": standard.domain.value, "status": standard.status.value,
         "served-by": ",".join(standard.served_by), "source": standard.source.source,
         "section": standard.source.section, "text-en": standard.text.en, "text-zh": standard.text.zh}
    if standard.baseline is not None:
        a["baseline"] = repr(standard.baseline)
    if standard.note:
        a["note"] = standard.note
    tolerance = standard.tolerance
    if tolerance is not None and tolerance.allowed_deviation is not None:
        a["allowed-deviation"] = repr(tolerance.allowed_deviation)
    if tolerance is not None and tolerance.special_case_days is not None:
        a["special-case-days"] = str(tolerance.special_case_days)
    return {f"{ANNOTATION}/{key}": value for key, value in a.items()}


def _source(standard: Standard) -> dict[str, Any]:
    return {"metricSource": {"type": "servresp", "spec": {"metric": standard.metric,
                                                          "window": standard.window.value}}}


def _indicator(model: Model, standard: Standard) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Return (indicator spec, objective) for the standard, or None when OpenSLO cannot say it."""
    signal = model.signals.get(standard.metric)
    low, high = signal.range if signal is not None and signal.range is not None else (None, None)
    op, target = standard.comparator, standard.target
    rate = low is not None and high is not None and low >= 0 and high <= 1
    if rate and op in (Comparator.GE, Comparator.GT) and 0 <= target < 1:
        return {"ratioMetric": {"counter": False, "rawType": "success", "raw": _source(standard)}}, {
            "target": target}
    if op is Comparator.EQ:
        if low is not None and target == low:
            op = Comparator.LE
        elif high is not None and target == high:
            op = Comparator.GE
        else:
            return None
    return {"thresholdMetric": _source(standard)}, {"op": OP[op], "value": target,
                                                    "target": THRESHOLD_SHARE}


def export_standards(model: Model) -> tuple[dict[str, str], list[Problem]]:
    """Return one OpenSLO file per standard (``<name>.yaml`` → text) and what could not be said."""
    files: dict[str, str] = {}
    problems: list[Problem] = []
    taken: set[str] = set()
    for standard in model.standards.values():
        found = _indicator(model, standard)
        if found is None:
            file, line = model.locations.get(standard.id, ("", 0))
            problems.append(Problem(file or model.name, line, f"standards[{standard.id}].comparator",
                                    f"'== {standard.target}' is inside the metric's range; OpenSLO "
                                    "compares with lt, lte, gt or gte only", "not exported"))
            continue
        indicator, objective = found
        name = rfc1123(standard.id, fallback="standard", taken=taken)
        taken.add(name)
        text = " ".join(standard.text.en.split())
        slo = {
            "apiVersion": "openslo/v1", "kind": "SLO",
            "metadata": {"name": name, "displayName": standard.id, "annotations": _annotations(standard)},
            "spec": {
                "description": text[:_MAX_DESCRIPTION],
                "service": rfc1123(standard.promise, fallback="service"),
                "indicator": {"metadata": {"name": rfc1123(standard.metric, fallback="indicator"),
                                           "displayName": standard.metric},
                              "spec": indicator},
                "timeWindow": [{"duration": WINDOW_DURATION[standard.window], "isRolling": False,
                                "calendar": {"startTime": _START, "timeZone": "UTC"}}],
                "budgetingMethod": "Occurrences",
                "objectives": [{"displayName": standard.id, **objective}],
            },
        }
        files[f"{name}.yaml"] = dump(slo)
    return files, problems
