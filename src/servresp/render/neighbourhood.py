"""Plain text for ``servresp show ID``: one model object and what it touches in the graph.

Units, duties, promises, standards, rules and signals can be shown. An id that names
nothing raises `UnknownIdError` with the closest known id as a suggestion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from servresp.errors import UnknownIdError
from servresp.i18n import N_, ljust, use
from servresp.i18n import gettext as _
from servresp.model.classes import Duty, EventCondition, Gate, Model, Role, StandardStatus, Text
from servresp.model.graph import barriers_of, duties_reaching, roles_on
from servresp.render._format import number, raci_cell
from servresp.render._relations import node_type, predecessors, successors

__all__ = ["render_neighbourhood"]

_INDENT = "  "
_LIST_WIDTH = 72


def _one(value: str) -> str:
    """Keep a model text on one line of the terminal: newlines shown as ``⏎``."""
    return " ⏎ ".join(value.splitlines()) if "\n" in value or "\r" in value else value


def _field(name: str, value: str) -> str:
    return f"{_INDENT}{ljust(name + ':', 16)} {value}"


def _short(value: str) -> str:
    """One line, cut to `_LIST_WIDTH` characters: texts in lists are reminders, not the text."""
    line = _one(value)
    return line if len(line) <= _LIST_WIDTH else line[: _LIST_WIDTH - 1] + "…"


def _table(rows: Iterable[tuple[str, str]]) -> list[str]:
    """Indent rows of (id, text) with the ids padded to one width."""
    listed = list(rows)
    width = max((len(key) for key, _ in listed), default=0)
    return [f"{_INDENT}{key:<{width}}  {value}".rstrip() for key, value in listed]


def _ids(ids: Iterable[str]) -> str:
    listed = list(ids)
    return ", ".join(listed) if listed else "-"


def _texts(text: Text, lang: str, label: str = N_("text")) -> list[str]:
    """English: both languages, the source's Chinese after the English; Chinese: the Chinese text."""
    if lang.startswith("zh"):
        return [_field(_(label), _one(text.zh))]
    return [_field(f"{label} (en)", _one(text.en)), _field(f"{label} (zh)", _one(text.zh))]


def _title(title: str, lang: str) -> str:
    """Return the original title for a Chinese reader (sources.yaml: ``原题 — English gloss``)."""
    return title.split(" — ", 1)[0] if lang.startswith("zh") else title


def _unit_name(model: Model, unit_id: str, lang: str) -> str:
    unit = model.units.get(unit_id)
    return f"{unit_id} ({_one(unit.name.in_lang(lang))})" if unit else unit_id


def _unit(model: Model, unit_id: str, lang: str) -> list[str]:
    graph = model.graph
    unit = model.units[unit_id]
    lines = [_("unit {unit} — {name}").format(unit=unit.id, name=_one(unit.name.in_lang(lang))),
             _field(_("kind"), _(unit.kind.value)), _field(_("faces"), _(unit.faces.value))]
    if unit.members:
        lines.append(_field(_("members"), _ids(sorted(unit.members))))
    teams = successors(graph, unit_id, "member_of")
    if teams:
        lines.append(_field(_("member of"), _ids(teams)))
    owned = successors(graph, unit_id, "owns")
    lines.append(_("duties ({count}):").format(count=len(owned)))
    lines += _table((d, _short(model.duties[d].text.in_lang(lang))) for d in owned)
    held = successors(graph, unit_id, "role")
    lines.append(_("roles on other units' duties ({count}):").format(count=len(held)))
    lines += _table(
        (d, f"{raci_cell(roles_on(graph, d)[unit_id]) or '-':<3}  "
         + _("owner {unit}").format(unit=model.duties[d].owner))
        for d in held
    )
    performed = sorted(d.id for d in model.duties.values() if d.tier == unit_id and d.owner != unit_id)
    if performed:
        lines.append(_("performs at this tier ({count}):").format(count=len(performed)))
        lines += _table((d, _short(model.duties[d].text.in_lang(lang))) for d in performed)
    return lines


def _duty(model: Model, duty_id: str, lang: str) -> list[str]:
    graph = model.graph
    duty = model.duties[duty_id]
    held = roles_on(graph, duty_id)
    raci = []
    for role in Role:
        units = [u for u, roles in held.items() if role in roles]
        if units:
            raci.append(f"{raci_cell([role])} {', '.join(units)}")
    source = model.sources.get(duty.source.source)
    lines = [_("duty {duty}").format(duty=duty.id),
             _field(_("owner"), _unit_name(model, duty.owner, lang))]
    if duty.tier is not None:
        lines.append(_field(_("tier"), _unit_name(model, duty.tier, lang)))
    lines += _texts(duty.text, lang)
    lines += [
        _field(_("raci"), " · ".join(raci)),
        _field(_("supports"), _ids(successors(graph, duty_id, "supports"))),
        _field(_("supported by"), _ids(predecessors(graph, duty_id, "supports"))),
    ]
    lines += _barrier_fields(model, duty)  # fault trees (docs/faulttrees.md)
    lines += [
        _field(_("serves"), _ids(successors(graph, duty_id, "serves"))),
        _field(_("implicated by"), _ids(predecessors(graph, duty_id, "implicates"))),
        _field(_("source"), str(duty.source) + (f" — {_one(_title(source.title, lang))}" if source else "")),
    ]
    return lines


def _barrier_fields(model: Model, duty: Duty) -> list[str]:
    """Return the duty's gate (when not ``any``), what it catches and what catches it."""
    caught_by = barriers_of(model).get(duty.id, ())
    fields = [(N_("gate"), str(duty.gate) if duty.gate != Gate() else ""),
              (N_("catches"), _ids(duty.catches) if duty.catches else ""),
              (N_("caught by"), _ids(caught_by) if caught_by else "")]
    return [_field(_(name), value) for name, value in fields if value]


def _promise(model: Model, promise_id: str, lang: str) -> list[str]:
    promise = model.promises[promise_id]
    lines = [_("promise {promise}").format(promise=promise.id), *_texts(promise.text, lang),
             _field(_("source"), str(promise.source))]
    standards = model.standards_of(promise_id)
    lines.append(_("standards ({count}):").format(count=len(standards)))
    lines += _table(
        (s.id, _("{metric} {comparator} {target} per {window}").format(
            metric=s.metric, comparator=s.comparator, target=number(s.target), window=_(s.window))
         + (_("  (aspiration)") if s.status is StandardStatus.ASPIRATION else ""))
        for s in standards
    )
    by_owner: dict[str, list[str]] = defaultdict(list)
    for duty_id in sorted(duties_reaching(model.graph, promise_id)):
        by_owner[model.duties[duty_id].owner].append(duty_id)
    lines.append(_("duties reaching it, by owner ({count}):").format(count=sum(map(len, by_owner.values()))))
    for owner, duty_ids in sorted(by_owner.items()):
        lines.append(f"{_INDENT}{_unit_name(model, owner, lang)}")
        lines.extend(f"{_INDENT * 2}{d}" for d in duty_ids)
    return lines


def _standard(model: Model, standard_id: str, lang: str) -> list[str]:
    s = model.standards[standard_id]
    baseline = "-" if s.baseline is None else number(s.baseline)
    lines = [_("standard {standard}").format(standard=s.id), *_texts(s.text, lang),
             _field(_("promise"), s.promise),
             _field(_("target"), _("{metric} {comparator} {target} per {window}").format(
                 metric=s.metric, comparator=s.comparator, target=number(s.target), window=_(s.window))),
             _field(_("baseline"), baseline), _field(_("domain"), s.domain.value),
             _field(_("status"), _(s.status.value)),
             _field(_("served by"), _ids(predecessors(model.graph, standard_id, "serves"))),
             _field(_("source"), str(s.source))]
    if s.note:
        lines.append(_field(_("note"), _one(s.note)))
    return lines


def _rule(model: Model, rule_id: str, lang: str) -> list[str]:
    rule = model.rules[rule_id]
    when = rule.when
    if isinstance(when, EventCondition):
        where = "".join(f", {key} = {value!r}" for key, value in when.where)
        condition = _("at least {count} × event {event}{where}").format(count=when.count, event=when.event,
                                                                        where=where)
    else:
        condition = _("metric {metric} {comparator} {value}").format(
            metric=when.metric, comparator=when.comparator, value=number(when.value))
    threshold = _("the company's choice") if rule.threshold_by_company else _("from the source")
    return [_("rule {rule}").format(rule=rule.id),
            _field(_("when"), condition), _field(_("threshold"), threshold),
            _field(_("implicates"), _ids(successors(model.graph, rule_id, "implicates"))),
            _field(_("weight"), number(rule.weight)),
            *_texts(rule.reason, lang, N_("reason")),
            _field(_("source"), str(rule.source))]


def _signal(model: Model, name: str, lang: str) -> list[str]:
    signal = model.signals[name]
    bounds = "-" if signal.range is None else f"[{number(signal.range[0])}, {number(signal.range[1])}]"
    rules = sorted(r.id for r in model.rules.values() if r.when.signal == name)
    standards = sorted(s.id for s in model.standards.values() if s.metric == name)
    return [_("signal {signal}").format(signal=name),
            _field(_("kind"), _(signal.kind.value)), _field(_("range"), bounds),
            *_texts(signal.meaning, lang, N_("meaning")),
            _field(_("read by"), _ids([*standards, *rules]))]


_RENDERERS = {
    "unit": _unit,
    "duty": _duty,
    "promise": _promise,
    "standard": _standard,
    "rule": _rule,
}


def render_neighbourhood(model: Model, id_: str, *, lang: str = "en") -> str:
    """Return ``id_`` and its neighbourhood as plain text; raise `UnknownIdError` if unknown."""
    with use(lang):
        return _render_neighbourhood(model, id_, lang)


def _render_neighbourhood(model: Model, id_: str, lang: str) -> str:
    kind = node_type(model.graph, id_)
    if kind in _RENDERERS:
        lines = _RENDERERS[kind](model, id_, lang)
    elif id_ in model.signals:
        lines = _signal(model, id_, lang)
    else:
        raise UnknownIdError("id", id_, [*model.graph.nodes, *model.signals])
    return "\n".join(lines) + "\n"
