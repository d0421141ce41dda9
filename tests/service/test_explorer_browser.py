"""The web explorer in a real browser: headless Chromium driven by Playwright.

Every test loads the explorer against a live ``servresp serve`` (or, for the static site,
from the file system), refuses every request to a host other than this machine, and saves a
screenshot of what it saw into ``build/screenshots/`` at 1400×900. The tests skip, saying
why, only where no browser is installed (``make browser`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

import servresp
from servresp.cli import main
from servresp.model.load import load_model
from servresp.render.documents import model_document
from servresp.service.explorer.site import render_site, write_site

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.jsonl"))
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "")
                 if p and Path(p).is_file()), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
MODEL = servresp.load_default()
SERVRESP = str(Path(sys.executable).with_name("servresp"))

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
if CHROMIUM is None:
    pytest.skip("no Chromium at /usr/bin/chromium: run 'make browser' (apt-get install chromium)",
                allow_module_level=True)


def _has_serve() -> bool:
    with contextlib.redirect_stderr(io.StringIO()):
        return main(["serve", "--help"], stdout=io.StringIO(), stderr=io.StringIO()) == 0


needs_serve = pytest.mark.skipif(not _has_serve(), reason="this servresp has no 'serve' command yet")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _serving(*rules: str) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen([SERVRESP, "serve", "--port", str(port), *rules],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):
            if process.poll() is not None:
                said = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"servresp serve exited: {said}")
            try:
                with urllib.request.urlopen(f"{url}health", timeout=1):  # noqa: S310 - our own local server
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("servresp serve did not answer /health within a minute")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    if not _has_serve():
        pytest.skip("this servresp has no 'serve' command yet")
    with _serving() as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": 1400, "height": 900}, accept_downloads=True)
        yield context
        context.close()


@pytest.fixture
def page(browser):
    """Open a fresh page whose requests may reach this machine only; any other host fails the test."""
    outside: list[str] = []

    def guard(route) -> None:
        url = urlparse(route.request.url)
        if url.scheme in LOCAL_SCHEMES or url.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab = browser.new_page()
    tab.route("**/*", guard)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    tab.close()
    assert outside == [], f"the explorer asked the network for {outside}"
    assert errors == [], f"the page raised {errors}"


def _holders(duty) -> set[str]:
    raci = duty.raci
    return {raci.accountable, *raci.responsible, *raci.consulted, *raci.informed}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready]", state="attached", timeout=20_000)


def _cli_owners(facts: Path) -> dict[str, list[str]]:
    out = io.StringIO()
    main(["trace", "--facts", str(facts), "--format", "json"], stdout=out, stderr=io.StringIO())
    report = json.loads(out.getvalue())
    return {t["promise"]: [o["unit"] for o in t["owners"]] for t in report["traces"]}


def _shown_owners(page) -> dict[str, list[str]]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll("article.trace")].map(
        (a) => [a.dataset.promise, [...a.querySelectorAll(".owner")].map((o) => o.dataset.unit)]))""")


@needs_serve
def test_search_a_duty_and_open_its_panel(page, server: str) -> None:
    """Searching a duty centres the graph on it and its panel shows its RACI and cited section."""
    _open(page, server)
    page.wait_for_selector("body[data-graph=ready]", state="attached")
    _shot(page, "graph")
    page.fill("#graph-search", "resolve on the spot")
    page.click("#graph-search-go")
    page.wait_for_selector("#panel-raci")
    assert page.text_content("#panel-title") == "customer_service.resolve_on_the_spot"
    assert "customer_service" in page.text_content("#panel-raci")
    assert "§ 3." in page.text_content("#panel")
    _shot(page, "panel")


@needs_serve
def test_uploaded_facts_show_the_owners_in_the_order_the_cli_gives(page, server: str) -> None:
    """For every example, the owners on screen are the CLI's, in its order."""
    _open(page, f"{server}#trace")
    for facts in EXAMPLES:
        page.evaluate("document.body.dataset.trace = ''")
        page.set_input_files("#trace-file", str(facts))
        page.click("#trace-run")
        page.wait_for_selector("body[data-trace=ready]", state="attached")
        assert _shown_owners(page) == _cli_owners(facts), facts.name
        if facts.name == "service_broken.jsonl":
            page.click("article[data-promise=service_as_promised] .owner-row >> nth=0")
            page.wait_for_selector(".owner-detail .pathgraph canvas")
            _shot(page, "trace")
            page.locator(".owner-detail").scroll_into_view_if_needed()
            _shot(page, "trace-owner")
            page.click(".owner-detail .paths-to-graph")
            page.wait_for_selector("body[data-highlighted]", state="attached")
            assert int(page.evaluate("document.body.dataset.highlighted")) >= 3
            _shot(page, "graph-path")
            page.click("#tab-trace")


@needs_serve
def test_pasted_jsonl_and_a_bad_period_say_what_the_server_said(page, server: str) -> None:
    """Pasted JSONL is traced; a period the server refuses shows its message."""
    _open(page, f"{server}#trace")
    page.fill("#trace-paste", (ROOT / "examples" / "october.jsonl").read_text(encoding="utf-8"))
    page.click("#trace-run")
    page.wait_for_selector("body[data-trace=ready]", state="attached")
    assert _shown_owners(page) == _cli_owners(ROOT / "examples" / "october.jsonl")
    page.fill("#trace-period", "October")
    page.click("#trace-run")
    page.wait_for_selector("#trace-error")


@needs_serve
def test_standards_chart_the_readings_against_their_targets(page, server: str) -> None:
    """After a trace, each standard with a reading has a chart; breached points are marked."""
    _open(page, f"{server}#trace")
    page.set_input_files("#trace-file", str(ROOT / "examples" / "service_broken.jsonl"))
    page.click("#trace-run")
    page.wait_for_selector("body[data-trace=ready]", state="attached")
    page.click("#tab-standards")
    chart = page.wait_for_selector("article[data-standard=call_answer_ring2] svg.readings-chart")
    assert chart.query_selector("circle.breached") is not None
    _shot(page, "standards")


@needs_serve
def test_raci_matrix_filters_and_exports_csv(page, server: str) -> None:
    """The matrix keeps its headers in view, filters by unit, and exports what it shows as CSV."""
    _open(page, f"{server}#raci")
    page.wait_for_selector("#raci-table")
    header = "getComputedStyle(document.querySelector('#raci-table thead th')).position"
    assert page.evaluate(header) == "sticky"
    _shot(page, "raci")
    page.select_option("#raci-unit", "finance")
    page.wait_for_function("document.querySelectorAll('#raci-table tbody tr').length < 74")
    with page.expect_download() as download:
        page.click("#raci-csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert {row["duty"] for row in rows} == {d.id for d in MODEL.duties.values() if "finance" in _holders(d)}
    assert {row["duty"]: row["finance"] for row in rows}["finance.accurate_invoices"] == "AR"


@needs_serve
def test_switching_to_chinese(page, server: str) -> None:
    """The UI strings and the model's texts switch to Chinese."""
    _open(page, server)
    page.select_option("#lang", "zh")
    assert page.text_content("#tab-graph") == "组织"
    page.fill("#graph-search", "customer_service.resolve_on_the_spot")
    page.click("#graph-search-go")
    page.wait_for_selector("#panel-raci")
    assert "客户服务部" in page.text_content("#panel-raci")
    _shot(page, "graph-zh")
    page.click("#tab-trace")
    page.set_input_files("#trace-file", str(ROOT / "examples" / "service_broken.jsonl"))
    page.click("#trace-run")
    page.wait_for_selector("body[data-trace=ready]", state="attached")
    assert "已违反" in page.text_content("article[data-promise=service_as_promised]")
    _shot(page, "trace-zh")


def test_a_model_of_1000_units_opens_on_its_units(page, tmp_path: Path) -> None:
    """A 1,000-unit model opens on its units only, with every unit to pick.

    The page reads the model document (what ``GET /model`` serves) from a script beside it, so
    the browser's work alone is measured: the milliseconds to the first render are written to
    ``build/screenshots/first-render.json`` (the issue's bar is 2 s; timings are not asserted).
    """
    rules = tmp_path / "rules"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "orggen.py"), str(rules), "--units", "1000",
                    "--seed", "1"], check=True, capture_output=True)
    model = load_model(rules)
    site = tmp_path / "site"
    data = json.dumps({"model": model_document(model), "nodes": {}, "examples": []})
    write_site(site, {**render_site(servresp.load_default()), "data.js": f"window.SERVRESP_DATA = {data};\n"})
    page.goto((site / "index.html").as_uri())
    page.wait_for_selector("body[data-graph=ready]", state="attached", timeout=60_000)
    times = page.evaluate("""() => ({html: performance.getEntriesByType("navigation")[0].responseEnd,
        model: +document.body.dataset.modelMs, graph: +document.body.dataset.graphMs})""")
    assert page.text_content("#graph-info").startswith("Large model: showing units only.")
    assert page.evaluate("document.body.dataset.nodes") == "1000"
    assert page.evaluate("document.querySelectorAll('#graph-unit option').length") == 1001
    _shot(page, "graph-1000-units")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "first-render.json").write_text(json.dumps({
        "units": len(model.units), "duties": len(model.duties),
        "first_render_ms": round(times["graph"] - times["html"]),
        "draw_ms": round(times["graph"] - times["model"])}, indent=2) + "\n", encoding="utf-8")


def test_static_site_works_from_the_file_system(page, tmp_path: Path) -> None:
    """`servresp site` writes a site that opens from file://, offers the examples and refuses uploads."""
    out = tmp_path / "site"
    assert main(["site", str(out), "--facts", *map(str, EXAMPLES)], stdout=io.StringIO(),
                stderr=io.StringIO()) == 0
    _open(page, (out / "index.html").as_uri() + "#trace")
    assert page.is_visible("#static-note")
    assert page.is_disabled("#trace-run")
    for facts in EXAMPLES:
        page.select_option("#trace-example", str(facts))
        assert _shown_owners(page) == _cli_owners(facts), facts.name
    _shot(page, "static-trace")
