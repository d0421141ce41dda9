"""The HTTP API: `app(model)` is an ASGI app (FastAPI) serving the CLI's JSON documents.

Every endpoint answers with the bytes the matching CLI command writes; errors are RFC 9457
problem documents. Bodies are read here, against the size limit, and facts are evaluated in a
worker thread under the time limit, one evaluation at a time (see `queries.EVALUATION_LOCK`).
The model is held by `Served`, swapped whole on reload, so a request sees one model throughout.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

import anyio
import anyio.to_thread
import attrs
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.routing import Match, Route

from servresp._version import __version__
from servresp.errors import Problem, ServrespError
from servresp.evaluate.engine import Engine
from servresp.evaluate.facts import FactSet
from servresp.model.classes import Model
from servresp.service import openapi, queries
from servresp.service.access import AccessLog
from servresp.service.explorer import ASSETS
from servresp.service.limits import Limits
from servresp.service.problems import MEDIA_TYPE, dumps, from_error, problem
from servresp.service.served import Served

__all__ = ["app"]

_LOG = logging.getLogger("servresp.service")
_JSON = "application/json"
_FORMATS = {"application/json": "json", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
            "text/csv": "csv", "text/plain": "jsonl"}
"""Body types read as facts; ``text/plain`` (a browser's default) is a JSON list or JSON lines."""
_DOCS_STATIC = importlib.resources.files("fastapi_offline") / "static"
"""Swagger UI and ReDoc from the fastapi-offline package: the docs page needs no CDN."""

Promise = Annotated[str | None, Query(description="trace only this promise (default: every promise)")]
PeriodQuery = Annotated[str | None, Query(description="YYYY-MM, YYYY-Www or YYYY-MM-DD (default: latest)",
                                          pattern=r"^\d{4}-(\d{2}|W\d{2}|\d{2}-\d{2})$")]
Source = Annotated[str, Query(description="the name the facts are reported under (never opened)")]
PromiseId = Annotated[str, PathParam(description="the promise whose fault tree to analyse")]
NodeId = Annotated[str, PathParam(description="the id of a unit, duty or promise (for /impact: also of "
                                              "a standard, rule or signal)")]


class _ProblemError(Exception):
    """A request the API refuses, with its problem document."""

    def __init__(self, document: dict[str, Any]) -> None:
        super().__init__(document["detail"])
        self.document = document


def _problem_response(document: dict[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    return Response(dumps(document), status_code=document["status"], media_type=MEDIA_TYPE, headers=headers)


async def _body(request: Request, limits: Limits) -> tuple[str, str]:
    """Return the body's text and its facts format, refusing what is too large or unknown."""
    kind = request.headers.get("content-type", _JSON).split(";", 1)[0].strip().lower()
    fmt = _FORMATS.get(kind)
    if fmt is None:
        raise _ProblemError(problem(415, "unsupported-media-type", "Unsupported body type",
                                    f"cannot read facts from {kind!r}; send {', '.join(_FORMATS)}",
                                    instance=request.url.path))
    too_large = problem(413, "body-too-large", "Body too large",
                        f"the body is over {limits.max_body_bytes} bytes; send fewer facts per request",
                        instance=request.url.path)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise _ProblemError(too_large)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limits.max_body_bytes:
            raise _ProblemError(too_large)
        chunks.append(chunk)
    try:
        return b"".join(chunks).decode("utf-8"), fmt
    except UnicodeDecodeError as exc:
        raise _ProblemError(problem(400, "not-utf8", "Body is not UTF-8", f"byte {exc.start} is not UTF-8; "
                                    "send the facts as UTF-8 text", instance=request.url.path)) from None


async def _evaluate(request: Request, answer: Callable[[Engine, FactSet], str], source: str) -> Response:
    """Read the facts, then answer in a worker thread under the time limit."""
    served: Served = request.app.state.served
    limits: Limits = request.app.state.limits
    text, fmt = await _body(request, limits)
    model = served.model

    def work() -> str:
        facts = queries.read_facts_text(model, text, fmt=fmt, source=source, max_facts=limits.max_facts)
        return answer(served.engine(model), facts)

    return await _in_thread(request, work)


async def _in_thread(request: Request, work: Callable[[], str]) -> Response:
    """Run ``work`` in a worker thread under the time limit; answer its JSON."""
    served: Served = request.app.state.served
    limits: Limits = request.app.state.limits
    try:
        with anyio.fail_after(limits.time_limit):
            body = await anyio.to_thread.run_sync(work, abandon_on_cancel=True, limiter=served.threads)
    except TimeoutError:
        raise _ProblemError(problem(503, "time-limit", "Evaluation over the time limit",
                                    f"the answer took over {limits.time_limit:g} s; send less "
                                    "or try again later", instance=request.url.path)) from None
    return Response(body, media_type=_JSON)


def _json(text: str) -> Response:
    return Response(text, media_type=_JSON)


def app(model: Model | None = None, *, rules: Path | None = None, limits: Limits | None = None) -> FastAPI:
    """Return the API serving ``model`` (loaded from ``rules``, or the bundled one, when None).

    ``rules`` is also what `Served.reload` reads again on SIGHUP.
    """
    api = FastAPI(title="servresp", version=__version__, docs_url=None, redoc_url=None,
                  description="Who keeps each customer promise: trace a failing promise to its owners. "
                              "Every answer is the JSON document the `servresp` CLI writes.")
    api.state.served = Served(model, rules)
    api.state.limits = limits or Limits()
    _errors(api)
    _routes(api)
    _docs(api)
    _explorer(api)
    api.openapi = functools.partial(_openapi, api)  # type: ignore[method-assign]
    if api.state.limits.cors_origins:
        api.add_middleware(CORSMiddleware, allow_origins=list(api.state.limits.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type"])
    api.add_middleware(AccessLog)
    return api


def _openapi(api: FastAPI) -> dict[str, Any]:
    if api.openapi_schema is None:
        api.openapi_schema = openapi.patch(get_openapi(
            title=api.title, version=api.version, description=api.description, routes=api.routes))
    return api.openapi_schema


def _errors(api: FastAPI) -> None:
    async def refused(request: Request, exc: Exception) -> Response:
        del request
        assert isinstance(exc, _ProblemError)
        return _problem_response(exc.document)

    async def library(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ServrespError)
        return _problem_response(from_error(exc, instance=request.url.path))

    async def http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        headers = _allow(request) if exc.status_code == 405 else exc.headers
        return _problem_response(problem(exc.status_code, "http", title, str(exc.detail),
                                         instance=request.url.path), headers=headers)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        found = [Problem(str(e["loc"][0]), 0, ".".join(str(p) for p in e["loc"][1:]), str(e["msg"]))
                 for e in exc.errors()]
        return _problem_response(problem(422, "bad-parameters", "Bad parameters",
                                         "; ".join(str(p) for p in found), instance=request.url.path,
                                         errors=found))

    async def bug(request: Request, exc: Exception) -> Response:
        _LOG.error("internal error on %s: %r", request.url.path, exc)
        return _problem_response(problem(500, "internal", "Internal error", "a bug in servresp; "
                                         "the server log has the details", instance=request.url.path))

    api.add_exception_handler(_ProblemError, refused)
    api.add_exception_handler(ServrespError, library)
    api.add_exception_handler(HTTPException, http)
    api.add_exception_handler(RequestValidationError, invalid)
    api.add_exception_handler(Exception, bug)


def _allow(request: Request) -> dict[str, str]:
    """Return ``Allow`` with every method of every route at the path (GET and POST /cutsets are two)."""
    methods = {m for route in request.app.router.routes
               if isinstance(route, Route) and route.matches(request.scope)[0] is Match.PARTIAL
               for m in route.methods or ()}
    return {"Allow": ", ".join(sorted(methods))}


def _routes(api: FastAPI) -> None:  # noqa: C901 - one small handler per endpoint
    served: Served = api.state.served
    evaluating: dict[str, Any] = {"requestBody": openapi.FACTS_BODY}

    @api.get("/health", responses={200: openapi.document("servresp.health/1", "The service answers")})
    async def health() -> Response:
        """Say that the service answers."""
        return _json(queries.health_json())

    @api.get("/version", responses={200: openapi.document("servresp.version/1", "Versions")})
    async def version() -> Response:
        """Return the servresp version and the name of the model served."""
        return _json(queries.version_json(served.model))

    @api.get("/model", responses={200: openapi.document("servresp.model/1", "The model")})
    async def model() -> Response:
        """Return every unit, duty, promise, standard, rule, signal and source, with ids and names."""
        return _json(served.documents().model)

    @api.get("/check", responses={200: openapi.document("servresp.check/1", "Lint findings")})
    async def check() -> Response:
        """Return the model's lint findings and scorecard, as ``servresp check --format json``."""
        return _json(served.documents().check)

    def node(kind: str) -> Callable[[str], Any]:
        async def show(id: NodeId) -> Response:  # noqa: A002 - the path's own name
            return _json(queries.node_json(served.model, kind, id))
        show.__doc__ = f"A {kind} with its graph neighbourhood (``servresp.node/1``)."
        return show

    for kind, plural in (("unit", "units"), ("duty", "duties"), ("promise", "promises")):
        api.get(f"/{plural}/{{id}}", name=f"get_{kind}", responses={
            200: openapi.document("servresp.node/1", f"The {kind}"), **openapi.errors(404)})(node(kind))

    fact_errors = openapi.errors(400, 404, 413, 415, 422, 503)

    @api.post("/trace", responses={200: openapi.document("servresp.trace/1", "The traces"), **fact_errors},
              openapi_extra=evaluating)
    async def trace(request: Request, promise: Promise = None, period: PeriodQuery = None,
                    source: Source = "-") -> Response:
        """Trace facts to ranked owners: the bytes of ``servresp trace --format json``."""
        return await _evaluate(request, lambda m, f: queries.trace_json(m, f, promise=promise, period=period),
                               source)

    @api.post("/why", responses={200: openapi.document("servresp.why/1", "Why"), **fact_errors},
              openapi_extra=evaluating)
    async def why(request: Request, unit: Annotated[str, Query(description="unit id")],
                  promise: Annotated[str, Query(description="promise id")],
                  period: PeriodQuery = None, source: Source = "-") -> Response:
        """Say why a unit has its share of a promise's failure, or why it has none."""
        return await _evaluate(
            request, lambda m, f: queries.why_json(m, f, unit=unit, promise=promise, period=period), source)

    @api.post("/report", responses={200: openapi.document("servresp.report/1", "The report"), **fact_errors},
              openapi_extra=evaluating)
    async def report(request: Request, period: PeriodQuery = None, source: Source = "-") -> Response:
        """Return the standards report, as ``servresp report --format json``."""
        return await _evaluate(request, lambda m, f: queries.report_json(m, f, period=period), source)

    @api.get("/impact/{id}", responses={200: openapi.document("servresp.impact/1", "The impact"),
                                        **openapi.errors(404)})
    async def impact(id: NodeId) -> Response:  # noqa: A002 - the path's own name
        """Return who to consult and inform before changing an id, as ``servresp impact --format json``."""
        return _json(queries.impact_json(served.model, id))

    cutsets_ok: dict[int | str, dict[str, Any]] = {
        200: openapi.document("servresp.cutsets/1", "Minimal cut sets, P(top) and importance")}

    @api.get("/cutsets/{promise}", responses={**cutsets_ok, **openapi.errors(404, 503)})
    async def cutsets(request: Request, promise: PromiseId) -> Response:
        """Return the promise's minimal cut sets, as ``servresp cutsets PROMISE --format json``."""
        model = served.model
        return await _in_thread(request, lambda: queries.cutsets_json(model, promise))

    @api.post("/cutsets/{promise}", responses={**cutsets_ok, **fact_errors},
              openapi_extra={"requestBody": openapi.CUTSETS_BODY})
    async def cutsets_from(request: Request, promise: PromiseId) -> Response:
        """Cut sets with probabilities from facts and/or per duty (``--facts``, ``--probabilities``)."""
        limits: Limits = request.app.state.limits
        text, fmt = await _body(request, limits)
        options = _cutsets_options(text, fmt, request.url.path)
        model = served.model

        def work() -> str:
            facts = None if options.facts is None else queries.read_facts_text(
                model, options.facts, fmt=options.fmt, max_facts=limits.max_facts)
            engine = None if facts is None else served.engine(model)
            return queries.cutsets_json(model, promise, engine=engine, facts=facts,
                                        probabilities=options.probabilities)

        return await _in_thread(request, work)

    @api.post("/diff", responses={200: openapi.document("servresp.diff/1", "The diff"),
                                  **openapi.errors(400, 413, 415, 422, 503)},
              openapi_extra={"requestBody": openapi.RULES_BODY})
    async def diff(request: Request) -> Response:
        """Compare the served model with the rules sent, as ``servresp diff --format json``."""
        text, fmt = await _body(request, request.app.state.limits)
        if fmt != "json":
            raise _ProblemError(problem(415, "unsupported-media-type", "Unsupported body type",
                                        'send the rules as application/json: {"files": {...}}',
                                        instance=request.url.path))
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise _ProblemError(problem(400, "bad-json", "Body is not JSON", f"not JSON: {exc}",
                                        instance=request.url.path)) from None
        files = document.get("files") if isinstance(document, dict) else None
        model = served.model
        return await _in_thread(request, lambda: queries.diff_json(model, files))

    @api.post("/readings", responses={200: openapi.document("servresp.readings/1", "The readings"),
                                      **fact_errors}, openapi_extra=evaluating)
    async def readings(request: Request, source: Source = "-") -> Response:
        """Return every standard's readings, period by period, with whether each missed its target."""
        return await _evaluate(request, queries.readings_json, source)


@attrs.frozen
class _CutsetsOptions:
    """What ``POST /cutsets`` was sent: facts (text in ``fmt``) and probabilities, each optional."""

    facts: str | None
    fmt: str
    probabilities: object


_OPTIONS = frozenset({"facts", "probabilities"})


def _cutsets_options(text: str, fmt: str, path: str) -> _CutsetsOptions:
    """Read ``{"facts"?: [...], "probabilities"?: {...}}``; any other body is facts, as for ``/trace``."""
    try:
        document = json.loads(text) if fmt == "json" else None
    except ValueError:
        document = None  # not JSON: reported line by line as facts
    if not isinstance(document, dict) or {"metric", "event"} & set(document):
        return _CutsetsOptions(text, fmt, None)
    found = [Problem("body", 0, str(key), "unknown field; send facts and/or probabilities")
             for key in sorted(set(document) - _OPTIONS, key=str)]
    facts = document.get("facts")
    if facts is not None and not (isinstance(facts, list) and all(isinstance(f, dict) for f in facts)):
        found.append(Problem("body", 0, "facts", "expected a list of fact objects"))
    if found:
        raise _ProblemError(problem(422, "bad-parameters", "Bad parameters", "; ".join(map(str, found)),
                                    instance=path, errors=found))
    lines = None if facts is None else "\n".join(json.dumps(f, ensure_ascii=False) for f in facts)
    return _CutsetsOptions(lines, "jsonl", document.get("probabilities"))


def _docs(api: FastAPI) -> None:
    api.mount("/docs/static", StaticFiles(directory=str(_DOCS_STATIC)), name="docs-static")

    @api.get("/docs", include_in_schema=False)
    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json", title="servresp API",
            swagger_js_url=f"{root}/docs/static/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/docs/static/swagger-ui.css",
            swagger_favicon_url=f"{root}/docs/static/favicon.png")

    @api.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(openapi_url=f"{root}/openapi.json", title="servresp API",
                              redoc_js_url=f"{root}/docs/static/redoc.standalone.js",
                              redoc_favicon_url=f"{root}/docs/static/favicon.png", with_google_fonts=False)


def _send_file(path: Path) -> Callable[[], Awaitable[FileResponse]]:
    async def send() -> FileResponse:
        return FileResponse(path)

    return send


def _explorer(api: FastAPI) -> None:
    """Serve the web explorer at ``/`` when it is built; else point at the docs.

    Each built file gets its own GET route after the API's. A catch-all mount at ``/`` would
    answer a wrong method on an API path (``OPTIONS /trace``) with its own ``Allow: GET``.
    """
    if (ASSETS / "index.html").is_file():
        files = {f"/{path.name}": path for path in sorted(ASSETS.iterdir()) if path.is_file()}
        for url, path in {"/": ASSETS / "index.html", **files}.items():
            api.add_api_route(url, _send_file(path), methods=["GET", "HEAD"], include_in_schema=False)
        return

    @api.get("/", include_in_schema=False)
    async def index() -> JSONResponse:
        return JSONResponse({"name": "servresp", "docs": "/docs", "openapi": "/openapi.json",
                             "explorer": "not built"})
