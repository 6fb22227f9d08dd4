"""Benchmark: `statusledger build` of a synthetic organisation (issue 4).

Run on demand (pytest does not collect bench_*.py):

    python -m tests.benchmarks.bench_site [--incidents 10000] [--postmortems 1000]

For each size it times, in fresh processes with /usr/bin/time for peak memory:

* a cold build (empty caches: parse cache, page store, feed memo);
* a rebuild with nothing changed (caches warm);
* a rebuild after changing one record's title;
* beside them, a plain `mkdocs build` of the same number of empty Markdown pages with the same
  theme and no plugin, which is the floor MkDocs itself puts under any site of that size, and
  then `mkdocs build --dirty` of it after changing one page: MkDocs' own floor for a rebuild.

Targets (issue 4): 10,000 incidents cold in under 60 s, the one-record rebuild under 3 s,
peak memory under 1 GB. Figures are appended to BENCHMARKS.md under "site build (issue 4)".
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tests.benchmarks.common import record
from tests.benchmarks.synth import generate

PROJECT = Path(__file__).resolve().parents[2]
NOW = "2026-11-01T00:00:00Z"


def timed(command: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command in a fresh process; fails if it fails."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command[-4:]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024


def organisation(root: Path, incidents: int, postmortems: int) -> None:
    """A synthetic organisation with this repository's site sources."""
    generate(root, incidents=incidents, components=50, years=3, postmortems=postmortems, seed=7)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(PROJECT / "site" / "docs", root / "site" / "docs")


def empty_pages_site(root: Path, pages: int) -> None:
    """The same theme settings and `pages` empty pages, none in the nav, and no plugin."""
    docs = root / "docs"
    for index in range(pages):
        folder = docs / "incidents" / f"{index // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page-{index}.md").write_text(f"# Page {index}\n", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Empty\n"
        "theme:\n  name: material\n  font: false\n  features: [navigation.tabs]\n"
        "nav:\n  - Home: index.md\n"
        "plugins: []\n"
        "validation:\n  nav:\n    omitted_files: ignore\n",
        encoding="utf-8",
    )


def measure(incidents: int, postmortems: int) -> list[str]:
    """Cold, unchanged and one-record builds, then the empty-pages MkDocs floor."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    lines = []
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        root = Path(tmp) / "org"
        organisation(root, incidents, postmortems)
        env = {**os.environ, "STATUSLEDGER_CACHE_DIR": str(Path(tmp) / "cache")}
        entry = "import sys; from statusledger.cli import main; sys.exit(main())"
        build = [sys.executable, "-c", entry, "--root", str(root), "build", "--now", NOW]
        cold = timed(build, env)
        pages = sum(1 for _ in (root / "public").rglob("*.html"))
        size = sum(p.stat().st_size for p in (root / "public").rglob("*") if p.is_file()) / 1e6
        unchanged = timed(build, env)
        records = record_files(root)
        record_file = records[len(records) // 2]
        text = record_file.read_text(encoding="utf-8")
        record_file.write_text(text.replace("title: ", "title: Changed ", 1), encoding="utf-8")
        one = timed(build, env)
        heading = f"- {incidents:,} incidents, 50 components, {postmortems:,} postmortems"
        lines.append(f"{heading}: {pages:,} HTML pages, {size:.0f} MB")
        for name, (seconds, peak) in (
            ("cold build", cold),
            ("rebuild, nothing changed", unchanged),
            ("rebuild, one record changed", one),
        ):
            lines.append(f"  - {name}: {seconds:.1f} s, peak RSS {peak:.0f} MB")
        plain = Path(tmp) / "plain"
        empty_pages_site(plain, pages)
        floor = timed([sys.executable, "-m", "mkdocs", "build", "-q"], env, cwd=plain)
        lines.append(
            f"  - plain `mkdocs build` of {pages:,} empty pages, same theme, no plugin: "
            f"{floor[0]:.1f} s, peak RSS {floor[1]:.0f} MB"
        )
        page = plain / "docs" / "incidents" / "000" / "page-5.md"
        page.write_text("# Page 5, changed\n", encoding="utf-8")
        dirty = timed([sys.executable, "-m", "mkdocs", "build", "-q", "--dirty"], env, cwd=plain)
        lines.append(
            f"  - the same, `mkdocs build --dirty` after changing one page (MkDocs renders only "
            f"that page; its floor for a one-page rebuild): {dirty[0]:.1f} s"
        )
    return lines


def record_files(root: Path) -> list[Path]:
    """The record files of an organisation."""
    return sorted((root / "incidents").rglob("*.yaml"))


def main(argv: Sequence[str] | None = None) -> None:
    """Measure and append the figures to BENCHMARKS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--postmortems", type=int, default=1_000)
    parser.add_argument("--dry-run", action="store_true", help="print, do not record")
    args = parser.parse_args(argv)
    lines = []
    for count in args.incidents:
        lines.extend(measure(count, args.postmortems))
        print("\n".join(lines[-6:]), flush=True)
    if not args.dry_run:
        record("site build (issue 4)", lines)


if __name__ == "__main__":
    main()
