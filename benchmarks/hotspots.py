"""Profile one benchmarked path with cProfile and print where the time goes.

    python benchmarks/hotspots.py trace      # B3: trace() on the 1,000-unit organisation
    python benchmarks/hotspots.py load       # B4: load_model of the 10,000-duty organisation
    python benchmarks/hotspots.py evaluate   # B2: Engine.evaluate on the 200-unit organisation
    python benchmarks/hotspots.py trace --units 200 --top 40 --sort tottime --work /tmp/bench

Times under the profiler are inflated (about 2x); read the shares, not the seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import orggen
from bench_common import ensure_org, jsonl

__all__ = ["main"]

DEFAULT_SIZES = {"trace": (1000, 10), "load": (1000, 10), "evaluate": (200, 5)}


def _prepare(path: str, org: Path) -> Callable[[], object]:
    """Set up what the path needs, outside the profile; return the call to profile."""
    from servresp import load_model  # noqa: PLC0415
    from servresp.evaluate.engine import Engine  # noqa: PLC0415
    from servresp.evaluate.facts import parse_facts  # noqa: PLC0415
    from servresp.trace.tracer import trace  # noqa: PLC0415

    if path == "load":
        return lambda: load_model(org)
    model = load_model(org)
    if path == "evaluate":
        facts = orggen.generate_facts(model, seed=2, broken=0.1, events_per_signal=4,
                                      unique_events=True)
        factset = parse_facts(jsonl(facts), model, source="bench")
        engine = Engine(model)
        engine.evaluate(factset)
        return lambda: [engine.evaluate(factset) for _ in range(10)]
    facts = orggen.generate_facts(model, seed=3, broken=0.01)
    with Engine(model) as engine:
        evaluation = engine.evaluate(parse_facts(jsonl(facts), model, source="bench"))
    return lambda: [trace(model, evaluation, p) for p in sorted(model.promises)]


def main(argv: Sequence[str] | None = None) -> int:
    """Profile one path; print the top functions."""
    parser = argparse.ArgumentParser(prog="hotspots.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", choices=sorted(DEFAULT_SIZES))
    parser.add_argument("--units", type=int)
    parser.add_argument("--duties-per-unit", type=int)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--work", help="folder for the generated organisation (kept)")
    args = parser.parse_args(argv)
    units, duties = DEFAULT_SIZES[args.path]
    size = (args.units or units, args.duties_per_unit or duties)
    work = Path(args.work or tempfile.mkdtemp(prefix="servresp-hotspots-"))
    call = _prepare(args.path, ensure_org(work, size))
    start = time.perf_counter()
    call()
    print(f"{args.path} on {size[0]} units × {size[1]} duties: {time.perf_counter() - start:.2f} s "
          "without the profiler")
    profiler = cProfile.Profile()
    profiler.runcall(call)
    pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
