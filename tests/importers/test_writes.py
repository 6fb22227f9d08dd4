"""How an import writes: whole files, never over an edit made meanwhile, in the house style."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from statusledger.errors import StatusledgerError
from statusledger.importers.apply import plan, write
from statusledger.importers.statuspage import read_statuspage
from tests.authoring.test_locking import _hold
from tests.helpers import run_cli
from tests.importers.test_statuspage import (
    ACME,
    assert_valid,
    imported,
    load,
    resolve_login_incident,
    tree,
)

LOGIN = "incidents/2026/2026-11-19-intermittent-login-failures.yaml"


def test_a_record_edited_while_the_import_ran_is_left_as_it_is(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ACME, source)
    repo = tmp_path / "repo"
    repo.mkdir()
    imported(repo, source)
    resolve_login_incident(source / "incidents.json")
    outcome = plan(repo, read_statuspage([source]))
    assert outcome.updated == [LOGIN]
    mine = (repo / LOGIN).read_text(encoding="utf-8") + "# added by hand meanwhile\n"
    (repo / LOGIN).write_text(mine, encoding="utf-8")

    with pytest.raises(StatusledgerError, match="changed while the import ran"):
        write(repo, outcome)

    assert (repo / LOGIN).read_text(encoding="utf-8") == mine
    assert [p.name for p in (repo / LOGIN).parent.iterdir() if p.name.startswith(".")] == []
    # the next import brings the source's update on top of the hand edit
    assert run_cli("import", "statuspage", str(source), cwd=repo).code == 0
    text = (repo / LOGIN).read_text(encoding="utf-8")
    assert "# added by hand meanwhile\n" in text and load(repo / LOGIN)["timeline"]["resolved"]


def test_the_import_waits_for_a_command_holding_the_record_and_keeps_its_edit(
    tmp_path: Path,
) -> None:
    """An `update` (another process) holds the record's lock and writes: the import waits,
    sees the record changed and leaves it, instead of writing over the update."""
    source = tmp_path / "source"
    shutil.copytree(ACME, source)
    repo = tmp_path / "repo"
    repo.mkdir()
    imported(repo, source)
    resolve_login_incident(source / "incidents.json")
    outcome = plan(repo, read_statuspage([source]))
    holder = _hold(repo / LOGIN, 0.5, "# written by the other command\n")
    started = time.monotonic()

    with pytest.raises(StatusledgerError, match="changed while the import ran"):
        write(repo, outcome)

    assert holder.wait(timeout=30) == 0
    assert time.monotonic() - started >= 0.4  # it waited for the lock
    assert (repo / LOGIN).read_text(encoding="utf-8").endswith("# written by the other command\n")


def test_a_re_import_only_inserts_lines_and_keeps_crlf_and_a_byte_order_mark(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    shutil.copytree(ACME, source)
    repo = tmp_path / "repo"
    repo.mkdir()
    imported(repo, source)
    path = repo / LOGIN
    before = "\ufeff# on call\r\n" + path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(before.encode("utf-8"))
    resolve_login_incident(source / "incidents.json")

    imported(repo, source)

    after = path.read_bytes().decode("utf-8")
    assert after.startswith("\ufeff# on call\r\n")
    assert "\n" not in after.replace("\r\n", "")
    kept = iter(after.split("\r\n"))
    assert all(line in kept for line in before.split("\r\n"))  # old lines in order, none changed
    assert "    to: 2026-11-19T08:10:00Z\r\n" in after
    assert_valid(repo)
    unchanged = tree(repo)
    imported(repo, source)
    assert tree(repo) == unchanged


def test_long_messages_are_folded_as_authoring_writes_them(tmp_path: Path) -> None:
    """The one writer: a message longer than a line is folded at 80 columns, like `update`."""
    imported(tmp_path, ACME)

    text = (tmp_path / "incidents/2026/2026-05-10-database-upgrade.yaml").read_text()

    assert (
        "    message: >-\n"
        "      We will upgrade the database to a new major version. Writes may pause for\n"
        "      up to a minute.\n"
    ) in text
