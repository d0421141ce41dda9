"""``servresp impact ID`` for people (text) and tools (``servresp.impact/1`` JSON).

The fixed words live in `STRINGS`, one table per language, so they can move to a message
catalogue in one step; model texts come from the model's own ``en``/``zh`` fields.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from servresp.analysis.impact import Impact, Involvement

__all__ = ["STRINGS", "reason_phrases", "render_impact", "words"]

STRINGS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "en": MappingProxyType({
        "title": "impact of {kind} {id}",
        "affected": "affected duties ({n}):",
        "downstream": "downstream — what could break:",
        "duties": "duties ({n}):",
        "standards": "standards ({n}):",
        "promises": "promises ({n}):",
        "upstream": "upstream — what it depends on ({n}):",
        "consult": "consult before the change ({n}):",
        "inform": "inform ({n}):",
        "none": "none",
        "more": "… (+{n})",
        "kind.duty": "duty", "kind.standard": "standard", "kind.rule": "rule",
        "kind.signal": "signal", "kind.unit": "unit", "kind.promise": "promise",
        "why.accountable": "accountable for",
        "why.responsible": "responsible for",
        "why.consulted": "consulted on",
        "why.downstream_owner": "owns downstream",
        "why.department": "S3: a department the change touches, through",
        "why.informed": "informed on",
        "why.management": "management above, through",
        "changes": "changes",
    }),
    "zh": MappingProxyType({
        "title": "变更影响：{kind} {id}",
        "affected": "直接涉及的职责（{n}）：",
        "downstream": "下游——可能受损的：",
        "duties": "职责（{n}）：",
        "standards": "标准（{n}）：",
        "promises": "承诺（{n}）：",
        "upstream": "上游——它所依赖的职责（{n}）：",
        "consult": "变更前须征求意见（{n}）：",
        "inform": "须告知（{n}）：",
        "none": "无",
        "more": "……（另 {n} 项）",
        "kind.duty": "职责", "kind.standard": "标准", "kind.rule": "诊断规则",
        "kind.signal": "信号", "kind.unit": "单位", "kind.promise": "承诺",
        "why.accountable": "负责（A）",
        "why.responsible": "执行（R）",
        "why.consulted": "须征询（C）",
        "why.downstream_owner": "拥有下游职责",
        "why.department": "S3：变更涉及的部门，经由",
        "why.informed": "须告知（I）",
        "why.management": "上级管理层，经由",
        "changes": "变更项",
    }),
})
"""The fixed words of the impact and diff views, by language."""

_INDENT = "  "
_SHOWN = 3
"""Duties listed per reason before the rest is counted: a reminder, not the whole list."""


def words(lang: str) -> Mapping[str, str]:
    """Return the fixed words in ``lang`` (English unless ``zh``)."""
    return STRINGS["zh" if lang == "zh" else "en"]


def _few(ids: list[str], lang: str) -> str:
    shown = ", ".join(ids[:_SHOWN])
    rest = len(ids) - _SHOWN
    return shown + (" " + words(lang)["more"].format(n=rest) if rest > 0 else "")


def reason_phrases(involvement: Involvement, lang: str, *, subjects: bool = False) -> str:
    """Return a unit's reasons as one line: ``accountable for a, b; informed on c``."""
    w = words(lang)
    by_why: defaultdict[str, list[str]] = defaultdict(list)
    changed: set[str] = set()
    for reason in involvement.reasons:
        if reason.duty not in by_why[reason.why]:
            by_why[reason.why].append(reason.duty)
        changed.add(reason.subject)
    line = "; ".join(f"{w['why.' + why]} {_few(duties, lang)}" for why, duties in by_why.items())
    if subjects:
        line += f" ({w['changes']}: {_few(sorted(changed), lang)})"
    return line


def unit_label(involvement: Involvement, lang: str) -> str:
    """Return ``sales (Sales)`` in the chosen language."""
    name = involvement.name.in_lang(lang) if involvement.name is not None else ""
    return f"{involvement.unit} ({_one(name)})" if name else involvement.unit


def _one(text: str) -> str:
    return " ".join(text.split())


def _ids(title: str, ids: Iterable[str], lang: str) -> list[str]:
    listed = list(ids)
    lines = [title.format(n=len(listed))]
    lines += [f"{_INDENT}{i}" for i in listed] or [f"{_INDENT}{words(lang)['none']}"]
    return lines


def involvement_lines(people: Iterable[Involvement], lang: str, *,
                      subjects: bool = False) -> list[str]:
    """Return one line per unit: its label, then its reasons."""
    return [f"{_INDENT}{unit_label(i, lang)}: {reason_phrases(i, lang, subjects=subjects)}"
            for i in people]


def render_impact(report: Impact, *, fmt: str = "text", lang: str = "en") -> str:
    """Render an impact as ``text`` (for people, in ``lang``) or ``json`` (servresp.impact/1)."""
    if fmt == "json":
        return json.dumps(report.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; use 'text' or 'json'")
    w = words(lang)
    title = w["title"].format(kind=w["kind." + report.kind], id=report.subject)
    lines = [f"{title} — {_one(report.text.in_lang(lang))}"]
    lines += _ids(w["affected"], report.affected, lang)
    lines.append(w["downstream"])
    for key, ids in (("duties", report.downstream_duties), ("standards", report.downstream_standards),
                     ("promises", report.downstream_promises)):
        lines += [_INDENT + line for line in _ids(w[key], ids, lang)]
    lines += _ids(w["upstream"], report.upstream, lang)
    lines.append(w["consult"].format(n=len(report.consult)))
    lines += involvement_lines(report.consult, lang) or [f"{_INDENT}{w['none']}"]
    lines.append(w["inform"].format(n=len(report.inform)))
    lines += involvement_lines(report.inform, lang) or [f"{_INDENT}{w['none']}"]
    return "\n".join(lines) + "\n"
