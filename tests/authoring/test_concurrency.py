"""Authoring commands run at the same time on one record: every reported success is in the file.

Real processes, started together, on a real repository: two people (or a bot and a person)
posting to the same incident at once must never both be told "done" while one update is lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.helpers import make_repo

OPEN_PATH = "incidents/2026/2026-11-20-checkout-errors.yaml"
OPEN_INCIDENT = """\
# Checkout incident; comments stay where they are.
title: Checkout errors
kind: incident
severity: sev2
category: outage
impact:
  - component: api
    level: partial_outage
    from: 2026-11-20T13:00:00Z
timeline:
  started: 2026-11-20T13:00:00Z
  detected: 2026-11-20T13:05:00Z
updates:
  - at: 2026-11-20T13:10:00Z
    status: investigating
    message: Looking into it.
"""
ROUNDS = 20
WRITERS = 3


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "tooling")}
    return subprocess.Popen(
        [sys.executable, "-m", "statusledger", "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _messages(root: Path) -> list[str]:
    data = yaml.safe_load((root / OPEN_PATH).read_text(encoding="utf-8"))
    return [u["message"] for u in data["updates"]]


def test_concurrent_updates_all_land_or_fail_loudly(tmp_path: Path) -> None:
    """Every update that exits 0 is in the file; one that is not exits 1 and says why."""
    lost, landed, refused = [], 0, 0
    for round_ in range(ROUNDS):
        root = make_repo(tmp_path / f"r{round_}", {OPEN_PATH: OPEN_INCIDENT})
        messages = [f"Update {n} of round {round_}." for n in range(WRITERS)]
        running = [
            (
                message,
                _start(
                    root,
                    "update",
                    "2026-11-20-checkout-errors",
                    "--status",
                    "identified",
                    "--message",
                    message,
                    "--now",
                    "2026-11-20T14:00:00Z",
                ),
            )
            for message in messages
        ]
        results = [
            (message, *process.communicate(timeout=120), process.returncode)
            for message, process in running
        ]
        in_file = _messages(root)
        text = (root / OPEN_PATH).read_text(encoding="utf-8")
        assert text.startswith("# Checkout incident; comments stay where they are.\n")
        for message, _, err, code in results:
            assert "Traceback" not in err
            if code == 0:
                landed += 1
                if message not in in_file:
                    lost.append((round_, message))
            else:
                refused += 1
                assert code == 1, err
                assert "nothing was written" in err, err
                assert message not in in_file
        # Each update appears once, and the updates are still in time order.
        assert len(in_file) == len(set(in_file))
    assert lost == [], f"reported written but missing from the file: {lost}"
    # The lock serialises the writers, so (with retries) every one of them lands.
    assert (landed, refused) == (ROUNDS * WRITERS, 0)
