"""Real receivers on 127.0.0.1: an HTTP server for webhooks and chat, aiosmtpd for e-mail,
and an organisation committed in a real git repository with one channel of every type."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import MINIMAL_SERVICES, Result, git_commit, git_init, make_repo, run_cli

NOW = "2026-11-22T12:00:00Z"
SECRET = "s3cr3t-t0ken"
PASSWORD = "pa55-w0rd"
OPEN_PATH = "incidents/2026/2026-11-22-api-slow.yaml"

CHANNELS = """\
notifications:
  - {id: ops, type: slack, url_env: NL_SLACK, components: [api]}
  - {id: web-team, type: slack, url_env: NL_SLACK_WEB, components: [web]}
  - {id: teams, type: teams, url_env: NL_TEAMS}
  - {id: discord, type: discord, url_env: NL_DISCORD}
  - {id: hook, type: webhook, url_env: NL_HOOK}
  - {id: mail, type: email, to: [status@example.com], from: noreply@example.com, smtp_env: NL_SMTP}
"""

OPEN = """\
title: Slow API responses
kind: incident
severity: sev3
category: degradation
impact:
  - component: api
    level: degraded_performance
    from: 2026-11-22T09:00:00Z
timeline:
  started: 2026-11-22T09:00:00Z
updates:
  - at: 2026-11-22T09:10:00Z
    status: investigating
    message: Some API calls are slow.
"""

IDENTIFIED = """\
  - at: 2026-11-22T10:00:00Z
    status: identified
    message: A slow database index is the cause; a fix is being rolled out.
"""


@dataclass
class Request:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Receiver:
    """An HTTP server that records every POST: /fail... answers 500, /moved... 302."""

    url: str
    requests: list[Request] = field(default_factory=list)

    def on(self, path: str) -> list[Any]:
        return [r.body for r in self.requests if r.path == path]


@dataclass
class Mailbox:
    """What the SMTP server received: envelopes and parsed messages."""

    host: str
    port: int
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found: list[Request] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            found.append(Request(self.path, dict(self.headers), json.loads(raw)))
            code = 500 if self.path.startswith("/fail") else 204
            if self.path.startswith("/moved"):
                code = 302
            self.send_response(code)
            if code == 302:
                self.send_header("Location", "/hook/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_address[1]}", found)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    box = Mailbox("127.0.0.1", _free_port())

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            parsed = message_from_bytes(envelope.original_content, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            box.messages.append((list(envelope.rcpt_tos), parsed))
            return "250 OK"

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
        if isinstance(auth, LoginPassword):
            box.logins.append((auth.login.decode(), auth.password.decode()))
            ok = auth.login == b"notifier" and auth.password == PASSWORD.encode()
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)

    controller = Controller(
        Handler(),
        hostname=box.host,
        port=box.port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """An open incident on api merged on main, with one channel of every type."""
    root = tmp_path / "org"
    root.mkdir()
    make_repo(root, {"services.yaml": MINIMAL_SERVICES + CHANNELS, OPEN_PATH: OPEN})
    git_init(root)
    git_commit(root, "Merged: the API is slow")
    return root


@pytest.fixture
def wired(
    monkeypatch: pytest.MonkeyPatch, receiver: Receiver, mailbox: Mailbox
) -> tuple[Receiver, Mailbox]:
    """Every channel's variable pointing at the local receivers, each with a secret in it."""
    for name, path in (
        ("NL_SLACK", "slack"),
        ("NL_SLACK_WEB", "slack-web"),
        ("NL_TEAMS", "teams"),
        ("NL_DISCORD", "discord"),
        ("NL_HOOK", "hook"),
    ):
        monkeypatch.setenv(name, f"{receiver.url}/{path}/{SECRET}")
    monkeypatch.setenv("NL_SMTP", f"smtp://notifier:{PASSWORD}@{mailbox.host}:{mailbox.port}")
    return receiver, mailbox


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def notify(root: Path, *args: str) -> Result:
    """Run `statusledger notify` as the publish workflow does, with quick retries."""
    result = run_cli(
        "--root", str(root), "notify", "--now", NOW, "--backoff", "0.01", "--timeout", "5", *args
    )
    leaked = [s for s in (SECRET, PASSWORD) if s in result.out + result.err]
    assert not leaked, f"a secret reached the output: {result.out}{result.err}"
    return result
