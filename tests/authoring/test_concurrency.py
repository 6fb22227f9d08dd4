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
        cwd=root,
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


def test_concurrent_new_incidents_never_overwrite_each_other(tmp_path: Path) -> None:
    """Same title, same second, so the same id: one file each, or the loser says so."""
    for round_ in range(6):
        root = make_repo(tmp_path / f"r{round_}")
        messages = [f"Declared by writer {n} in round {round_}." for n in range(WRITERS)]
        running = [
            (
                message,
                _start(
                    root,
                    "new",
                    "incident",
                    "--title",
                    "API errors",
                    "--severity",
                    "sev2",
                    "--message",
                    message,
                    "--now",
                    "2026-11-20T14:00:00Z",
                ),
            )
            for message in messages
        ]
        results = [(message, *process.communicate(timeout=120)) for message, process in running]
        codes = [process.returncode for _, process in running]
        written = []
        for (message, out, err), code in zip(results, codes, strict=True):
            assert "Traceback" not in err
            if code == 0:
                path = root / out.strip()
                assert message in path.read_text(encoding="utf-8")
                written.append(path)
            else:
                assert code == 1, err
                assert err.startswith("statusledger: "), err
        files = sorted((root / "incidents" / "2026").glob("*.yaml"))
        assert sorted(written) == files
        assert files  # at least one declaration landed
        assert not list((root / "incidents" / "2026").glob(".*"))  # no temporary files left


def test_update_resolve_and_postmortem_at_once_all_land(tmp_path: Path) -> None:
    for round_ in range(6):
        root = make_repo(tmp_path / f"r{round_}", {OPEN_PATH: OPEN_INCIDENT})
        record = "2026-11-20-checkout-errors"
        now = ("--now", "2026-11-20T14:00:00Z")
        running = [
            _start(root, "update", record, "--status", "monitoring", "--message", "Fixed.", *now),
            _start(root, "update", record, "--status", "identified", "--message", "Found.", *now),
            _start(root, "new", "postmortem", record, *now),
        ]
        for process in running:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
        text = (root / OPEN_PATH).read_text(encoding="utf-8")
        assert "message: Fixed." in text and "message: Found." in text
        assert f"postmortem: {record}" in text
        assert text.count("acknowledged:") == 1
        assert (root / "postmortems" / f"{record}.md").is_file()
