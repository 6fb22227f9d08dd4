"""Benchmark: `statusledger validate` on a synthetic organisation of 10,000 incidents.

Run on demand: `python -m tests.benchmarks.bench_validate [N]`. Target (issue 2): 10,000
incidents in under 2 s on a 2-core machine, memory under 500 MB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import record
from tests.benchmarks.synth import generate


def _last_line(out: str, err: str) -> str:
    return (out.strip() or err.strip() or "(no output)").splitlines()[-1]


def main() -> None:
    """Generate, then time the real CLI in a fresh process and read its peak memory."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        root = Path(tmp)
        generate(root, incidents=count, components=50, years=3, postmortems=100, seed=7)
        lines = []
        for run in range(2):
            start = time.perf_counter()
            proc = subprocess.run(
                [
                    "/usr/bin/time",
                    "-f",
                    "%M",
                    sys.executable,
                    "-m",
                    "statusledger.cli",
                    "--root",
                    str(root),
                    "validate",
                    "--now",
                    "2026-11-01T00:00:00Z",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            elapsed = time.perf_counter() - start
            peak_mb = int(proc.stderr.strip().splitlines()[-1]) / 1024
            lines.append(
                f"- run {run + 1}: {elapsed:.2f} s wall, peak RSS {peak_mb:.0f} MB, "
                f"exit {proc.returncode}: {_last_line(proc.stdout, proc.stderr)}"
            )
        record(f"validate, {count:,} incidents, 50 components", lines)
        print("\n".join(lines))


if __name__ == "__main__":
    main()
