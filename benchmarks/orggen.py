"""Seeded synthetic organisations for the benchmarks: a rules folder the loader accepts, and facts.

An organisation has ``units`` units: the three tiers ``top_management``,
``middle_management`` and ``employee``, then departments (every 40th a team). Each unit
owns ``duties_per_unit`` duties. ``supports`` edges form a DAG:

- management duties sit above the rest: top management supports middle management and
  body duties, middle management supports body duties, and nothing supports them;
- the other ("body") duties are split into one value stream per promise and laid out in
  a random order; each supports 1..``max_fanout`` later duties, mostly of its own stream
  and near it, sometimes of any stream, and now and then its stream's promise directly.
  The last duty of a stream always supports the promise, so every duty reaches one.

Every unit has metric and event signals; each duty gets about ``rules_per_duty``
diagnostic rules (metric thresholds and event counts, some with ``where``) over its
owner's signals. Standards measure promises through the metrics of the units in the
promise's stream. Metrics are rates in [0, 1]: most are "higher is better" (standards
``>=``, rules ``<``), some "lower is better" (``<=`` / ``>``), so `generate_facts` can
always find a healthy and a broken value.

Same arguments and seed, same bytes. Usable as a script::

    python benchmarks/orggen.py OUT --units 1000 --duties-per-unit 10 --seed 1 [--facts F.jsonl]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from servresp.model.classes import Model

__all__ = [
    "BUNDLED_SIZE",
    "Org",
    "generate_facts",
    "generate_org",
    "main",
    "stream_lines",
]

BUNDLED_SIZE = (13, 6)
"""Units and duties per unit of the bundled model (13 units, 74 duties)."""
TIERS = ("top_management", "middle_management", "employee")
MANAGEMENT = ("top_management", "middle_management")
DOMAINS = ("time_limits", "process_flow", "adaptability", "foresight", "information_flow",
           "customer_feedback", "organisation_and_supervision", "appearance", "attentiveness",
           "sales_skill", "complaint_handling", "service_language")
WORDS = ("delivery", "quality", "billing", "repair", "training", "purchasing", "complaint",
         "forecast", "inspection", "callback", "installation", "inventory", "pricing", "survey")
ZH_WORDS = ("交付", "质量", "开票", "维修", "培训", "采购", "投诉", "预测", "检验", "回访", "安装",
            "库存", "定价", "调查")
PERIOD = "2026-10"
TRACING = """\
tracing:
  role_weights: {accountable: 3, responsible: 2, consulted: 1}
  management_fraction: 0.2
  upstream_fraction: 0.5
"""


@dataclass
class _Duty:
    id: str
    owner: str
    word: int
    stream: int
    tier: str | None = None
    supports: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    consulted: list[str] = field(default_factory=list)
    informed: list[str] = field(default_factory=list)


@dataclass
class _Rule:
    id: str
    when: dict[str, Any]
    implicates: list[str]
    weight: float


@dataclass
class _Unit:
    id: str
    kind: str
    faces: str
    members: list[str] = field(default_factory=list)
    duties: list[_Duty] = field(default_factory=list)
    rules: list[_Rule] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    stream: int = 0


@dataclass
class Org:
    """What `generate_org` built (counts, for reports) and where it wrote it."""

    path: Path
    units: int
    duties: int
    rules: int
    promises: int
    standards: int
    signals: int
    supports: int
    files: int


def _q(text: str) -> str:
    """Quote ``text`` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _text(en: str, zh: str, indent: str) -> str:
    return f"{indent}text:\n{indent}  en: {_q(en)}\n{indent}  zh: {_q(zh)}\n"


def _ids(ids: Sequence[str]) -> str:
    return "[" + ", ".join(ids) + "]"


class _Builder:
    """Draws one organisation from a seeded `random.Random`."""

    def __init__(self, *, units: int, duties_per_unit: int, rules_per_duty: float,
                 promises: int | None, standards: int | None, max_fanout: int, seed: int) -> None:
        if units < 4:
            raise ValueError("an organisation needs at least 4 units (3 tiers and a department)")
        if duties_per_unit < 1 or max_fanout < 1 or rules_per_duty < 0:
            raise ValueError("duties_per_unit and max_fanout must be ≥ 1, rules_per_duty ≥ 0")
        self.rng = random.Random(seed)
        self.k = duties_per_unit
        self.rules_per_duty = rules_per_duty
        self.max_fanout = max_fanout
        self.n_promises = promises or max(3, units // 100)
        self.n_standards = standards or max(3 * self.n_promises, units // 4)
        width = len(str(units))
        body_ids = []
        for i in range(1, units - len(TIERS) + 1):
            prefix = "team" if i % 40 == 0 else "dept"
            body_ids.append(f"{prefix}{i:0{width}d}")
        self.units: dict[str, _Unit] = {}
        for tier in TIERS:
            self.units[tier] = _Unit(tier, "tier", "both" if tier != "middle_management" else "internal")
        departments = [u for u in body_ids if u.startswith("dept")]
        for uid in body_ids:
            if uid.startswith("team"):
                members = sorted(self.rng.sample(departments, min(2, len(departments))))
                self.units[uid] = _Unit(uid, "team", "both", members=members)
            else:
                faces = self.rng.choice(("external", "internal", "internal", "both"))
                self.units[uid] = _Unit(uid, "department", faces)
        self.body = [*body_ids, "employee"]
        self.rng.shuffle(self.body)
        for index, uid in enumerate(self.body):
            self.units[uid].stream = index % self.n_promises

    # --- drawing ---------------------------------------------------------------------------

    def build(self) -> None:
        self._signals()
        self._duties()
        self._supports()
        self._raci()
        self._rules()
        self._standards()

    def _signals(self) -> None:
        n_metrics = max(1, math.ceil(self.k / 2))
        n_events = max(1, self.k // 3)
        self.lower_is_better: set[str] = set()
        for unit in self.units.values():
            unit.metrics = [f"{unit.id}.metric_{j}" for j in range(1, n_metrics + 1)]
            unit.events = [f"{unit.id}.event_{j}" for j in range(1, n_events + 1)]
            self.lower_is_better.update(m for m in unit.metrics if self.rng.random() < 0.2)

    def _duties(self) -> None:
        width = len(str(self.k))
        for unit in self.units.values():
            for j in range(1, self.k + 1):
                duty = _Duty(f"{unit.id}.duty_{j:0{width}d}", unit.id,
                             self.rng.randrange(len(WORDS)), unit.stream)
                if unit.id in MANAGEMENT:
                    duty.tier = unit.id
                elif self.rng.random() < 0.3:
                    duty.tier = self.rng.choice(("employee", "employee", "middle_management"))
                unit.duties.append(duty)

    def _supports(self) -> None:
        rng = self.rng
        order = [d for uid in self.body for d in self.units[uid].duties]
        position = {d.id: i for i, d in enumerate(order)}
        by_stream: dict[int, list[_Duty]] = defaultdict(list)
        for duty in order:
            by_stream[duty.stream].append(duty)
        stream_index = {d.id: i for s in by_stream.values() for i, d in enumerate(s)}
        window = 3 * self.k
        for duty in order:
            mine = by_stream[duty.stream]
            later = mine[stream_index[duty.id] + 1:]
            fanout = 1 + sum(rng.random() < 0.35 for _ in range(self.max_fanout - 1))
            targets: list[str] = []
            for _ in range(fanout):
                if rng.random() < 0.05 and position[duty.id] + 1 < len(order):
                    targets.append(rng.choice(order[position[duty.id] + 1:]).id)
                elif later:
                    targets.append(rng.choice(later[:window]).id)
            if not later or rng.random() < 0.05:
                targets.append(self.promise_id(duty.stream))
            duty.supports = sorted(set(targets))
        top = self.units["top_management"].duties
        middle = self.units["middle_management"].duties
        reach = min(len(order), max(3, 2 * self.k))
        for duty in top:
            picks = rng.sample(middle, min(len(middle), 2)) + rng.sample(order, reach)
            duty.supports = sorted({d.id for d in picks})
        for duty in middle:
            duty.supports = sorted({d.id for d in rng.sample(order, reach)})

    def _raci(self) -> None:
        rng = self.rng
        all_units = list(self.units)
        for unit in self.units.values():
            for duty in unit.duties:
                duty.responsible = [unit.id]
                if rng.random() < 0.3:
                    duty.responsible.append(rng.choice(all_units))
                duty.consulted = [u for u in rng.sample(all_units, rng.randrange(3))
                                  if u not in duty.responsible and u != unit.id]
                duty.informed = [u for u in rng.sample(all_units, rng.randrange(2))
                                 if u not in duty.responsible and u not in duty.consulted
                                 and u != unit.id]
                duty.responsible = sorted(set(duty.responsible))

    def _rules(self) -> None:
        rng = self.rng
        for unit in self.units.values():
            count = 0
            for duty in unit.duties:
                whole = int(self.rules_per_duty)
                n = whole + (rng.random() < self.rules_per_duty - whole)
                for _ in range(n):
                    count += 1
                    implicates = [duty.id]
                    if rng.random() < 0.2 and len(unit.duties) > 1:
                        other = rng.choice(unit.duties).id
                        if other != duty.id:
                            implicates.append(other)
                    unit.rules.append(_Rule(f"{unit.id}.rule_{count}", self._condition(unit),
                                            sorted(implicates), rng.choice((0.5, 1.0, 1.0, 1.5, 2.0))))

    def _condition(self, unit: _Unit) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.6:
            metric = rng.choice(unit.metrics)
            if metric in self.lower_is_better:
                return {"metric": metric, "comparator": ">", "value": round(rng.uniform(0.12, 0.3), 2)}
            return {"metric": metric, "comparator": "<", "value": round(rng.uniform(0.6, 0.85), 2)}
        when: dict[str, Any] = {"event": rng.choice(unit.events)}
        if rng.random() < 0.5:
            when["count"] = rng.choice((2, 3))
        if rng.random() < 0.5:
            when["where"] = {"critical": True}
        return when

    def _standards(self) -> None:
        rng = self.rng
        by_stream: dict[int, list[_Unit]] = defaultdict(list)
        for uid in self.body:
            by_stream[self.units[uid].stream].append(self.units[uid])
        self.standards: list[dict[str, Any]] = []
        width = len(str(self.n_standards))
        for i in range(self.n_standards):
            stream = i % self.n_promises
            unit = rng.choice(by_stream[stream])
            metric = rng.choice(unit.metrics)
            served = sorted({d.id for d in rng.sample(unit.duties, min(len(unit.duties),
                                                                      rng.choice((1, 1, 2))))})
            if metric in self.lower_is_better:
                comparator, target = "<=", round(rng.uniform(0.02, 0.08), 2)
            else:
                comparator, target = ">=", round(rng.uniform(0.9, 0.98), 2)
            self.standards.append({
                "id": f"standard_{i + 1:0{width}d}", "promise": self.promise_id(stream),
                "metric": metric, "comparator": comparator, "target": target,
                "served_by": served, "domain": rng.choice(DOMAINS),
                "status": "aspiration" if rng.random() < 0.1 else "standard",
            })

    def promise_id(self, stream: int) -> str:
        return f"promise_{stream + 1:0{len(str(self.n_promises))}d}"

    # --- writing ---------------------------------------------------------------------------

    def files(self) -> Iterator[tuple[str, str]]:
        for unit in self.units.values():
            yield f"{unit.id}.yaml", self._unit_file(unit)
        yield "promises.yaml", self._promises_file()
        yield "signals.yaml", self._signals_file()
        yield "sources.yaml", ("sources:\n"
                               '  - id: S0\n    title: "Synthetic organisation"\n'
                               "    file: synthetic.txt\n")
        yield "tracing.yaml", TRACING

    def _unit_file(self, unit: _Unit) -> str:
        number = unit.id.removeprefix("dept").removeprefix("team")
        en_name = {"tier": unit.id.replace("_", " ").capitalize(), "team": f"Team {number}",
                   "department": f"Department {number}"}[unit.kind]
        zh_name = {"tier": "管理层" if unit.id in MANAGEMENT else "员工", "team": f"小组{number}",
                   "department": f"部门{number}"}[unit.kind]
        out = [f"# Synthetic unit {unit.id} (benchmarks/orggen.py).\n", "unit:\n",
               f"  id: {unit.id}\n  kind: {unit.kind}\n",
               f"  name: {{en: {_q(en_name)}, zh: {_q(zh_name)}}}\n  faces: {unit.faces}\n"]
        if unit.members:
            out.append(f"  members: {_ids(unit.members)}\n")
        out.append("\nduties:\n")
        for j, duty in enumerate(unit.duties, start=1):
            word, zh = WORDS[duty.word], ZH_WORDS[duty.word]
            out.append(f"  - id: {duty.id}\n")
            if duty.tier:
                out.append(f"    tier: {duty.tier}\n")
            out.append(_text(
                f"{en_name}, duty {j}: keep the {word} work on time and to standard, and tell "
                "the next process what it needs before it has to ask.",
                f"{zh_name}职责{j}:按时按标准完成{zh}工作,并主动告知下一道工序所需。", "    "))
            out.append(f"    raci:\n      accountable: {unit.id}\n"
                       f"      responsible: {_ids(duty.responsible)}\n")
            if duty.consulted:
                out.append(f"      consulted: {_ids(duty.consulted)}\n")
            if duty.informed:
                out.append(f"      informed: {_ids(duty.informed)}\n")
            out.append(f"    supports: {_ids(duty.supports)}\n")
            out.append(f"    source: {{id: S0, section: {_q(f'{unit.id} §{j}')}}}\n")
        if unit.rules:
            out.append("\nrules:\n")
        for rule in unit.rules:
            when = ", ".join(f"{k}: {_when_value(v)}" for k, v in rule.when.items())
            out.append(f"  - id: {rule.id}\n    when: {{{when}}}\n"
                       f"    implicates: {_ids(rule.implicates)}\n    weight: {rule.weight}\n"
                       f"    reason: {{en: {_q(f'The signal points at {rule.implicates[0]}.')}, "
                       f"zh: {_q(f'该信号指向{rule.implicates[0]}')}}}\n"
                       f"    threshold: company\n"
                       f"    source: {{id: S0, section: {_q(f'{unit.id} rules')}}}\n")
        return "".join(out)

    def _promises_file(self) -> str:
        out = ["promises:\n"]
        for stream in range(self.n_promises):
            pid = self.promise_id(stream)
            out.append(f"  - id: {pid}\n")
            out.append(_text(f"Promise {stream + 1}: what we sell works and arrives as said.",
                             f"承诺{stream + 1}:所售产品确能发挥应有的功能并如约送达", "    "))
            out.append(f"    source: {{id: S0, section: {_q(pid)}}}\n")
        out.append("\nstandards:\n")
        for s in self.standards:
            out.append(f"  - id: {s['id']}\n")
            out.append(_text(f"{s['metric']} {s['comparator']} {s['target']} every month.",
                             f"{s['metric']}每月{s['comparator']}{s['target']}", "    "))
            out.append(
                f"    promise: {s['promise']}\n    metric: {s['metric']}\n"
                f"    comparator: {_q(s['comparator'])}\n    target: {s['target']}\n"
                f"    window: month\n    domain: {s['domain']}\n    status: {s['status']}\n"
                f"    served_by: {_ids(s['served_by'])}\n"
                f"    source: {{id: S0, section: {_q(s['id'])}}}\n")
        return "".join(out)

    def _signals_file(self) -> str:
        out = ["signals:\n"]
        for unit in self.units.values():
            for metric in unit.metrics:
                better = "lower" if metric in self.lower_is_better else "higher"
                out.append(f"  - name: {metric}\n    kind: metric\n"
                           f"    meaning: {{en: {_q(f'A rate of {unit.id}; {better} is better.')}, "
                           f"zh: {_q(f'{unit.id}的比率')}}}\n    range: [0, 1]\n")
            out.extend(f"  - name: {event}\n    kind: event\n"
                       f"    meaning: {{en: {_q(f'Something went wrong at {unit.id}.')}, "
                       f"zh: {_q(f'{unit.id}出现问题')}}}\n" for event in unit.events)
        return "".join(out)


def _when_value(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_when_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value in (">", "<", ">=", "<=", "=="):
        return _q(value)
    return str(value)


def generate_org(out: str | Path, *, units: int = BUNDLED_SIZE[0],
              duties_per_unit: int = BUNDLED_SIZE[1], rules_per_duty: float = 1.0,
              promises: int | None = None, standards: int | None = None, max_fanout: int = 3,
              seed: int = 0) -> Org:
    """Write a synthetic rules folder into ``out`` (created; existing *.yaml are replaced)."""
    builder = _Builder(units=units, duties_per_unit=duties_per_unit, rules_per_duty=rules_per_duty,
                       promises=promises, standards=standards, max_fanout=max_fanout, seed=seed)
    builder.build()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    files = 0
    for name, text in builder.files():
        (folder / name).write_text(text, encoding="utf-8")
        files += 1
    duties = [d for u in builder.units.values() for d in u.duties]
    return Org(
        path=folder, units=len(builder.units), duties=len(duties),
        rules=sum(len(u.rules) for u in builder.units.values()), promises=builder.n_promises,
        standards=len(builder.standards),
        signals=sum(len(u.metrics) + len(u.events) for u in builder.units.values()),
        supports=sum(len(d.supports) for d in duties), files=files,
    )



# --- facts ---------------------------------------------------------------------------------

_HOLDS = {">=": lambda a, t: a >= t, "<=": lambda a, t: a <= t, ">": lambda a, t: a > t,
          "<": lambda a, t: a < t, "==": lambda a, t: a == t}


def _metric_value(rng: random.Random, low: float, high: float,
                  conditions: list[tuple[str, float, bool]], broken: bool) -> float:
    """Pick a value in [low, high]: broken → as many conditions as possible go wrong, else none.

    ``conditions`` holds ``(comparator, threshold, holds_when_healthy)``: a standard holds
    when healthy, a rule's condition holds when it fires (so not when healthy).
    """
    points = {low, high, (low + high) / 2}
    for _, threshold, _ in conditions:
        points.update({threshold - 0.01, threshold + 0.01})
    candidates = sorted(p for p in points if low <= p <= high)

    def score(value: float) -> int:
        return sum(_HOLDS[op](value, t) == (good != broken) for op, t, good in conditions)

    best = max(score(c) for c in candidates)
    value = rng.choice([c for c in candidates if score(c) == best])
    return round(value, 4)


def _metric_conditions(model: Model) -> dict[str, list[tuple[str, float, bool]]]:
    """Metric → ``(comparator, threshold, holds_when_healthy)`` of its standards and rules."""
    out: dict[str, list[tuple[str, float, bool]]] = defaultdict(list)
    for standard in model.standards.values():
        out[standard.metric].append((str(standard.comparator), standard.target, True))
    for rule in model.rules.values():
        when = rule.when
        if hasattr(when, "metric"):
            out[when.metric].append((str(when.comparator), when.value, False))
    return out


def _event_count(conditions: list[Any], broken: bool, per_signal: int
                 ) -> tuple[int, dict[str, Any]]:
    """How many events of one signal to give, and their attributes."""
    if broken:
        needed = max([c.count for c in conditions] or [1])
        return max(needed, per_signal), dict(pair for c in conditions for pair in c.where)
    if conditions and all(c.where for c in conditions):  # events that match no rule exist
        return per_signal, {k: (not v if isinstance(v, bool) else f"not-{v}")
                            for c in conditions for k, v in c.where}
    return (0 if conditions else per_signal), {}


def generate_facts(model: Model, *, seed: int = 0, period: str = PERIOD, broken: float = 0.1,
                   events_per_signal: int = 1, unique_events: bool = False) -> list[dict[str, Any]]:
    """Facts for ``model``: one metric per metric signal, events per event signal.

    A ``broken`` share of the signals read values that breach their standards and fire
    their rules; the rest are healthy. ``unique_events`` gives each event a distinct
    ``ref`` so that the engine posts one message per event (no grouping).
    """
    rng = random.Random(seed)
    by_metric = _metric_conditions(model)
    by_event: dict[str, list[Any]] = defaultdict(list)
    for rule in model.rules.values():
        if not hasattr(rule.when, "metric"):
            by_event[rule.when.event].append(rule.when)
    year, month = (int(x) for x in period.split("-")[:2])
    facts: list[dict[str, Any]] = []
    serial = 0
    for signal in model.signals.values():
        owner = signal.name.split(".", 1)[0]
        unit = owner if owner in model.units else None
        is_broken = rng.random() < broken
        if str(signal.kind) == "metric":
            low, high = signal.range or (0.0, 1.0)
            value = _metric_value(rng, low, high, by_metric.get(signal.name, []), is_broken)
            fact: dict[str, Any] = {"metric": signal.name, "value": value, "period": period,
                                    "n": rng.randrange(20, 5000)}
            if unit:
                fact["unit"] = unit
            facts.append(fact)
            continue
        count, attributes = _event_count(by_event.get(signal.name, []), is_broken,
                                         events_per_signal)
        for _ in range(count):
            serial += 1
            day, hour = rng.randrange(1, 29), rng.randrange(24)
            event: dict[str, Any] = {"event": signal.name,
                                     "at": f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:00:00Z",
                                     **attributes}
            if unit:
                event["unit"] = unit
            if unique_events:
                event["ref"] = f"e{serial:07d}"
            facts.append(event)
    return facts


def stream_lines(model: Model, count: int, *, seed: int = 0, per_month: int = 10_000,
                 start: str = "2026-01") -> Iterator[str]:
    """Give ``count`` JSONL fact lines for a long-running stream in which months roll over.

    Each month starts with one metric per metric signal (healthy, one in twenty broken)
    and then carries events (one in ten ``critical``) until ``per_month`` lines have been
    given.
    """
    rng = random.Random(seed)
    conditions = _metric_conditions(model)
    values = {}
    for signal in model.signals.values():
        if str(signal.kind) == "metric":
            low, high = signal.range or (0.0, 1.0)
            values[signal.name] = tuple(_metric_value(rng, low, high, conditions[signal.name], broken)
                                        for broken in (False, True))
    events = [s.name for s in model.signals.values() if str(s.kind) == "event"]
    year, month = (int(x) for x in start.split("-"))
    given = 0
    while given < count:
        label = f"{year:04d}-{month:02d}"
        in_month = 0
        for name, (healthy, broken) in values.items():
            if given >= count or in_month >= per_month:
                break
            value = broken if rng.random() < 0.05 else healthy
            yield json.dumps({"metric": name, "value": value, "period": label})
            given += 1
            in_month += 1
        while given < count and in_month < per_month and events:
            day, hour, minute = rng.randrange(1, 29), rng.randrange(24), rng.randrange(60)
            yield json.dumps({"event": rng.choice(events), "critical": rng.random() < 0.1,
                              "at": f"{label}-{day:02d}T{hour:02d}:{minute:02d}:00Z"})
            given += 1
            in_month += 1
        month += 1
        if month == 13:
            year, month = year + 1, 1


# --- command line --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Write a rules folder (and optionally a JSONL fact file for it)."""
    parser = argparse.ArgumentParser(prog="orggen.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="output folder for the rules (*.yaml are replaced)")
    parser.add_argument("--units", type=int, default=BUNDLED_SIZE[0])
    parser.add_argument("--duties-per-unit", type=int, default=BUNDLED_SIZE[1])
    parser.add_argument("--rules-per-duty", type=float, default=1.0)
    parser.add_argument("--promises", type=int, default=None, help="default: max(3, units // 100)")
    parser.add_argument("--standards", type=int, default=None,
                        help="default: max(3 × promises, units // 4)")
    parser.add_argument("--max-fanout", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--facts", metavar="FILE", help="also write JSONL facts for the model")
    parser.add_argument("--broken", type=float, default=0.1, help="share of broken signals")
    args = parser.parse_args(argv)
    try:
        org = generate_org(args.out, units=args.units, duties_per_unit=args.duties_per_unit,
                        rules_per_duty=args.rules_per_duty, promises=args.promises,
                        standards=args.standards, max_fanout=args.max_fanout, seed=args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {org.path}: {org.units} units, {org.duties} duties, {org.rules} rules, "
          f"{org.promises} promises, {org.standards} standards, {org.signals} signals, "
          f"{org.supports} supports edges, {org.files} files")
    if args.facts:
        from servresp import load_model  # noqa: PLC0415 - only when facts are asked for

        facts = generate_facts(load_model(org.path), seed=args.seed, broken=args.broken)
        Path(args.facts).write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in facts),
                                    encoding="utf-8")
        print(f"wrote {args.facts}: {len(facts)} facts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
