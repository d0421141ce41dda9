"""MCP tools for agents: `mcp_server(model)` speaks the Model Context Protocol (official SDK).

Tools ``trace``, ``why``, ``show``, ``impact``, ``check`` and ``cutsets`` return the same JSON text
as the HTTP API (`servresp.service.queries`); a bad input returns the API's problem document as
the tool's error. Resources: the RACI matrix (Markdown and CSV), each promise's map and its
fault tree (Markdown with a Mermaid chart), as ``servresp docs`` writes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from servresp._version import __version__
from servresp.errors import ServrespError
from servresp.evaluate.engine import Engine
from servresp.evaluate.facts import FactSet
from servresp.model.classes import Model
from servresp.render.charts import generate
from servresp.render.documents import dumps, node_document
from servresp.service import queries
from servresp.service.problems import from_error

__all__ = ["mcp_server"]

Facts = Annotated[list[dict[str, Any]], Field(
    description="metric facts {metric, value, period, unit?, n?} and event facts {event, at, unit?, "
                "...attributes}; fact i is line i of the input. A bad fact is rejected, the rest evaluated.")]
PromiseId = Annotated[str, Field(description="promise id, e.g. service_as_promised")]
Period = Annotated[str | None, Field(description="YYYY-MM, YYYY-Www or YYYY-MM-DD (default: the latest)")]
_INSTRUCTIONS = ("servresp traces a failing customer promise to the units that share responsibility for "
                 "it. Call show to explore the model, trace with facts to rank owners, why for one unit.")


def _answer(tool: str, compute: Callable[[], str]) -> str:
    try:
        return compute()
    except ServrespError as exc:
        raise ToolError(json.dumps(from_error(exc, instance=f"mcp:{tool}"), sort_keys=True)) from None


def _facts(model: Model, facts: list[dict[str, Any]]) -> FactSet:
    text = "\n".join(json.dumps(fact, ensure_ascii=False) for fact in facts)
    return queries.read_facts_text(model, text, fmt="jsonl", source="-")


def mcp_server(model: Model) -> MCPServer:
    """Return an MCP server with servresp's tools and resources over ``model``."""
    server: MCPServer = MCPServer(name="servresp", version=__version__, instructions=_INSTRUCTIONS)
    engine = Engine(model)  # compiled once; the tools run one at a time under EVALUATION_LOCK

    @server.tool(name="trace", description="Facts in, ranked owners out: servresp.trace/1 JSON, the "
                                           "bytes of `servresp trace --format json`.")
    def trace(facts: Facts, promise: Annotated[str | None, Field(description="only this promise")] = None,
              period: Period = None) -> str:
        return _answer("trace", lambda: queries.trace_json(engine, _facts(model, facts),
                                                           promise=promise, period=period))

    @server.tool(name="why", description="Why a unit has its share of a promise's failure, or none: "
                                         "servresp.why/1 JSON with the sentences that quote the values.")
    def why(facts: Facts, unit: Annotated[str, Field(description="unit id, e.g. purchasing")],
            promise: PromiseId, period: Period = None) -> str:
        return _answer("why", lambda: queries.why_json(engine, _facts(model, facts), unit=unit,
                                                       promise=promise, period=period))

    @server.tool(name="show", description="A unit, duty or promise with its graph neighbourhood: "
                                          "servresp.node/1 JSON (RACI, suppliers, standards, promises).")
    def show(id: Annotated[str, Field(description="unit, duty or promise id")]) -> str:  # noqa: A002
        return _answer("show", lambda: dumps(node_document(model, id)))

    @server.tool(name="impact", description="Who to consult and inform before changing a duty, standard, "
                                            "rule, signal, unit or promise: servresp.impact/1 JSON.")
    def impact(id: Annotated[str, Field(description="the id to change")]) -> str:  # noqa: A002
        return _answer("impact", lambda: queries.impact_json(model, id))

    @server.tool(name="check", description="The model's lint findings and scorecard: servresp.check/1 JSON.")
    def check() -> str:
        return _answer("check", lambda: queries.check_json(model))

    @server.tool(name="cutsets", description="Which combinations of duties failing break a promise: "
                                             "servresp.cutsets/1 JSON (minimal cut sets, P(top), "
                                             "importance), as `servresp cutsets PROMISE --format json`.")
    def cutsets(promise: PromiseId, facts: Annotated[list[dict[str, Any]] | None, Field(
                    description="fact history (as for trace): each duty's failure probability is the "
                                "smoothed share of periods it was implicated in")] = None,
                probabilities: Annotated[dict[str, float] | None, Field(
                    description="duty id → failure probability from 0 to 1; overrides the history")] = None,
                ) -> str:
        return _answer("cutsets", lambda: queries.cutsets_json(
            model, promise, engine=engine, facts=None if facts is None else _facts(model, facts),
            probabilities=probabilities))

    del trace, why, show, impact, check, cutsets  # registered with the server
    _resources(server, model)
    return server


def _resources(server: MCPServer, model: Model) -> None:
    charts = generate(model)
    chosen = {"raci.md": ("RACI matrix", "text/markdown"), "raci.csv": ("RACI matrix (CSV)", "text/csv")}
    for path in charts:
        if path.startswith("promises/") and path.endswith(".md"):
            name = path.removeprefix("promises/").removesuffix(".md")
            title = (f"Fault tree: {name.removesuffix('.faulttree')}" if name.endswith(".faulttree")
                     else f"Promise map: {name}")
            chosen[path] = (title, "text/markdown")
    for path, (title, mime) in sorted(chosen.items()):
        server.resource(f"servresp://charts/{path}", name=path, title=title, mime_type=mime)(
            _constant(charts[path]))


def _constant(text: str) -> Callable[[], str]:
    def read() -> str:
        return text

    return read
