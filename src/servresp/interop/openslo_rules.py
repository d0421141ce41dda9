"""The OpenSLO v1 specification's documented rules, as a validator.

Encoded from the spec's README (github.com/OpenSLO/OpenSLO, v1): ``apiVersion: openslo/v1``;
``metadata.name`` an RFC 1123 label; label and annotation keys; duration shorthand
(a positive integer and one of ``m h d w M Q Y``); an SLO's ``service``, one of
``indicator``/``indicatorRef``, exactly one ``timeWindow`` (rolling, or calendar with
``startTime`` and ``timeZone``), ``budgetingMethod`` in Occurrences | Timeslices |
RatioTimeslices, and objectives with ``op`` in lte | gte | lt | gt (threshold metrics only),
``target`` in [0, 1) or ``targetPercent`` in [0, 100), and ``timeSliceTarget`` /
``timeSliceWindow`` where the budgeting method needs them; an SLI with exactly one of
``thresholdMetric`` and ``ratioMetric``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["API_VERSION", "DURATION", "OPS", "is_rfc1123", "validate_document"]

API_VERSION = "openslo/v1"
KINDS = ("DataSource", "SLO", "SLI", "AlertPolicy", "AlertCondition", "AlertNotificationTarget", "Service")
OPS = ("lte", "gte", "lt", "gt")
BUDGETING = ("Occurrences", "Timeslices", "RatioTimeslices")
DURATION = re.compile(r"([1-9][0-9]*)([mhdwMQY])\Z")
_RFC1123 = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_KEY_NAME = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\Z")
_PREFIX = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_MAX_DESCRIPTION = 1050
Found = Iterator[tuple[str, str]]


def is_rfc1123(value: object) -> bool:
    """Whether ``value`` is an RFC 1123 label: 1–63 lowercase alphanumerics or '-', alphanumeric ends."""
    return isinstance(value, str) and len(value) <= 63 and bool(_RFC1123.match(value))


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _key(key: object, *, prefixed: bool) -> str | None:
    if not isinstance(key, str):
        return "keys must be strings"
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefixed or not prefix or len(prefix) > 253 or not _PREFIX.match(prefix)):
        return f"key {key[:80]!r}: the prefix must be a DNS subdomain of at most 253 characters"
    if not (len(name) <= 63 and _KEY_NAME.match(name)):
        return f"key {key[:80]!r}: at most 63 characters of [a-zA-Z0-9-_.], alphanumeric at both ends"
    return None


def _metadata(meta: object) -> Found:
    if not isinstance(meta, Mapping):
        yield "metadata", "metadata must be a mapping with a name"
        return
    if not is_rfc1123(meta.get("name")):
        yield "metadata.name", ("metadata.name must follow RFC 1123: at most 63 lowercase letters, "
                                "digits or '-', starting and ending alphanumeric")
    labels = meta.get("labels") or {}
    annotations = meta.get("annotations") or {}
    for field, values, prefixed in (("labels", labels, False), ("annotations", annotations, True)):
        if not isinstance(values, Mapping):
            yield f"metadata.{field}", f"{field} must be a mapping"
            continue
        for key, value in values.items():
            problem = _key(key, prefixed=prefixed)
            if problem:
                yield f"metadata.{field}", problem
            ok = isinstance(value, str) or (field == "labels" and isinstance(value, list)
                                            and all(isinstance(v, str) for v in value))
            if not ok:
                yield f"metadata.{field}.{key}", "values must be strings" + (
                    " or lists of strings" if field == "labels" else "")


def _description(spec: Mapping[str, Any]) -> Found:
    text = spec.get("description")
    if text is not None and not (isinstance(text, str) and len(text) <= _MAX_DESCRIPTION):
        yield "spec.description", f"description must be text of at most {_MAX_DESCRIPTION} characters"


def _sources(metric: object, path: str) -> Found:
    if not isinstance(metric, Mapping) or not isinstance(metric.get("metricSource"), Mapping):
        yield path, "needs a metricSource mapping"
        return
    source = metric["metricSource"]
    if "spec" not in source:
        yield f"{path}.metricSource.spec", "metricSource needs a spec"
    if "metricSourceRef" not in source and not isinstance(source.get("type"), str):
        yield f"{path}.metricSource.type", "give type when no metricSourceRef names a DataSource"


def _sli_spec(spec: object, path: str) -> Found:
    if not isinstance(spec, Mapping):
        yield path, "an SLI needs a spec"
        return
    yield from ((f"{path}.{p[5:]}" if p.startswith("spec.") else p, m) for p, m in _description(spec))
    threshold, ratio = spec.get("thresholdMetric"), spec.get("ratioMetric")
    if (threshold is None) == (ratio is None):
        yield path, "give exactly one of thresholdMetric and ratioMetric"
    if threshold is not None:
        yield from _sources(threshold, f"{path}.thresholdMetric")
    if ratio is not None:
        yield from _ratio(ratio, f"{path}.ratioMetric")


def _ratio(ratio: object, path: str) -> Found:
    if not isinstance(ratio, Mapping):
        yield path, "ratioMetric must be a mapping"
        return
    if "raw" in ratio:
        if any(k in ratio for k in ("good", "bad", "total")):
            yield path, "raw cannot be used together with good, bad or total"
        if ratio.get("rawType") not in ("success", "failure"):
            yield f"{path}.rawType", "raw needs rawType: success or failure"
        yield from _sources(ratio["raw"], f"{path}.raw")
        return
    if ("good" in ratio) == ("bad" in ratio):
        yield path, "give exactly one of good and bad, with total"
    if "total" not in ratio:
        yield f"{path}.total", "a ratio needs total (or raw)"
    for part in ("good", "bad", "total"):
        if part in ratio:
            yield from _sources(ratio[part], f"{path}.{part}")


def _time_window(windows: object) -> Found:
    if windows is None:
        return
    if not (isinstance(windows, list) and len(windows) == 1 and isinstance(windows[0], Mapping)):
        yield "spec.timeWindow", "timeWindow is a list of exactly one window"
        return
    window = windows[0]
    if not (isinstance(window.get("duration"), str) and DURATION.match(window["duration"])):
        yield "spec.timeWindow[0].duration", "duration: a positive integer and one of m h d w M Q Y (1M)"
    calendar = window.get("calendar")
    rolling = window.get("isRolling", calendar is None)
    if not isinstance(rolling, bool):
        yield "spec.timeWindow[0].isRolling", "isRolling must be true or false"
    elif not rolling and not (isinstance(calendar, Mapping) and calendar.get("startTime")
                              and calendar.get("timeZone")):
        yield "spec.timeWindow[0].calendar", "a calendar window needs calendar startTime and timeZone"


def _objective(obj: object, path: str, *, threshold: bool, budgeting: object) -> Found:
    if not isinstance(obj, Mapping):
        yield path, "an objective must be a mapping"
        return
    if "op" in obj and obj["op"] not in OPS:
        yield f"{path}.op", f"op must be one of {', '.join(OPS)}"
    if threshold and ("op" not in obj or not _number(obj.get("value"))):
        yield path, "a threshold metric needs op and a numeric value"
    target, percent = obj.get("target"), obj.get("targetPercent")
    if (target is None) == (percent is None):
        yield path, "give exactly one of target and targetPercent"
    if target is not None and not (_number(target) and 0 <= target < 1):
        yield f"{path}.target", "target must be a number in [0, 1)"
    if percent is not None and not (_number(percent) and 0 <= percent < 100):
        yield f"{path}.targetPercent", "targetPercent must be a number in [0, 100)"
    if budgeting in ("Timeslices", "RatioTimeslices") and "timeSliceWindow" not in obj:
        yield f"{path}.timeSliceWindow", f"{budgeting} needs timeSliceWindow"
    if budgeting == "Timeslices" and not (_number(obj.get("timeSliceTarget"))
                                          and 0 <= obj["timeSliceTarget"] <= 1):
        yield f"{path}.timeSliceTarget", "Timeslices needs timeSliceTarget in [0, 1]"


def _slo_spec(spec: Mapping[str, Any]) -> Found:
    yield from _description(spec)
    if not isinstance(spec.get("service"), str) or not spec["service"]:
        yield "spec.service", "an SLO names its service"
    indicator, ref = spec.get("indicator"), spec.get("indicatorRef")
    objectives = spec.get("objectives")
    composite = isinstance(objectives, list) and any(
        isinstance(o, Mapping) and ("indicator" in o or "indicatorRef" in o) for o in objectives)
    if (indicator is None) == (ref is None) and not composite:
        yield "spec", "give exactly one of indicator and indicatorRef"
    threshold = False
    if isinstance(indicator, Mapping):
        meta = indicator.get("metadata")
        if meta is not None and not (isinstance(meta, Mapping) and is_rfc1123(meta.get("name"))):
            yield "spec.indicator.metadata.name", "the indicator's name must follow RFC 1123"
        yield from _sli_spec(indicator.get("spec"), "spec.indicator.spec")
        threshold = isinstance(indicator.get("spec"), Mapping) and "thresholdMetric" in indicator["spec"]
    elif indicator is not None:
        yield "spec.indicator", "indicator must be a mapping"
    yield from _time_window(spec.get("timeWindow"))
    if spec.get("budgetingMethod") not in BUDGETING:
        yield "spec.budgetingMethod", f"budgetingMethod must be one of {' | '.join(BUDGETING)}"
    if not (isinstance(objectives, list) and objectives):
        yield "spec.objectives", "an SLO needs at least one objective"
        return
    if threshold and len(objectives) > 1:
        yield "spec.objectives", "a threshold metric allows one objective"
    for i, obj in enumerate(objectives):
        yield from _objective(obj, f"spec.objectives[{i}]", threshold=threshold,
                              budgeting=spec.get("budgetingMethod"))


def validate_document(doc: object, *, threshold_refs: frozenset[str] = frozenset()) -> Found:
    """Yield (field path, message) for every documented rule ``doc`` breaks; nothing when valid.

    ``threshold_refs`` names the SLIs (by name) that are threshold metrics, so that an SLO's
    objectives behind an ``indicatorRef`` are judged like inline ones.
    """
    if not isinstance(doc, Mapping):
        yield "", "an OpenSLO document is a mapping with apiVersion, kind, metadata and spec"
        return
    if doc.get("apiVersion") != API_VERSION:
        yield "apiVersion", f"apiVersion must be {API_VERSION}"
    kind = doc.get("kind")
    if kind not in KINDS:
        yield "kind", f"kind must be one of {', '.join(KINDS)}"
    yield from _metadata(doc.get("metadata"))
    spec = doc.get("spec")
    if not isinstance(spec, Mapping):
        yield "spec", "spec must be a mapping"
        return
    if kind == "SLO":
        if spec.get("indicatorRef") in threshold_refs:
            spec = {**spec, "indicator": {"spec": {"thresholdMetric": {"metricSource": {"type": "ref",
                                                                                          "spec": {}}}}}}
            spec.pop("indicatorRef")
        yield from _slo_spec(spec)
    elif kind == "SLI":
        yield from _sli_spec(spec, "spec")
    elif kind == "Service":
        yield from _description(spec)
