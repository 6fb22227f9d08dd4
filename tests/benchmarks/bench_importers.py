"""Benchmark: import the ICPE'25 incidents (542, three Statuspage pages), then `metrics` on them.

Each page's table rows are written as Statuspage JSON (tests/importers/icpe25.py), imported into
a fresh repository, imported again (nothing may change), validated, and measured with
`statusledger metrics --format text`. Every command runs in a fresh process, as a user runs it.
Run on demand: `python -m tests.benchmarks.bench_importers`.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import record
from tests.importers.icpe25 import CSV, convert

NOW = "2026-11-23T00:00:00Z"
# The console script's entry point (`python -m statusledger.cli` would import cli twice).
_MAIN = "import sys; from statusledger.cli import main; sys.exit(main())"
PAPER = CSV.parent / "expected_tables" / "table-mean-duration-of-each-period-by-service.csv"


def _run(repo: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MAIN, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - start, done


def _tables(metrics_text: str) -> list[str]:
    """The metrics output without its recurrence lists (they name hundreds of incidents)."""
    lines = []
    in_recurrence = False
    for line in metrics_text.splitlines():
        if line.startswith("recurrence:"):
            in_recurrence = True
            lines.append("recurrence: (lists of incident ids, left out here)")
        elif not (in_recurrence and line.startswith("  ")):
            in_recurrence = False
            lines.append(line)
    return lines


def _paper() -> list[str]:
    if not PAPER.is_file():
        return []
    with PAPER.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        "",
        "For comparison, the paper's mean failure_duration per service (hours; its own "
        "definition and filtering, not necessarily start to resolved):",
        "",
        *(f"- {r['service']}: {r['failure_duration']} h" for r in rows),
    ]


def main() -> None:
    """Convert, import twice, validate and measure each page; append the figures."""
    if not CSV.is_file():
        raise SystemExit(f"{CSV} is not available")
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folders = convert(CSV, Path(tmp) / "json")
        total = 0
        for provider, folder in folders.items():
            repo = Path(tmp) / provider
            repo.mkdir()
            first, done = _run(repo, "import", "statuspage", str(folder))
            if done.returncode != 0:
                raise SystemExit(done.stdout + done.stderr)
            summary = next(ln for ln in done.stdout.splitlines() if ln.startswith("records:"))
            total += int(summary.split()[1])
            again, redo = _run(repo, "import", "statuspage", str(folder))
            unchanged = next(ln for ln in redo.stdout.splitlines() if ln.startswith("records:"))
            check, valid = _run(repo, "validate", "--now", NOW)
            took, metrics = _run(repo, "metrics", "--format", "text", "--now", NOW)
            lines += [
                f"### {provider}",
                "",
                f"- import: {first:.2f} s wall ({summary})",
                f"- import again: {again:.2f} s wall ({unchanged})",
                f"- validate: {check:.2f} s wall ({valid.stdout.strip().splitlines()[-1]})",
                f"- metrics --format text: {took:.2f} s wall, exit {metrics.returncode}",
                "",
                "```",
                *_tables(metrics.stdout or metrics.stderr),
                "```",
                "",
            ]
    heading = f"importers (issue 7): ICPE'25 incident_stages.csv, {total} incidents"
    record(heading, [*lines, *_paper()])
    print("\n".join(lines))


if __name__ == "__main__":
    main()
