"""servresp mcp: tools listed and called through the MCP SDK's own client over stdio."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from servresp.cli import main

ROOT = Path(__file__).resolve().parents[2]
OCTOBER = (ROOT / "examples" / "october.jsonl").read_text(encoding="utf-8")


async def _session() -> dict[str, Any]:
    """Run one stdio session: list, call each tool, read a resource."""
    servresp = Path(sys.executable).with_name("servresp")
    facts = [json.loads(line) for line in OCTOBER.splitlines()]
    found: dict[str, Any] = {}
    async with Client(StdioServerParameters(command=str(servresp), args=["mcp"])) as client:
        found["tools"] = {t.name: t.input_schema for t in (await client.list_tools()).tools}
        for name, arguments in (
            ("trace", {"facts": facts}),
            ("trace_one", {"facts": facts, "promise": "nope"}),
            ("why", {"facts": facts, "unit": "customer_service", "promise": "service_as_promised"}),
            ("show", {"id": "product_works"}),
            ("check", {}),
            ("impact", {"id": "product_works"}),
            ("bad_facts", {"facts": [{"metric": "complaint.rate"}]}),
            ("cutsets", {"promise": "product_works"}),
            ("cutsets_learned", {"promise": "product_works", "facts": facts,
                                 "probabilities": {"qc.product_quality": 0.05}}),
            ("cutsets_bad", {"promise": "product_works", "probabilities": {"qc.product_quality": 2}}),
        ):
            tool = {"trace_one": "trace", "bad_facts": "trace", "cutsets_learned": "cutsets",
                    "cutsets_bad": "cutsets"}.get(name, name)
            result = await client.call_tool(tool, arguments)
            found[name] = (result.is_error, result.content[0].text)
        resources = (await client.list_resources()).resources
        found["resources"] = sorted(str(r.uri) for r in resources)
        raci = await client.read_resource("servresp://charts/raci.md")
        found["raci"] = raci.contents[0].text
        tree = await client.read_resource("servresp://charts/promises/product_works.faulttree.md")
        found["faulttree"] = tree.contents[0].text
    return found


@pytest.fixture(scope="module")
def session() -> dict[str, Any]:
    return anyio.run(_session)


def _cli(args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    assert main(args, stdout=out, stderr=io.StringIO()) == 0
    return out.getvalue()


def test_the_tools_are_listed_with_input_schemas(session: dict[str, Any]) -> None:
    """trace, why, show, check, impact and cutsets, each with a JSON Schema naming its required inputs."""
    tools = session["tools"]
    assert sorted(tools) == ["check", "cutsets", "impact", "show", "trace", "why"]
    assert tools["cutsets"]["required"] == ["promise"]
    assert {"facts", "probabilities"} <= set(tools["cutsets"]["properties"])
    assert tools["trace"]["properties"]["facts"]["type"] == "array"
    assert tools["trace"]["required"] == ["facts"]
    assert sorted(tools["why"]["required"]) == ["facts", "promise", "unit"]
    assert tools["show"]["required"] == ["id"]


def test_trace_returns_the_cli_bytes(session: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The trace tool's text is `servresp trace --facts - --format json` on the same facts."""
    assert session["trace"] == (False, _cli(["trace", "--facts", "-", "--format", "json"], OCTOBER,
                                            monkeypatch))


def test_why_show_and_check_answer_their_documents(session: dict[str, Any],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Why has the CLI's text; show a servresp.node/1; check the CLI's JSON."""
    failed, text = session["why"]
    assert not failed
    assert json.loads(text)["text"] == _cli(["why", "customer_service", "service_as_promised", "--facts",
                                             "-"], OCTOBER, monkeypatch)
    assert json.loads(session["show"][1])["schema"] == "servresp.node/1"
    assert session["check"] == (False, _cli(["check", "--format", "json"], "", monkeypatch))
    impact = _cli(["impact", "product_works", "--format", "json"], "", monkeypatch)
    assert session["impact"] == (False, impact)


def test_cutsets_returns_the_cli_bytes(session: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    """The cutsets tool is `servresp cutsets P --format json`, with `--facts` and `--probabilities`."""
    assert session["cutsets"] == (False, _cli(["cutsets", "product_works", "--format", "json"], "",
                                              monkeypatch))
    (tmp_path / "p.json").write_text('{"qc.product_quality": 0.05}', encoding="utf-8")
    learned = _cli(["cutsets", "product_works", "--facts", "-", "--probabilities", str(tmp_path / "p.json"),
                    "--format", "json"], OCTOBER, monkeypatch)
    assert session["cutsets_learned"] == (False, learned)
    failed, text = session["cutsets_bad"]
    assert failed
    assert '"urn:servresp:problem:bad-probabilities"' in text


def test_errors_are_the_api_problems(session: dict[str, Any]) -> None:
    """An unknown promise or unreadable facts: an error result carrying the problem document."""
    failed, text = session["trace_one"]
    assert failed
    assert '"urn:servresp:problem:unknown-id"' in text
    failed, text = session["bad_facts"]
    assert failed
    assert '"urn:servresp:problem:bad-facts"' in text
    assert "-:1: value: " in text


def test_resources_are_the_raci_matrix_promise_maps_and_fault_trees(session: dict[str, Any]) -> None:
    """The RACI matrix (Markdown, CSV), each promise's map and fault tree, as `servresp docs` writes them."""
    promises = ("commitment_kept", "product_works", "service_as_promised")
    assert session["resources"] == sorted(
        [f"servresp://charts/promises/{p}{kind}.md" for p in promises for kind in ("", ".faulttree")]
        + ["servresp://charts/raci.csv", "servresp://charts/raci.md"])
    assert session["raci"] == (ROOT / "docs" / "charts" / "raci.md").read_text(encoding="utf-8")
    charts = ROOT / "docs" / "charts" / "promises"
    assert session["faulttree"] == (charts / "product_works.faulttree.md").read_text(encoding="utf-8")
