"""OpenSLO v1 documents → standards, with the promises, duties and signals they need to load.

An SLO becomes one standard per objective. A threshold metric gives the comparator (``op``)
and the target (``value``); a ratio metric gives a rate that must reach the objective's
``target`` (a ``failure`` raw ratio must stay at or below ``1 - target``). The window is the
``timeWindow`` duration: 1d, 1w, 1M calendar windows are servresp's day, week and month;
anything else (a rolling 28-day window, a quarter) cannot be represented and is reported,
then read as the nearest calendar window with the problem written above the standard. The
``service`` becomes the promise. ``servresp.io/`` annotations (written by ``openslo
export``) restore what OpenSLO has no field for, so an export imports back unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from servresp.errors import Problem
from servresp.interop._model_files import Entry, model_file
from servresp.interop._names import safe_id
from servresp.interop.openslo_export import ANNOTATION
from servresp.interop.openslo_rules import DURATION, validate_document
from servresp.model._yaml import Document, parse_yaml_stream
from servresp.model.classes import (
    DOTTED_ID_PATTERN,
    ID_PATTERN,
    SIGNAL_PATTERN,
    SOURCE_PATTERN,
    Comparator,
    Domain,
    StandardStatus,
)
from servresp.model.load import MAX_ID_LENGTH

__all__ = ["read_documents", "to_model_files"]

_COMPARATOR = {"gte": ">=", "lte": "<=", "gt": ">", "lt": "<"}
_EXACT = {("1", "d"): "day", ("1", "w"): "week", ("1", "M"): "month"}
_NOTE_RULES: dict[str, Callable[[str], bool]] = {
    "standard": lambda v: bool(ID_PATTERN.match(v)) and len(v) <= MAX_ID_LENGTH,
    "metric": lambda v: bool(SIGNAL_PATTERN.match(v)) and len(v) <= MAX_ID_LENGTH,
    "source": lambda v: bool(SOURCE_PATTERN.match(v)) and len(v) <= MAX_ID_LENGTH,
    "comparator": lambda v: v in {c.value for c in Comparator},
    "domain": lambda v: v in {c.value for c in Domain},
    "status": lambda v: v in {c.value for c in StandardStatus},
}
"""What a ``servresp.io/`` annotation must be for the import to trust it."""
_Standard = tuple[dict[str, Any], list[str], bool]
"""A standard in the rules format, the comments above it, and whether its metric is a rate."""
_DAYS = {"m": 1 / 1440, "h": 1 / 24, "d": 1, "w": 7, "M": 30, "Q": 91, "Y": 365}


@attrs.frozen
class _Doc:
    data: Mapping[str, Any]
    doc: Document

    def at(self, path: str, message: str, hint: str = "") -> Problem:
        return Problem(self.doc.file, self.doc.line(path), path, message, hint)


def read_documents(files: Sequence[Path], *, names: Sequence[str] | None = None,
                   ) -> tuple[list[_Doc], list[Problem]]:
    """Read every OpenSLO document in ``files``; invalid documents are reported and left out."""
    docs: list[_Doc] = []
    problems: list[Problem] = []
    for path, shown in zip(files, names or [str(f) for f in files], strict=True):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(shown, 0, "", f"cannot read as UTF-8 text: {exc}"))
            continue
        parsed, found = parse_yaml_stream(text, name=shown, dates_as_text=True)
        problems.extend(found)
        docs.extend(_Doc(d.data, d) for d in parsed if d.data is not None)
    thresholds = frozenset(d.data["metadata"]["name"] for d in docs
                           if isinstance(d.data, Mapping) and d.data.get("kind") == "SLI"
                           and isinstance(d.data.get("metadata"), Mapping)
                           and isinstance(d.data.get("spec"), Mapping)
                           and "thresholdMetric" in d.data["spec"])
    valid = []
    for d in docs:
        rules = list(validate_document(d.data, threshold_refs=thresholds))
        problems.extend(d.at(path, message) for path, message in rules)
        if not rules:
            valid.append(d)
    return valid, problems


def _window(spec: Mapping[str, Any]) -> tuple[str, str | None]:
    """Return servresp's window for the SLO, and what was lost reading it (None: nothing)."""
    windows = spec.get("timeWindow") or [{"duration": "1M", "calendar": {}}]
    window = windows[0]
    match = DURATION.match(window["duration"])
    count, unit = match.groups() if match else ("1", "M")
    rolling = window.get("isRolling", "calendar" not in window)
    exact = _EXACT.get((count, unit))
    if exact and not rolling:
        return exact, None
    days = int(count) * _DAYS[unit]
    nearest = "day" if days < 4 else "week" if days < 18 else "month"
    kind = "rolling" if rolling else "calendar"
    return nearest, (f"a {kind} {window['duration']} window cannot be represented: servresp judges "
                     f"calendar days, weeks and months; read as a calendar {nearest}")


def _indicator(d: _Doc, slis: Mapping[str, Mapping[str, Any]]) -> tuple[Mapping[str, Any], str]:
    spec = d.data["spec"]
    indicator = spec.get("indicator")
    if isinstance(indicator, Mapping):
        name = (indicator.get("metadata") or {}).get("name") or d.data["metadata"]["name"]
        return indicator.get("spec") or {}, str(name)
    ref = str(spec.get("indicatorRef"))
    return slis.get(ref, {}), ref


def _float(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _comparison(objective: Mapping[str, Any], ratio: object, *, exported: bool,
                ) -> tuple[str, float, list[str]]:
    """Return (comparator, target, notes) for one objective."""
    share = objective.get("target", (objective.get("targetPercent") or 0) / 100)
    if isinstance(ratio, Mapping):
        failure = ratio.get("rawType") == "failure" or "bad" in ratio
        return ("<=", round(1 - share, 12), []) if failure else (">=", share, [])
    lost = [] if exported else [(f"note: objective target {share} (the share of good readings) is not "
                                 "kept: servresp judges each window's reading against op and value")]
    return _COMPARATOR[objective["op"]], objective["value"], lost


def _promise_of(d: _Doc) -> str:
    annotations = d.data["metadata"].get("annotations") or {}
    promise = annotations.get(f"{ANNOTATION}/promise")
    if isinstance(promise, str) and ID_PATTERN.match(promise) and len(promise) <= MAX_ID_LENGTH:
        return promise
    return safe_id(str(d.data["spec"]["service"]), fallback="service")


def _served_by(text: str | None, promise: str) -> list[str]:
    duties = [d for d in (text or "").split(",") if DOTTED_ID_PATTERN.match(d) and len(d) <= MAX_ID_LENGTH]
    return duties or [f"{promise[:30]}_owner.meet_slos"]


def _extras(baseline: str | None, deviation: str | None, days: str | None) -> dict[str, Any]:
    """Return a standard's optional ``baseline`` and ``tolerance`` from its annotations."""
    extras: dict[str, Any] = {}
    if (level := _float(baseline)) is not None:
        extras["baseline"] = level
    tolerance: dict[str, float | int] = {}
    if (share := _float(deviation)) is not None:
        tolerance["allowed_deviation"] = share
    if days is not None and days.isdigit():
        tolerance["special_case_days"] = int(days)
    if tolerance:
        extras["tolerance"] = tolerance
    return extras


def _standards(d: _Doc, slis: Mapping[str, Mapping[str, Any]], taken: set[str], problems: list[Problem],
               ) -> list[_Standard]:
    meta, spec = d.data["metadata"], d.data["spec"]
    notes_of = dict(meta.get("annotations") or {})

    def note(key: str) -> str | None:
        value = notes_of.get(f"{ANNOTATION}/{key}")
        if not isinstance(value, str) or not value.strip():
            return None
        rule = _NOTE_RULES.get(key)
        if rule is not None and not rule(value):
            problems.append(d.at(f"metadata.annotations.{ANNOTATION}/{key}",
                                 f"{value[:80]!r} is not a valid {key}; the annotation is ignored"))
            return None
        return value

    if "indicator" not in spec and spec.get("indicatorRef") not in slis:
        problems.append(d.at("spec", "the SLO's indicator is not here (a composite SLO, or an "
                                     "indicatorRef to an SLI not given); it is not imported"))
        return []
    sli, sli_name = _indicator(d, slis)
    window, lost = _window(spec)
    comments = []
    if lost:
        problems.append(d.at("spec.timeWindow", lost))
        comments.append(f"settle: {lost}")
    if spec.get("budgetingMethod") != "Occurrences" and not note("standard"):
        comments.append(f"note: budgetingMethod {spec.get('budgetingMethod')} read as one reading per window")
    promise = _promise_of(d)
    ratio = sli.get("ratioMetric")
    base = note("standard") or safe_id(str(meta["name"]), fallback="slo")
    out = []
    for i, objective in enumerate(spec.get("objectives") or []):
        comparator, target, lost_share = _comparison(objective, ratio, exported=bool(note("standard")))
        exact = _float(note("target"))
        if note("comparator") and exact is not None:
            comparator, target = str(note("comparator")), exact
        sid = safe_id(base if i == 0 else f"{base}_{i + 1}", fallback="slo", taken=taken)
        taken.add(sid)
        words = str(spec.get("description") or objective.get("displayName") or meta["name"])
        standard: dict[str, Any] = {
            "id": sid, "text": {"en": note("text-en") or words, "zh": note("text-zh") or words},
            "promise": promise, "metric": note("metric") or f"openslo.{safe_id(sli_name, fallback='sli')}",
            "comparator": comparator, "target": target, "window": window,
            "domain": note("domain") or "process_flow", "served_by": _served_by(note("served-by"), promise),
            "source": {"id": note("source") or "S1", "section": note("section") or str(meta["name"])},
        }
        standard.update({key: note(key) for key in ("status", "note") if note(key)})
        standard.update(_extras(note("baseline"), note("allowed-deviation"), note("special-case-days")))
        out.append((standard, [f"from {d.doc.file}:{d.doc.line('metadata.name')}: SLO {meta['name']}",
                               *comments, *lost_share], isinstance(ratio, Mapping)))
    return out


def to_model_files(docs: Sequence[_Doc], *, source: str) -> tuple[dict[str, str], list[Problem]]:
    """Return the model files (relative path → text) for the SLOs in ``docs``, and the problems."""
    problems: list[Problem] = []
    slis = {d.data["metadata"]["name"]: d.data["spec"] for d in docs if d.data.get("kind") == "SLI"}
    services = {d.data["metadata"]["name"]: d.data for d in docs if d.data.get("kind") == "Service"}
    taken = {_promise_of(d) for d in docs if d.data.get("kind") == "SLO"}
    taken |= {f"{p[:30]}_owner" for p in taken}
    standards = [s for d in docs if d.data.get("kind") == "SLO" for s in _standards(d, slis, taken, problems)]
    return _files(standards, services, source), problems


def _files(standards: list[_Standard], services: Mapping[str, Any],
           source: str) -> dict[str, str]:
    header = [f"Imported from {source} by 'servresp openslo import'. Check with: servresp check --rules OUT"]
    promises: dict[str, Entry] = {}
    duties: dict[str, dict[str, Entry]] = {}
    sources = sorted({s["source"]["id"] for s, _, _ in standards})
    for standard, _, _ in standards:
        pid = standard["promise"]
        service = services.get(pid.replace("_", "-"), {})
        words = str((service.get("spec") or {}).get("description") or f"Service {pid} keeps its SLOs.")
        promises.setdefault(pid, Entry({"id": pid, "text": {"en": words, "zh": words},
                                        "source": standard["source"]}))
        for duty in standard["served_by"]:
            owner = duty.split(".", 1)[0]
            what = f"Deliver the service level of {pid} (placeholder: describe the duty)."
            duties.setdefault(owner, {}).setdefault(duty, Entry(
                {"id": duty, "text": {"en": what, "zh": what},
                 "raci": {"accountable": owner, "responsible": [owner]}, "supports": [pid],
                 "source": standard["source"]}, ("placeholder: the SLO names this duty; say who does what",)))
    files = {f"{owner}.yaml": model_file(
        header=[*header, "a unit that serves the SLOs; set kind, name and faces"],
        unit={"id": owner, "kind": "department", "name": {"en": owner, "zh": owner}, "faces": "internal"},
        sections=[("duties", [entries[k] for k in sorted(entries)])]) for owner, entries in duties.items()}
    rates = {s["metric"] for s, _, rate in standards if rate}
    signals = sorted({s["metric"] for s, _, _ in standards})
    files["_slos.yaml"] = model_file(header=header, sections=[
        ("promises", [promises[k] for k in sorted(promises)]),
        ("standards", [Entry(s, tuple(notes)) for s, notes, _ in standards]),
        ("signals", [Entry({"name": m, "kind": "metric",
                            "meaning": {"en": f"OpenSLO indicator {m}", "zh": f"OpenSLO 指标 {m}"},
                            **({"range": [0, 1]} if m in rates else {})})
                     for m in signals]),
        ("sources", [Entry({"id": s, "title": f"OpenSLO {Path(source).name}" if s == "S1" else
                            f"cited by the OpenSLO file ({s})", "file": Path(source).name or "openslo"})
                     for s in sources]),
    ])
    return files
