"""Benchmark: `statusledger build` of a synthetic organisation (issue 4).

Run on demand: `python -m tests.benchmarks.bench_site [N]`. Incidents stay out of the nav, so
the build should grow about linearly with the number of incidents, not quadratically.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import record
from tests.benchmarks.synth import generate

PROJECT = Path(__file__).resolve().parents[2]


def _build(count: int) -> tuple[float, int, float]:
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        root = Path(tmp) / "org"
        generate(root, incidents=count, components=20, years=2, postmortems=50, seed=7)
        shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(PROJECT / "site" / "docs", root / "site" / "docs")
        shutil.copytree(PROJECT / "site" / "overrides", root / "site" / "overrides")
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from statusledger.cli import main; sys.exit(main())",
                "--root",
                str(root),
                "build",
                "--now",
                "2026-11-01T00:00:00Z",
            ],
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - start
        public = root / "public"
        pages = sum(1 for _ in public.rglob("*.html"))
        size = sum(p.stat().st_size for p in public.rglob("*") if p.is_file()) / 1e6
        return seconds, pages, size


def main() -> None:
    """Build at a few sizes and append the figures to BENCHMARKS.md."""
    counts = [int(a) for a in sys.argv[1:]] or [500, 1000, 2000]
    lines = []
    for count in counts:
        seconds, pages, size = _build(count)
        lines.append(
            f"- {count} incidents, 20 components, 50 postmortems: build {seconds:.1f} s,"
            f" {pages} HTML pages, {size:.1f} MB"
        )
        print(lines[-1])
    record("site build (issue 4)", lines)


if __name__ == "__main__":
    main()
