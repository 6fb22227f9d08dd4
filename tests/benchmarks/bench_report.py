"""Benchmark of the insights report (issue 19): 10,000 incidents over five years.

Run on demand (pytest does not collect bench_*.py):

    python -m tests.benchmarks.bench_report [--incidents 10000] [--components 50] [--no-write]

It writes a synthetic organisation with tests/benchmarks/synth.py (five years, 1,000
postmortems), then times `statusledger report` for the whole five years (60 months, 20
quarters) in a fresh process (wall time and peak RSS, best of three, the parse cache filled by
a first run), and in-process the figures and the page apart from loading. Figures are appended
to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from statusledger.loading import load_ledger
from statusledger.records.types import format_timestamp
from statusledger.report.figures import report_figures
from statusledger.report.html import render_html
from statusledger.report.window import window
from tests.benchmarks.common import record
from tests.benchmarks.synth import generate

END = datetime(2026, 11, 1, tzinfo=UTC)
FIRST, LAST = "2021-11-01", "2026-10-31"


def _cli(root: Path, out: Path, cache: str) -> tuple[float, float, int]:
    """One `statusledger report` in a fresh process: wall seconds, peak RSS (MB), exit code."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "statusledger.cli",
         "--root", str(root), "report", "--out", str(out), "--from", FIRST, "--to", LAST,
         "--now", format_timestamp(END)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "STATUSLEDGER_CACHE_DIR": cache},
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if proc.returncode:
        print(proc.stderr, file=sys.stderr)
    return elapsed, int(proc.stderr.strip().splitlines()[-1]) / 1024, proc.returncode


def _in_process(root: Path) -> tuple[float, float, float, float, float]:
    """Seconds to load, for the figures (wall, CPU) and the page; the figures' Python peak."""
    start = time.perf_counter()
    ledger = load_ledger(root)
    loaded = time.perf_counter()
    assert ledger.services is not None and not ledger.findings
    services = ledger.services.model
    zone = services.page.timezone
    span = window(datetime.fromisoformat(FIRST).date(), datetime.fromisoformat(LAST).date(), zone)
    cpu = time.process_time()
    figures = report_figures(services, ledger.records, ledger.postmortems, span, END)
    computed, cpu = time.perf_counter(), time.process_time() - cpu
    render_html(figures, services.page.name)
    rendered = time.perf_counter()
    tracemalloc.start()  # a second run, traced apart: tracing slows Python down several times
    report_figures(services, ledger.records, ledger.postmortems, span, END)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return loaded - start, computed - loaded, cpu, rendered - computed, peak / 2**20


def run(incidents: int, components: int) -> list[str]:
    """Generate, measure, and return the BENCHMARKS.md lines."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=base) as tmp, tempfile.TemporaryDirectory() as cache:
        root = Path(tmp) / "org"
        generate(
            root, incidents=incidents, components=components, years=5, postmortems=1000,
            seed=0, end=END,
        )  # fmt: skip
        out = Path(tmp) / "report"
        first = _cli(root, out, cache)
        runs = [_cli(root, out, cache) for _ in range(3)]
        assert all(code == 0 for *_, code in [first, *runs])
        sizes = {p.name: p.stat().st_size for p in out.iterdir()}
        load, compute, cpu, render, peak = _in_process(root)
    best = min(runs)
    return [
        f"- {incidents} records (synth.py seed 0, 5 years, 1,000 postmortems), {components} "
        f"components; report {FIRST}..{LAST}: 60 months, 20 quarters",
        f"- `statusledger report`, fresh process, parse cache cold: {first[0]:.2f} s, "
        f"peak RSS {first[1]:.0f} MB",
        f"- `statusledger report`, fresh process, parse cache warm (best of 3): {best[0]:.2f} s, "
        f"peak RSS {max(r[1] for r in runs):.0f} MB",
        f"- in process: loading {load:.2f} s, figures {compute:.2f} s (CPU {cpu:.2f} s; Python "
        f"allocations peak {peak:.0f} MB), HTML {render:.2f} s",
        f"- output: index.html {sizes['index.html'] / 1024:.0f} KiB, report.json "
        f"{sizes['report.json'] / 1024:.0f} KiB",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the lines and append them to BENCHMARKS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--components", type=int, default=50)
    parser.add_argument("--no-write", action="store_true", help="Only print the figures.")
    args = parser.parse_args(argv)
    lines = run(args.incidents, args.components)
    print("\n".join(lines))
    if not args.no_write:
        record(f"report (issue 19), {args.incidents:,} incidents over five years", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
