"""The parse cache: a second load reuses what the first parsed, and never changes the outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from statusledger import parsecache
from statusledger.cache import CACHE_ENV
from statusledger.loading import load_ledger
from statusledger.parsecache import ParseCache
from statusledger.validation import Context, validate
from tests.helpers import MINIMAL_SERVICES, PROJECT, RESOLVED_INCIDENT, write_tree
from tests.validation.fixtures import NOW, line_of

RECORD = "incidents/2026/2026-11-20-api-errors.yaml"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def repo(root: Path, record: str = RESOLVED_INCIDENT) -> Path:
    return write_tree(root, {"services.yaml": MINIMAL_SERVICES, RECORD: record})


def counting_parse(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every text that really gets parsed (not answered from the cache)."""
    parsed: list[str] = []
    real = parsecache.yamlfile.parse

    def spy(text: str, **kwargs: int) -> object:
        parsed.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(parsecache.yamlfile, "parse", spy)
    return parsed


def test_second_load_parses_nothing_and_gives_the_same_records(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(tmp_path / "repo")
    first = load_ledger(root)
    assert list(cache_dir.iterdir()), "the first load writes a cache file"
    parsed = counting_parse(monkeypatch)
    second = load_ledger(root)
    assert parsed == []
    assert [r.model for r in second.records] == [r.model for r in first.records]
    assert second.services is not None and first.services is not None
    assert second.services.model == first.services.model


def test_an_edited_file_is_parsed_again_and_its_new_text_counts(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(tmp_path / "repo")
    load_ledger(root)
    path = root / RECORD
    edited = path.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1)
    path.write_text(edited, encoding="utf-8")
    parsed = counting_parse(monkeypatch)
    ledger = load_ledger(root)
    assert parsed == [edited]
    assert ledger.records[0].model.title.startswith("Edited ")


@pytest.mark.parametrize("flow", [False, True], ids=["block", "flow"])
def test_positions_from_the_cache_point_at_the_same_lines(
    tmp_path: Path, cache_dir: Path, flow: bool
) -> None:
    """Findings on a cached record name the same file:line:col as on a fresh parse, whichever
    reader read it (flow style is PyYAML's only)."""
    record = RESOLVED_INCIDENT.replace("component: api", "component: nope")
    if flow:  # an anchor: the fast reader leaves this file to PyYAML
        record = record.replace("title: ", "title: &t ", 1)
    root = repo(tmp_path / "repo", record)
    cold = validate(load_ledger(root), Context(now=NOW))
    warm = validate(load_ledger(root), Context(now=NOW))
    assert cold.errors, "the unknown component is reported"
    assert [line_of(f) for f in warm.findings] == [line_of(f) for f in cold.findings]
    assert all(f.line > 1 for f in warm.errors)


def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path: Path, cache_dir: Path) -> None:
    root = repo(tmp_path / "repo")
    load_ledger(root)
    (cache_file,) = cache_dir.iterdir()
    blob = cache_file.read_bytes()
    cache_file.write_bytes(blob[: len(blob) // 2])
    ledger = load_ledger(root)
    assert not ledger.findings and len(ledger.records) == 1
    assert cache_file.read_bytes() == blob


def test_a_different_parser_does_not_read_old_entries(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(tmp_path / "repo")
    load_ledger(root)
    monkeypatch.setattr(parsecache, "_parser_stamp", lambda: b"another parser version....")
    parsed = counting_parse(monkeypatch)
    load_ledger(root)
    assert len(parsed) == 2  # services.yaml and the record


def test_files_with_problems_are_never_cached(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = RESOLVED_INCIDENT.replace("severity:", "title: Twice\nseverity:", 1)
    root = repo(tmp_path / "repo", record)
    load_ledger(root)
    parsed = counting_parse(monkeypatch)
    report = validate(load_ledger(root), Context(now=NOW))
    assert parsed == [record]
    assert [f.rule for f in report.errors] == ["yaml/duplicate-key"]


@pytest.mark.parametrize("setting", ["off", ""])
def test_turned_off_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv(CACHE_ENV, setting)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = repo(tmp_path / "repo")
    load_ledger(root)
    load_ledger(root)
    assert not (tmp_path / "home").exists() and not (tmp_path / "xdg").exists()
    assert ParseCache.for_root(root).file is None


def test_default_location_is_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = repo(tmp_path / "repo")
    load_ledger(root)
    assert [p.parent for p in (tmp_path / "xdg" / "statusledger").iterdir()]
    assert sorted(p.name for p in root.iterdir()) == ["incidents", "services.yaml"]


def test_the_example_organisation_validates_the_same_warm_and_cold(
    tmp_path: Path, cache_dir: Path
) -> None:
    cold = validate(load_ledger(PROJECT, cache=ParseCache(None)), Context(now=NOW))
    load_ledger(PROJECT)
    warm = validate(load_ledger(PROJECT), Context(now=NOW))
    assert [line_of(f) for f in warm.findings] == [line_of(f) for f in cold.findings]
    assert [f.message for f in warm.findings] == [f.message for f in cold.findings]
