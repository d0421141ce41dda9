"""The Markdown pages of the charts: a duty sheet per unit and a page per promise.

Each function takes the model and returns one page as a string. Relations come from the
model's graph; every text from the model is escaped by `render.markdown`. Pages live in
``units/`` and ``promises/`` below the output folder and link to each other relatively.
"""

from __future__ import annotations

from collections import defaultdict

from servresp.model.classes import Duty, Model, Role, Unit
from servresp.model.graph import duties_reaching, roles_on
from servresp.render import markdown as md
from servresp.render._format import caption, number, ordered_units, pick, raci_cell
from servresp.render._relations import node_type, predecessors, successors

__all__ = [
    "duty_anchor",
    "kind_caption",
    "promise_page",
    "promise_path",
    "raci_summary",
    "ref",
    "unit_path",
    "unit_sheet",
    "unit_title",
]


def unit_path(unit_id: str) -> str:
    """Return the relative path of a unit's duty sheet."""
    return f"units/{unit_id}.md"


def promise_path(promise_id: str, suffix: str = ".md") -> str:
    """Return the relative path of a promise's page (or its diagram, with ``suffix``)."""
    return f"promises/{promise_id}{suffix}"


def duty_anchor(duty_id: str) -> str:
    """Return the anchor GitHub gives the heading `` `duty_id` `` on its owner's sheet."""
    return duty_id.replace(".", "")


def unit_title(unit: Unit, lang: str) -> str:
    """Return ``Name · 名称`` in the chart's language first, as Markdown."""
    first, second = (unit.name.zh, unit.name.en) if lang == "zh" else (unit.name.en, unit.name.zh)
    return md.text(first) if first == second else f"{md.text(first)} · {md.text(second)}"


def kind_caption(kind: str, lang: str) -> str:
    """Return a unit kind, or whom a unit faces, in words."""
    return caption(kind, lang)


def ref(model: Model, id_: str, lang: str, base: str = "../") -> str:
    """Return a Markdown link to what ``id_`` names, relative to a page ``base`` below the top."""
    kind = node_type(model.graph, id_)
    if kind == "unit":
        return md.link(model.units[id_].name.in_lang(lang), f"{base}{unit_path(id_)}")
    if kind == "duty":
        owner = model.duties[id_].owner
        return f"[{md.code(id_)}]({base}{unit_path(owner)}#{duty_anchor(id_)})"
    if kind == "promise":
        return f"[{md.code(id_)}]({base}{promise_path(id_)})"
    if kind == "standard":
        return f"[{md.code(id_)}]({base}standards.md)"
    return md.code(id_)


def _refs(model: Model, ids: list[str], lang: str, base: str = "../") -> str:
    return ", ".join(ref(model, i, lang, base) for i in ids) if ids else "—"


def raci_summary(model: Model, duty_id: str, lang: str, base: str = "../") -> str:
    """Return ``**A** Sales · **R** Sales, HR · …`` for a duty, roles in RACI order."""
    held = roles_on(model.graph, duty_id)
    parts = []
    for role in Role:
        units = [unit for unit, roles in held.items() if role in roles]
        if units:
            parts.append(f"**{raci_cell([role])}** {_refs(model, units, lang, base)}")
    return " · ".join(parts)


def _citation(model: Model, duty: Duty) -> str:
    source = model.sources.get(duty.source.source)
    title = f" — {md.text(source.title)}" if source else ""
    return f"{md.text(str(duty.source))}{title}"


def _duty_block(model: Model, duty: Duty, lang: str) -> list[str]:
    graph = model.graph
    items = [
        ("english", md.text(duty.text.en)),
        ("chinese", md.text(duty.text.zh)),
        *([("tier_of_duty", ref(model, duty.tier, lang))] if duty.tier is not None else []),
        ("raci", raci_summary(model, duty.id, lang)),
        ("supports", _refs(model, successors(graph, duty.id, "supports"), lang)),
        ("supplied_by", _refs(model, predecessors(graph, duty.id, "supports"), lang)),
        ("serves", _refs(model, successors(graph, duty.id, "serves"), lang)),
        ("implicated_by", _refs(model, predecessors(graph, duty.id, "implicates"), lang)),
        ("source", _citation(model, duty)),
    ]
    return [md.heading(3, md.code(duty.id)), "", *_facts(items, lang), ""]


def _facts(items: list[tuple[str, str]], lang: str) -> list[str]:
    """Return ``- **Caption**: value`` lines; ``items`` are (caption key, Markdown value)."""
    return [f"- **{caption(key, lang)}**: {value}" for key, value in items]


def _table_section(title: str, keys: list[str], rows: list[list[str]], lang: str) -> list[str]:
    """Return a section holding one table, or nothing when there are no rows."""
    return _section(title, [md.table([caption(k, lang) for k in keys], rows)] if rows else [])


def _other_units_rows(model: Model, unit: Unit, lang: str) -> list[list[str]]:
    """Rows of the roles ``unit`` holds on duties that other units own."""
    rows = []
    for duty_id in successors(model.graph, unit.id, "role"):
        duty = model.duties[duty_id]
        roles = roles_on(model.graph, duty_id)[unit.id]
        rows.append([ref(model, duty_id, lang), ref(model, duty.owner, lang), raci_cell(roles),
                     md.cell(duty.text.in_lang(lang))])
    return rows


def _supply_rows(model: Model, unit: Unit, lang: str, *, upstream: bool) -> list[list[str]]:
    """Rows of the supports edges between ``unit``'s duties and other units' (or promises)."""
    graph = model.graph
    rows = []
    for duty_id in successors(graph, unit.id, "owns"):
        others = predecessors(graph, duty_id, "supports") if upstream else successors(
            graph, duty_id, "supports")
        for other in others:
            if node_type(graph, other) == "duty":
                owner = model.duties[other].owner
                if owner == unit.id:
                    continue
                who = ref(model, owner, lang)
            else:
                who = caption("customers", lang)
            rows.append([who, ref(model, other, lang), ref(model, duty_id, lang)])
    return sorted(rows)


def _standard_rows(model: Model, unit: Unit, lang: str) -> list[list[str]]:
    through: dict[str, list[str]] = defaultdict(list)
    for duty_id in successors(model.graph, unit.id, "owns"):
        for standard_id in successors(model.graph, duty_id, "serves"):
            through[standard_id].append(duty_id)
    rows = []
    for standard_id, duty_ids in sorted(through.items()):
        standard = model.standards[standard_id]
        rows.append([
            ref(model, standard_id, lang),
            md.cell(standard.text.in_lang(lang)),
            ref(model, standard.promise, lang),
            f"{md.code(standard.metric)} {md.cell(str(standard.comparator))} {number(standard.target)}",
            _refs(model, duty_ids, lang),
        ])
    return rows


def _sources_cited(model: Model, unit: Unit) -> list[str]:
    sections: dict[str, set[str]] = defaultdict(set)
    for duty_id in successors(model.graph, unit.id, "owns"):
        citation = model.duties[duty_id].source
        sections[citation.source].add(citation.section)
    for rule in model.rules.values():
        if rule.id.startswith(f"{unit.id}."):
            sections[rule.source.source].add(rule.source.section)
    lines = []
    for source_id, cited in sorted(sections.items()):
        source = model.sources.get(source_id)
        about = f" {md.text(source.title)} ({md.code(source.file)})" if source else ""
        lines.append(f"- **{source_id}**{about}: " + ", ".join(f"§{md.text(s)}" for s in sorted(cited)))
    return lines


def _section(title: str, body: list[str]) -> list[str]:
    return ["", md.heading(2, title), "", *body] if body else []


def _unit_facts(model: Model, unit: Unit, lang: str) -> list[str]:
    items = [
        ("id", md.code(unit.id)),
        ("kind", caption(unit.kind.value, lang)),
        ("faces", caption(unit.faces.value, lang)),
    ]
    if unit.members:
        items.append(("members", _refs(model, sorted(unit.members), lang)))
    teams = successors(model.graph, unit.id, "member_of")
    if teams:
        items.append(("member_of", _refs(model, teams, lang)))
    performed = sorted(d.id for d in model.duties.values() if d.tier == unit.id and d.owner != unit.id)
    if performed:
        items.append(("performs", _refs(model, performed, lang)))
    return _facts(items, lang)


def unit_sheet(model: Model, unit_id: str, *, lang: str = "en") -> str:
    """Return the duty sheet of one unit."""
    unit = model.units[unit_id]
    owned = [model.duties[d] for d in successors(model.graph, unit_id, "owns")]
    nav = f"[{caption('index', lang)}](../index.md) · [{caption('raci_matrix', lang)}](../raci.md)"
    out = [md.GENERATED_NOTE, "", md.heading(1, unit_title(unit, lang)), "", nav, "",
           *_unit_facts(model, unit, lang)]
    body = [line for duty in owned for line in _duty_block(model, duty, lang)]
    out += _section(f"{caption('duties', lang)} ({len(owned)})", body[:-1])
    out += _table_section(pick(lang, "Roles on other units' duties", "在其他单位职责中的角色"),
                          ["duty", "owner", "roles", "what"], _other_units_rows(model, unit, lang), lang)
    supply = ["unit", "their_duty", "our_duty"]
    out += _table_section(pick(lang, "Whom it supplies", "为谁提供服务"), supply,
                          _supply_rows(model, unit, lang, upstream=False), lang)
    out += _table_section(pick(lang, "Who supplies it", "谁为它提供服务"), supply,
                          _supply_rows(model, unit, lang, upstream=True), lang)
    out += _table_section(pick(lang, "Standards it serves", "服务的标准"),
                          ["standard", "what", "promise", "target", "through"],
                          _standard_rows(model, unit, lang), lang)
    out += _section(pick(lang, "Sources cited", "引用的出处"), _sources_cited(model, unit))
    return "\n".join(out) + "\n"


_MAP_LEGEND = (
    (
        "Arrows point the way work flows, toward the promise: thick = a standard measures the "
        "promise, dashed = a duty serves a standard, plain = a duty supports another duty or the "
        "promise. Boxes are grouped by the unit that owns the duty."
    ),
    (
        "箭头指向工作流向承诺的方向：粗线 = 标准衡量承诺，虚线 = 职责保障标准，"
        "细线 = 职责支持另一职责或承诺。方框按负责职责的单位分组。"
    ),
)


def _promise_standards(model: Model, promise_id: str, lang: str) -> list[str]:
    rows = [
        [ref(model, s.id, lang), md.cell(s.text.in_lang(lang)), md.code(s.metric),
         f"{md.cell(str(s.comparator))} {number(s.target)}", s.window.value, s.status.value,
         _refs(model, list(s.served_by), lang)]
        for s in model.standards_of(promise_id)
    ]
    if not rows:
        return [pick(lang, "No standard measures this promise yet.", "尚无衡量该承诺的标准。")]
    keys = ["standard", "what", "metric", "target", "window", "status", "served_by"]
    return [md.table([caption(k, lang) for k in keys], rows)]


def _promise_map(promise_id: str, mermaid: str, lang: str) -> list[str]:
    dot_link = f"[{promise_id}.dot]({promise_id}.dot)"
    where = pick(
        lang,
        f"Graphviz source: {dot_link} (rendered to `{promise_id}.svg` by `servresp docs` where Graphviz "
        "is installed).",
        f"Graphviz 源文件：{dot_link}（安装了 Graphviz 时，`servresp docs` 会生成 `{promise_id}.svg`）。",
    )
    return [pick(lang, *_MAP_LEGEND), "", "```mermaid", mermaid.rstrip("\n"), "```", "", where]


def promise_page(model: Model, promise_id: str, *, lang: str = "en", mermaid: str = "") -> str:
    """Return the page of one promise: its standards, its dependency map, its duties by owner."""
    promise = model.promises[promise_id]
    source = model.sources.get(promise.source.source)
    cited = md.text(str(promise.source)) + (f" — {md.text(source.title)}" if source else "")
    title = f"{caption('promise', lang)}: {md.text(promise.text.in_lang(lang))}"
    out = [
        md.GENERATED_NOTE, "", md.heading(1, title), "", f"[{caption('index', lang)}](../index.md)", "",
        *_facts([("id", md.code(promise.id)), ("english", md.text(promise.text.en)),
                 ("chinese", md.text(promise.text.zh)), ("source", cited)], lang),
    ]
    out += _section(caption("standards", lang), _promise_standards(model, promise_id, lang))
    out += _section(pick(lang, "Dependency map", "依赖图"), _promise_map(promise_id, mermaid, lang))
    by_owner: dict[str, list[str]] = defaultdict(list)
    for duty_id in sorted(duties_reaching(model.graph, promise_id)):
        by_owner[model.duties[duty_id].owner].append(duty_id)
    out += _section(pick(lang, "Duties that reach it, by owner", "影响该承诺的职责（按单位）"), [
        f"- {ref(model, unit.id, lang)}: {_refs(model, by_owner[unit.id], lang)}"
        for unit in ordered_units(model) if unit.id in by_owner
    ])
    return "\n".join(out) + "\n"
