"""servresp serve: every endpoint and error class over HTTP against a live server (httpx)."""

from __future__ import annotations

import io
import json
import os
import signal
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from openapi_spec_validator import validate

from servresp.cli import main
from servresp.model.load import load_model
from servresp.render.documents import dumps, node_document
from servresp.service.explorer import ASSETS

if TYPE_CHECKING:
    import httpx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.jsonl"))
OCTOBER = (ROOT / "examples" / "october.jsonl").read_text(encoding="utf-8")
NDJSON = {"content-type": "application/x-ndjson"}
SCHEMAS = ROOT / "docs" / "schema"


@cache
def _schema(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


def _problem(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    document = response.json()
    assert document["type"] == f"urn:servresp:problem:{kind}"
    schema = json.loads((SCHEMAS / "service.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/problem", "oneOf": None}
                                    | {"oneOf": [{"$ref": "#/$defs/problem"}]}).validate(document)
    return document


def _cli(args: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    out, err = io.StringIO(), io.StringIO()
    assert main(args, stdout=out, stderr=err) in {0, 1}, err.getvalue()
    return out.getvalue()


def test_health_and_version(live) -> None:
    """GET /health and /version answer their documents."""
    service = _schema("service.schema.json")
    for path in ("/health", "/version"):
        response = live.client.get(path)
        assert response.status_code == 200
        service.validate(response.json())
    assert live.client.get("/version").json()["model"] == "rules"


def test_model_and_nodes_are_the_documents(live) -> None:
    """GET /model, /units/{id}, /duties/{id}, /promises/{id}: the render.documents bytes."""
    model = load_model(live.rules)
    assert live.client.get("/model").json()["schema"] == "servresp.model/1"
    duty = min(model.duties)
    for path, id_ in (("units", "customer_service"), ("duties", duty), ("promises", "product_works")):
        response = live.client.get(f"/{path}/{id_}")
        assert response.status_code == 200
        assert response.text == dumps(node_document(model, id_))


@pytest.mark.parametrize("example", EXAMPLES)
def test_trace_is_the_cli_bytes(live, example: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """POST /trace of an example equals `servresp trace --format json` on it, byte for byte."""
    source = f"examples/{example}"
    expected = _cli(["trace", "--facts", source, "--format", "json"], monkeypatch)
    body = (ROOT / source).read_bytes()
    response = live.client.post("/trace", params={"source": source}, content=body, headers=NDJSON)
    assert response.status_code == 200
    assert response.text == expected


def test_trace_of_one_promise_and_period_from_stdin(live, monkeypatch: pytest.MonkeyPatch) -> None:
    """?promise and ?period trace one promise of one period, as the CLI reading stdin does."""
    monkeypatch.setattr("sys.stdin", io.StringIO(OCTOBER))
    expected = _cli(["trace", "product_works", "--facts", "-", "--period", "2026-10", "--format", "json"],
                    monkeypatch)
    response = live.client.post("/trace", params={"promise": "product_works", "period": "2026-10"},
                                content=OCTOBER, headers=NDJSON)
    assert response.text == expected


def test_a_json_list_is_read_too(live) -> None:
    """A JSON list body traces like the same facts as JSON lines."""
    facts = [json.loads(line) for line in OCTOBER.splitlines()]
    listed = live.client.post("/trace", json=facts).json()
    lined = live.client.post("/trace", content=OCTOBER, headers=NDJSON).json()
    assert [t["status"] for t in listed["traces"]] == [t["status"] for t in lined["traces"]]
    assert listed["traces"][0]["owners"][0]["share"] == lined["traces"][0]["owners"][0]["share"]


def test_why_report_readings_and_check_answer_as_the_cli(live, monkeypatch: pytest.MonkeyPatch) -> None:
    """POST /why has the CLI's text, /report and GET /check its bytes; /readings validates."""
    source = "examples/october.jsonl"
    why = live.client.post("/why", params={"unit": "customer_service", "promise": "service_as_promised",
                                           "source": source}, content=OCTOBER, headers=NDJSON).json()
    _schema("why.schema.json").validate(why)
    assert why["text"] == _cli(["why", "customer_service", "service_as_promised", "--facts", source],
                               monkeypatch)
    assert why["role"] == "owner"
    assert why["share"] > 0
    report = live.client.post("/report", params={"source": source}, content=OCTOBER, headers=NDJSON)
    assert report.text == _cli(["report", "--facts", source, "--format", "json"], monkeypatch)
    check = live.client.get("/check")
    assert check.text == _cli(["check", "--format", "json"], monkeypatch)
    readings = live.client.post("/readings", content=OCTOBER, headers=NDJSON).json()
    _schema("readings.schema.json").validate(readings)


def test_impact_is_the_cli_bytes_and_diff_compares_the_rules_sent(live,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """/impact and /cutsets are the CLI's bytes; POST /diff lists a changed text."""
    response = live.client.get("/impact/product_works")
    assert response.text == _cli(["impact", "product_works", "--format", "json"], monkeypatch)
    _problem(live.client.get("/impact/nothing"), 404, "unknown-id")
    cutsets = live.client.post("/cutsets/product_works", content=OCTOBER, headers=NDJSON)
    assert cutsets.text == _cli(["cutsets", "product_works", "--facts", "examples/october.jsonl", "--format",
                                 "json"], monkeypatch)
    _schema("cutsets.schema.json").validate(cutsets.json())
    _problem(live.client.get("/cutsets/nothing"), 404, "unknown-id")
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(live.rules.glob("*.yaml"))}
    files["promises.yaml"] = files["promises.yaml"].replace("really does what it should", "works")
    document = live.client.post("/diff", json={"files": files}).json()
    assert document["schema"] == "servresp.diff/1"
    assert [c["id"] for c in document["changed"]] == ["product_works"]
    broken = _problem(live.client.post("/diff", json={"files": {"a.yaml": "units: ["}}), 422, "bad-rules")
    assert broken["errors"][0]["text"].startswith("a.yaml:2: ")
    _problem(live.client.post("/diff", json={"files": {"../x.yaml": ""}}), 422, "bad-rules")
    _problem(live.client.post("/diff", content="{", headers={"content-type": "application/json"}),
             400, "bad-json")


def test_bad_lines_are_rejected_and_the_rest_evaluated(live) -> None:
    """A body with bad lines: 200, each bad line listed with its line and field."""
    body = (ROOT / "examples" / "bad_lines.jsonl").read_text(encoding="utf-8")
    document = live.client.post("/trace", content=body, headers=NDJSON).json()
    rejected = document["facts"]["rejected"]
    assert rejected
    assert all(r["source"] == "-" and r["line"] > 0 for r in rejected)


def test_bad_json_is_a_problem_per_line(live) -> None:
    """Nothing readable: 422 with every line's problem, as the CLI prints them."""
    document = _problem(live.client.post("/trace", content="{not json\n[1]\n", headers=NDJSON),
                        422, "bad-facts")
    assert [e["line"] for e in document["errors"]] == [1, 2, 0]
    assert document["errors"][0]["text"].startswith("-:1: ")


def test_unknown_ids_are_404_with_a_suggestion(live) -> None:
    """An unknown promise, unit or duty: 404 with a did-you-mean."""
    document = _problem(live.client.post("/trace", params={"promise": "product_work"}, content=OCTOBER,
                                         headers=NDJSON), 404, "unknown-id")
    assert document["detail"] == "unknown promise 'product_work'; did you mean 'product_works'?"
    _problem(live.client.get("/units/nobody"), 404, "unknown-id")
    _problem(live.client.get("/nowhere"), 404, "http")


def test_limits_and_bad_requests(live) -> None:
    """Too large a body or too many facts: 413; an unknown type: 415; bad parameters: 422."""
    _problem(live.client.post("/trace", content=b" " * 200_001, headers=NDJSON), 413, "body-too-large")
    line = OCTOBER.splitlines()[0]
    many = "\n".join([line] * 501)
    _problem(live.client.post("/trace", content=many, headers=NDJSON), 413, "too-many-facts")
    _problem(live.client.post("/trace", content=OCTOBER, headers={"content-type": "application/xml"}),
             415, "unsupported-media-type")
    _problem(live.client.post("/trace", params={"period": "October"}, content=OCTOBER, headers=NDJSON),
             422, "bad-parameters")
    _problem(live.client.post("/trace", params={"period": "2026-13"}, content=OCTOBER, headers=NDJSON),
             422, "bad-facts")
    _problem(live.client.post("/why", content=OCTOBER, headers=NDJSON), 422, "bad-parameters")
    _problem(live.client.post("/trace", content=b"\xff\xfe", headers=NDJSON), 400, "not-utf8")


def test_openapi_is_valid_and_the_docs_page_is_local(live) -> None:
    """/openapi.json validates; /docs and /redoc load only files this server serves."""
    spec = live.client.get("/openapi.json").json()
    validate(spec)
    for path in ("/health", "/version", "/model", "/check", "/units/{id}", "/duties/{id}",
                 "/promises/{id}", "/trace", "/why", "/report", "/readings", "/impact/{id}", "/diff",
                 "/cutsets/{promise}"):
        assert path in spec["paths"]
    for page in ("/docs", "/redoc"):
        html = live.client.get(page).text
        assert "http://" not in html
        assert "https://" not in html
        for asset in ("/docs/static/swagger-ui-bundle.js", "/docs/static/redoc.standalone.js"):
            assert live.client.get(asset).status_code == 200


def test_the_root_serves_the_explorer_or_points_at_the_docs(live) -> None:
    """/ is the explorer when built, else a JSON pointer to /docs; CORS is off by default."""
    response = live.client.get("/", headers={"origin": "https://elsewhere.example"})
    if (ASSETS / "index.html").is_file():
        assert response.headers["content-type"].startswith("text/html")
    else:
        assert response.json()["docs"] == "/docs"
    assert "access-control-allow-origin" not in response.headers


def test_access_log_has_one_json_line_per_request(live) -> None:
    """Each request logs method, path, status and duration as one JSON line."""
    live.client.get("/health", params={"probe": "access"})
    time.sleep(0.2)
    lines = [json.loads(line) for line in live.log.read_text(encoding="utf-8").splitlines()
             if line.startswith("{")]
    assert {"method": "GET", "path": "/health", "status": 200} in [
        {k: line[k] for k in ("method", "path", "status")} for line in lines]
    assert all(line["duration_ms"] >= 0 for line in lines)


def test_nothing_is_written_to_disk(live) -> None:
    """The server wrote no file in its working folder."""
    assert list(live.cwd.iterdir()) == []


def _wait_for(predicate: Any, what: str) -> None:
    for _ in range(300):
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def test_sighup_reloads_and_a_bad_model_keeps_the_old(live) -> None:
    """SIGHUP: a broken rules folder keeps the old model and logs why; a fixed one is served."""
    promises = live.rules / "promises.yaml"
    text = promises.read_text(encoding="utf-8")
    old = live.client.get("/promises/product_works").json()
    promises.write_text(text.replace("  - id: product_works\n", "  - id: product_works\n    bogus: 1\n"),
                        encoding="utf-8")
    os.kill(live.process.pid, signal.SIGHUP)
    _wait_for(lambda: "still serving" in live.log.read_text(encoding="utf-8"), "the failed reload")
    assert live.client.get("/promises/product_works").json() == old
    promises.write_text(text.replace("really does what it should", "works as it should"), encoding="utf-8")
    os.kill(live.process.pid, signal.SIGHUP)
    _wait_for(lambda: "works as it should" in live.client.get("/promises/product_works").text,
              "the new model")
