"""Smoke runs of benchmarks/ at tiny sizes, so that they never rot. Nothing here is timed."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import networkx as nx
import pytest

from servresp import load_model
from servresp.evaluate.facts import parse_facts
from servresp.model.classes import MANAGEMENT_TIERS
from servresp.model.graph import dependency_view

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
BENCHES = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "FT1")


def _module(name: str) -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


@pytest.fixture(scope="module")
def orggen() -> ModuleType:
    return _module("orggen")


def test_generated_organisation_loads_as_a_dag_that_reaches_promises(orggen: ModuleType,
                                                                     tmp_path: Path) -> None:
    """A generated folder loads: a supports DAG, every duty reaches a promise, management on top."""
    org = orggen.generate_org(tmp_path / "org", units=12, duties_per_unit=3, seed=5)
    model = load_model(org.path)
    assert (len(model.units), len(model.duties), len(model.rules)) == (12, 36, org.rules)
    assert {"top_management", "middle_management", "employee"} <= set(model.units)
    supports = dependency_view(model.graph, ("supports",))
    assert nx.is_directed_acyclic_graph(supports)
    dependencies = dependency_view(model.graph)
    reaching = set().union(*(nx.ancestors(dependencies, p) for p in model.promises))
    assert set(model.duties) <= reaching
    for duty in model.duties.values():
        above = nx.ancestors(supports, duty.id) if duty.id in supports else set()
        suppliers = {model.duties[d].owner for d in above}
        if duty.owner == "top_management":
            assert suppliers <= {"top_management"}
        elif duty.owner == "middle_management":
            assert suppliers <= set(MANAGEMENT_TIERS)


def test_same_seed_same_bytes(orggen: ModuleType, tmp_path: Path) -> None:
    """The generator is deterministic: the same arguments give the same files."""
    for name in ("a", "b"):
        orggen.generate_org(tmp_path / name, units=6, duties_per_unit=2, seed=3)
    files = sorted(p.name for p in (tmp_path / "a").glob("*.yaml"))
    assert files == sorted(p.name for p in (tmp_path / "b").glob("*.yaml"))
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_generated_facts_are_all_accepted(orggen: ModuleType, tmp_path: Path) -> None:
    """Generated facts parse with no rejection and no unknown signal."""
    org = orggen.generate_org(tmp_path / "org", units=8, duties_per_unit=3, seed=2)
    model = load_model(org.path)
    lines = orggen.generate_facts(model, seed=2, broken=0.5, events_per_signal=2, unique_events=True)
    stream = list(orggen.stream_lines(model, 50, seed=2, per_month=20))
    text = "".join(f"{line}\n" for line in [*(json.dumps(f) for f in lines), *stream])
    facts = parse_facts(text, model, source="generated")
    assert (facts.rejected, facts.unknown) == ((), ())
    assert len(facts.facts) == len(lines) + 50


def test_orggen_command_line(tmp_path: Path) -> None:
    """``python benchmarks/orggen.py OUT --units N --duties-per-unit K --seed S`` writes a model."""
    result = subprocess.run([sys.executable, str(BENCHMARKS / "orggen.py"), str(tmp_path / "org"),
                             "--units", "5", "--duties-per-unit", "2", "--seed", "7",
                             "--facts", str(tmp_path / "facts.jsonl")],
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "5 units, 10 duties" in result.stdout
    assert load_model(tmp_path / "org").duties
    assert (tmp_path / "facts.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", BENCHES)
def test_each_benchmark_runs_at_smoke_size(name: str, tmp_path: Path) -> None:
    """Each benchmark runs in-process at the smoke sizes and returns rows (values unchecked)."""
    run = _module("run")
    common = _module("bench_common")
    rows = run.run_bench(name, common.SMOKE, tmp_path)
    assert rows
    assert {row.bench for row in rows} == {name}
    assert not any(row.what.startswith("failed") for row in rows)


def test_run_prints_and_writes_the_table(tmp_path: Path) -> None:
    """``run.py --smoke --only B5 --markdown FILE`` runs a child process and writes the table."""
    target = tmp_path / "bench.md"
    result = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--smoke", "--only", "B5",
                             "--markdown", str(target)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "machine:" in result.stdout
    assert "B5" in result.stdout
    markdown = target.read_text(encoding="utf-8")
    assert "| bench | measure | n | min | median | max | unit | target | verdict |" in markdown
    assert "| B5 |" in markdown
