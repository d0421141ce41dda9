"""B7 (issue 18): ``servresp serve`` under load: 8 clients POST /trace of october.jsonl.

Traffic goes only to 127.0.0.1, to a server this benchmark starts and stops; it is bounded
in time (30 s full, 5 s quick, 0.5 s smoke) and in count (`MAX_REQUESTS`). Reported:
requests/s, p50 and p99 latency, the server's RSS before, halfway and after, and throughput as a
ratio of the same traces computed in-process in a loop (parse, evaluate, trace, JSON).
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

import httpx

from bench_common import EXAMPLE_FACTS, ROOT, Row, Sizes, ratio_row, rss_mb, servresp_command, wait_idle

__all__ = ["MAX_REQUESTS", "b7_service"]

SECONDS = {"full": 30.0, "quick": 5.0, "smoke": 0.5}
CLIENTS = {"full": 8, "quick": 8, "smoke": 2}
MAX_REQUESTS = 200_000
"""A hard cap on requests per run, whatever the speed."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([*servresp_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError("servresp serve exited at start")
            try:
                if client.get("/health").status_code == 200:
                    return process
            except httpx.TransportError:
                time.sleep(0.1)
    process.kill()
    raise RuntimeError("servresp serve did not answer /health within 60 s")


def _load(port: int, body: bytes, clients: int, seconds: float) -> tuple[list[float], int, float]:
    """Run ``clients`` threads until the deadline; return latencies (s), failures and elapsed."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30,
                          headers={"content-type": "application/x-ndjson"}) as http:
            while time.perf_counter() < deadline and len(latencies) < MAX_REQUESTS:
                start = time.perf_counter()
                ok = http.post("/trace", content=body).status_code == 200
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took)
                    failures[0] += not ok

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0], time.perf_counter() - start


def _in_process(text: str, seconds: float) -> float:
    """Traces per second computed in this process, in a loop: what one request does."""
    from servresp.evaluate.facts import parse_facts  # noqa: PLC0415 - after the server started
    from servresp.model.load import load_default  # noqa: PLC0415
    from servresp.trace.report import build_report  # noqa: PLC0415

    model = load_default()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds and count < MAX_REQUESTS:
        build_report(model, parse_facts(text, model, source="-")).to_json()
        count += 1
    return count / (time.perf_counter() - start)


def b7_service(sizes: Sizes, _work: Path) -> list[Row]:
    """Load the service and compare with the in-process loop."""
    seconds, clients = SECONDS.get(sizes.name, 30.0), CLIENTS.get(sizes.name, 8)
    body = EXAMPLE_FACTS.read_bytes()
    port = _free_port()
    process = _start(port)
    try:
        _load(port, body, 1, min(seconds, 2.0))  # warm up: imports, first engines, caches
        wait_idle(process.pid)
        before = rss_mb(process.pid)
        latencies, failures, elapsed = _load(port, body, clients, seconds / 2)
        wait_idle(process.pid)
        middle = rss_mb(process.pid)
        more, failed, took = _load(port, body, clients, seconds / 2)
        wait_idle(process.pid)
        after = rss_mb(process.pid)
        latencies, failures, elapsed = latencies + more, failures + failed, elapsed + took
    finally:
        process.terminate()
        process.wait(timeout=30)
    baseline = _in_process(body.decode("utf-8"), min(seconds, 10.0))
    rate = len(latencies) / elapsed
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    what = f"{clients} clients POST /trace october.jsonl, {seconds:g} s"
    return [
        Row("B7", f"{what}: requests/s", "req/s", [rate], note=f"{len(latencies)} requests, "
            f"{failures} failed"),
        Row("B7", "in-process traces/s (same work, one loop)", "req/s", [baseline]),
        ratio_row("B7", "service ÷ in-process throughput", [rate / baseline], "≥ 0.5",
                  lambda r: r >= 0.5),
        Row("B7", "p50 latency", "ms", [p50]),
        Row("B7", "p99 latency", "ms", [p99], "≤ 100", p99 <= 100),
        Row("B7", f"server RSS {before:.1f} → {middle:.1f} → {after:.1f} MB: growth", "MB",
            [after - before], "≤ 5", after - before <= 5),
        Row("B7", "RSS growth over the second half (flat?)", "MB", [after - middle]),
    ]
