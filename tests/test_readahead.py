"""Reading in a second process (readahead.py) must change nothing but the time it takes."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from statusledger import readahead
from statusledger.loading import load_ledger
from statusledger.parsecache import ParseCache
from statusledger.validation import Context, validate
from tests.benchmarks.synth import generate

PARENT = os.getpid()


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(readahead.WORKERS_ENV, "force")
    yield


def square(item: int) -> int:
    return item * item


def test_results_arrive_in_order_from_the_child(workers: None) -> None:
    items = list(range(1000))
    finished: list[int] = []
    got = list(
        readahead.in_order(
            items, square, lambda r: r, lambda d: d, lambda: finished.append(os.getpid())
        )
    )
    assert got == [i * i for i in items]
    assert finished == [], "finish ran in the child, not here"


def test_a_child_that_fails_half_way_leaves_the_rest_to_the_parent(workers: None) -> None:
    def fragile(item: int) -> int:
        if item == 700 and os.getpid() != PARENT:
            raise RuntimeError("the child breaks")
        return item + 1

    finished: list[int] = []
    got = list(
        readahead.in_order(
            list(range(1000)), fragile, lambda r: r, lambda d: d, lambda: finished.append(1)
        )
    )
    assert got == [i + 1 for i in range(1000)]
    assert finished == [1], "the parent finished the work, so it runs finish"


def test_a_killed_child_leaves_the_rest_to_the_parent(workers: None) -> None:
    def doomed(item: int) -> int:
        if item == 300 and os.getpid() != PARENT:
            os.kill(os.getpid(), signal.SIGKILL)
        return -item

    got = list(readahead.in_order(list(range(600)), doomed, lambda r: r, lambda d: d))
    assert got == [-i for i in range(600)]


def test_serial_when_disabled_or_small(monkeypatch: pytest.MonkeyPatch) -> None:
    pids: list[int] = []

    def where(item: int) -> int:
        pids.append(os.getpid())
        return item

    monkeypatch.setenv(readahead.WORKERS_ENV, "1")
    assert list(readahead.in_order(list(range(2000)), where, int, int)) == list(range(2000))
    monkeypatch.delenv(readahead.WORKERS_ENV)
    assert list(readahead.in_order([1, 2, 3], where, int, int)) == [1, 2, 3]
    assert set(pids) == {PARENT}


def organisation(root: Path) -> Path:
    generate(root, incidents=300, components=6, years=1, postmortems=20, seed=3)
    broken = root / "incidents" / "2026" / "2026-01-01-broken.yaml"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("title: Broken\nkind: incident\nseverity: sev9\n", encoding="utf-8")
    (root / "incidents" / "2026" / "2026-01-02-bad-yaml.yaml").write_text(
        "title: [unclosed\n", encoding="utf-8"
    )
    (root / "postmortems" / "no-front-matter.md").write_text("# Just text\n", encoding="utf-8")
    return root


def test_a_ledger_read_by_a_child_is_the_ledger_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = organisation(tmp_path / "org")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    monkeypatch.setenv(readahead.WORKERS_ENV, "1")
    here = load_ledger(root, cache=ParseCache(None))
    monkeypatch.setenv(readahead.WORKERS_ENV, "force")
    forks: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(readahead.os, "fork", counted_fork)
    there = load_ledger(root, cache=ParseCache(None))
    assert forks == [1], "the records were not read by a child process"
    assert [r.id for r in there.records] == [r.id for r in here.records]
    assert [r.model for r in there.records] == [r.model for r in here.records]
    assert [p.model for p in there.postmortems] == [p.model for p in here.postmortems]
    assert [p.body for p in there.postmortems] == [p.body for p in here.postmortems]
    assert there.findings == here.findings
    assert {f.rule for f in there.findings} >= {"schema/invalid-value", "yaml/syntax"}
    context = Context(now=now)
    assert validate(there, context).findings == validate(here, context).findings
    # Positions still point at the right line when a rule asks for them later.
    for mine, theirs in zip(there.records[:50], here.records[:50], strict=True):
        assert mine.at("updates", 0, "at") == theirs.at("updates", 0, "at")


def test_the_child_fills_the_parse_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = organisation(tmp_path / "org")
    monkeypatch.setenv("STATUSLEDGER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv(readahead.WORKERS_ENV, "force")
    cold = load_ledger(root)
    cache = ParseCache.for_root(root)
    assert cache.file is not None and cache.file.is_file(), "the child saved the cache"
    warm = load_ledger(root)
    assert [r.model for r in warm.records] == [r.model for r in cold.records]
    assert warm.findings == cold.findings


def test_background_work_comes_back_or_is_stopped(workers: None) -> None:
    job = readahead.start(lambda: {"feed.xml": b"<feed/>"}, dict, dict, size=0)
    assert job.result() == {"feed.xml": b"<feed/>"}

    def forever() -> dict[str, bytes]:
        if os.getpid() != PARENT:
            signal.pause()
        return {}

    stuck = readahead.start(forever, dict, dict, size=0)
    assert isinstance(stuck, readahead.Background)
    pid = stuck._child.pid
    stuck.discard()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind
