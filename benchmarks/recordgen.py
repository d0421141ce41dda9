"""Seeded call logs for B8: ``recordgen.py OUT.csv --rows N [--seed S] [--naive]``.

Rows look like ``examples/records/calls.csv``: received_at, answered_at, abandoned, rings,
agent, over 92 days from 2026-09-01, about 6 % abandoned. The same arguments give the same
bytes. ``--naive`` writes local times without an offset (read in the ``--tz`` zone).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

__all__ = ["write_calls"]

_START = dt.datetime(2026, 9, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
_SPAN_S = 92 * 24 * 3600


def write_calls(out: Path, rows: int, *, seed: int = 1, naive: bool = False) -> Path:
    """Write ``rows`` calls to ``out`` (CSV, with a header) and return it."""
    rng = random.Random(seed)
    fmt = "%Y-%m-%d %H:%M:%S" if naive else "%Y-%m-%dT%H:%M:%S+08:00"
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("received_at,answered_at,abandoned,rings,agent\n")
        chunk: list[str] = []
        for i in range(rows):
            received = _START + dt.timedelta(seconds=rng.randrange(_SPAN_S))
            agent = f"A{i % 40}"
            if rng.random() < 0.06:
                chunk.append(f"{received.strftime(fmt)},,true,,{agent}\n")
            else:
                rings = rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4, 5))
                answered = received + dt.timedelta(seconds=3 + 6 * rings)
                chunk.append(f"{received.strftime(fmt)},{answered.strftime(fmt)},false,{rings},{agent}\n")
            if len(chunk) >= 10000:
                handle.write("".join(chunk))
                chunk.clear()
        handle.write("".join(chunk))
    return out


def main() -> None:
    """Command line: write one call log."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive", action="store_true")
    args = parser.parse_args()
    write_calls(args.out, args.rows, seed=args.seed, naive=args.naive)


if __name__ == "__main__":
    main()
