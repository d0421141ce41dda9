"""Shared Hypothesis strategies: valid models, their YAML, single mutations, and facts.

- `models()` draws a valid `servresp.model.Model` (units of every kind, duties whose
  ``supports`` form a DAG in which every duty reaches a promise, standards, signals for
  every metric and event used, diagnostic rules, sources ``S0``…). Ids are valid; texts
  may hold ``|``, ``<``, quotes, ``#``, backticks, newlines and Chinese.
- `dump_model(model)` → ``{file name: YAML text}`` in the rules format, one file per unit
  plus ``sources.yaml``, ``signals.yaml``, ``promises.yaml`` (and ``tracing.yaml``);
  `write_model(model, folder)` writes them. Loading the folder gives an equal model
  (pass ``name=model.name``).
- `mutations()` draws a `Mutation`: the files of a valid model with one thing broken and
  where the loader must report it.
- `facts_for(model)` draws a list of fact dicts that the model's signals accept.

Sizes are small on purpose: property tests choose ``max_examples`` and stay fast.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import yaml
from hypothesis import strategies as st

from servresp.model.classes import (
    Citation,
    Comparator,
    DiagnosticRule,
    Domain,
    Duty,
    EventCondition,
    Faces,
    Gate,
    GateKind,
    MetricCondition,
    Model,
    Promise,
    Raci,
    Role,
    Signal,
    SignalKind,
    Source,
    Standard,
    StandardStatus,
    Text,
    TracingParameters,
    Unit,
    UnitKind,
    Window,
)

__all__ = [
    "ATTRIBUTES",
    "REAL_TIERS",
    "SHARED_FILES",
    "Mutation",
    "dump_model",
    "facts_for",
    "ids",
    "models",
    "mutations",
    "texts",
    "write_model",
]

REAL_TIERS = ("top_management", "middle_management", "employee")
"""The tier ids of the bundled model; `models()` sometimes uses them."""
SHARED_FILES = ("promises.yaml", "signals.yaml", "sources.yaml", "tracing.yaml")
"""Files `dump_model` writes besides one per unit (unit ids never clash with them)."""
ATTRIBUTES = ("channel", "critical", "product", "region", "severity")
"""Event attribute names that rules match on and `facts_for` fills in."""
DUPLICATE_FILE = "zz_duplicate.yaml"
"""The extra file of the duplicate-id mutation; sorts after every generated file."""

_FIRST = "abcdefghijklmnopqrstuvwxy"  # no 'z', so DUPLICATE_FILE sorts last
_REST = "abcdefghijklmnopqrstuvwxyz0123456789_"
_NASTY = "|<>\"'#`:-*&!%@{}[],? \n服务客户部门承诺质量采购é🙂"
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789" + _NASTY
_T = TypeVar("_T")
_RESERVED_IDS = frozenset({*REAL_TIERS, *(f.removesuffix(".yaml") for f in SHARED_FILES)})


# --------------------------------------------------------------------------- basics
# Strategies are built once here: building them inside a composite costs Hypothesis a
# validation per draw, which made models() several times slower.


def ids(max_size: int = 6) -> st.SearchStrategy[str]:
    """Ids matching ``[a-y][a-z0-9_]*``, short."""
    return st.builds(operator.add, st.sampled_from(_FIRST),
                     st.text(alphabet=_REST, max_size=max_size))


def nasty_text(max_size: int = 12) -> st.SearchStrategy[str]:
    """Non-blank text that may hold YAML- and Markdown-significant characters and Chinese."""
    return st.text(alphabet=_ALPHABET, min_size=1, max_size=max_size).filter(str.strip)


def texts() -> st.SearchStrategy[Text]:
    """Bilingual texts with nasty characters."""
    return _TEXTS


_ID = ids()
_SLUG = ids(4)
_FREE_ID = _ID.filter(lambda i: i not in _RESERVED_IDS)
_NASTY = nasty_text()
_TEXTS = st.builds(Text, en=_NASTY, zh=_NASTY)
_NOTE = st.just("") | _NASTY
_BOOL = st.booleans()
_FACES = st.sampled_from(Faces)
_KINDS = st.lists(st.sampled_from(UnitKind), min_size=1, max_size=4)
_REAL = st.lists(st.sampled_from(REAL_TIERS), unique=True, max_size=3)
_SIGNAL_NAMES = st.lists(st.builds("{}.{}".format, _SLUG, _ID), min_size=1, max_size=4,
                         unique=True)
_RANGES: tuple[tuple[float, float] | None, ...] = (None, (0.0, 1.0), (0.0, 100.0), (-5.0, 5.0))
_ATTRIBUTE_VALUES = (st.booleans() | st.integers(0, 5) | st.sampled_from(["phone", "web", "A-1", "高"])
                     | st.floats(0.0, 10.0, allow_nan=False, allow_infinity=False))
_WHERE = st.dictionaries(st.sampled_from(ATTRIBUTES), _ATTRIBUTE_VALUES, max_size=2)


def _finite(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)  # cached by Hypothesis


def _unique(candidate: str, used: set[str]) -> str:
    """Make ``candidate`` unique among ``used`` by appending underscores; record it."""
    while candidate in used:
        candidate += "_"
    used.add(candidate)
    return candidate


def _pick(draw: st.DrawFn, items: Sequence[_T]) -> _T:
    return items[draw(st.integers(0, len(items) - 1))]


def _maybe(draw: st.DrawFn, items: Sequence[_T]) -> _T | None:
    return _pick(draw, items) if items and draw(_BOOL) else None


def _subset(draw: st.DrawFn, items: Sequence[str], *, min_size: int = 0,
            max_size: int = 2) -> tuple[str, ...]:
    """Draw some of ``items`` in their order: at most ``max_size``, at least ``min_size`` (0 or 1)."""
    chosen = [item for item in items if draw(_BOOL)][:max_size]
    if len(chosen) < min_size and items:
        chosen = [_pick(draw, items)]
    return tuple(chosen)


def _in_range(draw: st.DrawFn, signal: Signal) -> float:
    """Draw a value the signal accepts: its range, or a modest span when it has none."""
    low, high = signal.range if signal.range is not None else (-1000.0, 1000.0)
    return draw(_finite(low, high))


# --------------------------------------------------------------------------- models


def _citation_of(draw: st.DrawFn, source_ids: Sequence[str]) -> Citation:
    return Citation(source=_pick(draw, source_ids), section=draw(_NASTY))


def _draw_units(draw: st.DrawFn, used: set[str]) -> list[Unit]:
    real = draw(_REAL)
    units = [Unit(id=tier, kind=UnitKind.TIER, name=draw(_TEXTS), faces=Faces.BOTH)
             for tier in real]
    used.update(real)
    kinds = draw(_KINDS)
    plain = [k for k in kinds if k is not UnitKind.TEAM]
    teams = len(kinds) - len(plain)
    if not plain and not units:
        plain, teams = [UnitKind.DEPARTMENT], teams - 1
    units.extend(Unit(id=_unique(draw(_FREE_ID), used), kind=kind, name=draw(_TEXTS),
                      faces=draw(_FACES)) for kind in plain)
    member_pool = [u.id for u in units]
    units.extend(Unit(id=_unique(draw(_FREE_ID), used), kind=UnitKind.TEAM, name=draw(_TEXTS),
                      faces=draw(_FACES),
                      members=_subset(draw, member_pool, min_size=1, max_size=3))
                 for _ in range(teams))
    return units


def _draw_raci(draw: st.DrawFn, owner: str, unit_ids: Sequence[str]) -> Raci:
    accountable = owner if draw(st.integers(0, 4)) else _pick(draw, unit_ids)
    others = [u for u in unit_ids if u != accountable]
    responsible = (accountable, *_subset(draw, others, max_size=1))
    rest = [u for u in others if u not in responsible]
    consulted = _subset(draw, rest)
    informed = _subset(draw, [u for u in rest if u not in consulted])
    return Raci(accountable=accountable, responsible=responsible, consulted=consulted,
                informed=informed)


def _draw_duties(draw: st.DrawFn, units: Sequence[Unit], promise_ids: Sequence[str],
                 source_ids: Sequence[str], used: set[str]) -> list[Duty]:
    unit_ids = [u.id for u in units]
    tiers = [u.id for u in units if u.kind is UnitKind.TIER]
    counts = [draw(st.integers(0, 2)) for _ in units]
    if not any(counts):
        counts[0] = 1
    slots = [(unit, _unique(f"{unit.id}.{draw(_SLUG)}", used))
             for unit, count in zip(units, counts, strict=True) for _ in range(count)]
    slots = draw(st.permutations(slots))  # the supports DAG follows this order
    duties = []
    for i, (unit, duty_id) in enumerate(slots):
        later = [d for _, d in slots[i + 1:]]
        supports = _subset(draw, later) + _subset(draw, promise_ids, max_size=1)
        if not supports:
            supports = (_pick(draw, promise_ids),)
        duties.append(Duty(
            id=duty_id, owner=unit.id, text=draw(_TEXTS),
            raci=_draw_raci(draw, unit.id, unit_ids), supports=supports,
            source=_citation_of(draw, source_ids), tier=_maybe(draw, tiers),
        ))
    return duties


def _draw_signals(draw: st.DrawFn) -> list[Signal]:
    names = draw(_SIGNAL_NAMES)
    metrics = draw(st.integers(1, len(names)))
    signals = []
    for i, name in enumerate(names):
        kind = SignalKind.METRIC if i < metrics else SignalKind.EVENT
        bounds = _pick(draw, _RANGES) if kind is SignalKind.METRIC else None
        signals.append(Signal(name=name, kind=kind, meaning=draw(_TEXTS), range=bounds))
    return signals


def _draw_standards(draw: st.DrawFn, promise_ids: Sequence[str], metrics: Sequence[Signal],
                    duty_ids: Sequence[str], source_ids: Sequence[str],
                    used: set[str]) -> list[Standard]:
    standards = []
    for _ in range(draw(st.integers(1, 3))):
        metric = _pick(draw, metrics)
        standards.append(Standard(
            id=_unique(draw(_FREE_ID), used), text=draw(_TEXTS),
            promise=_pick(draw, promise_ids), metric=metric.name,
            comparator=_pick(draw, list(Comparator)), target=_in_range(draw, metric),
            window=_pick(draw, list(Window)), domain=_pick(draw, list(Domain)),
            served_by=_subset(draw, duty_ids, min_size=1), source=_citation_of(draw, source_ids),
            status=_pick(draw, list(StandardStatus)),
            baseline=_in_range(draw, metric) if draw(_BOOL) else None, note=draw(_NOTE),
        ))
    return standards


def _draw_rules(draw: st.DrawFn, signals: Sequence[Signal], duties: Sequence[Duty],
                source_ids: Sequence[str], used: set[str]) -> list[DiagnosticRule]:
    owners = {d.id: d.owner for d in duties}
    rules = []
    for _ in range(draw(st.integers(0, 3))):
        signal = _pick(draw, signals)
        when: MetricCondition | EventCondition
        if signal.kind is SignalKind.METRIC:
            when = MetricCondition(metric=signal.name, comparator=_pick(draw, list(Comparator)),
                                   value=_in_range(draw, signal))
        else:
            when = EventCondition(event=signal.name, count=draw(st.integers(1, 3)),
                                  where=tuple(sorted(draw(_WHERE).items())))
        implicates = _subset(draw, list(owners), min_size=1)
        rules.append(DiagnosticRule(
            id=_unique(f"{owners[implicates[0]]}.{draw(_SLUG)}", used), when=when,
            implicates=implicates, weight=draw(_finite(0.01, 10.0)), reason=draw(_TEXTS),
            source=_citation_of(draw, source_ids), threshold_by_company=draw(_BOOL),
        ))
    return rules


_TRACING = st.builds(
    lambda weights, management, upstream: TracingParameters(
        role_weights=weights, management_fraction=management,
        upstream_fraction=upstream * (1.0 - management)),
    st.fixed_dictionaries(
        {Role.ACCOUNTABLE: _finite(0.5, 5.0)},
        optional={r: _finite(0.0, 5.0) for r in (Role.RESPONSIBLE, Role.CONSULTED)},
    ).map(lambda w: tuple((r, w[r]) for r in Role if r in w)),
    _finite(0.0, 0.9), _finite(0.0, 0.9),  # the fractions sum below 1; informed weighs nothing
)
_TRACING_OR_DEFAULT = st.just(TracingParameters()) | _TRACING


ISLAND_METRIC = "island.kept_rate"
"""The metric of the unrelated unit some generated models hold (see `_island`)."""


def _island(draw: st.DrawFn, promise_ids: Sequence[str], source_ids: Sequence[str],
            used: set[str]) -> tuple[Unit, Duty, Signal, Standard]:
    """Draw a department with one duty of its own, measured by its own standard alone.

    Its mass never depends on evidence elsewhere: the bystander a monotonicity test needs.
    """
    unit = Unit(id=_unique(draw(_FREE_ID), used), kind=UnitKind.DEPARTMENT, name=draw(_TEXTS),
                faces=Faces.EXTERNAL)
    duty = Duty(id=_unique(f"{unit.id}.{draw(_SLUG)}", used), owner=unit.id, text=draw(_TEXTS),
                raci=Raci(accountable=unit.id, responsible=(unit.id,)),
                supports=tuple(promise_ids), source=_citation_of(draw, source_ids))
    signal = Signal(name=ISLAND_METRIC, kind=SignalKind.METRIC, meaning=draw(_TEXTS), range=(0.0, 1.0))
    standard = Standard(id=_unique(draw(_FREE_ID), used), text=draw(_TEXTS), promise=duty.supports[0],
                        metric=ISLAND_METRIC, comparator=Comparator.GE, target=0.9, window=Window.MONTH,
                        domain=Domain.TIME_LIMITS, served_by=(duty.id,),
                        source=_citation_of(draw, source_ids))
    return unit, duty, signal, standard


@st.composite
def models(draw: st.DrawFn) -> Model:
    """Draw a valid model (it loads without problems and lints without cycles)."""
    used: set[str] = set()
    sources = [Source(id=f"S{i}", title=draw(_NASTY), file=f"{i:03}.txt")
               for i in range(draw(st.integers(1, 3)))]
    source_ids = [s.id for s in sources]
    units = _draw_units(draw, used)
    promises = [Promise(id=_unique(draw(_FREE_ID), used), text=draw(_TEXTS),
                        source=_citation_of(draw, source_ids))
                for _ in range(draw(st.integers(1, 2)))]
    promise_ids = [p.id for p in promises]
    duties = _draw_duties(draw, units, promise_ids, source_ids, used)
    signals = _draw_signals(draw)
    metrics = [s for s in signals if s.kind is SignalKind.METRIC]
    standards = _draw_standards(draw, promise_ids, metrics, [d.id for d in duties], source_ids,
                                used)
    rules = _draw_rules(draw, signals, duties, source_ids, used)
    clash = any(s.name == ISLAND_METRIC for s in signals)
    if not clash and draw(st.integers(0, 2)) == 0:  # a third of models hold a unit no other duty touches
        island = _island(draw, promise_ids, source_ids, used)
        units.append(island[0])
        duties.append(island[1])
        signals.append(island[2])
        standards.append(island[3])
    return Model(
        units={u.id: u for u in units}, duties={d.id: d for d in duties},
        promises={p.id: p for p in promises}, standards={s.id: s for s in standards},
        rules={r.id: r for r in rules}, signals={s.name: s for s in signals},
        sources={s.id: s for s in sources}, tracing=draw(_TRACING_OR_DEFAULT),
    )


# --------------------------------------------------------------------------- YAML


class _Dumper(yaml.SafeDumper):
    """Safe dumper that never writes anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 - PyYAML's signature
        return True


def _yaml(data: Mapping[str, Any]) -> str:
    return yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False)


def _text(text: Text) -> dict[str, str]:
    return {"en": text.en, "zh": text.zh}


def _citation(citation: Citation) -> dict[str, str]:
    return {"id": citation.source, "section": citation.section}


def _unit_raw(unit: Unit) -> dict[str, Any]:
    raw: dict[str, Any] = {"id": unit.id, "kind": str(unit.kind), "name": _text(unit.name),
                           "faces": str(unit.faces)}
    if unit.members:
        raw["members"] = list(unit.members)
    return raw


def _duty_raw(duty: Duty) -> dict[str, Any]:
    raw: dict[str, Any] = {"id": duty.id}
    if duty.tier is not None:
        raw["tier"] = duty.tier
    raci: dict[str, Any] = {"accountable": duty.raci.accountable,
                            "responsible": list(duty.raci.responsible)}
    if duty.raci.consulted:
        raci["consulted"] = list(duty.raci.consulted)
    if duty.raci.informed:
        raci["informed"] = list(duty.raci.informed)
    raw.update(text=_text(duty.text), raci=raci, supports=list(duty.supports),
               source=_citation(duty.source))
    if duty.gate != Gate():
        raw["gate"] = _gate_raw(duty.gate)
    if duty.catches:
        raw["catches"] = list(duty.catches)
    return raw


def _gate_raw(gate: Gate) -> object:
    return {"at_least": gate.k} if gate.kind is GateKind.AT_LEAST else gate.kind.value


def _promise_raw(promise: Promise) -> dict[str, Any]:
    raw: dict[str, Any] = {"id": promise.id, "text": _text(promise.text), "source": _citation(promise.source)}
    if promise.gate != Gate():
        raw["gate"] = _gate_raw(promise.gate)
    return raw


def _rule_raw(rule: DiagnosticRule) -> dict[str, Any]:
    when: dict[str, Any]
    if isinstance(rule.when, MetricCondition):
        when = {"metric": rule.when.metric, "comparator": str(rule.when.comparator),
                "value": rule.when.value}
    else:
        when = {"event": rule.when.event, "count": rule.when.count}
        if rule.when.where:
            when["where"] = dict(rule.when.where)
    raw: dict[str, Any] = {"id": rule.id, "when": when, "implicates": list(rule.implicates),
                           "weight": rule.weight, "reason": _text(rule.reason)}
    if rule.threshold_by_company:
        raw["threshold"] = "company"
    raw["source"] = _citation(rule.source)
    return raw


def _standard_raw(standard: Standard) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": standard.id, "text": _text(standard.text), "promise": standard.promise,
        "metric": standard.metric, "comparator": str(standard.comparator),
        "target": standard.target, "window": str(standard.window),
    }
    if standard.baseline is not None:
        raw["baseline"] = standard.baseline
    raw.update(domain=str(standard.domain), status=str(standard.status),
               served_by=list(standard.served_by), source=_citation(standard.source))
    if standard.note:
        raw["note"] = standard.note
    return raw


def _signal_raw(signal: Signal) -> dict[str, Any]:
    raw: dict[str, Any] = {"name": signal.name, "kind": str(signal.kind),
                           "meaning": _text(signal.meaning)}
    if signal.range is not None:
        raw["range"] = list(signal.range)
    return raw


def dump_model(model: Model) -> dict[str, str]:
    """Return ``{file name: YAML text}`` for ``model`` in the rules format, without anchors."""
    files: dict[str, str] = {}
    for unit in model.units.values():
        data: dict[str, Any] = {"unit": _unit_raw(unit)}
        duties = [_duty_raw(d) for d in model.duties.values() if d.owner == unit.id]
        rules = [_rule_raw(r) for r in model.rules.values() if r.id.split(".")[0] == unit.id]
        if duties:
            data["duties"] = duties
        if rules:
            data["rules"] = rules
        files[f"{unit.id}.yaml"] = _yaml(data)
    files["sources.yaml"] = _yaml({"sources": [
        {"id": s.id, "title": s.title, "file": s.file} for s in model.sources.values()]})
    files["signals.yaml"] = _yaml({"signals": [_signal_raw(s) for s in model.signals.values()]})
    files["promises.yaml"] = _yaml({
        "promises": [_promise_raw(p) for p in model.promises.values()],
        "standards": [_standard_raw(s) for s in model.standards.values()],
    })
    if model.tracing != TracingParameters():
        tracing = model.tracing
        files["tracing.yaml"] = _yaml({"tracing": {
            "role_weights": {str(r): w for r, w in tracing.role_weights},
            "management_fraction": tracing.management_fraction,
            "upstream_fraction": tracing.upstream_fraction,
        }})
    return dict(sorted(files.items()))


def write_files(files: Mapping[str, str], folder: Path) -> Path:
    """Write ``{file name: text}`` into ``folder`` (created when missing); return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def write_model(model: Model, folder: Path) -> Path:
    """Write ``model`` as a rules folder; return the folder."""
    return write_files(dump_model(model), folder)


# --------------------------------------------------------------------------- mutations


@attrs.frozen
class Mutation:
    """A rules folder with one thing broken, and where the loader must say so."""

    kind: str
    """Which mutation: duplicate_key, duplicate_id, two_accountables, dangling_unit,
    dangling_duty, alias."""
    files: Mapping[str, str]
    """File name → YAML text, as `dump_model` returns, with the mutation applied."""
    file: str
    """The file the problem must name."""
    line: int
    """The 1-based line it must name."""
    message: str
    """A fragment of the message it must contain."""
    only: bool
    """True when this must be the only problem reported."""


def _node(text: str, path: Sequence[str | int]) -> tuple[yaml.Node | None, yaml.Node]:
    """Return (key node or None, value node) at ``path`` in ``text``, read with PyYAML."""
    node: yaml.Node = yaml.compose(text, Loader=yaml.SafeLoader)
    key: yaml.Node | None = None
    for step in path:
        if isinstance(step, int):
            key, node = None, node.value[step]
        else:
            key, node = next((k, v) for k, v in node.value if k.value == step)
    return key, node


def _replace(text: str, node: yaml.Node, new: str) -> str:
    return text[:node.start_mark.index] + new + text[node.end_mark.index:]


def _unit_file(model: Model, duty: Duty) -> tuple[str, int]:
    """Return the file of ``duty`` and its index in that file's ``duties``."""
    mine = [d for d in model.duties.values() if d.owner == duty.owner]
    return f"{duty.owner}.yaml", mine.index(duty)


def _fresh(base: str, known: Mapping[str, object] | set[str]) -> str:
    new = base + "x"
    while new in known:
        new += "x"
    return new


def _duplicate_key(draw: st.DrawFn, _model: Model, files: dict[str, str]) -> Mutation:
    targets: list[tuple[str, tuple[str | int, ...], str]] = []
    for name, text in files.items():
        data = yaml.safe_load(text)
        for section, items in data.items():
            if section == "unit":
                targets.append((name, ("unit",), "id"))
            elif isinstance(items, list):
                key = "name" if section == "signals" else "id"
                targets.extend((name, (section, i), key) for i in range(len(items)))
    name, path, key = draw(st.sampled_from(targets))
    key_node, _ = _node(files[name], (*path, key))
    assert key_node is not None
    lines = files[name].splitlines(keepends=True)
    row, col = key_node.start_mark.line, key_node.start_mark.column
    lines.insert(row + 1, " " * col + lines[row][col:])
    files[name] = "".join(lines)
    return Mutation("duplicate_key", files, name, row + 2,
                    f"duplicate key {key!r} (first at line {row + 1})", only=True)


def _duplicate_id(draw: st.DrawFn, model: Model, files: dict[str, str]) -> Mutation:
    choices = ([("unit", u, f"{u}.yaml", ("unit",)) for u in model.units]
               + [("promise", p, "promises.yaml", ("promises", i))
                  for i, p in enumerate(model.promises)]
               + [("standard", s, "promises.yaml", ("standards", i))
                  for i, s in enumerate(model.standards)])
    kind, id_, name, path = draw(st.sampled_from(choices))
    first = 1 if kind == "unit" else _node(files[name], path)[1].start_mark.line + 1
    source = next(iter(model.sources))
    files[DUPLICATE_FILE] = _yaml({"promises": [{
        "id": id_, "text": {"en": "again", "zh": "重复"},
        "source": {"id": source, "section": "x"}}]})
    return Mutation("duplicate_id", files, DUPLICATE_FILE, 2,
                    f"promise id {id_!r} is already used by a {kind} at {name}:{first}",
                    only=True)


def _two_accountables(draw: st.DrawFn, model: Model, files: dict[str, str]) -> Mutation:
    duty = draw(st.sampled_from(list(model.duties.values())))
    name, index = _unit_file(model, duty)
    key, value = _node(files[name], ("duties", index, "raci", "accountable"))
    assert key is not None
    other = draw(st.sampled_from(list(model.units)))
    pair = json.dumps([duty.raci.accountable, other], ensure_ascii=False)
    files[name] = _replace(files[name], value, pair)
    return Mutation("two_accountables", files, name, key.start_mark.line + 1,
                    "2 accountable units; a duty has exactly one", only=True)


def _dangling_unit(draw: st.DrawFn, model: Model, files: dict[str, str]) -> Mutation:
    duty = draw(st.sampled_from(list(model.duties.values())))
    name, index = _unit_file(model, duty)
    key, value = _node(files[name], ("duties", index, "raci", "accountable"))
    assert key is not None
    unknown = _fresh(duty.raci.accountable, model.units)
    files[name] = _replace(files[name], value, unknown)
    return Mutation("dangling_unit", files, name, key.start_mark.line + 1,
                    f"unknown unit {unknown!r}", only=True)


def _dangling_duty(draw: st.DrawFn, model: Model, files: dict[str, str]) -> Mutation:
    duty = draw(st.sampled_from(list(model.duties.values())))
    name, index = _unit_file(model, duty)
    k = draw(st.integers(0, len(duty.supports) - 1))
    _, value = _node(files[name], ("duties", index, "supports", k))
    unknown = _fresh(f"{duty.owner}.{duty.id.split('.')[1]}", {*model.duties, *model.promises})
    files[name] = _replace(files[name], value, unknown)
    return Mutation("dangling_duty", files, name, value.start_mark.line + 1,
                    f"unknown duty or promise {unknown!r}", only=True)


def _alias(draw: st.DrawFn, model: Model, files: dict[str, str]) -> Mutation:
    unit = draw(st.sampled_from(list(model.units)))
    name = f"{unit}.yaml"
    text = files[name]
    _, value = _node(text, ("unit", "id"))
    line = value.start_mark.line + 1
    mine = [d for d in model.duties.values() if d.owner == unit]
    if mine and mine[0].raci.accountable == unit:  # the alias resolves to the same id
        _, acc = _node(text, ("duties", 0, "raci", "accountable"))
        text = _replace(text, acc, "*u")
    files[name] = _replace(text, value, f"&u {unit}")
    return Mutation("alias", files, name, line, "YAML anchor &u is not allowed", only=True)


_MUTATORS: dict[str, Callable[[st.DrawFn, Model, dict[str, str]], Mutation]] = {
    "duplicate_key": _duplicate_key,
    "duplicate_id": _duplicate_id,
    "two_accountables": _two_accountables,
    "dangling_unit": _dangling_unit,
    "dangling_duty": _dangling_duty,
    "alias": _alias,
}


@st.composite
def mutations(draw: st.DrawFn, kinds: Sequence[str] = tuple(_MUTATORS)) -> Mutation:
    """Draw a valid model's files with one mutation of one of ``kinds`` applied."""
    model = draw(models())
    kind = draw(st.sampled_from(kinds))
    return _MUTATORS[kind](draw, model, dump_model(model))


# --------------------------------------------------------------------------- facts


def _metric_fact(draw: st.DrawFn, signal: Signal, unit_ids: Sequence[str]) -> dict[str, Any]:
    fact: dict[str, Any] = {"metric": signal.name, "value": _in_range(draw, signal),
                            "period": "2026-10"}
    unit = _maybe(draw, unit_ids)
    if unit is not None:
        fact["unit"] = unit
    if draw(_BOOL):
        fact["n"] = draw(st.integers(1, 5000))
    return fact


def _event_fact(draw: st.DrawFn, signal: Signal, unit_ids: Sequence[str],
                attributes: Mapping[str, Sequence[str | int | float | bool]]) -> dict[str, Any]:
    day, hour, minute = draw(st.integers(1, 31)), draw(st.integers(0, 23)), draw(st.integers(0, 59))
    fact: dict[str, Any] = {"event": signal.name,
                            "at": f"2026-10-{day:02}T{hour:02}:{minute:02}:00Z"}
    unit = _maybe(draw, unit_ids)
    if unit is not None:
        fact["unit"] = unit
    for attribute in _subset(draw, ATTRIBUTES):
        seen = attributes.get(attribute, ())
        fact[attribute] = (_pick(draw, seen) if seen and draw(_BOOL)
                           else draw(_ATTRIBUTE_VALUES))
    return fact


@st.composite
def facts_for(draw: st.DrawFn, model: Model, *, max_size: int = 12) -> list[dict[str, Any]]:
    """Draw valid facts for ``model``: metrics within range for period 2026-10, events in it.

    Event attributes reuse the values the model's rules match on, so rules can fire.
    """
    unit_ids = list(model.units)
    signals = list(model.signals.values())
    attributes: dict[str, list[str | int | float | bool]] = {}
    for rule in model.rules.values():
        if isinstance(rule.when, EventCondition):
            for key, value in rule.when.where:
                attributes.setdefault(key, []).append(value)
    facts = []
    for _ in range(draw(st.integers(0, max_size))):
        signal = _pick(draw, signals)
        facts.append(_metric_fact(draw, signal, unit_ids) if signal.kind is SignalKind.METRIC
                     else _event_fact(draw, signal, unit_ids, attributes))
    for rule in sorted(model.rules.values(), key=lambda r: r.id):  # make event rules fire, often
        if isinstance(rule.when, EventCondition) and draw(st.integers(0, 3)) != 3:
            facts.extend(_matching_events(draw, rule.when, unit_ids))
    return facts


def _matching_events(draw: st.DrawFn, when: EventCondition, unit_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Exactly ``count`` events (or one short of it) that match the condition's ``where``."""
    short = draw(st.integers(0, 3)) == 3
    events = []
    for _ in range(when.count - 1 if short else when.count):
        day, hour = draw(st.integers(1, 31)), draw(st.integers(0, 23))
        fact: dict[str, Any] = {"event": when.event, "at": f"2026-10-{day:02}T{hour:02}:00:00Z",
                                **dict(when.where)}
        unit = _maybe(draw, unit_ids)
        if unit is not None:
            fact["unit"] = unit
        events.append(fact)
    return events
