"""What the HTTP API and the MCP tools answer: model + input → the CLI's JSON documents.

Each function is plain and synchronous, returns the document's text (the bytes the CLI
writes) and raises a `ServrespError` on bad input. Functions that evaluate facts take the model's
durable_rules `Engine`, compiled once and reused (a fresh engine per request would compile the
rules each time); `EVALUATION_LOCK` keeps two evaluations from running at once in one process,
because an engine is not thread-safe and durable_rules' C state is shared by every engine.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from servresp._version import __version__
from servresp.analysis.cutsets_report import analyse, render_cutsets
from servresp.analysis.diff import diff_models
from servresp.analysis.history import check_probabilities, probabilities_from_history
from servresp.analysis.impact import impact
from servresp.errors import FactError, FaultTreeError, ModelError, Problem, UnknownIdError
from servresp.evaluate.engine import Engine
from servresp.evaluate.facts import FactSet, parse_facts
from servresp.evaluate.periods import parse_period
from servresp.lint.runner import lint, render_findings
from servresp.model.classes import Model
from servresp.model.faulttree import fault_tree
from servresp.model.load import load_texts
from servresp.records.monthly import build_monthly, render_json
from servresp.render.diff_text import render_diff
from servresp.render.documents import (
    dumps,
    duty_document,
    model_document,
    promise_document,
    unit_document,
)
from servresp.render.impact_text import render_impact
from servresp.render.text import render_why
from servresp.trace.readings import readings, render_readings
from servresp.trace.report import Report
from servresp.trace.tracer import trace

__all__ = [
    "EVALUATION_LOCK",
    "FORMATS",
    "BadProbabilities",
    "BadRules",
    "TooManyFacts",
    "check_json",
    "cutsets_json",
    "diff_json",
    "health_json",
    "impact_json",
    "model_json",
    "node_json",
    "read_facts_text",
    "readings_json",
    "report_json",
    "trace_json",
    "version_json",
    "why_json",
]

EVALUATION_LOCK = threading.Lock()
"""One evaluation at a time per process: durable_rules engines share C state and are not thread-safe."""

FORMATS = ("json", "jsonl", "csv")
"""How a facts body may be written (a JSON list, JSON lines, or CSV with the same columns)."""
WHY_SCHEMA = "servresp.why/1"


class TooManyFacts(FactError):  # noqa: N818 - an error, named by what is wrong
    """A request carries more fact lines than the service accepts."""


class BadRules(ModelError):  # noqa: N818 - an error, named by what is wrong
    """Rules sent with a request (``POST /diff``) that do not load: the client's input, not the server's."""


class BadProbabilities(FaultTreeError):  # noqa: N818 - an error, named by what is wrong
    """Failure probabilities sent with a request (``POST /cutsets``) that cannot be used."""


_FILE_NAME = re.compile(r"[A-Za-z0-9_.-]+\.yaml\Z")


def read_facts_text(model: Model, text: str, *, fmt: str = "json", source: str = "-",
                    max_facts: int | None = None) -> FactSet:
    """Parse a request's facts; raise `FactError` when none is readable, `TooManyFacts` past the cap."""
    facts = parse_facts(text, model, source=source, fmt="auto" if fmt == "jsonl" else fmt)
    if max_facts is not None and facts.read > max_facts:
        raise TooManyFacts([Problem(source, 0, "", f"{facts.read} facts in one request; the limit "
                                                   f"is {max_facts}", "split them over several requests")])
    if not facts.facts:
        raise FactError([*facts.rejected, Problem(source, 0, "", "no readable fact to evaluate")])
    return facts


def _check_period(period: str | None) -> None:
    if period is not None:
        try:
            parse_period(period)
        except ValueError as exc:
            raise FactError([Problem("period", 0, "period", str(exc))]) from None


def _check_promise(model: Model, promise: str | None) -> None:
    if promise is not None and promise not in model.promises:
        raise UnknownIdError("promise", promise, model.promises)


def _report(engine: Engine, facts: FactSet, promises: list[str] | None, period: str | None) -> Report:
    """`build_report` on a reused engine: compiling the rules once, not per request."""
    model = engine.model
    with EVALUATION_LOCK:
        evaluation = engine.evaluate(facts, period=period)
    chosen = promises if promises is not None else list(model.promises)
    return Report(model, evaluation, tuple(trace(model, evaluation, p) for p in chosen))


def trace_json(engine: Engine, facts: FactSet, *, promise: str | None = None,
               period: str | None = None) -> str:
    """Return ``servresp.trace/1``: the bytes of ``servresp trace --format json``."""
    _check_promise(engine.model, promise)
    _check_period(period)
    return _report(engine, facts, [promise] if promise else None, period).to_json()


def why_json(engine: Engine, facts: FactSet, *, unit: str, promise: str, period: str | None = None) -> str:
    """Return ``servresp.why/1``: the CLI's ``why`` text and the trace's sentences for ``unit``."""
    model = engine.model
    _check_promise(model, promise)
    _check_period(period)
    if unit not in model.units:
        raise UnknownIdError("unit", unit, model.units)
    report = _report(engine, facts, [promise], period)
    item = report.trace_of(promise)
    owner = next((o for o in item.owners if o.unit == unit), None)
    candidate = next((c for c in item.candidates if c.unit == unit), None)
    document: dict[str, Any] = {
        "schema": WHY_SCHEMA, "unit": unit, "promise": promise, "period": item.period,
        "status": item.status, "text": render_why(report, unit, promise),
        "role": "owner" if owner else "candidate" if candidate else "none",
        "share": owner.share if owner else 0.0 if candidate else None,
        "roles": list(owner.roles) if owner else [],
        "duties": list(owner.duties) if owner else [],
        "sentences": list(owner.why if owner else candidate.why if candidate else ()),
    }
    return dumps(document)


def report_json(engine: Engine, facts: FactSet, *, period: str | None = None) -> str:
    """Return ``servresp.report/1``: the bytes of ``servresp report --format json``."""
    _check_period(period)
    with EVALUATION_LOCK:  # build_monthly compiles an engine of its own
        report = build_monthly(engine.model, facts, period=period)
    return render_json(report)


def readings_json(engine: Engine, facts: FactSet) -> str:
    """Return ``servresp.readings/1``: every standard's readings, period by period."""
    return render_readings(readings(engine.model, facts))


def check_json(model: Model) -> str:
    """Return ``servresp.check/1``: the bytes of ``servresp check --format json``."""
    return render_findings(lint(model), fmt="json")


def model_json(model: Model) -> str:
    """Return ``servresp.model/1``: units, duties, promises, standards and the rest, by id."""
    return dumps(model_document(model))


def node_json(model: Model, kind: str, id_: str) -> str:
    """Return ``servresp.node/1`` for a ``unit``, ``duty`` or ``promise`` with its neighbourhood."""
    build = {"unit": unit_document, "duty": duty_document, "promise": promise_document}[kind]
    return dumps(build(model, id_))


def impact_json(model: Model, id_: str) -> str:
    """Return ``servresp.impact/1``: the bytes of ``servresp impact ID --format json``."""
    return render_impact(impact(model, id_), fmt="json")


def cutsets_json(model: Model, promise: str, *, engine: Engine | None = None, facts: FactSet | None = None,
                 probabilities: object = None) -> str:
    """Return ``servresp.cutsets/1``: the bytes of ``servresp cutsets PROMISE --format json``.

    ``facts`` give each duty's failure probability from their history (``--facts``), evaluated on
    ``engine`` when given; ``probabilities`` (decoded ``{"duty": p}``) override them
    (``--probabilities``). With neither, probabilities are null, as in the CLI.
    """
    _check_promise(model, promise)
    try:
        given = {} if probabilities is None else check_probabilities(probabilities, model.duties)
    except FaultTreeError as exc:
        raise BadProbabilities(exc.problems) from None
    history: dict[str, float] = {}
    if facts is not None:
        with EVALUATION_LOCK:
            history = probabilities_from_history(model, facts, engine=engine)
    tree = fault_tree(model, promise).with_duty_probabilities(history, given)
    return render_cutsets(analyse(tree), fmt="json")


def diff_json(model: Model, files: object) -> str:
    """Return ``servresp.diff/1`` from the served model to the rules in ``files`` ({name: YAML text})."""
    if not isinstance(files, dict) or not files:
        raise BadRules([Problem("-", 0, "files", "expected an object of rules files: "
                                                 '{"files": {"sales.yaml": "<YAML text>", ...}}')])
    bad = [Problem("-", 0, f"files.{name}", "expected a file name ending in .yaml with YAML text as "
                                            "its value") for name, text in sorted(files.items())
           if not isinstance(text, str) or not _FILE_NAME.match(str(name))]
    if bad:
        raise BadRules(bad)
    try:
        new = load_texts(files, name=model.name)
    except ModelError as exc:
        raise BadRules(exc.problems) from None
    return render_diff(diff_models(model, new, old_label="served", new_label="request"), fmt="json")


def version_json(model: Model) -> str:
    """Return ``servresp.version/1``: the package version and the model served."""
    return dumps({"schema": "servresp.version/1", "servresp": __version__, "model": model.name})


def health_json() -> str:
    """Return ``servresp.health/1``: the service answers."""
    return json.dumps({"schema": "servresp.health/1", "status": "ok"}, sort_keys=True) + "\n"
