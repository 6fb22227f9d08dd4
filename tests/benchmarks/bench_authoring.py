"""Benchmark: new / update / resolve / new postmortem on a synthetic organisation.

Every authoring command checks the result like a `validate` before it writes (so it never
writes a record that breaks a rule), reading the records as `validate` does: records settled
by an earlier run stay summaries (validation/settled.py). Its cost is therefore that of a warm
`validate` plus the edit. The first step is a `validate` with an empty cache of the
benchmark's own, as a repository's first run would be; the second one is warm.
Run on demand: `python -m tests.benchmarks.bench_authoring [N]` (default 10,000 incidents).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import record
from tests.benchmarks.synth import generate

# The console script, not `python -m statusledger.cli`: run as __main__, the CLI module would be
# loaded twice and its Env class would not be the one the commands import.
CLI = shutil.which("statusledger") or "statusledger"
STEPS = [
    ["validate", "--now", "2026-11-02T00:00:00Z"],  # the first run: nothing cached yet
    ["validate", "--now", "2026-11-02T00:00:00Z"],  # the baseline every command pays
    [
        "new",
        "incident",
        "--title",
        "Bench outage",
        "--severity",
        "sev2",
        "--component",
        "{component}:partial_outage",
        "--now",
        "2026-11-02T10:00:00Z",
    ],
    [
        "update",
        "2026-11-02-bench-outage",
        "--status",
        "identified",
        "--message",
        "Found it.",
        "--component",
        "{component}:major_outage",
        "--now",
        "2026-11-02T10:20:00Z",
    ],
    ["resolve", "2026-11-02-bench-outage", "--message", "Fixed.", "--now", "2026-11-02T11:00:00Z"],
    ["new", "postmortem", "2026-11-02-bench-outage", "--now", "2026-11-02T12:00:00Z"],
]


def _component(root: Path) -> str:
    for line in (root / "services.yaml").read_text().splitlines():
        if line.strip().startswith("- id:"):
            return line.split(":", 1)[1].strip()
    raise SystemExit("no component in the synthetic services.yaml")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    """Generate, then time each command as a user runs it: a fresh process each."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=base) as tmp, tempfile.TemporaryDirectory() as cache:
        os.environ["STATUSLEDGER_CACHE_DIR"] = cache
        root = Path(tmp)
        generate(root, incidents=count, components=50, years=3, postmortems=100, seed=7)
        component = _component(root)
        lines = []
        for step in STEPS:
            args = [arg.format(component=component) for arg in step]
            start, cpu = time.perf_counter(), _children_cpu()
            proc = subprocess.run(
                [CLI, "--root", str(root), *args], capture_output=True, text=True, check=False
            )
            elapsed, used = time.perf_counter() - start, _children_cpu() - cpu
            failed = f" ({proc.stderr.strip()})" if proc.returncode else ""
            lines.append(
                f"- {' '.join(args[:2])}: {elapsed:.2f} s wall, {used:.2f} s CPU, "
                f"exit {proc.returncode}{failed}"
            )
        lines.append(f"- load average during the run: {os.getloadavg()[0]:.1f}")
        record(f"authoring (issue 6), {count:,} incidents, 50 components", lines)
        print("\n".join(lines))


if __name__ == "__main__":
    main()
