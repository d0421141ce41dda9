"""B3 (trace throughput against bare networkx) and B4 (load + validate against libyaml)."""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orggen
from bench_common import (
    HERE,
    Row,
    Sizes,
    ensure_org,
    jsonl,
    peak_rss_mb,
    ratio_row,
    timed,
)

if TYPE_CHECKING:
    from servresp.model.classes import Model

__all__ = ["b3_trace", "b4_load", "memory_main"]


# --- B3: trace throughput against the networkx work it cannot avoid -----------------------------


def _evidence_duties(model: Model, evaluation: Any) -> dict[str, tuple[set[str], set[str]]]:  # noqa: ANN401
    """Promise → (duties of its breached standards, duties of every fired rule)."""
    out: dict[str, tuple[set[str], set[str]]] = {p: (set(), set()) for p in model.promises}
    for breach in evaluation.breaches:
        standard = model.standards[breach.standard]
        out[standard.promise][0].update(standard.served_by)
    fired = {d for f in evaluation.firings for d in model.rules[f.rule].implicates}
    for promise in out:
        out[promise][1].update(fired)
    return out


def _nx_work(dep: Any, sup: Any, promise: str, served: set[str], fired: set[str]) -> int:  # noqa: ANN401
    """Do what a trace cannot avoid, on plain graphs; return the implicated duties' count.

    That is: who reaches the promise, and per implicated duty the duties above it and one
    path to the promise.
    """
    import networkx as nx  # noqa: PLC0415

    reaching = nx.ancestors(dep, promise)
    implicated = served | (fired & reaching)
    for duty in sorted(implicated):
        if duty in sup:
            nx.ancestors(sup, duty)
        nx.shortest_path(dep, duty, promise)
    return len(implicated)


def _bfs(adjacency: dict[str, list[str]], start: str) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in adjacency.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    seen.discard(start)
    return seen


def _bfs_path(adjacency: dict[str, list[str]], start: str, goal: str) -> list[str]:
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = []
            cursor: str | None = node
            while cursor is not None:
                path.append(cursor)
                cursor = parent[cursor]
            return path[::-1]
        for nxt in adjacency.get(node, ()):
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return []


def _dict_work(succ: dict[str, list[str]], pred: dict[str, list[str]], sup_pred: dict[str, list[str]],
               promise: str, served: set[str], fired: set[str]) -> int:
    reaching = _bfs(pred, promise)
    implicated = served | (fired & reaching)
    for duty in sorted(implicated):
        _bfs(sup_pred, duty)
        _bfs_path(succ, duty, promise)
    return len(implicated)


def b3_trace(sizes: Sizes, work: Path) -> list[Row]:
    """Traces/s on a large organisation vs bare networkx work and a dict BFS floor."""
    import networkx as nx  # noqa: PLC0415

    from servresp import load_model  # noqa: PLC0415
    from servresp.evaluate.engine import Engine  # noqa: PLC0415
    from servresp.evaluate.facts import parse_facts  # noqa: PLC0415
    from servresp.model.graph import DEPENDENCY_EDGES  # noqa: PLC0415
    from servresp.trace.tracer import trace  # noqa: PLC0415

    model = load_model(ensure_org(work, sizes.b3_org))
    facts = orggen.generate_facts(model, seed=3, broken=sizes.b3_broken)
    with Engine(model) as engine:
        evaluation = engine.evaluate(parse_facts(jsonl(facts), model, source="bench"))
    promises = sorted(model.promises)
    dep: nx.DiGraph[str] = nx.DiGraph()
    sup: nx.DiGraph[str] = nx.DiGraph()
    succ: dict[str, list[str]] = defaultdict(list)
    pred: dict[str, list[str]] = defaultdict(list)
    sup_pred: dict[str, list[str]] = defaultdict(list)
    for u, v, kind in model.graph.edges(data="kind"):
        if kind in DEPENDENCY_EDGES:
            dep.add_edge(u, v)
            succ[u].append(v)
            pred[v].append(u)
        if kind == "supports":
            sup.add_edge(u, v)
            sup_pred[v].append(u)
    evidence = _evidence_duties(model, evaluation)
    implicated = [_nx_work(dep, sup, p, *evidence[p]) for p in promises]
    # the first pass fills the model's trace index (servresp.trace._index); reported on its own
    cold = len(promises) / timed(lambda: [trace(model, evaluation, p) for p in promises])
    rates: dict[str, list[float]] = defaultdict(list)
    ratios: dict[str, list[float]] = defaultdict(list)
    owners = 0
    deadline = time.monotonic() + sizes.b3_budget_s
    for repeat in range(sizes.repeats):
        if repeat and time.monotonic() > deadline:
            break
        traces: list[Any] = []
        timings = {
            "trace": timed(lambda traces=traces: traces.extend(trace(model, evaluation, p)
                                                               for p in promises)),
            "nx": timed(lambda: [_nx_work(dep, sup, p, *evidence[p]) for p in promises]),
            "dict": timed(lambda: [_dict_work(succ, pred, sup_pred, p, *evidence[p])
                                    for p in promises]),
        }
        owners = sum(len(t.owners) + len(t.candidates) for t in traces)
        for key, seconds in timings.items():
            rates[key].append(len(promises) / seconds)
        ratios["nx"].append(rates["trace"][-1] / rates["nx"][-1])
        ratios["dict"].append(rates["trace"][-1] / rates["dict"][-1])
    org = (f"org of {len(model.units)} units, {len(model.duties)} duties; {len(promises)} promises, "
           f"{len(evaluation.breaches)} breaches, {len(evaluation.firings)} fired rules, "
           f"{statistics.mean(implicated):.0f} implicated duties and "
           f"{owners / len(promises):.0f} owners + candidates per trace")
    return [
        Row("B3", "trace() of each promise in turn", "traces/s", rates["trace"], note=org),
        Row("B3", "trace() of each promise, first pass after load", "traces/s", [cold],
            note="fills the per-model index the later passes read"),
        Row("B3", "bare networkx: nx.ancestors + nx.shortest_path per implicated duty", "traces/s",
            rates["nx"]),
        Row("B3", "hand-written dict BFS, same work (floor)", "traces/s", rates["dict"]),
        ratio_row("B3", "trace / networkx baseline", ratios["nx"], "≥ 0.7", lambda r: r >= 0.7),
        ratio_row("B3", "trace / dict BFS", ratios["dict"], ""),
    ]


# --- B4: load + validate against a bare libyaml compose ------------------------------------------


def _compose_all(path: Path) -> None:
    import yaml  # noqa: PLC0415

    for file in sorted(path.glob("*.yaml")):
        yaml.compose(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def _memory_child(what: str, path: Path) -> dict[str, float]:
    """Run one load (or compose) in a fresh interpreter; return its peak figures."""
    result = subprocess.run([sys.executable, str(HERE / "bench_model.py"), what, str(path)],
                            capture_output=True, text=True, check=False, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"memory child {what} failed: {result.stderr.strip()[-500:]}")
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def memory_main(what: str, path: str) -> dict[str, float]:
    """In a fresh process: import, then load / compose / load under tracemalloc; peak figures."""
    import networkx as nx  # noqa: F401, PLC0415 - every variant pays the same imports
    import yaml  # noqa: F401, PLC0415

    import servresp  # noqa: PLC0415

    before = peak_rss_mb()
    out: dict[str, float] = {"imports_mb": before}
    if what == "load":
        servresp.load_model(path)
    elif what == "compose":
        _compose_all(Path(path))
    elif what == "tracemalloc":
        import tracemalloc  # noqa: PLC0415

        tracemalloc.start()
        servresp.load_model(path)
        out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    out["peak_mb"] = peak_rss_mb()
    return out


def b4_load(sizes: Sizes, work: Path) -> list[Row]:
    """load_model time and peak memory vs yaml.compose(CSafeLoader) of the same files."""
    from servresp import load_model  # noqa: PLC0415

    path = ensure_org(work, sizes.b4_org)
    os.environ["SERVRESP_NO_CACHE"] = "1"  # the figure is a cold load; the cached one is its own row
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    loaded = _memory_child("load", path)  # first, while this process is still small
    composed = _memory_child("compose", path)
    traced = _memory_child("tracemalloc", path)
    model = load_model(path)  # warm: .pyc files and the page cache
    _compose_all(path)
    files = len(list(path.glob("*.yaml")))
    size_mb = sum(f.stat().st_size for f in path.glob("*.yaml")) / 2**20
    org = (f"org of {len(model.units)} units, {len(model.duties)} duties, {len(model.rules)} rules; "
           f"{files} files, {size_mb:.1f} MB")
    del model  # a large live heap would slow the compose baseline's garbage collections
    gc.collect()
    loads, composes, ratios, cached, cached_ratios = [], [], [], [], []
    for _ in range(sizes.b4_repeats):
        loads.append(timed(lambda: load_model(path)))
        composes.append(timed(lambda: _compose_all(path)))
        ratios.append(loads[-1] / composes[-1])
        del os.environ["SERVRESP_NO_CACHE"]
        load_model(path)  # fills the document cache (its own folder under XDG_CACHE_HOME)
        cached.append(timed(lambda: load_model(path)))
        cached_ratios.append(cached[-1] / composes[-1])
        os.environ["SERVRESP_NO_CACHE"] = "1"
    return [
        Row("B4", "load_model + validate", "s", loads, note=f"{org}; no cache (SERVRESP_NO_CACHE=1)"),
        Row("B4", "yaml.compose(CSafeLoader) of the same files", "s", composes),
        ratio_row("B4", "load / compose", ratios, "≤ 1.3", lambda r: r <= 1.3),
        Row("B4", "load_model, the model from the cache", "s", cached,
            note="the same files loaded again unchanged: classes and graphs rebuilt from the entry"),
        ratio_row("B4", "cached load / compose", cached_ratios, ""),
        Row("B4", "peak RSS, fresh process: imports + load_model", "MB", [loaded["peak_mb"]],
            "≤ 300", loaded["peak_mb"] <= 300,
            note=f"of which imports {loaded['imports_mb']:.0f} MB"),
        Row("B4", "peak RSS, fresh process: imports + compose", "MB", [composed["peak_mb"]]),
        Row("B4", "tracemalloc peak of load_model (Python heap only)", "MB",
            [traced["traced_peak_mb"]]),
    ]


def b9_check(sizes: Sizes, work: Path) -> list[Row]:
    """``check`` (load_model + lint) against load_model alone, on the 1,000-unit organisation."""
    from servresp import load_model  # noqa: PLC0415
    from servresp.lint.runner import lint  # noqa: PLC0415

    path = ensure_org(work, sizes.b4_org)
    os.environ["SERVRESP_NO_CACHE"] = "1"  # check after a cold load, as before the cache
    lint(load_model(path))  # warm
    gc.collect()
    checks, loads, ratios = [], [], []
    findings = 0
    for _ in range(sizes.b9_repeats):  # check = this load + lint of what it loaded
        start = time.perf_counter()
        model = load_model(path)
        loaded = time.perf_counter()
        findings = len(lint(model))
        loads.append(loaded - start)
        checks.append(time.perf_counter() - start)
        ratios.append(checks[-1] / loads[-1])
        del model
        gc.collect()
    return [
        Row("B9", "check: load_model + lint", "s", checks,
            note=f"org of {sizes.b4_org[0]} units × {sizes.b4_org[1]} duties; {findings} findings"),
        Row("B9", "load_model alone", "s", loads),
        ratio_row("B9", "check / load", ratios, "≤ 1.5", lambda r: r <= 1.5),
    ]


if __name__ == "__main__":  # the fresh process of a memory figure: bench_model.py WHAT PATH
    print(json.dumps(memory_main(sys.argv[1], sys.argv[2])))
