"""`statusledger serve`: a real server on the example organisation, edited while it runs."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import PROJECT
from tests.site.support import NOW

OPEN_INCIDENT = "incidents/2026/2026-11-23-api-latency-serve.yaml"
OPEN_INCIDENT_URL = "incidents/2026-11-23-api-latency-serve/"
# The example's own incidents are all resolved; the test declares the open one it edits.
OPEN_RECORD = """\
title: Elevated API latency from some networks
kind: incident
severity: sev3
category: network
impact:
  - component: api
    level: degraded_performance
    from: 2026-11-23T09:40:00Z
timeline:
  started: 2026-11-23T09:40:00Z
updates:
  - at: 2026-11-23T09:50:00Z
    status: investigating
    message: API requests from some networks see elevated latency.
tags: [frankfurt, peering]
"""
START_TIMEOUT = 60.0
RELOAD_TIMEOUT = 30.0

SENTINEL_UPDATE = """\
  - at: 2026-11-23T10:30:00Z
    status: monitoring
    message: SERVE-SENTINEL-UPDATE routing is back to normal.
tags: [frankfurt, peering]
"""

BROKEN = """\
title: Broken while serving
kind: incident
severity: sev9
category: outage
updates:
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: x
"""


@dataclass
class Server:
    """A running `statusledger serve` and where to reach and read it."""

    process: subprocess.Popen[bytes]
    url: str
    root: Path
    log: Path
    tmp: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str = "") -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", errors="replace")

    def wait_for(self, what: str, done: Callable[[], bool], timeout: float) -> None:
        """Poll `done` until it holds; fail with the server's output when it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"serve exited ({self.process.returncode}):\n{self.output()}")
            try:
                if done():
                    return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        pytest.fail(f"{what}: not within {timeout:.0f} s; serve said:\n{self.output()}")

    def page_shows(self, path: str, text: str) -> bool:
        status, body = self.get(path)
        return status == 200 and text in body

    def stop(self) -> int:
        """SIGTERM the process group, as a terminal's Ctrl-C or a supervisor would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        return self.process.wait(timeout=15)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _example_org(root: Path) -> Path:
    """The example organisation at the project root, with its site sources."""
    root.mkdir(parents=True)
    shutil.copy(PROJECT / "services.yaml", root / "services.yaml")
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("incidents", "postmortems", "site"):
        shutil.copytree(PROJECT / folder, root / folder)
    (root / OPEN_INCIDENT).write_text(OPEN_RECORD, encoding="utf-8")
    return root


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    root = _example_org(tmp_path / "org")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    log = tmp_path / "serve.log"
    port = _free_port()
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    command = [sys.executable, "-m", "statusledger", "--root", str(root), "serve"]
    command += ["--dev-addr", f"127.0.0.1:{port}", "--now", NOW]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = Server(process, f"http://127.0.0.1:{port}/", root, log, tmp)
    try:
        started.wait_for("the home page", lambda: started.get()[0] == 200, START_TIMEOUT)
        yield started
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_serve_rebuilds_on_record_changes_and_survives_invalid_ones(server: Server) -> None:
    status, home = server.get()
    assert status == 200 and "<title>Northwind Cloud</title>" in home
    status, incident = server.get(OPEN_INCIDENT_URL)
    assert status == 200
    assert "<title>Elevated API latency from some networks - Northwind Cloud</title>" in incident
    assert "SERVE-SENTINEL-UPDATE" not in incident

    # Saving a record rebuilds the site: the new update shows on the incident page.
    record = server.root / OPEN_INCIDENT
    text = record.read_text(encoding="utf-8")
    assert text.endswith("tags: [frankfurt, peering]\n")
    record.write_text(
        text.removesuffix("tags: [frankfurt, peering]\n") + SENTINEL_UPDATE, encoding="utf-8"
    )
    server.wait_for(
        "the new update after a rebuild",
        lambda: server.page_shows(OPEN_INCIDENT_URL, "SERVE-SENTINEL-UPDATE"),
        RELOAD_TIMEOUT,
    )

    # An invalid record fails the rebuild, names the file, and the last good site stays up.
    (server.root / "incidents/2026/broken.yaml").write_text(BROKEN, encoding="utf-8")
    server.wait_for(
        "the failed rebuild naming the file in the log",
        lambda: "incidents/2026/broken.yaml:3:" in server.output(),
        RELOAD_TIMEOUT,
    )
    server.wait_for(
        "the last good page while a record is invalid",
        lambda: server.page_shows(OPEN_INCIDENT_URL, "SERVE-SENTINEL-UPDATE"),
        RELOAD_TIMEOUT,
    )
    assert server.page_shows("", "Northwind Cloud")
    assert "still serving the last good site" in server.output()
    assert "Traceback" not in server.output()

    # Fixing it brings rebuilds back: the edited title shows on the home page.
    (server.root / "incidents/2026/broken.yaml").unlink()
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            "title: Elevated API latency from some networks",
            "title: SERVE-SENTINEL-TITLE latency from some networks",
        ),
        encoding="utf-8",
    )
    server.wait_for(
        "the new title after the fix",
        lambda: server.page_shows("", "SERVE-SENTINEL-TITLE"),
        RELOAD_TIMEOUT,
    )

    # SIGTERM stops it cleanly, and its temporary site folders go with it.
    assert server.stop() == 0, server.output()
    assert list(server.tmp.iterdir()) == []
