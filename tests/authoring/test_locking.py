"""The record lock against a real second process: waiting, renames while waiting, giving up."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from statusledger.errors import StatusledgerError
from statusledger.locking import locked
from tests.authoring.test_refusals import OPEN_INCIDENT
from tests.helpers import make_repo, run_cli

pytest.importorskip("fcntl", reason="flock(2) locks exist on POSIX systems only")

PATH = "incidents/2026/2026-11-20-checkout-errors.yaml"
THEIRS = "  - at: 2026-11-20T13:20:00Z\n    status: identified\n    message: Theirs.\n"

# Holds the record's lock, says so, waits, then (like a writer) renames a new version over it.
HOLDER = """
import fcntl, os, sys, time
path, seconds, append = sys.argv[1], float(sys.argv[2]), sys.argv[3]
fd = os.open(path, os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(seconds)
if append:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path + ".new", "w", encoding="utf-8") as f:
        f.write(text + append)
    os.replace(path + ".new", path)
os.close(fd)
"""


def _hold(path: Path, seconds: float, append: str = "") -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds), append],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "locked\n"
    return holder


def test_an_update_waits_for_a_writer_and_lands_on_top_of_its_rename(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: OPEN_INCIDENT})
    holder = _hold(root / PATH, 0.5, THEIRS)
    started = time.monotonic()
    result = run_cli(
        "--root",
        str(root),
        "update",
        "2026-11-20-checkout-errors",
        "--status",
        "identified",
        "--message",
        "Ours.",
        "--now",
        "2026-11-20T14:00:00Z",
    )
    assert holder.wait(timeout=30) == 0
    assert result.code == 0, result.err
    assert time.monotonic() - started >= 0.4  # it waited for the lock
    text = (root / PATH).read_text(encoding="utf-8")
    assert "message: Theirs." in text and "message: Ours." in text
    assert text.index("Theirs.") < text.index("Ours.")


def test_a_lock_held_too_long_is_a_clear_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {PATH: OPEN_INCIDENT})
    holder = _hold(root / PATH, 5)
    try:
        with pytest.raises(StatusledgerError) as raised, locked(root / PATH, wait=0.3):
            pass
        assert "is being written by another statusledger command" in str(raised.value)
        assert "nothing was written" in str(raised.value)
    finally:
        holder.kill()
        holder.wait()
    with locked(root / PATH, wait=1):  # released with the process
        pass
