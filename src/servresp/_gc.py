"""`paused_gc`: run a bounded, cycle-free piece of work without the cyclic garbage collector.

Loading a model and checking it build hundreds of thousands of small containers and no
reference cycles; full collections over that heap took half of a 10,000-duty load and a
third of its check (benchmarks/, B4 and B9). Refcounting still frees everything; only the
collector's walks over the live heap are skipped, and its previous state comes back.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block, then restore its state."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
