"""rules/*.yaml → `Model`: every problem found in one pass, each with its file and line."""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from servresp._gc import paused_gc
from servresp.errors import ModelError, Problem, did_you_mean
from servresp.model import _cache
from servresp.model._yaml import Document, list_yaml_files, parse_yaml, read_yaml
from servresp.model.classes import (
    ID_PATTERN,
    DiagnosticRule,
    Duty,
    Model,
    Promise,
    Signal,
    SignalKind,
    Source,
    Standard,
    TracingParameters,
    Unit,
    UnitKind,
)

if TYPE_CHECKING:
    from servresp.model import _parse

__all__ = ["default_rules_dir", "iter_problems", "load_default", "load_keyed", "load_model", "load_texts"]

_T = TypeVar("_T")
MAX_ID_LENGTH = 200
"""Longest id: `servresp docs` names a file after each unit and promise."""
_SECTIONS = {"unit", "duties", "rules", "promises", "standards", "signals", "sources", "tracing"}


def default_rules_dir() -> Path:
    """Return the folder of the bundled model (package data, or the checkout's ``rules/``)."""
    bundled = Path(str(importlib.resources.files("servresp") / "rules"))
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parents[3] / "rules"  # pragma: no cover - odd installs


def load_default() -> Model:
    """Load the bundled model, which encodes the five source documents."""
    return load_model(default_rules_dir(), name="servresp")


def load_model(path: str | Path, *, name: str | None = None) -> Model:
    """Load every ``*.yaml`` (and ``*.yml``) in ``path``; raise `ModelError` listing every problem."""
    return load_keyed(path, name=name)[0]


def load_keyed(path: str | Path, *, name: str | None = None) -> tuple[Model, str | None]:
    """Load like `load_model`; also return the model's cache key (None: no cache).

    The key (`servresp.model._cache.model_key`) names the files' exact bytes and the code
    that made a model of them, so what is known of the model can be remembered under it
    (`servresp.lint.verdict`).
    """
    model, problems, key = _load(Path(path), name=name)
    if problems or model is None:
        raise ModelError(problems)
    return model, key


def load_texts(files: Mapping[str, str], *, name: str) -> Model:
    """Load a model from ``{file name: YAML text}``, reading no disk; the checks of `load_model`."""
    with paused_gc():
        found = _Collected()
        if not files:
            raise ModelError([Problem(name, 0, "", "no *.yaml files given")])
        unread = False
        for file_name in sorted(files):
            doc, problems = parse_yaml(files[file_name], name=file_name)
            found.problems.extend(problems)
            unread = unread or doc is None
            if doc is not None and doc.data is not None:
                _read_document(doc, found)
        model = _build(found, name, references=not unread)
    if model is None:
        raise ModelError(found.problems)
    return model


def iter_problems(path: str | Path) -> Iterator[Problem]:
    """Yield every problem that keeps ``path`` from loading, sorted by (file, line)."""
    _, problems, _ = _load(Path(path), name=None)
    yield from sorted(problems)


@attrs.define(repr=False, eq=False)  # a work list: never compared or printed
class _Collected:
    """Objects read so far, with where each was declared."""

    units: dict[str, Unit] = attrs.Factory(dict)
    duties: dict[str, Duty] = attrs.Factory(dict)
    promises: dict[str, Promise] = attrs.Factory(dict)
    standards: dict[str, Standard] = attrs.Factory(dict)
    rules: dict[str, DiagnosticRule] = attrs.Factory(dict)
    signals: dict[str, Signal] = attrs.Factory(dict)
    sources: dict[str, Source] = attrs.Factory(dict)
    tracing: TracingParameters | None = None
    where: dict[str, tuple[Document, str]] = attrs.Factory(dict)
    """id → (document, path of the object), for located cross-reference problems."""
    broken: set[str] = attrs.Factory(set)
    """Ids declared by entries that did not parse: already reported, so not 'unknown'."""
    problems: list[Problem] = attrs.Factory(list)

    def at(self, doc: Document, path: str, message: str, hint: str = "") -> None:
        if path in doc.rejected:  # the YAML reader has said what is wrong with this value
            return
        self.problems.append(Problem(doc.file, doc.line(path), path, message, hint))

    def at_id(self, id_: str, field: str, message: str, hint: str = "") -> None:
        doc, path = self.where[id_]
        full = f"{path}.{field}" if field else path
        self.at(doc, full, message, hint)


def _display_name(folder: Path, file: Path) -> str:
    return str(folder / file.name) if not folder.is_absolute() else file.name


_Loaded = tuple[Model | None, list[Problem], str | None]
"""The model (None when there are problems), the problems, the model's cache key."""


def _load(folder: Path, *, name: str | None) -> _Loaded:
    with paused_gc():
        return _load_files(folder, name=name)


def _load_files(folder: Path, *, name: str | None) -> _Loaded:
    if not folder.is_dir():
        return None, [Problem(str(folder), 0, "", "no such rules folder", "pass --rules DIR")], None
    files, unlisted = list_yaml_files(folder)
    if unlisted:
        return None, unlisted, None
    if not files:
        return None, [Problem(str(folder), 0, "", "no *.yaml files in the rules folder")], None
    named = [(_display_name(folder, file), file) for file in files]
    name = name or folder.resolve().name
    files_key = _cache.folder_key(named) if _cache.cache_dir() else None
    key = _cache.model_key(files_key) if files_key else None
    model = _cache.load_model(key, name=name) if key else None
    if model is not None:  # these very files loaded without a problem before
        return model, [], key
    model, problems = _read_files(named, files_key, name)
    if model is None:
        return None, problems, None
    if key:
        _cache.store_model(key, model)
    return model, [], key


def _read_files(named: list[tuple[str, Path]], files_key: str | None,
                name: str) -> tuple[Model | None, list[Problem]]:
    """Read and check ``(display name, path)`` files; their documents may come from the cache."""
    found = _Collected()
    names = [display for display, _ in named]
    cached = _cache.load(files_key, names) if files_key else None
    read: list[Document] = []
    clean = True  # no file had a YAML problem: the documents may be cached
    for index, (display, file) in enumerate(named):
        doc: Document | None
        problems: list[Problem]
        if cached is not None:
            doc, problems = cached[index], []
        else:
            doc, problems = read_yaml(file, name=display)
        found.problems.extend(problems)
        clean = clean and not problems
        read.extend([doc] if doc is not None else [])
        if doc is not None and doc.data is not None:
            _read_document(doc, found)
    if files_key and cached is None and clean and len(read) == len(named):
        _cache.store(files_key, read)
    model = _build(found, name, references=len(read) == len(named))
    return model, found.problems


def _build(found: _Collected, name: str, *, references: bool = True) -> Model | None:
    """Check references across files and build the model; None when there are problems.

    With a file unread (``references`` false), its ids would be blamed as unknown in the
    others, so references are checked only once every file reads.
    """
    if references:
        _check_references(found)
    if found.problems:
        return None
    locations = {id_: (doc.file, doc.line(path)) for id_, (doc, path) in found.where.items()}
    return Model(
        units=found.units, duties=found.duties, promises=found.promises,
        standards=found.standards, rules=found.rules, signals=found.signals,
        sources=found.sources, tracing=found.tracing or TracingParameters(),
        name=name, locations=locations,
    )


def _read_document(doc: Document, found: _Collected) -> None:  # noqa: C901, PLR0912 - one step per section
    from servresp.model import _parse  # noqa: PLC0415 - a model from the cache is read without it

    data = doc.data
    if not isinstance(data, dict):
        found.at(doc, "", "expected a mapping of sections at the top level",
                 f"use the keys {', '.join(sorted(_SECTIONS))}")
        return
    for key in sorted(set(data) - _SECTIONS):
        found.at(doc, key, f"unknown section {key!r}{did_you_mean(key, _SECTIONS)}",
                 f"sections: {', '.join(sorted(_SECTIONS))}")
    unit = _read_one(doc, found, "unit", _parse.parse_unit) if "unit" in data else None
    if unit is not None:
        _register(doc, found, found.units, unit.id, "unit", unit)
    for key in ("duties", "rules"):
        if key in data and "unit" not in data:
            found.at(doc, key, f"{key} need the unit that owns them", "add a 'unit' section")
    owner = unit.id if unit is not None else None
    if unit is None:  # a broken unit: read its duties and rules under the id it declares
        declared = _declared_ids(data.get("unit"), "id")
        found.broken.update(declared)
        owner = next((d for d in declared if ID_PATTERN.match(d)), None)
    if owner is None:  # the file's duties and rules cannot be read: keep their ids known
        for key in ("duties", "rules"):
            entries = data.get(key)
            for raw in entries if isinstance(entries, list) else ():
                found.broken.update(_declared_ids(raw, "id"))
    if owner is not None:
        for path, duty in _read_list(doc, found, "duties",
                                     lambda raw, p: _parse.parse_duty(raw, owner, p)):
            _register(doc, found, found.duties, duty.id, "duty", duty, path)
        for path, rule in _read_list(doc, found, "rules", _parse.parse_rule):
            if not rule.id.startswith(f"{owner}."):
                found.at(doc, f"{path}.id", f"rule id {rule.id!r} must start with '{owner}.'",
                         f"rename it {owner}.{rule.id.split('.')[-1]}")
            _register(doc, found, found.rules, rule.id, "rule", rule, path)
    for path, promise in _read_list(doc, found, "promises", _parse.parse_promise):
        _register(doc, found, found.promises, promise.id, "promise", promise, path)
    for path, standard in _read_list(doc, found, "standards", _parse.parse_standard):
        _register(doc, found, found.standards, standard.id, "standard", standard, path)
    for path, signal in _read_list(doc, found, "signals", _parse.parse_signal):
        _register(doc, found, found.signals, signal.name, "signal", signal, path)
    for path, source in _read_list(doc, found, "sources", _parse.parse_source):
        _register(doc, found, found.sources, source.id, "source", source, path)
    if "tracing" in data:
        if found.tracing is not None:
            found.at(doc, "tracing", "tracing parameters are given twice", "keep one tracing section")
        found.tracing = _read_one(doc, found, "tracing", _parse.parse_tracing)


def _relocate(doc: Document, found: _Collected, base: str, rel: list[_parse.RelativeProblem]) -> None:
    for path, message, hint in rel:
        full = f"{base}.{path}" if path and not path.startswith("[") else f"{base}{path}"
        found.at(doc, full, message, hint)


def _read_one(doc: Document, found: _Collected, key: str,
              parse: Callable[[Any, list[_parse.RelativeProblem]], _T | None]) -> _T | None:
    rel: list[_parse.RelativeProblem] = []
    value = parse(doc.data[key], rel)
    _relocate(doc, found, key, rel)
    return value


def _read_list(doc: Document, found: _Collected, key: str,
               parse: Callable[[Any, list[_parse.RelativeProblem]], _T | None]) -> Iterator[tuple[str, _T]]:
    if key not in doc.data:
        return
    items = doc.data[key]
    if not isinstance(items, list):
        found.at(doc, key, f"expected a list of {key}", "write each entry as '- ...'")
        return
    for i, raw in enumerate(items):
        path = f"{key}[{i}]"
        rel: list[_parse.RelativeProblem] = []
        value = parse(raw, rel)
        if rel:
            _relocate(doc, found, path, rel)
        if value is not None:
            yield path, value
        else:
            found.broken.update(_declared_ids(raw, "name" if key == "signals" else "id"))


def _declared_ids(raw: object, key: str) -> set[str]:
    """Return the id an entry declares, even when the entry itself is broken."""
    value = raw.get(key) if isinstance(raw, dict) else None
    return {value} if isinstance(value, str) else set()


_NODE_KINDS = ("unit", "duty", "promise", "standard", "rule")


def _register(doc: Document, found: _Collected, table: dict[str, _T], id_: str, kind: str,
              value: _T, path: str = "") -> None:
    path = path or kind
    key = id_ if kind not in {"source", "signal"} else f"{kind}:{id_}"
    if len(id_) > MAX_ID_LENGTH:
        field = {"unit": "unit.id", "signal": f"{path}.name"}.get(kind, f"{path}.id")
        found.at(doc, field, f"{kind} id of {len(id_):,} characters; at most {MAX_ID_LENGTH}",
                 "ids name chart files (servresp docs), which file systems cap at 255 bytes")
        found.broken.add(id_)  # reported once here, not again where it is named
        return
    if key in found.where:
        first_doc, first_path = found.where[key]
        field = {"unit": "unit.id", "signal": f"{path}.name"}.get(kind, f"{path}.id")
        found.at(doc, field,
                 f"{kind} id {id_!r} is already used by a {_kind_at(found, key)} "
                 f"at {first_doc.file}:{first_doc.line(first_path)}",
                 "ids must be unique across all files")
        return
    found.where[key] = (doc, path)
    table[id_] = value


def _kind_at(found: _Collected, key: str) -> str:
    for kind, table in (("unit", found.units), ("duty", found.duties), ("promise", found.promises),
                        ("standard", found.standards), ("rule", found.rules)):
        if key in table:
            return kind
    return key.split(":", 1)[0]


def _check_references(found: _Collected) -> None:  # noqa: C901 - one flat list of checks
    units, duties, promises = found.units, found.duties, found.promises

    def ref(owner_id: str, field: str, value: str, known: dict[str, Any], kind: str) -> None:
        if value not in known and value not in found.broken:
            found.at_id(owner_id, field, f"unknown {kind} {value!r}{did_you_mean(value, known)}")

    def refs(owner_id: str, field: str, values: tuple[str, ...], known: dict[str, Any], kind: str) -> None:
        if all(map(known.__contains__, values)):  # the usual case, checked in C
            return
        for i, value in enumerate(values):
            ref(owner_id, f"{field}[{i}]", value, known, kind)

    for unit in units.values():
        refs(unit.id, "members", unit.members, units, "unit")
    targets = {**duties, **promises}  # once: copying it per duty is quadratic in the duties
    for duty in duties.values():
        raci = duty.raci
        ref(duty.id, "raci.accountable", raci.accountable, units, "unit")
        refs(duty.id, "raci.responsible", raci.responsible, units, "unit")
        refs(duty.id, "raci.consulted", raci.consulted, units, "unit")
        refs(duty.id, "raci.informed", raci.informed, units, "unit")
        if duty.id in duty.supports or not all(map(targets.__contains__, duty.supports)):
            for i, target in enumerate(duty.supports):
                ref(duty.id, f"supports[{i}]", target, targets, "duty or promise")
                if target == duty.id:
                    found.at_id(duty.id, f"supports[{i}]", "a duty cannot support itself")
        for i, caught in enumerate(duty.catches):
            ref(duty.id, f"catches[{i}]", caught, duties, "duty")
            if caught == duty.id:
                found.at_id(duty.id, f"catches[{i}]", "a duty cannot catch its own failure",
                            "name the duty whose failures this one stops")
        if duty.tier is not None:
            ref(duty.id, "tier", duty.tier, units, "unit")
            if duty.tier in units and units[duty.tier].kind is not UnitKind.TIER:
                found.at_id(duty.id, "tier", f"{duty.tier!r} is not a tier",
                            "name top_management, middle_management or employee")
        _check_citation(found, duty.id, duty.source.source)
    for promise in promises.values():
        _check_citation(found, promise.id, promise.source.source)
    for standard in found.standards.values():
        ref(standard.id, "promise", standard.promise, promises, "promise")
        refs(standard.id, "served_by", standard.served_by, duties, "duty")
        _check_signal(found, standard.id, "metric", standard.metric, SignalKind.METRIC)
        _check_citation(found, standard.id, standard.source.source)
    for rule in found.rules.values():
        refs(rule.id, "implicates", rule.implicates, duties, "duty")
        kind = SignalKind.METRIC if hasattr(rule.when, "metric") else SignalKind.EVENT
        _check_signal(found, rule.id, f"when.{kind}", rule.when.signal, kind)
        _check_citation(found, rule.id, rule.source.source)


def _check_signal(found: _Collected, owner: str, field: str, name: str, kind: SignalKind) -> None:
    signal = found.signals.get(name)
    if signal is None and name in found.broken:
        return
    if signal is None:
        found.at_id(owner, field, f"unknown {kind} {name!r}{did_you_mean(name, found.signals)}",
                    "declare it under signals")
    elif signal.kind is not kind:
        article = {SignalKind.METRIC: "a", SignalKind.EVENT: "an"}
        found.at_id(owner, field, f"{name!r} is declared as {article[signal.kind]} {signal.kind}, "
                                  f"not {article[kind]} {kind}")


def _check_citation(found: _Collected, owner: str, source_id: str) -> None:
    if source_id not in found.sources and source_id not in found.broken:
        found.at_id(owner, "source.id",
                    f"unknown source {source_id!r}{did_you_mean(source_id, found.sources)}",
                    "declare it under sources")
