"""servresp.service.api in-process: limits, CORS and the explorer, with Starlette's test client."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi.testclient import TestClient

import servresp.service
from servresp.model.classes import Model
from servresp.model.load import load_default
from servresp.service import api

if TYPE_CHECKING:
    import pytest

ROOT = Path(__file__).resolve().parents[2]
OCTOBER = (ROOT / "examples" / "october.jsonl").read_text(encoding="utf-8")
NDJSON = {"content-type": "application/x-ndjson"}


@cache
def bundled() -> Model:
    return load_default()


def test_the_app_is_importable_from_the_package() -> None:
    """servresp.service.app(model) builds the API for a model."""
    client = TestClient(servresp.service.app(bundled()))
    assert client.get("/version").json()["model"] == bundled().name


def test_an_evaluation_over_the_time_limit_is_503() -> None:
    """Past the per-request time limit the answer is a 503 problem."""
    client = TestClient(servresp.service.app(bundled(), limits=servresp.service.Limits(time_limit=1e-9)))
    response = client.post("/trace", content=OCTOBER, headers=NDJSON)
    assert response.status_code == 503
    assert response.json()["type"] == "urn:servresp:problem:time-limit"
    assert client.get("/health").status_code == 200


def test_cors_answers_only_configured_origins() -> None:
    """With an origin configured, a browser on it may call; others get no CORS header."""
    limits = servresp.service.Limits(cors_origins=("https://desk.example",))
    client = TestClient(servresp.service.app(bundled(), limits=limits))
    allowed = client.get("/health", headers={"origin": "https://desk.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://desk.example"
    other = client.get("/health", headers={"origin": "https://other.example"})
    assert "access-control-allow-origin" not in other.headers


def test_a_built_explorer_is_served_at_the_root_after_the_api(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With ASSETS/index.html, / serves the explorer's files and the API routes still win."""
    (tmp_path / "index.html").write_text("<!doctype html><title>explorer</title>", encoding="utf-8")
    (tmp_path / "health").write_text("not the API", encoding="utf-8")
    monkeypatch.setattr(api, "ASSETS", tmp_path)
    client = TestClient(api.app(bundled()))
    assert "explorer" in client.get("/").text
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/openapi.json").status_code == 200


def test_a_bug_is_a_500_problem_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception answers 500 problem+json that names no internals."""
    def broken(_model: Model) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(api.queries, "version_json", broken)
    client = TestClient(api.app(bundled()), raise_server_exceptions=False)
    response = client.get("/version")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "boom" not in response.text


def test_csv_facts_trace_like_json_lines() -> None:
    """A text/csv body traces as the same facts in JSON lines do."""
    client = TestClient(servresp.service.app(bundled()))
    rows = [json.loads(line) for line in OCTOBER.splitlines() if '"metric"' in line]
    columns = ("metric", "value", "period", "unit", "n")
    csv = "\n".join([",".join(columns), *(",".join(str(r.get(c, "")) for c in columns) for r in rows)])
    lines = "\n".join(json.dumps(r) for r in rows)
    by_csv = client.post("/trace", content=csv, headers={"content-type": "text/csv; charset=utf-8"}).json()
    by_lines = client.post("/trace", content=lines, headers=NDJSON).json()
    def ranked(document: dict[str, Any]) -> list[object]:  # lines differ: the CSV header is line 1
        return [(t["promise"], t["status"], [(o["unit"], o["share"]) for o in t["owners"]])
                for t in document["traces"]]

    assert ranked(by_csv) == ranked(by_lines)
    first = [d["traces"][0]["breaches"][0]["fact"]["line"] for d in (by_csv, by_lines)]
    assert first[0] == first[1] + 1
