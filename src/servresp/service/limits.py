"""The limits a public service needs, in one frozen value the app is built with."""

from __future__ import annotations

import attrs

__all__ = ["Limits"]


@attrs.frozen
class Limits:
    """Bounds on what one request may ask of the service."""

    max_body_bytes: int = 2 * 1024 * 1024
    """Largest request body accepted; a larger one gets 413."""
    max_facts: int = 20_000
    """Most fact lines one request may carry (good or bad); more get 413."""
    time_limit: float = 10.0
    """Seconds one evaluation may take, queueing included; past it the answer is 503."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed to call from a browser on another site; none (CORS off) by default."""
