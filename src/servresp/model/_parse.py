"""Raw YAML values → model objects, one object at a time.

Each ``parse_*`` function knows nothing of files: it returns the object (or None) and the
problems found, as ``(path, message, hint)`` relative to the object. The loader prepends
the object's path and turns them into located `Problem`s.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

from servresp.errors import did_you_mean
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
    Promise,
    Raci,
    Role,
    Signal,
    SignalKind,
    Source,
    Standard,
    StandardStatus,
    Text,
    Tolerance,
    TracingParameters,
    Unit,
    UnitKind,
    Window,
)

__all__ = [
    "RelativeProblem",
    "parse_duty",
    "parse_promise",
    "parse_rule",
    "parse_signal",
    "parse_source",
    "parse_standard",
    "parse_tracing",
    "parse_unit",
]

RelativeProblem = tuple[str, str, str]
"""``(path, message, hint)``, the path relative to the object parsed."""

_E = TypeVar("_E", bound=enum.Enum)
_MISSING = object()
MAX_COUNT = 1_000_000
"""The most events a rule may ask for: the engine and `watch` keep that many per group."""


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Fields:
    """Read the fields of one mapping, collecting problems instead of raising."""

    def __init__(self, raw: object, path: str, problems: list[RelativeProblem], allowed: AbstractSet[str],
                 required: AbstractSet[str]) -> None:
        self.path = path
        self.problems = problems
        self.raw: Mapping[str, Any] = raw if _is_mapping(raw) else {}  # type: ignore[assignment]
        if self.raw is not raw:
            self.problem("", f"expected a mapping, found {_kind(raw)}", "")
            return
        keys = self.raw.keys()
        if not keys <= allowed:  # the sorted lists only when there is something to report
            for key in sorted(set(keys) - allowed):
                self.problem(key, f"unknown key {key!r}{did_you_mean(key, allowed)}",
                             f"allowed keys: {', '.join(sorted(allowed))}")
        if not keys >= required:
            for key in sorted(required - set(keys)):
                self.problem("", f"missing required key {key!r}", "")

    def problem(self, key: str | int, message: str, hint: str = "") -> None:
        self.problems.append((_join(self.path, key) if key != "" else self.path, message, hint))

    def get(self, key: str, default: object = _MISSING) -> Any:  # noqa: ANN401 - raw YAML
        return self.raw.get(key, default)

    def string(self, key: str, default: str | None = None) -> str | None:
        value = self.raw.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"expected a non-empty string, found {_kind(value)}")
            return None
        return str(value)

    def number(self, key: str, default: float | None = None) -> float | None:
        if key not in self.raw:
            return default
        value = self.raw[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(key, f"expected a number, found {_kind(value)}")
            return None
        if not math.isfinite(value):
            self.problem(key, f"{value!r} is not a finite number", "write a finite number")
            return None
        return float(value)

    def choice(self, key: str, enum_type: type[_E], default: _E | None = None) -> _E | None:
        if key not in self.raw:
            return default
        value = self.raw[key]
        if isinstance(value, str) and value in _values(enum_type):
            return enum_type(value)
        known = [str(m.value) for m in enum_type]
        self.problem(key, f"expected one of {', '.join(known)}, found {value!r}"
                     f"{did_you_mean(str(value), known)}")
        return None

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...] | None:
        value = self.raw.get(key, _MISSING)
        if value is _MISSING:
            return None if required else ()
        if value is None:
            value = []
        if not isinstance(value, list) or not _all_ids(value):
            self.problem(key, f"expected a list of ids, found {_kind(value)}")
            return None
        if len(set(value)) < len(value):  # name each repeat only when there is one
            for i, item in enumerate(value):
                if item in value[:i]:
                    self.problem(_join(key, i), f"{item!r} is listed twice", "list it once")
        return tuple(value)

    def text(self, key: str) -> Text | None:
        value = self.raw.get(key, _MISSING)
        if value is _MISSING:
            return None
        en, zh = _pair(value, "en", "zh")
        if en is not None and zh is not None:  # the usual case, without a `_Fields` of its own
            return Text(en, zh)
        sub = _Fields(value, _join(self.path, key), self.problems, _TEXT_KEYS, _TEXT_KEYS)
        en, zh = sub.string("en"), sub.string("zh")
        return Text(en, zh) if en and zh else None

    def citation(self, key: str = "source") -> Citation | None:
        value = self.raw.get(key, _MISSING)
        if value is _MISSING:
            return None
        source, section = _pair(value, "id", "section")
        if source is not None and section is not None:  # the usual case, as in `text`
            try:
                return Citation(source=source, section=section)
            except (ValueError, TypeError):
                pass  # `build` below reports it
        sub = _Fields(value, _join(self.path, key), self.problems, _CITATION_KEYS, _CITATION_KEYS)
        return sub.build(Citation, source=sub.string("id"), section=sub.string("section"))

    def build(self, cls: Callable[..., _T], /, **kwargs: Any) -> _T | None:  # noqa: ANN401
        """Call ``cls`` when every argument is known; turn validator errors into problems."""
        if not self.raw:
            return None
        for name, value in kwargs.items():
            if value is None and name not in _OPTIONAL:
                return None
        try:
            return cls(**kwargs)
        except (ValueError, TypeError) as exc:
            self.problem("", str(exc))
            return None


_T = TypeVar("_T")
_OPTIONAL = frozenset({"tier", "baseline", "range", "tolerance", "level", "management", "blames"})
_TEXT_KEYS = frozenset({"en", "zh"})
_CITATION_KEYS = frozenset({"id", "section"})
_ROLE_KEYS = frozenset(str(r) for r in Role)
_ENUM_VALUES: dict[type[enum.Enum], frozenset[str]] = {kind: frozenset(str(m.value) for m in kind)
                for kind in (UnitKind, Faces, Comparator, Window, Domain, StandardStatus, SignalKind)}


def _values(enum_type: type[enum.Enum]) -> frozenset[str]:
    """Return the values of ``enum_type`` as text."""
    return _ENUM_VALUES.get(enum_type) or frozenset(str(m.value) for m in enum_type)


def _pair(value: object, first: str, second: str) -> tuple[str | None, str | None]:
    """Return the two strings of a mapping with exactly those two keys, both non-empty, or Nones.

    Nones mean "read it field by field", which reports whatever is wrong.
    """
    if value.__class__ is dict and len(value) == 2:
        one, two = value.get(first), value.get(second)
        if one.__class__ is str and two.__class__ is str and one.strip() and two.strip():
            return one, two
    return None, None


def _all_ids(values: list[Any]) -> bool:
    """Return whether every item is a non-empty string (`map` and `in` keep the loop in C)."""
    return all(map(_is_str, values)) and "" not in values


_is_str = str.__instancecheck__


def _is_mapping(value: object) -> bool:
    """Return whether ``value`` is a mapping; YAML's are plain dicts, tested first because it is quick."""
    return value.__class__ is dict or isinstance(value, Mapping)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, Mapping) else type(value).__name__


def parse_source(raw: object, problems: list[RelativeProblem]) -> Source | None:
    """Parse one entry of ``sources``."""
    f = _Fields(raw, "", problems, {"id", "title", "file"}, {"id", "title", "file"})
    return f.build(Source, id=f.string("id"), title=f.string("title"), file=f.string("file"))


def parse_unit(raw: object, problems: list[RelativeProblem]) -> Unit | None:
    """Parse a file's ``unit``."""
    f = _Fields(raw, "", problems, {"id", "kind", "name", "faces", "members", "level", "management"},
                {"id", "kind", "name", "faces"})
    kind = f.choice("kind", UnitKind)
    members = f.strings("members")
    level = f.get("level", None)
    if level is not None and (isinstance(level, bool) or not isinstance(level, int) or level < 1):
        f.problem("level", f"expected a whole number ≥ 1 (1 is the top), found {_kind(level)}")
        level = None
    management = f.get("management", None)
    if management is not None and not isinstance(management, bool):
        f.problem("management", f"expected true or false, found {_kind(management)}")
        management = None
    if kind not in (UnitKind.TIER, None):
        for key in ("level", "management"):
            if key in f.raw:
                f.problem(key, f"only tiers have {key}, this unit is a {kind}", f"remove {key}")
    if kind is UnitKind.TEAM and members == ():
        f.problem("members", "a team needs at least one member unit", "list its member units")
    if kind not in (UnitKind.TEAM, None) and members:
        f.problem("members", f"only teams have members, this unit is a {kind}", "remove members")
    return f.build(Unit, id=f.string("id"), kind=kind, name=f.text("name"),
                   faces=f.choice("faces", Faces), members=members, level=level,
                   management=management)


_RACI_REQUIRED = frozenset({"accountable", "responsible"})


def _parse_raci(f: _Fields) -> Raci | None:
    if "raci" not in f.raw:
        return None
    sub = _Fields(f.raw["raci"], _join(f.path, "raci"), f.problems, _ROLE_KEYS, _RACI_REQUIRED)
    accountable = sub.get("accountable", None)
    if isinstance(accountable, list):
        count = len(accountable)
        sub.problem("accountable", f"{count} accountable units; a duty has exactly one",
                    "name one unit; list the others as responsible or consulted")
        accountable = None
    else:
        accountable = sub.string("accountable")
    responsible = sub.strings("responsible", required=True)
    if responsible == ():
        sub.problem("responsible", "no responsible unit; a duty needs at least one",
                    "name the accountable unit itself when no other unit does the work")
    return sub.build(Raci, accountable=accountable, responsible=responsible,
                     consulted=sub.strings("consulted"), informed=sub.strings("informed"))


_ANY_GATE = Gate()
"""The gate of a duty or promise that names none (frozen, so one serves them all)."""


def _parse_gate(f: _Fields) -> Gate | None:
    """``gate: any | all | {at_least: k}``; None (a problem recorded) when malformed."""
    if "gate" not in f.raw:
        return _ANY_GATE
    value = f.get("gate")
    if value in ("any", "all"):
        return Gate(GateKind(value))
    if isinstance(value, Mapping) and set(value) == {"at_least"}:
        k = value["at_least"]
        if isinstance(k, int) and not isinstance(k, bool) and k >= 1:
            return Gate(GateKind.AT_LEAST, k)
        f.problem("gate.at_least", f"expected a whole number of at least 1, found {_kind(k)}",
                  "write how many suppliers must fail, e.g. {at_least: 2}")
        return None
    f.problem("gate", f"expected any, all or {{at_least: k}}, found {_kind(value)}"
              f"{did_you_mean(str(value), ['any', 'all']) if isinstance(value, str) else ''}",
              "write gate: any, gate: all or gate: {at_least: 2}")
    return None


_DUTY_KEYS = frozenset({"id", "tier", "text", "raci", "supports", "source", "gate", "catches"})
_DUTY_REQUIRED = frozenset({"id", "text", "raci", "supports", "source"})


def parse_duty(raw: object, owner: str, problems: list[RelativeProblem]) -> Duty | None:
    """Parse one entry of a unit's ``duties``."""
    f = _Fields(raw, "", problems, _DUTY_KEYS, _DUTY_REQUIRED)
    return f.build(Duty, id=f.string("id"), owner=owner, text=f.text("text"), raci=_parse_raci(f),
                   supports=f.strings("supports", required=True), source=f.citation(),
                   tier=f.string("tier"), gate=_parse_gate(f), catches=f.strings("catches"))


def parse_promise(raw: object, problems: list[RelativeProblem]) -> Promise | None:
    """Parse one entry of ``promises``."""
    f = _Fields(raw, "", problems, {"id", "text", "source", "gate"}, {"id", "text", "source"})
    return f.build(Promise, id=f.string("id"), text=f.text("text"), source=f.citation(),
                   gate=_parse_gate(f))


_STANDARD_KEYS = {"id", "text", "promise", "metric", "comparator", "target", "window", "baseline",
                  "domain", "status", "served_by", "source", "note", "tolerance"}


def parse_standard(raw: object, problems: list[RelativeProblem]) -> Standard | None:
    """Parse one entry of ``standards``."""
    f = _Fields(raw, "", problems, _STANDARD_KEYS,
                _STANDARD_KEYS - {"baseline", "status", "note", "tolerance"})
    served_by = f.strings("served_by", required=True)
    if served_by == ():
        f.problem("served_by", "no duty serves this standard", "name the duties that deliver it")
    return f.build(
        Standard, id=f.string("id"), text=f.text("text"), promise=f.string("promise"),
        metric=f.string("metric"), comparator=f.choice("comparator", Comparator),
        target=f.number("target"), window=f.choice("window", Window),
        domain=f.choice("domain", Domain), served_by=served_by, source=f.citation(),
        status=f.choice("status", StandardStatus, StandardStatus.STANDARD),
        baseline=f.number("baseline"), note=f.string("note", ""),
        tolerance=_parse_tolerance(f),
    )


def _parse_tolerance(f: _Fields) -> Tolerance | None:
    if "tolerance" not in f.raw:
        return None
    keys = {"allowed_deviation", "special_case_days"}
    sub = _Fields(f.raw["tolerance"], _join(f.path, "tolerance"), f.problems, keys, set())
    deviation = sub.number("allowed_deviation")
    if deviation is not None and not 0.0 <= deviation < 1.0:
        sub.problem("allowed_deviation", f"expected a share of cases in [0, 1), found {deviation}")
        deviation = None
    days = sub.get("special_case_days", None)
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        sub.problem("special_case_days", f"expected a whole number of days ≥ 0, found {_kind(days)}")
        days = None
    return Tolerance(deviation, days) if sub.raw else None


_SIGNAL_KEYS = frozenset({"name", "kind", "meaning", "range"})
_SIGNAL_REQUIRED = frozenset({"name", "kind", "meaning"})


def parse_signal(raw: object, problems: list[RelativeProblem]) -> Signal | None:
    """Parse one entry of ``signals``."""
    f = _Fields(raw, "", problems, _SIGNAL_KEYS, _SIGNAL_REQUIRED)
    kind = f.choice("kind", SignalKind)
    bounds: tuple[float, float] | None = None
    value = f.get("range", None)
    if value is not None:
        ok = isinstance(value, list) and len(value) == 2 and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        if not ok:
            f.problem("range", f"expected [min, max], found {_kind(value)}")
        else:
            bounds = (float(value[0]), float(value[1]))
        if kind is SignalKind.EVENT:
            f.problem("range", "events have no range", "remove range")
    return f.build(Signal, name=f.string("name"), kind=kind, meaning=f.text("meaning"), range=bounds)


_EVENT_KEYS = frozenset({"event", "count", "where"})
_EVENT_REQUIRED = frozenset({"event"})
_METRIC_KEYS = frozenset({"metric", "comparator", "value"})


def _parse_condition(f: _Fields) -> MetricCondition | EventCondition | None:
    raw = f.get("when", None)
    if isinstance(raw, Mapping) and "event" in raw:
        sub = _Fields(raw, _join(f.path, "when"), f.problems, _EVENT_KEYS, _EVENT_REQUIRED)
        count = sub.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            sub.problem("count", f"expected a whole number from 1 to {MAX_COUNT:,}, found {_kind(count)}")
            count = None
        where = sub.get("where", {})
        scalars = (str, int, float, bool)
        if not isinstance(where, Mapping) or not all(isinstance(v, scalars) for v in where.values()):
            sub.problem("where", "expected a mapping of attribute → string, number or boolean")
            where = None
        pairs = tuple(sorted(where.items())) if where is not None else None
        return sub.build(EventCondition, event=sub.string("event"), count=count, where=pairs)
    sub = _Fields(raw, _join(f.path, "when"), f.problems, _METRIC_KEYS, _METRIC_KEYS)
    return sub.build(MetricCondition, metric=sub.string("metric"),
                     comparator=sub.choice("comparator", Comparator), value=sub.number("value"))


_RULE_KEYS = frozenset({"id", "when", "implicates", "weight", "reason", "threshold", "source",
                        "blames", "blame_event_unit"})
_RULE_REQUIRED = _RULE_KEYS - {"threshold", "blames", "blame_event_unit"}


def parse_rule(raw: object, problems: list[RelativeProblem]) -> DiagnosticRule | None:
    """Parse one entry of a unit's ``rules``."""
    f = _Fields(raw, "", problems, _RULE_KEYS, _RULE_REQUIRED)
    threshold = f.get("threshold", None)
    if threshold not in (None, "company", "source"):
        f.problem("threshold", f"expected 'company' or 'source', found {_kind(threshold)}")
    implicates = f.strings("implicates", required=True)
    if implicates == ():
        f.problem("implicates", "a rule must implicate at least one duty")
    return f.build(DiagnosticRule, id=f.string("id"), when=_parse_condition(f) if "when" in f.raw else None,
                   implicates=implicates, weight=f.number("weight"), reason=f.text("reason"),
                   source=f.citation(), threshold_by_company=threshold == "company",
                   blames=_roles(f, "blames") if "blames" in f.raw else None,
                   blame_event_unit=_blame_event_unit(f))


def _roles(f: _Fields, key: str) -> tuple[Role, ...] | None:
    """Read a list of RACI roles (``blames``, ``blamed_roles``)."""
    value = f.get(key, None)
    known = [str(r) for r in Role]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        f.problem(key, f"expected a non-empty list of roles ({', '.join(known)}), found {_kind(value)}")
        return None
    roles = []
    for i, item in enumerate(value):
        if item not in known:
            f.problem(_join(key, i), f"unknown role {item!r}{did_you_mean(item, known)}")
        elif Role(item) not in roles:
            roles.append(Role(item))
    return tuple(roles) if len(roles) == len(value) else None


def _blame_event_unit(f: _Fields) -> bool:
    value = f.get("blame_event_unit", False)
    if not isinstance(value, bool):
        f.problem("blame_event_unit", f"expected true or false, found {_kind(value)}")
        return False
    if value and not (isinstance(f.get("when", None), Mapping) and "event" in f.raw["when"]):
        f.problem("blame_event_unit", "only a rule on an event can blame the event's unit",
                  "remove blame_event_unit or make `when` an event condition")
        return False
    return value


def parse_tracing(raw: object, problems: list[RelativeProblem]) -> TracingParameters | None:
    """Parse the model's ``tracing`` parameters."""
    keys = {"role_weights", "management_fraction", "upstream_fraction", "blamed_roles"}
    f = _Fields(raw, "", problems, keys, set())
    defaults = TracingParameters()
    weights = defaults.role_weights
    if "role_weights" in f.raw:
        sub = _Fields(f.raw["role_weights"], "role_weights", problems, {str(r) for r in Role}, set())
        if str(Role.INFORMED) in sub.raw:
            sub.problem(str(Role.INFORMED), "informed units take no share of a failure",
                        "remove it; weigh accountable, responsible and consulted")
        read = [(role, sub.number(str(role))) for role in Role
                if str(role) in sub.raw and role is not Role.INFORMED]
        for role, weight in read:
            if weight is not None and weight < 0:
                sub.problem(str(role), f"weights must be ≥ 0, found {weight}")
        weights = tuple((role, w) for role, w in read if w is not None and w >= 0)
        if not any(w > 0 for _, w in weights):
            sub.problem("", "at least one role needs a positive weight")
    management = _fraction(f, "management_fraction", defaults.management_fraction)
    upstream = _fraction(f, "upstream_fraction", defaults.upstream_fraction)
    if management is None or upstream is None:
        return None
    if management + upstream >= 1.0:
        f.problem("upstream_fraction", f"management_fraction + upstream_fraction is "
                  f"{management + upstream:g}; it must be below 1",
                  "a duty keeps the rest of its mass for the units holding roles on it")
        return None
    blamed = _roles(f, "blamed_roles") if "blamed_roles" in f.raw else defaults.blamed_roles
    if blamed is None:
        return None
    return TracingParameters(role_weights=weights, management_fraction=management,
                             upstream_fraction=upstream, blamed_roles=blamed)


def _fraction(f: _Fields, key: str, default: float) -> float | None:
    value = f.number(key, default)
    if value is not None and not 0.0 <= value < 1.0:
        f.problem(key, f"expected a fraction in [0, 1), found {value}")
        return None
    return value
