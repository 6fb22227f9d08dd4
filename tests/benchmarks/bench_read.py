"""Benchmark: the read path, cold `validate` and cold `statusledger build`, per YAML reader.

Run on demand: `python -m tests.benchmarks.bench_read [--incidents 1000 10000] [--rounds 2]`.
Each round times, in fresh processes and interleaved (the machine is shared), cold `validate`
(no cache), warm `validate` (caches filled by the run before) and cold `build` (no cache, no
output folder), once with the fast block reader and once with it switched off for the
measurement only (`blockyaml.read` answers None, so every file goes through PyYAML's C parser,
positions from its marks). Prints the figures; BENCHMARKS.md holds the decision they led to.
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

from tests.benchmarks.bench_site import NOW, organisation

_ENTRY = {
    "block": "import sys; from statusledger.cli import main; sys.exit(main())",
    "pyyaml": (
        "import sys, statusledger.blockyaml as b; b.read = lambda *a, **k: None; "
        "from statusledger.cli import main; sys.exit(main())"
    ),
}


def _timed(reader: str, root: Path, cache: str, *args: str) -> float:
    command = [sys.executable, "-c", _ENTRY[reader], "--root", str(root), *args, "--now", NOW]
    env = {**os.environ, "STATUSLEDGER_CACHE_DIR": cache}
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{args} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds


def measure(incidents: int, rounds: int, builds: bool) -> list[str]:
    """Figures for one organisation size, both readers, `rounds` interleaved rounds."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        root = Path(tmp) / "org"
        organisation(root, incidents, 1_000)
        for _ in range(rounds):
            for reader in ("block", "pyyaml"):
                cache = str(Path(tmp) / f"cache-{reader}")
                shutil.rmtree(cache, ignore_errors=True)
                times.setdefault(f"{reader} cold validate", []).append(
                    _timed(reader, root, "off", "validate")
                )
                _timed(reader, root, cache, "validate")
                times.setdefault(f"{reader} warm validate", []).append(
                    _timed(reader, root, cache, "validate")
                )
                if builds:
                    shutil.rmtree(root / "public", ignore_errors=True)
                    shutil.rmtree(cache, ignore_errors=True)
                    times.setdefault(f"{reader} cold build", []).append(
                        _timed(reader, root, cache, "build")
                    )
    return [
        f"- {incidents:,} incidents, {name}: " + ", ".join(f"{t:.2f}" for t in values) + " s"
        for name, values in times.items()
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-build", action="store_true", help="validate only")
    args = parser.parse_args(argv)
    for count in args.incidents:
        print("\n".join(measure(count, args.rounds, not args.no_build)), flush=True)


if __name__ == "__main__":
    main()
