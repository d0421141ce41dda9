"""The model a running service answers from, swapped whole when the rules are reloaded."""

from __future__ import annotations

import logging
from pathlib import Path

import anyio
import attrs

from servresp.errors import ModelError
from servresp.evaluate.engine import Engine
from servresp.model.classes import Model
from servresp.model.load import default_rules_dir, load_model
from servresp.service import queries

__all__ = ["Documents", "Served"]

_LOG = logging.getLogger("servresp.service")
THREADS = 2
"""Threads that read facts and evaluate: one evaluates while the next reads its facts."""


@attrs.frozen
class Documents:
    """The answers that depend on the model alone, computed once per model."""

    model: str
    check: str


class Served:
    """Holds one model and its documents; `reload` replaces both at once or not at all."""

    def __init__(self, model: Model | None, rules: Path | None) -> None:
        """Serve ``model``, or the model in ``rules`` (the bundled one when None)."""
        self.rules = rules
        self._model = model if model is not None else load_model(rules or default_rules_dir())
        self._documents: tuple[Model, Documents] | None = None
        self._engines: list[Engine] = []
        self.threads = anyio.CapacityLimiter(THREADS)
        """Worker threads for evaluations: they run one at a time, so a few threads suffice."""

    def engine(self, model: Model) -> Engine:
        """Return the engine compiled for ``model``, built on first use.

        The engines of the served model and the one before it are kept, so a request that
        started before a reload finishes on its own model. Older engines are dropped but not
        closed: a slow request may still hold one, and a reload is rare.
        """
        with queries.EVALUATION_LOCK:
            engine = next((e for e in self._engines if e.model is model), None)
            if engine is None:
                engine = Engine(model)
                self._engines = [engine, *self._engines][:2]
            return engine

    @property
    def model(self) -> Model:
        """The model served now."""
        return self._model

    def documents(self) -> Documents:
        """Return the model's own documents, built on first use."""
        model = self._model
        cached = self._documents
        if cached is None or cached[0] is not model:
            cached = (model, Documents(queries.model_json(model), queries.check_json(model)))
            self._documents = cached
        return cached[1]

    def reload(self) -> bool:
        """Load the rules again; on a bad model keep the old one, log why and return False."""
        rules = self.rules or default_rules_dir()
        try:
            model = load_model(rules)
        except ModelError as exc:
            _LOG.error("reload of %s failed; still serving model %r: %d problems",
                       rules, self._model.name, len(exc.problems))
            for problem in exc.problems:
                _LOG.error("%s", problem)
            return False
        self._model = model  # one reference swap: a request holds the model it started with
        _LOG.info("reloaded %s: model %r", rules, model.name)
        return True
