"""The responsibility model as frozen attrs classes: no I/O, one object checked at a time.

Each class is ``@attrs.frozen(repr=False, eq=False)`` on `Value`, which gives the repr,
``==`` and ``hash`` that attrs would write (without compiling three methods per class at
import: see `servresp._value`).

Checks that involve several objects (references, unique ids, cycles) live in `load` and
`lint`; the validators here only make sure each object is well formed on its own.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from servresp._value import Value
from servresp.model._build import build_graph, plain_subgraph

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Citation",
    "Comparator",
    "DiagnosticRule",
    "Domain",
    "Duty",
    "EventCondition",
    "Faces",
    "Gate",
    "GateKind",
    "MetricCondition",
    "Model",
    "Promise",
    "Raci",
    "Role",
    "Signal",
    "SignalKind",
    "Source",
    "Standard",
    "StandardStatus",
    "Text",
    "Tolerance",
    "TracingParameters",
    "Unit",
    "UnitKind",
    "Window",
]

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")
DOTTED_ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\Z")
SIGNAL_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+\Z")
SOURCE_PATTERN = re.compile(r"S[0-9]+\Z")
MIN_BUDGET = 1e-9
"""A target within a billionth of 0 or 1 leaves no error budget: its misses weigh their shortfall."""
MANAGEMENT_TIERS = ("top_management", "middle_management")
"""The tiers whose structures sit above every duty (S0); `employee` is a tier, not management."""


class UnitKind(enum.StrEnum):
    """What a unit is."""

    TIER = "tier"
    DEPARTMENT = "department"
    TEAM = "team"


class Faces(enum.StrEnum):
    """Whom a unit serves (S2: everyone has customers)."""

    EXTERNAL = "external"
    INTERNAL = "internal"
    BOTH = "both"


class GateKind(enum.StrEnum):
    """How the failures of a duty's or promise's suppliers combine (rules-format "Gates")."""

    ANY = "any"
    ALL = "all"
    AT_LEAST = "at_least"


@attrs.frozen(repr=False, eq=False)
class Gate(Value):
    """``any`` (one failing supplier breaks it), ``all``, or ``at_least: k`` of the suppliers."""

    kind: GateKind = GateKind.ANY
    """Which combination."""
    k: int = attrs.field(default=1)
    """For ``at_least``: how many suppliers must fail (1 for the others)."""

    @k.validator
    def _k_fits_kind(self, _attribute: attrs.Attribute[int], value: int) -> None:
        if value < 1:
            raise ValueError(f"at_least must be at least 1, not {value}")
        if self.kind is not GateKind.AT_LEAST and value != 1:
            raise ValueError(f"only an at_least gate takes a count, not {self.kind.value!r}")

    def __str__(self) -> str:
        """Format as in the rules: ``any``, ``all`` or ``at_least: 2``."""
        return f"at_least: {self.k}" if self.kind is GateKind.AT_LEAST else self.kind.value


class Role(enum.StrEnum):
    """A RACI role, in the order it ranks."""

    ACCOUNTABLE = "accountable"
    RESPONSIBLE = "responsible"
    CONSULTED = "consulted"
    INFORMED = "informed"


class Comparator(enum.StrEnum):
    """How an actual value is compared with a target: the standard is met when true."""

    GE = ">="
    LE = "<="
    GT = ">"
    LT = "<"
    EQ = "=="

    def holds(self, actual: float, target: float) -> bool:
        """Return whether ``actual <op> target``."""
        return {
            Comparator.GE: actual >= target,
            Comparator.LE: actual <= target,
            Comparator.GT: actual > target,
            Comparator.LT: actual < target,
            Comparator.EQ: actual == target,
        }[self]


class Window(enum.StrEnum):
    """The period a standard is judged over."""

    MONTH = "month"
    WEEK = "week"
    DAY = "day"


class StandardStatus(enum.StrEnum):
    """A standard can be breached; an aspiration is reported, never breached."""

    STANDARD = "standard"
    ASPIRATION = "aspiration"


class Domain(enum.StrEnum):
    """The standard domains of S3 (procedural, then personal)."""

    TIME_LIMITS = "time_limits"
    PROCESS_FLOW = "process_flow"
    ADAPTABILITY = "adaptability"
    FORESIGHT = "foresight"
    INFORMATION_FLOW = "information_flow"
    CUSTOMER_FEEDBACK = "customer_feedback"
    ORGANISATION_AND_SUPERVISION = "organisation_and_supervision"
    APPEARANCE = "appearance"
    ATTENTIVENESS = "attentiveness"
    SALES_SKILL = "sales_skill"
    COMPLAINT_HANDLING = "complaint_handling"
    SERVICE_LANGUAGE = "service_language"


class SignalKind(enum.StrEnum):
    """A fact is a metric (a value for a period) or an event (something at a time)."""

    METRIC = "metric"
    EVENT = "event"


def _matches(pattern: re.Pattern[str], what: str) -> Any:  # noqa: ANN401 - attrs validator
    def check(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
        if not pattern.match(value):
            raise ValueError(f"{attribute.name} {value!r} is not a valid {what}")

    return check


def _non_empty(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be empty")


def _finite(_inst: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not math.isfinite(value):
        raise ValueError(f"{attribute.name} must be a finite number, not {value!r}")


@attrs.frozen(repr=False, eq=False)
class Text(Value):
    """A text in English and Chinese."""

    en: str = attrs.field(validator=_non_empty)
    """English."""
    zh: str = attrs.field(validator=_non_empty)
    """Chinese (simplified or as the source writes it)."""

    def in_lang(self, lang: str) -> str:
        """Return the text in ``lang`` (``en``, ``zh``; ``zh_Hant`` reads the Chinese text)."""
        return self.zh if lang.startswith("zh") else self.en


@attrs.frozen(repr=False, eq=False)
class Citation(Value):
    """Where in a source document a statement comes from."""

    source: str = attrs.field(validator=_matches(SOURCE_PATTERN, "source id"))
    """The source's id, e.g. ``S4``."""
    section: str = attrs.field(validator=_non_empty)
    """The section heading as it appears in the source text."""

    def __str__(self) -> str:
        """Format as ``S4 §6.采购部``."""
        return f"{self.source} §{self.section}"


@attrs.frozen(repr=False, eq=False)
class Source(Value):
    """A source document that duties, standards and promises cite."""

    id: str = attrs.field(validator=_matches(SOURCE_PATTERN, "source id"))
    """``S0``, ``S1``, …"""
    title: str = attrs.field(validator=_non_empty)
    """The document's title."""
    file: str = attrs.field(validator=_non_empty)
    """The document's file name."""


@attrs.frozen(repr=False, eq=False)
class Unit(Value):
    """A department, a management tier or a cross-functional team."""

    id: str = attrs.field(validator=_matches(ID_PATTERN, "unit id"))
    """Stable id, e.g. ``customer_service``."""
    kind: UnitKind
    """Tier, department or team."""
    name: Text
    """Display name in both languages."""
    faces: Faces
    """Whom the unit serves."""
    members: tuple[str, ...] = ()
    """Member units (teams only)."""
    level: int | None = None
    """Tiers only: 1 is the top; larger numbers sit lower."""
    management: bool | None = None
    """Tiers only: whether this tier's duties take the management fraction (S0)."""


@attrs.frozen(repr=False, eq=False)
class Raci(Value):
    """Who is accountable, responsible, consulted and informed for a duty."""

    accountable: str
    """The one unit that answers for the duty."""
    responsible: tuple[str, ...]
    """Units that do the work (at least one)."""
    consulted: tuple[str, ...] = ()
    """Units asked before and during the work."""
    informed: tuple[str, ...] = ()
    """Units kept up to date."""

    def roles_of(self, unit: str) -> tuple[Role, ...]:
        """Return the roles ``unit`` holds, in `Role` order."""
        held = (
            (Role.ACCOUNTABLE, unit == self.accountable),
            (Role.RESPONSIBLE, unit in self.responsible),
            (Role.CONSULTED, unit in self.consulted),
            (Role.INFORMED, unit in self.informed),
        )
        return tuple(role for role, holds in held if holds)

    def units(self) -> tuple[str, ...]:
        """Return every unit named, sorted and without repeats."""
        return tuple(sorted({self.accountable, *self.responsible, *self.consulted, *self.informed}))


@attrs.frozen(repr=False, eq=False)
class Duty(Value):
    """Something a unit must do so that promises are kept."""

    id: str = attrs.field(validator=_matches(DOTTED_ID_PATTERN, "duty id (unit.slug)"))
    """``<owner>.<slug>``."""
    owner: str = attrs.field()
    """The unit that owns the duty."""
    text: Text
    """What the duty is."""
    raci: Raci
    """Who holds which role."""
    supports: tuple[str, ...]
    """Duties or promises this duty feeds (its internal customers)."""
    source: Citation
    """Where the sources state it."""
    tier: str | None = None
    """The tier that performs it, where the source names one."""
    gate: Gate = Gate()
    """How its suppliers' failures combine (default ``any``)."""
    catches: tuple[str, ...] = ()
    """Duties whose failures this duty can stop before they reach their customers (a barrier)."""

    @owner.validator
    def _owner_prefixes_id(self, _attribute: attrs.Attribute[str], value: str) -> None:
        if not self.id.startswith(f"{value}."):
            raise ValueError(f"duty id {self.id!r} must start with its owner {value!r}")


@attrs.frozen(repr=False, eq=False)
class Promise(Value):
    """One of the company's promises to its customers."""

    id: str = attrs.field(validator=_matches(ID_PATTERN, "promise id"))
    """Stable id, e.g. ``product_works``."""
    text: Text
    """The promise in the customer's words."""
    source: Citation
    """Where the sources state it."""
    gate: Gate = Gate()
    """How its suppliers' failures combine (default ``any``)."""


@attrs.frozen(repr=False, eq=False)
class Tolerance(Value):
    """What a standard allows besides its target (S3 可衡量性: 96% must hold, 4% may deviate)."""

    allowed_deviation: float | None = attrs.field(default=None, validator=_finite)
    """The share of cases that may miss the standard: the error budget."""
    special_case_days: int | None = None
    """How many days later special cases may be done (S3: one day)."""


@attrs.frozen(repr=False, eq=False)
class Standard(Value):
    """A measurable service standard that tells whether a promise is kept."""

    id: str = attrs.field(validator=_matches(ID_PATTERN, "standard id"))
    """Stable id, e.g. ``call_answer_ring2``."""
    text: Text
    """What the standard says."""
    promise: str
    """The promise it measures."""
    metric: str = attrs.field(validator=_matches(SIGNAL_PATTERN, "metric name"))
    """The metric fact it reads."""
    comparator: Comparator
    """Met when ``actual <comparator> target``."""
    target: float = attrs.field(validator=_finite)
    """The target value."""
    window: Window
    """The period it is judged over."""
    domain: Domain
    """Its domain among S3's."""
    served_by: tuple[str, ...]
    """The duties that deliver it."""
    source: Citation
    """Where the sources state it."""
    status: StandardStatus = StandardStatus.STANDARD
    """``aspiration`` standards are reported, never breached."""
    baseline: float | None = attrs.field(default=None, validator=_finite)
    """The current level, for the feasibility check."""
    note: str = ""
    """A remark, e.g. that the company set the target."""
    tolerance: Tolerance | None = None
    """The deviation the source allows (S3: 4% of cases; special cases one more day)."""

    def is_met(self, actual: float) -> bool:
        """Return whether ``actual`` meets the target."""
        return self.comparator.holds(actual, self.target)

    def gap(self, actual: float) -> float:
        """How far ``actual`` is on the wrong side of the target (0 when met)."""
        if self.is_met(actual):
            return 0.0
        return abs(actual - self.target) or math.ulp(self.target)  # a strict target missed at it

    def error_budget(self) -> float | None:
        """Return the allowed slip of a rate target (S3: 96% leaves 4%), or None when none is left.

        A `Tolerance` gives it as data; otherwise a rate target leaves what lies past it.
        """
        if self.tolerance is not None and self.tolerance.allowed_deviation is not None:
            budget = self.tolerance.allowed_deviation
            return budget if budget >= MIN_BUDGET else None
        if self.comparator in (Comparator.GE, Comparator.GT):
            budget = 1.0 - self.target
        elif self.comparator in (Comparator.LE, Comparator.LT):
            budget = self.target
        else:
            return None
        return budget if MIN_BUDGET <= budget < 1.0 else None


@attrs.frozen(repr=False, eq=False)
class Signal(Value):
    """A metric or event name the model reads: the fact vocabulary."""

    name: str = attrs.field(validator=_matches(SIGNAL_PATTERN, "signal name"))
    """Dotted name, e.g. ``call.answered_by_ring2_rate``."""
    kind: SignalKind
    """Metric or event."""
    meaning: Text
    """What it means."""
    range: tuple[float, float] | None = attrs.field(default=None)
    """Valid values of a metric, ``(min, max)``; None when unbounded."""

    @range.validator  # noqa: A003 - `range` is the field's name in the rules format
    def _range_ordered(self, _attribute: attrs.Attribute[Any], value: tuple[float, float] | None) -> None:
        if value is None:
            return
        low, high = value
        if not (math.isfinite(low) and math.isfinite(high)) or low > high:
            raise ValueError(f"range [{low}, {high}] must be two finite numbers, low first")

    def accepts(self, value: float) -> bool:
        """Return whether ``value`` is inside the signal's range."""
        return self.range is None or self.range[0] <= value <= self.range[1]


@attrs.frozen(repr=False, eq=False)
class MetricCondition(Value):
    """A rule condition on a metric's value."""

    metric: str
    """The metric read."""
    comparator: Comparator
    """Fires when ``value <comparator> threshold``."""
    value: float = attrs.field(validator=_finite)
    """The threshold."""

    @property
    def signal(self) -> str:
        """The signal read."""
        return self.metric


Scalar = str | int | float | bool


@attrs.frozen(repr=False, eq=False)
class EventCondition(Value):
    """A rule condition on events of one kind within the evaluated period."""

    event: str
    """The event name."""
    count: int = attrs.field(default=1)
    """Fires when at least this many matching events are seen."""
    where: tuple[tuple[str, Scalar], ...] = ()
    """Attribute equality matches, sorted by attribute name."""

    @count.validator
    def _positive(self, _attribute: attrs.Attribute[int], value: int) -> None:
        if value < 1:
            raise ValueError(f"count must be at least 1, not {value}")

    @property
    def signal(self) -> str:
        """The signal read."""
        return self.event


@attrs.frozen(repr=False, eq=False)
class DiagnosticRule(Value):
    """A condition over facts that implicates duties, with a weight."""

    id: str = attrs.field(validator=_matches(DOTTED_ID_PATTERN, "rule id (unit.slug)"))
    """``<unit>.<slug>`` of the unit whose file declares it."""
    when: MetricCondition | EventCondition
    """The condition."""
    implicates: tuple[str, ...]
    """The duties it implicates when it fires."""
    weight: float = attrs.field()
    """The evidence mass it carries."""
    reason: Text
    """Why the condition implicates those duties, in plain words."""
    source: Citation
    """Where the sources link the signal to the duties."""
    threshold_by_company: bool = False
    """True when the threshold is the company's choice, not the source's."""
    blames: tuple[Role, ...] | None = None
    """The RACI roles that take this rule's mass; None: the model's ``blamed_roles``."""
    blame_event_unit: bool = False
    """Events only: the unit named in the event's ``unit`` takes the mass."""

    @weight.validator
    def _positive(self, _attribute: attrs.Attribute[float], value: float) -> None:
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"weight must be a positive finite number, not {value!r}")


@attrs.frozen(repr=False, eq=False)
class TracingParameters(Value):
    """The numbers that turn evidence into shares (docs/tracing.md); a company may tune them."""

    role_weights: tuple[tuple[Role, float], ...] = (
        (Role.ACCOUNTABLE, 3.0),
        (Role.RESPONSIBLE, 2.0),
        (Role.CONSULTED, 1.0),
    )
    """How an implicated duty's mass splits over the units holding roles on it."""
    management_fraction: float = 0.2
    """Part of each implicated duty's mass that goes to the management duties above it."""
    upstream_fraction: float = 0.5
    """Part of a duty's mass that moves to a supplier duty with evidence of its own."""
    blamed_roles: tuple[Role, ...] = (Role.ACCOUNTABLE, Role.RESPONSIBLE, Role.CONSULTED)
    """The roles a standard's or rule's evidence reaches, unless the rule says otherwise."""
    _weights: Mapping[Role, float] = attrs.field(init=False, eq=False, repr=False, factory=dict)
    """`role_weights` as a mapping, made once (`weight_of` is asked per role of every duty)."""

    def __attrs_post_init__(self) -> None:
        """Check what one set of parameters must satisfy on its own."""
        object.__setattr__(self, "_weights", dict(self.role_weights))
        if self.management_fraction + self.upstream_fraction >= 1.0:
            raise ValueError("management_fraction + upstream_fraction must be below 1")
        if self.weight_of(Role.INFORMED):
            raise ValueError("informed units take no share: give 'informed' no weight")

    def weight_of(self, role: Role) -> float:
        """Return the weight of ``role`` (0 when not listed)."""
        return self._weights.get(role, 0.0)


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(sorted(value.items())))


@attrs.frozen(repr=False, eq=False)
class Model(Value):
    """A loaded responsibility model: read-only mappings id → object, in id order."""

    units: Mapping[str, Unit] = attrs.field(converter=_frozen_mapping)
    """Units by id."""
    duties: Mapping[str, Duty] = attrs.field(converter=_frozen_mapping)
    """Duties by id."""
    promises: Mapping[str, Promise] = attrs.field(converter=_frozen_mapping)
    """Promises by id."""
    standards: Mapping[str, Standard] = attrs.field(converter=_frozen_mapping)
    """Standards by id."""
    rules: Mapping[str, DiagnosticRule] = attrs.field(converter=_frozen_mapping)
    """Diagnostic rules by id."""
    signals: Mapping[str, Signal] = attrs.field(converter=_frozen_mapping)
    """The fact vocabulary by name."""
    sources: Mapping[str, Source] = attrs.field(converter=_frozen_mapping)
    """Source documents by id."""
    tracing: TracingParameters = TracingParameters()
    """Share parameters."""
    name: str = "model"
    """A short name (the rules folder's name), used to name engine rulesets."""
    locations: Mapping[str, tuple[str, int]] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=False, repr=False
    )
    """Where each id is declared: ``(file, line)``; empty for models built in code."""
    graph: nx.DiGraph[str] = attrs.field(eq=False, repr=False, default=None)
    """The frozen dependency graph (see `servresp.model.graph`); built when not given."""
    dependencies: nx.DiGraph[str] = attrs.field(eq=False, repr=False, default=None)
    """The graph's supports, serves and measures edges alone, as a frozen plain graph."""
    supports: nx.DiGraph[str] = attrs.field(eq=False, repr=False, default=None)
    """The graph's supports edges alone, as a frozen plain graph."""
    _tiers: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False, default=())
    """`management_tiers`, worked out once (checks and traces ask for it per duty)."""

    def __attrs_post_init__(self) -> None:
        """Build the graph and its dependency subgraphs once, from the finished model.

        The subgraphs are plain copies: searches over filtered views cost several times more.
        """
        if self.graph is None:
            object.__setattr__(self, "graph", build_graph(self))
            object.__setattr__(self, "dependencies", None)
        if self.dependencies is None:
            object.__setattr__(self, "dependencies", plain_subgraph(self.graph))
            object.__setattr__(self, "supports", plain_subgraph(self.graph, ("supports",)))
        object.__setattr__(self, "_tiers", self._find_management_tiers())

    @property
    def management_tiers(self) -> tuple[str, ...]:
        """The management tiers, top first: tiers with ``management: true``, by level.

        A model whose units give neither ``level`` nor ``management`` keeps the old reading:
        `MANAGEMENT_TIERS` (those it declares).
        """
        return self._tiers

    def _find_management_tiers(self) -> tuple[str, ...]:
        tiers = [u for u in self.units.values() if u.kind is UnitKind.TIER]
        if not any(u.level is not None or u.management is not None for u in tiers):
            return tuple(t for t in MANAGEMENT_TIERS if t in self.units)
        chosen = [u for u in tiers if u.management]
        return tuple(u.id for u in sorted(chosen, key=lambda u: (u.level or 0, u.id)))

    def management_tier_of(self, duty_id: str) -> str | None:
        """Return the management tier that performs ``duty_id`` (its ``tier``, else its owner)."""
        duty = self.duties[duty_id]
        tiers = self.management_tiers
        if duty.tier is not None:
            return duty.tier if duty.tier in tiers else None
        return duty.owner if duty.owner in tiers else None

    def standards_of(self, promise: str) -> tuple[Standard, ...]:
        """Return the standards that measure ``promise``, by id."""
        return tuple(s for s in self.standards.values() if s.promise == promise)

    def location(self, id_: str) -> str:
        """Return ``file:line`` where ``id_`` is declared, or ``""``."""
        where = self.locations.get(id_)
        return f"{where[0]}:{where[1]}" if where else ""
