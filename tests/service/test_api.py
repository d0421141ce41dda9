"""servresp.service.api in-process: limits, CORS and the explorer, with Starlette's test client."""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

import servresp.service
from servresp.cli import main
from servresp.model.classes import Model
from servresp.model.load import load_default
from servresp.service import api

if TYPE_CHECKING:
    from collections.abc import Iterator

    import httpx

ROOT = Path(__file__).resolve().parents[2]
OCTOBER_PATH = str(ROOT / "examples" / "october.jsonl")
OCTOBER = Path(OCTOBER_PATH).read_text(encoding="utf-8")
NDJSON = {"content-type": "application/x-ndjson"}
PROMISES = ("commitment_kept", "product_works", "service_as_promised")


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


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(servresp.service.app(bundled())) as test_client:
        yield test_client


def _cli(*args: str) -> str:
    """Return what `servresp ARGS` writes to stdout (the cutsets JSON names no input file)."""
    out, err = io.StringIO(), io.StringIO()
    assert main(list(args), stdout=out, stderr=err) == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize("promise", PROMISES)
def test_cutsets_are_the_cli_bytes(client: TestClient, promise: str, tmp_path: Path) -> None:
    """GET is `servresp cutsets P --format json`; POST facts is `--facts`; the object form takes both."""
    plain = _cli("cutsets", promise, "--format", "json")
    got = client.get(f"/cutsets/{promise}")
    assert (got.status_code, got.headers["content-type"], got.text) == (200, "application/json", plain)
    assert client.post(f"/cutsets/{promise}", json={}).text == plain
    learned = _cli("cutsets", promise, "--facts", OCTOBER_PATH, "--format", "json")
    assert learned != plain
    assert client.post(f"/cutsets/{promise}", content=OCTOBER, headers=NDJSON).text == learned
    facts = [json.loads(line) for line in OCTOBER.splitlines()]
    assert client.post(f"/cutsets/{promise}", json=facts).text == learned
    given_p = {"qc.product_quality": 0.05, "employee.know_own_role": 0.5}
    (tmp_path / "p.json").write_text(json.dumps(given_p), encoding="utf-8")
    both = _cli("cutsets", promise, "--facts", OCTOBER_PATH, "--probabilities",
                str(tmp_path / "p.json"), "--format", "json")
    assert client.post(f"/cutsets/{promise}", json={"facts": facts, "probabilities": given_p}).text == both


@settings(max_examples=10, deadline=None)
@given(probabilities=st.dictionaries(st.sampled_from(sorted(bundled().duties)),
                                     st.floats(0, 1) | st.sampled_from([0, 1]), max_size=6))
def test_any_valid_probabilities_answer_as_the_cli(client: TestClient,
                                                   tmp_path_factory: pytest.TempPathFactory,
                                                   probabilities: dict[str, float]) -> None:
    """Probabilities alone, for any duties and values: the bytes of `--probabilities FILE`."""
    path = tmp_path_factory.mktemp("p") / "p.json"
    path.write_text(json.dumps(probabilities), encoding="utf-8")
    expected = _cli("cutsets", "product_works", "--probabilities", str(path), "--format", "json")
    answer = client.post("/cutsets/product_works", json={"probabilities": probabilities})
    assert (answer.status_code, answer.text) == (200, expected)


def _kind(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return str(response.json()["type"]).removeprefix("urn:servresp:problem:")


def test_cutsets_refuse_what_the_cli_refuses(client: TestClient) -> None:
    """Unknown promise 404; bad probabilities 422 naming each key; a bad body 422; too many facts 413."""
    assert _kind(client.get("/cutsets/product_work"), 404) == "unknown-id"
    assert "did you mean 'product_works'" in client.get("/cutsets/product_work").json()["detail"]
    assert _kind(client.post("/cutsets/nope", json={}), 404) == "unknown-id"
    bad = client.post("/cutsets/product_works", json={"probabilities": {"qc.product_qualty": 0.1,
                                                                        "qc.product_quality": 1.5}})
    assert _kind(bad, 422) == "bad-probabilities"
    assert [e["field"] for e in bad.json()["errors"]] == ["qc.product_quality", "qc.product_qualty"]
    assert "did you mean 'qc.product_quality'" in bad.text
    listed = client.post("/cutsets/product_works", json={"probabilities": [0.1]})
    assert _kind(listed, 422) == "bad-probabilities"
    typo = client.post("/cutsets/product_works", json={"probabilites": {}})
    assert _kind(typo, 422) == "bad-parameters"
    assert typo.json()["errors"][0]["field"] == "probabilites"
    not_a_list = client.post("/cutsets/product_works", json={"facts": {"metric": "x"}})
    assert _kind(not_a_list, 422) == "bad-parameters"
    assert _kind(client.post("/cutsets/product_works", json={"facts": []}), 422) == "bad-facts"
    limited = TestClient(servresp.service.app(bundled(), limits=servresp.service.Limits(max_facts=2)))
    facts = [json.loads(line) for line in OCTOBER.splitlines()][:3]
    assert _kind(limited.post("/cutsets/product_works", json={"facts": facts}), 413) == "too-many-facts"


def test_a_405_allows_every_method_of_the_path(client: TestClient) -> None:
    """/cutsets/{promise} has two routes (GET, POST): a 405 problem's Allow names both."""
    response = client.request("OPTIONS", "/cutsets/product_works")
    assert (_kind(response, 405), response.headers["allow"]) == ("http", "GET, POST")
    assert client.put("/trace").headers["allow"] == "POST"
