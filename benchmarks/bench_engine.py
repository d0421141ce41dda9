"""B2 (evaluation throughput against raw durable_rules) and B5 (engines created and discarded)."""

from __future__ import annotations

import gc
import json
import operator
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orggen
from bench_common import (
    EXAMPLE_FACTS,
    HERE,
    Row,
    Sizes,
    ensure_org,
    jsonl,
    ratio_row,
    rss_mb,
    thread_count,
    timed,
)

if TYPE_CHECKING:
    from servresp.evaluate.facts import FactSet
    from servresp.model.classes import Model

__all__ = ["b2_evaluate", "b5_engines", "stock_hosts_main"]

MAX_CONDITIONS_PER_RULESET = 150
"""As `servresp.engine` chunks its rules (durable_rules degrades past ~200 per ruleset)."""


# --- B2: evaluation throughput against raw durable_rules ---------------------------------------


_TESTS = {"$lt": operator.lt, "$lte": operator.le, "$gt": operator.gt, "$gte": operator.ge,
          "$neq": operator.ne}
_BREACH_WHEN = {">=": "$lt", ">": "$lte", "<=": "$gt", "<": "$gte", "==": "$neq"}
_FIRE_WHEN = {">=": "$gte", ">": "$gt", "<=": "$lte", "<": "$lt"}


@dataclass(frozen=True)
class _Condition:
    key: str
    signal: str
    pattern: dict[str, Any]


def _conditions(model: Model) -> list[_Condition]:
    """Compile the standards (breached when) and rules (fire when) as the engine does."""
    out = []
    for s in model.standards.values():
        test = {_BREACH_WHEN[str(s.comparator)]: {"value": s.target}}
        out.append(_Condition(f"standard:{s.id}", s.metric, {"$and": [{"signal": s.metric}, test]}))
    for rule in model.rules.values():
        when = rule.when
        tests: list[dict[str, Any]] = [{"signal": when.signal}]
        if hasattr(when, "where"):
            tests.extend({f"a:{k}": v} for k, v in when.where)
        elif str(when.comparator) == "==":
            tests.append({"value": when.value})
        else:
            tests.append({_FIRE_WHEN[str(when.comparator)]: {"value": when.value}})
        out.append(_Condition(f"rule:{rule.id}", when.signal, {"$and": tests}))
    return sorted(out, key=lambda c: (c.signal, c.key))


def _messages(facts: FactSet) -> list[tuple[str, dict[str, Any]]]:
    """Build the messages the engine posts: one per reading, one per event group."""
    out: list[tuple[str, dict[str, Any]]] = []
    groups: dict[tuple[str, Any], None] = {}
    for fact in facts.facts:
        if str(fact.kind) == "metric":
            out.append((fact.name, {"signal": fact.name, "value": fact.value}))
        else:
            groups[fact.name, fact.attributes] = None
    out.extend((name, {"signal": name, **{f"a:{k}": v for k, v in attributes}})
               for name, attributes in groups)
    return out


def _engine_inputs(engine: Any, model: Model, facts: FactSet  # noqa: ANN401 - an Engine
                   ) -> tuple[list[tuple[str, dict[str, Any]]], list[_Condition], str]:
    """Return the messages and conditions the engine itself builds, or our copy of them.

    The engine's helpers are private and may change: when they do not fit, fall back to
    `_messages` / `_conditions`, which follow the same documented rules.
    """
    from servresp.evaluate import engine as engine_module  # noqa: PLC0415

    try:
        metrics = [f for f in facts.facts if str(f.kind) == "metric"]
        events = [f for f in facts.facts if str(f.kind) == "event"]
        messages, _ = engine._messages(metrics, events)  # noqa: SLF001
        compiled = engine_module._compile(model)  # noqa: SLF001
        conditions = [_Condition(c.key, c.signal, c.pattern) for c in compiled]
        base = [(signal, {k: v for k, v in m.items() if k != "id"}) for signal, m in messages]
    except (AttributeError, TypeError, ValueError):
        return _messages(facts), _conditions(model), "a copy of the engine's compiler"
    return base, conditions, "the engine's own messages and compiled conditions"


class _RawRules:
    """The same rules on a bare durable_rules host: thread-less, no servresp code in the loop."""

    def __init__(self, conditions: list[_Condition], *, catch_all: bool) -> None:
        from durable import engine as durable  # noqa: PLC0415 - never durable.lang (global state)

        class Host(durable.Host):  # type: ignore[misc] - durable has no types
            def _run(self) -> None:  # no timer threads (#291)
                return

        self.durable = durable
        self.host = Host()
        self.fired: list[tuple[str, str]] = []
        self.routes: dict[str, list[str]] = defaultdict(list)
        definitions: dict[str, dict[str, Any]] = {}
        prefix = f"raw.{id(self):x}"
        for index in range(0, len(conditions), MAX_CONDITIONS_PER_RULESET):
            chunk = conditions[index:index + MAX_CONDITIONS_PER_RULESET]
            name = f"{prefix}.{index // MAX_CONDITIONS_PER_RULESET}"
            rules = {f"r{i}": {"all": [{"m": c.pattern}], "run": self._action(c.key)}
                     for i, c in enumerate(chunk)}
            if catch_all:  # every message handled, so post_batch runs its actions (DURABLE_RULES §5)
                rules["rest"] = {"all": [{"m": {"$ex": {"signal": 1}}}], "pri": 9,
                                 "run": self._action("")}
            definitions[name] = rules
            for signal in sorted({c.signal for c in chunk}):
                self.routes[signal].append(name)
        self.host.register_rulesets(definitions)

    def _action(self, key: str) -> Callable[[Any], None]:
        fired = self.fired

        def record(c: Any) -> None:  # noqa: ANN401 - durable's closure
            fired.append((key, c.m._d["id"]))  # noqa: SLF001 - as the engine reads it

        return record

    def post_each(self, messages: list[tuple[str, dict[str, Any]]]) -> None:
        """Post one message at a time; unmatched messages are caught, as the engine does."""
        host, unhandled = self.host, self.durable.MessageNotHandledException
        for signal, message in messages:
            for name in self.routes.get(signal, ()):
                try:
                    host.post(name, message)
                except unhandled:
                    continue

    def post_batches(self, batches: dict[str, list[dict[str, Any]]]) -> None:
        """One ``post_batch`` per ruleset."""
        for name, batch in batches.items():
            self.host.post_batch(name, batch)

    def close(self) -> None:
        """Free the rulesets in the C engine."""
        import durable_rules_engine  # noqa: PLC0415

        for ruleset in self.host._ruleset_list:  # noqa: SLF001 - no public API
            durable_rules_engine.delete_ruleset(ruleset._handle)  # noqa: SLF001
        self.host._ruleset_list.clear()  # noqa: SLF001
        self.host._ruleset_directory.clear()  # noqa: SLF001


def _check(tests: list[dict[str, Any]]) -> Callable[[dict[str, Any]], bool]:
    """Turn the tests after ``signal`` in a condition into one Python predicate."""
    compare: list[tuple[Callable[[Any, Any], bool], str, Any]] = []
    equal: list[tuple[str, Any]] = []
    for test in tests:
        ((key, value),) = test.items()
        if key in _TESTS:
            ((name, threshold),) = value.items()
            compare.append((_TESTS[key], name, threshold))
        else:
            equal.append((key, value))

    def check(message: dict[str, Any]) -> bool:
        return all(name in message and op(message[name], threshold)
                   for op, name, threshold in compare) and all(
            message.get(key) == value for key, value in equal)

    return check


def _dispatcher(conditions: list[_Condition]) -> Callable[[list[tuple[str, dict[str, Any]]]],
                                                            list[tuple[str, str]]]:
    """Dispatch the same conditions in plain Python, through a dict by signal: the floor."""
    index: dict[str, list[tuple[str, Callable[[dict[str, Any]], bool]]]] = defaultdict(list)
    for c in conditions:
        index[c.signal].append((c.key, _check(c.pattern["$and"][1:])))

    def dispatch(messages: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
        return [(key, message["id"]) for signal, message in messages
                for key, check in index.get(signal, ()) if check(message)]

    return dispatch


def b2_evaluate(sizes: Sizes, work: Path) -> list[Row]:
    """Engine.evaluate facts/s vs raw durable_rules post / post_batch and a dict dispatch floor."""
    from servresp import load_model  # noqa: PLC0415
    from servresp.evaluate.engine import Engine  # noqa: PLC0415
    from servresp.evaluate.facts import parse_facts  # noqa: PLC0415

    path = ensure_org(work, sizes.b2_org)
    model = load_model(path)
    facts = orggen.generate_facts(model, seed=2, broken=0.1,
                                  events_per_signal=sizes.b2_events_per_signal, unique_events=True)
    factset = parse_facts(jsonl(facts), model, source="bench")
    n = len(factset.facts)
    start = time.perf_counter()
    engine = Engine(model)
    compile_s = time.perf_counter() - start
    base, conditions, source = _engine_inputs(engine, model, factset)
    raw, batched = _RawRules(conditions, catch_all=False), _RawRules(conditions, catch_all=True)
    dispatch = _dispatcher(conditions)
    rulesets = len(raw.host._ruleset_list)  # noqa: SLF001 - durable keeps no public registry
    rates: dict[str, list[float]] = defaultdict(list)
    ratios: dict[str, list[float]] = defaultdict(list)
    warm = [(s, {**m, "id": f"w{i}"}) for i, (s, m) in enumerate(base)]  # first posts are slower
    engine.evaluate(factset)
    raw.post_each(warm)
    dispatch(warm)
    serial = 0
    for _ in range(sizes.repeats):
        fresh = []  # durable_rules refuses an id it has seen: every pass gets new ones
        for _ in range(sizes.b2_inner):
            fresh.append([(s, {**m, "id": f"m{serial + i}"}) for i, (s, m) in enumerate(base)])
            serial += len(base)
        batches = []
        for messages in fresh:
            grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for signal, message in messages:
                for name in batched.routes.get(signal, ()):
                    grouped[name].append(message)
            batches.append(grouped)
        timings = {
            "engine": timed(lambda: [engine.evaluate(factset) for _ in range(sizes.b2_inner)]),
            "post": timed(lambda fresh=fresh: [raw.post_each(m) for m in fresh]),
            "batch": timed(lambda batches=batches: [batched.post_batches(b) for b in batches]),
            "dict": timed(lambda fresh=fresh: [dispatch(m) for m in fresh]),
        }
        for key, seconds in timings.items():
            rates[key].append(n * sizes.b2_inner / seconds)
        for key in ("post", "batch", "dict"):
            ratios[key].append(rates["engine"][-1] / rates[key][-1])
    engine.close()
    raw.close()
    batched.close()
    org = (f"org of {sizes.b2_org[0]} units × {sizes.b2_org[1]} duties: {len(conditions)} "
           f"conditions in {rulesets} rulesets; "
           f"{n} facts → {len(base)} messages per evaluation")
    return [
        Row("B2", "Engine.evaluate", "facts/s", rates["engine"], note=org),
        Row("B2", "raw durable_rules: post, one message at a time", "facts/s", rates["post"]),
        Row("B2", "raw durable_rules: post_batch per ruleset (+ catch-all rule)", "facts/s",
            rates["batch"]),
        Row("B2", "plain-Python dict dispatch (floor)", "facts/s", rates["dict"]),
        ratio_row("B2", "Engine / raw post", ratios["post"], "≥ 0.9", lambda r: r >= 0.9,
                   note=f"raw baselines use {source}"),
        ratio_row("B2", "Engine / raw post_batch", ratios["batch"], ""),
        ratio_row("B2", "Engine / dict dispatch", ratios["dict"], ""),
        Row("B2", "Engine(model) compile, once", "s", [compile_s]),
    ]



# --- B5: engines created and discarded ------------------------------------------------------------


def stock_hosts_main(count: int) -> dict[str, float]:
    """In a fresh process: the stock durable Host, never unregistered: what `Engine` avoids."""
    from durable import engine as durable  # noqa: PLC0415

    from servresp import load_default  # noqa: PLC0415

    conditions = _conditions(load_default())
    gc.collect()
    rss0, threads0 = rss_mb(), thread_count()
    hosts = []
    for i in range(count):
        rules = {f"r{j}": {"all": [{"m": c.pattern}], "run": lambda _c: None}
                 for j, c in enumerate(conditions)}
        host = durable.Host()
        host.register_rulesets({f"stock.{i}": rules})
        hosts.append(host)
    hosts.clear()
    gc.collect()
    time.sleep(0.3)
    return {"rss_mb": rss_mb() - rss0, "threads": thread_count() - threads0}


def b5_engines(sizes: Sizes, _work: Path) -> list[Row]:
    """RSS growth over ``evaluate()`` calls (a fresh Engine each) after warm-up; threads left."""
    from servresp import load_default  # noqa: PLC0415
    from servresp.evaluate.engine import Engine, evaluate  # noqa: PLC0415
    from servresp.evaluate.facts import parse_facts  # noqa: PLC0415

    model = load_default()
    facts = parse_facts(EXAMPLE_FACTS.read_text(encoding="utf-8"), model, source="october.jsonl")
    for _ in range(50):  # warm: imports, caches, the allocator's first arenas, the ruleset pool
        evaluate(model, facts)
    gc.collect()
    rss0, threads0 = rss_mb(), thread_count()
    for _ in range(sizes.b5_calls):
        evaluate(model, facts)
    gc.collect()
    growth = rss_mb() - rss0
    before = rss_mb()
    for _ in range(sizes.b5_calls):
        Engine(model).evaluate(facts)  # dropped without close(): the collector gives it back
    gc.collect()
    dropped = rss_mb() - before
    leaked = thread_count() - threads0
    rows = [
        Row("B5", f"RSS growth over {sizes.b5_calls:,} evaluate() calls after warm-up", "MB",
            [growth], "≤ 5", growth <= 5, note=f"RSS {rss_mb():.0f} MB at the end"),
        Row("B5", f"RSS growth over {sizes.b5_calls:,} Engines dropped without close()", "MB",
            [dropped]),
        Row("B5", "threads left over", "threads", [float(leaked)], "0", leaked <= 0),
    ]
    if sizes.name != "smoke":  # the stock host's threads never stop: only in a throw-away process
        result = subprocess.run([sys.executable, str(HERE / "bench_engine.py"), "100"],
                                capture_output=True, text=True, check=False, timeout=300)
        if result.returncode == 0:
            stock = json.loads(result.stdout.strip().splitlines()[-1])
            rows.append(Row("B5", "reference: 100 stock durable Hosts, never unregistered", "MB",
                            [stock["rss_mb"]], note=f"{stock['threads']:.0f} threads left running"))
    return rows


if __name__ == "__main__":  # the throw-away process of the stock-host reference
    print(json.dumps(stock_hosts_main(int(sys.argv[1]))))
