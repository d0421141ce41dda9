"""``servresp impact ID`` for people (text) and tools (``servresp.impact/1`` JSON).

The fixed words are msgids of the message catalog (`servresp.i18n`); `STRINGS` holds them
in every language; model texts come from the model's own ``en``/``zh`` fields.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from servresp.i18n import LANGS, N_, translated

if TYPE_CHECKING:
    from servresp.analysis.impact import Impact, Involvement

__all__ = ["STRINGS", "reason_phrases", "render_impact", "words"]

_MESSAGES: Mapping[str, str] = MappingProxyType({
    "title": N_("impact of {kind} {id}"),
    "affected": N_("affected duties ({n}):"),
    "downstream": N_("downstream — what could break:"),
    "duties": N_("duties ({n}):"),
    "standards": N_("standards ({n}):"),
    "promises": N_("promises ({n}):"),
    "upstream": N_("upstream — what it depends on ({n}):"),
    "consult": N_("consult before the change ({n}):"),
    "inform": N_("inform ({n}):"),
    "none": N_("none"),
    "more": N_("… (+{n})"),
    "kind.duty": N_("duty"),
    "kind.standard": N_("standard"),
    "kind.rule": N_("rule"),
    "kind.signal": N_("signal"),
    "kind.unit": N_("unit"),
    "kind.promise": N_("promise"),
    "why.accountable": N_("accountable for"),
    "why.responsible": N_("responsible for"),
    "why.consulted": N_("consulted on"),
    "why.downstream_owner": N_("owns downstream"),
    "why.department": N_("S3: a department the change touches, through"),
    "why.informed": N_("informed on"),
    "why.management": N_("management above, through"),
    "changes": N_("changes"),
})
"""The fixed words, as msgids of the message catalog (``docs/i18n.md``)."""
STRINGS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    lang: MappingProxyType(translated(_MESSAGES, lang)) for lang in LANGS
})
"""The fixed words of the impact and diff views, by language."""

_INDENT = "  "
_SHOWN = 3
"""Duties listed per reason before the rest is counted: a reminder, not the whole list."""


def words(lang: str) -> Mapping[str, str]:
    """Return the fixed words in ``lang`` (English for a language servresp does not speak)."""
    return STRINGS[lang if lang in STRINGS else "en"]


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
