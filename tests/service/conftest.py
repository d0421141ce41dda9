"""A live ``servresp serve`` on a free local port, shared by the HTTP tests of one module."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx
import pytest

from servresp.model.load import default_rules_dir


@attrs.frozen
class Live:
    """The running server, its client and its folders."""

    client: httpx.Client
    process: subprocess.Popen[bytes]
    rules: Path
    cwd: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    work = tmp_path_factory.mktemp("serve")
    rules = work / "rules"
    shutil.copytree(default_rules_dir(), rules)
    cwd = work / "cwd"
    cwd.mkdir()
    log = work / "stderr.log"
    port = _free_port()
    servresp = Path(sys.executable).with_name("servresp")
    with log.open("wb") as err:
        process = subprocess.Popen([str(servresp), "serve", "--rules", str(rules), "--port", str(port),
                                    "--max-body", "200000", "--max-facts", "500"],
                                   cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    try:
        for _ in range(600):  # up to 60 s on a busy machine
            if process.poll() is not None:
                pytest.fail(f"servresp serve exited: {log.read_text(encoding='utf-8')}")
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("servresp serve did not answer /health within 60 s")
        yield Live(client, process, rules, cwd, log)
    finally:
        client.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
