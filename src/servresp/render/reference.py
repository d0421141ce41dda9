"""The reference pages of the charts: the standards sheet, the fact vocabulary and the index.

Each function takes the model and returns one Markdown page (at the top of the output
folder) as a string.
"""

from __future__ import annotations

from collections import defaultdict

from servresp.lint.coverage import evidence_coverage
from servresp.model.classes import Model, SignalKind, Standard
from servresp.render import markdown as md
from servresp.render._format import caption, number, ordered_units, pick
from servresp.render.sheets import kind_caption, promise_path, ref, unit_path

__all__ = ["index_page", "standards_page", "vocabulary_page"]


def _refs(model: Model, ids: list[str], lang: str) -> str:
    return ", ".join(ref(model, i, lang, "") for i in ids) if ids else "—"


def _standard_row(model: Model, standard: Standard, lang: str) -> list[str]:
    baseline = "—" if standard.baseline is None else number(standard.baseline)
    source = model.sources.get(standard.source.source)
    cited = md.cell(str(standard.source)) + (f" — {md.cell(source.title)}" if source else "")
    return [
        md.code(standard.id),
        md.cell(standard.text.in_lang(lang)),
        md.code(standard.metric),
        f"{md.cell(str(standard.comparator))} {number(standard.target)}",
        standard.window.value,
        baseline,
        standard.domain.value,
        standard.status.value,
        _refs(model, list(standard.served_by), lang),
        cited,
        md.cell(standard.note) if standard.note else "",
    ]


def standards_page(model: Model, *, lang: str = "en") -> str:
    """Return every standard with metric, target, window, baseline, domain, status and source."""
    headers = [caption(key, lang) for key in (
        "standard", "what", "metric", "target", "window", "baseline", "domain", "status", "served_by",
        "source", "note")]
    out = [
        md.GENERATED_NOTE, "", md.heading(1, pick(lang, "Service standards", "服务标准")), "",
        f"[{caption('index', lang)}](index.md)", "",
        pick(lang,
             "A standard is met when the metric's value for the window compares with the target as "
             "shown. An `aspiration` is an aim: it is reported, never breached.",
             "指标在周期内的值与目标按所示方式比较成立即达标。`aspiration`（愿景）只报告，不判定违反。"),
    ]
    for promise in model.promises.values():
        standards = model.standards_of(promise.id)
        title = f"{md.text(promise.text.in_lang(lang))} ({ref(model, promise.id, lang, '')})"
        out += ["", md.heading(2, title), ""]
        out.append(md.table(headers, (_standard_row(model, s, lang) for s in standards))
                   if standards else pick(lang, "No standard yet.", "尚无标准。"))
    return "\n".join(out) + "\n"


def vocabulary_page(model: Model, *, lang: str = "en") -> str:
    """Return every metric and event the model reads: meaning, range, and who reads it."""
    read_by_rules: dict[str, list[str]] = defaultdict(list)
    for rule in model.rules.values():
        read_by_rules[rule.when.signal].append(rule.id)
    read_by_standards: dict[str, list[str]] = defaultdict(list)
    for standard in model.standards.values():
        read_by_standards[standard.metric].append(standard.id)
    out = [
        md.GENERATED_NOTE, "", md.heading(1, pick(lang, "Fact vocabulary", "事实词汇表")), "",
        f"[{caption('index', lang)}](index.md)", "",
        pick(lang,
             "Every metric and event name the model reads. Facts with other names are reported as "
             "unknown and otherwise ignored.",
             "模型读取的全部指标和事件名称。其他名称的事实会被报告为未知并被忽略。"),
    ]
    for kind, title in ((SignalKind.METRIC, pick(lang, "Metrics", "指标")),
                        (SignalKind.EVENT, pick(lang, "Events", "事件"))):
        signals = [s for s in model.signals.values() if s.kind is kind]
        rows = [
            [
                md.code(s.name),
                md.cell(s.meaning.in_lang(lang)),
                "—" if s.range is None else f"[{number(s.range[0])}, {number(s.range[1])}]",
                _refs(model, read_by_standards.get(s.name, []), lang),
                _refs(model, read_by_rules.get(s.name, []), lang),
            ]
            for s in signals
        ]
        headers = [caption(key, lang)
                   for key in ("name", "meaning", "range", "read_by_standards", "read_by_rules")]
        out += ["", md.heading(2, f"{title} ({len(signals)})"), ""]
        out.append(md.table(headers, rows) if rows else "—")
    return "\n".join(out) + "\n"


def index_page(model: Model, *, lang: str = "en") -> str:
    """Return the page that links every chart."""
    counts = pick(
        lang,
        f"{len(model.units)} units, {len(model.duties)} duties, {len(model.promises)} promises, "
        f"{len(model.standards)} standards, {len(model.rules)} diagnostic rules, "
        f"{len(model.signals)} signals.",
        f"{len(model.units)} 个单位，{len(model.duties)} 项职责，{len(model.promises)} 个承诺，"
        f"{len(model.standards)} 个标准，{len(model.rules)} 条诊断规则，{len(model.signals)} 个信号。",
    )
    out = [
        md.GENERATED_NOTE, "", md.heading(1, pick(lang, "Responsibility charts", "责任图表")), "",
        pick(lang, "Generated from the model by `servresp docs`: ", "由 `servresp docs` 从模型生成：")
        + counts,
        "", md.heading(2, pick(lang, "Charts", "图表")), "",
        (f"- {caption('raci_matrix', lang)}: [Markdown](raci.md) · [CSV](raci.csv) · "
         f"[HTML, {pick(lang, 'printable', '可打印')}](raci.html)"),
        f"- [{pick(lang, 'Service standards', '服务标准')}](standards.md)",
        f"- [{pick(lang, 'Fact vocabulary', '事实词汇表')}](vocabulary.md)",
    ]
    promise_rows = [
        [f"[{md.code(p.id)}]({promise_path(p.id)})", md.cell(p.text.in_lang(lang)),
         str(len(model.standards_of(p.id))),
         (f"[DOT]({promise_path(p.id, '.dot')}) · [fault tree]({promise_path(p.id, '.faulttree.md')}) "
         f"([DOT]({promise_path(p.id, '.faulttree.dot')}))")]
        for p in model.promises.values()
    ]
    out += ["", md.heading(2, pick(lang, "Promise maps", "承诺依赖图")), "", md.table(
        [caption(k, lang) for k in ("promise", "what", "standards", "diagram")], promise_rows)]
    coverage = evidence_coverage(model)
    by_unit = {u.unit: u for u in coverage.units}
    yes, no = pick(lang, "yes", "是"), pick(lang, "**no**", "**否**")
    unit_rows = [
        [f"[{md.cell(u.name.in_lang(lang))}]({unit_path(u.id)})", md.code(u.id),
         kind_caption(u.kind.value, lang), kind_caption(u.faces.value, lang),
         str(by_unit[u.id].duties), str(by_unit[u.id].observable),
         yes if by_unit[u.id].can_take_share else no]
        for u in ordered_units(model)
    ]
    out += ["", md.heading(2, pick(lang, "Duty sheets", "职责表")), "", pick(
        lang,
        f"Evidence coverage: {coverage.observable} of {coverage.duties} duties can be implicated "
        f"by some fact ({coverage.ratio:.1%}); `servresp check` warns about the rest (SR111, SR112).",
        f"证据覆盖率：{coverage.duties} 项职责中有 {coverage.observable} 项可由事实追究"
        f"（{coverage.ratio:.1%}）；其余由 `servresp check` 警告（SR111、SR112）。"), "",
        md.table([*(caption(k, lang) for k in ("unit", "id", "kind", "faces", "duties")),
                  pick(lang, "Observable", "可观察"), pick(lang, "Can take a share", "可分担")],
                 unit_rows)]
    source_rows = [[s.id, md.cell(s.title), md.code(s.file)] for s in model.sources.values()]
    out += ["", md.heading(2, pick(lang, "Sources", "出处")), "", md.table(
        [caption(k, lang) for k in ("id", "title", "file")], source_rows)]
    return "\n".join(out) + "\n"
