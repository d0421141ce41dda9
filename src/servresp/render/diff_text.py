"""``servresp diff OLD NEW`` as text (terminal), Markdown (a pull-request comment) or JSON.

The fixed words are msgids of the message catalog (`servresp.i18n`), in every language in
`STRINGS`; the reasons' words are those of `servresp.render.impact_text`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from servresp.i18n import LANGS, N_, translated
from servresp.render.impact_text import reason_phrases, unit_label

if TYPE_CHECKING:
    from servresp.analysis.diff import ModelDiff
    from servresp.analysis.impact import Involvement
    from servresp.lint.runner import Finding

__all__ = ["STRINGS", "render_diff"]

_MESSAGES: Mapping[str, str] = MappingProxyType({
    "title": N_("servresp diff: {old} → {new}"),
    "same": N_("no change: the two models hold the same objects"),
    "fails": N_("❌ this change introduces {n} check error(s): `servresp check` would fail"),
    "passes": N_("✅ no new check error"),
    "counts": N_("{kind}: +{added} −{removed} ~{changed}"),
    "added": N_("added"),
    "removed": N_("removed"),
    "changed": N_("changed"),
    "raci": N_("RACI moves"),
    "gained": N_("gains"),
    "lost": N_("loses"),
    "targets": N_("targets (S3 feasibility against the baseline)"),
    "verdict.infeasible": N_("infeasible"),
    "verdict.doubtful": N_("doubtful"),
    "verdict.feasible": N_("feasible"),
    "verdict.unjudged": N_("unjudged (no baseline)"),
    "orphaned": N_("duties orphaned (reach no promise)"),
    "unobservable": N_("duties newly unobservable (no standard serves, no rule implicates)"),
    "new_findings": N_("new check findings"),
    "resolved": N_("check findings resolved"),
    "scorecard": N_("S3 scorecard"),
    "won": N_("now met"),
    "lost_point": N_("no longer met"),
    "consult": N_("consult before merging"),
    "inform": N_("inform"),
    "kind": N_("kind"),
    "id": N_("id"),
    "field": N_("field"),
    "old": N_("old"),
    "new": N_("new"),
    "duty": N_("duty"),
    "role": N_("role"),
    "unit": N_("unit"),
    "move": N_("move"),
    "standard": N_("standard"),
    "verdict": N_("verdict"),
    "why": N_("why"),
    "where": N_("where"),
    "finding": N_("finding"),
    "message": N_("message"),
    "point": N_("point"),
    "kind.units": N_("units"),
    "kind.duties": N_("duties"),
    "kind.promises": N_("promises"),
    "kind.standards": N_("standards"),
    "kind.rules": N_("rules"),
    "kind.signals": N_("signals"),
    "kind.sources": N_("sources"),
    "kind.tracing": N_("tracing"),
    "role.accountable": N_("A"),
    "role.responsible": N_("R"),
    "role.consulted": N_("C"),
    "role.informed": N_("I"),
    "absent": N_("(absent)"),
})
"""The fixed words, as msgids of the message catalog (``docs/i18n.md``)."""
STRINGS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    lang: MappingProxyType(translated(_MESSAGES, lang)) for lang in LANGS
})
"""The fixed words of the diff view, by language."""

_INDENT = "  "
_VALUE_WIDTH = 80


def _words(lang: str) -> Mapping[str, str]:
    return STRINGS[lang if lang in STRINGS else "en"]


def _value(value: object, w: Mapping[str, str]) -> str:
    """Return a field's value on one line, cut to `_VALUE_WIDTH` characters."""
    if value is None:
        return w["absent"]
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = " ".join(text.split())
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"


def _target(target: Mapping[str, object] | None, w: Mapping[str, str]) -> str:
    if target is None:
        return w["absent"]
    baseline = target["baseline"]
    base = f" (baseline {_value(baseline, w)})" if baseline is not None else ""
    return f"{target['comparator']} {_value(target['target'], w)}{base}, {target['status']}"


# --------------------------------------------------------------------------- sections as rows
# Each section is (heading, rows); text and Markdown lay the same rows out differently.

_Rows = list[list[str]]


def _changed_rows(diff: ModelDiff, w: Mapping[str, str]) -> _Rows:
    rows = [[w["kind." + kind], i, w["added"], "", ""] for kind, ids in diff.added.items() for i in ids]
    rows += [[w["kind." + kind], i, w["removed"], "", ""]
             for kind, ids in diff.removed.items() for i in ids]
    rows += [[w["kind." + c.kind], c.id, f.field, _value(f.old, w), _value(f.new, w)]
             for c in diff.changed for f in c.fields]
    return rows


def _raci_rows(diff: ModelDiff, w: Mapping[str, str]) -> _Rows:
    return [[m.duty, w["role." + m.role], m.unit, w[m.move]] for m in diff.raci]


def _target_rows(diff: ModelDiff, w: Mapping[str, str]) -> _Rows:
    return [[t.standard, _target(t.old, w), _target(t.new, w), w["verdict." + t.verdict],
             "; ".join(t.findings)] for t in diff.targets]


def _finding_rows(findings: Iterable[Finding]) -> _Rows:
    return [[f"{f.file}:{f.line}" if f.line else f.file, f"{f.severity} {f.code}", f.path,
             f.message] for f in findings]


def _people_rows(people: Iterable[Involvement], lang: str) -> _Rows:
    return [[unit_label(i, lang), reason_phrases(i, lang, subjects=True)] for i in people]


def _sections(diff: ModelDiff, lang: str) -> list[tuple[str, list[str], _Rows]]:
    """(heading, column names, rows) of every non-empty section, in reading order."""
    w = _words(lang)
    finding_columns = [w["where"], w["finding"], w["field"], w["message"]]
    sections = [
        (w["changed"], [w["kind"], w["id"], w["field"], w["old"], w["new"]], _changed_rows(diff, w)),
        (w["raci"], [w["duty"], w["role"], w["unit"], w["move"]], _raci_rows(diff, w)),
        (w["targets"], [w["standard"], w["old"], w["new"], w["verdict"], w["why"]],
         _target_rows(diff, w)),
        (w["orphaned"], [w["duty"]], [[d] for d in diff.orphaned]),
        (w["unobservable"], [w["duty"]], [[d] for d in diff.unobservable]),
        (w["new_findings"], finding_columns, _finding_rows(diff.new_findings)),
        (w["resolved"], finding_columns, _finding_rows(diff.resolved_findings)),
        (w["scorecard"], [w["move"], w["point"]],
         [[w["won"] if p.met else w["lost_point"], f"{p.point}. {p.title} [{p.key}]"]
          for p in diff.scorecard]),
        (w["consult"], [w["unit"], w["why"]], _people_rows(diff.consult, lang)),
        (w["inform"], [w["unit"], w["why"]], _people_rows(diff.inform, lang)),
    ]
    return [(heading, columns, rows) for heading, columns, rows in sections if rows]


def _verdict(diff: ModelDiff, w: Mapping[str, str]) -> str:
    errors = sum(f.severity == "error" for f in diff.new_findings)
    return w["fails"].format(n=errors) if diff.fails() else w["passes"]


def _counts(diff: ModelDiff, w: Mapping[str, str]) -> list[str]:
    changed: dict[str, int] = {}
    for change in diff.changed:
        changed[change.kind] = changed.get(change.kind, 0) + 1
    return [w["counts"].format(kind=w["kind." + kind], added=len(diff.added[kind]),
                               removed=len(diff.removed[kind]), changed=changed.get(kind, 0))
            for kind in diff.added
            if diff.added[kind] or diff.removed[kind] or changed.get(kind)]


# --------------------------------------------------------------------------- layouts


def _text(diff: ModelDiff, lang: str) -> str:
    w = _words(lang)
    lines = [w["title"].format(old=diff.old, new=diff.new)]
    if diff.is_empty:
        return "\n".join([*lines, w["same"]]) + "\n"
    lines += [_verdict(diff, w).replace("`", ""), "; ".join(_counts(diff, w))]
    for heading, _columns, rows in _sections(diff, lang):
        lines += ["", f"{heading} ({len(rows)}):"]
        lines += [_INDENT + "  ".join(cell for cell in row if cell) for row in rows]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Return a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|") or " "


def _markdown(diff: ModelDiff, lang: str) -> str:
    w = _words(lang)
    lines = ["## " + w["title"].format(old=f"`{diff.old}`", new=f"`{diff.new}`"), ""]
    if diff.is_empty:
        return "\n".join([*lines, w["same"]]) + "\n"
    lines += [f"**{_verdict(diff, w)}**", "", " · ".join(_counts(diff, w))]
    for heading, columns, rows in _sections(diff, lang):
        lines += ["", f"### {heading} ({len(rows)})", ""]
        lines.append("| " + " | ".join(_cell(c) for c in columns) + " |")
        lines.append("|" + "---|" * len(columns))
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _json(diff: ModelDiff, _lang: str) -> str:
    return json.dumps(diff.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


_FORMATS: Mapping[str, Callable[[ModelDiff, str], str]] = MappingProxyType(
    {"text": _text, "markdown": _markdown, "json": _json})


def render_diff(diff: ModelDiff, *, fmt: str = "text", lang: str = "en") -> str:
    """Render a diff as ``text``, ``markdown`` (a pull-request comment) or ``json``."""
    if fmt not in _FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(_FORMATS)}")
    return _FORMATS[fmt](diff, lang)
