"""Benchmark: rendering feeds, API, calendar and badges for a large synthetic organisation.

Run on demand: `python -m tests.render.bench_render [N]`. Appends its figures to BENCHMARKS.md.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from statusledger.loading import load_ledger
from statusledger.render import render_all
from statusledger.render.api import render_api
from statusledger.render.badges import render_badges
from statusledger.render.feeds import render_feeds
from statusledger.render.ics import render_ics
from statusledger.views import build_view
from tests.benchmarks.common import record
from tests.benchmarks.synth import generate


def main() -> None:
    """Time each renderer on one view (the view itself is the lead's to measure)."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        root = Path(tmp)
        generate(root, incidents=count, components=50, years=3, postmortems=100, seed=7)
        view = build_view(load_ledger(root), datetime(2026, 11, 1, tzinfo=UTC))
        lines = [f"- {count} incidents, 50 components, 100 postmortems"]
        for name, render in [
            ("api", render_api),
            ("feeds", render_feeds),
            ("ics", render_ics),
            ("badges", render_badges),
            ("render_all", render_all),
        ]:
            start = time.perf_counter()
            files = render(view)
            elapsed = time.perf_counter() - start
            size = sum(len(b) for b in files.values()) / 1e6
            lines.append(f"- {name}: {elapsed:.2f} s, {len(files)} files, {size:.1f} MB")
        record("render (issue 5)", lines)
        print("\n".join(lines))


if __name__ == "__main__":
    main()
