"""Benchmark: the read path, cold `validate` and cold `statusledger build`, per YAML reader.

Run on demand: `python -m tests.benchmarks.bench_read [--incidents 1000 10000] [--rounds 2]
[--tree NAME=DIR ...]`. Each round times, in fresh processes and interleaved (the machine is
shared), cold `validate` (no cache), warm `validate` (caches filled by the run before) and cold
`build` (no cache, no output folder), once with the fast block reader and once with it switched
off for the measurement only (`blockyaml.read` answers None, so every file goes through PyYAML's
C parser, positions from its marks). `--tree` runs the package found in DIR/tooling instead of
the installed one (several trees are interleaved too: before and after a change). Wall and CPU
seconds (user + system of the child) are printed; BENCHMARKS.md holds what they led to.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(tree: str, reader: str, root: Path, cache: str, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one command in a fresh process; it must exit 0."""
    command = [sys.executable, "-c", _ENTRY[reader], "--root", str(root), *args, "--now", NOW]
    env = {**os.environ, "STATUSLEDGER_CACHE_DIR": cache}
    if tree:
        env["PYTHONPATH"] = str(Path(tree) / "tooling")
    cpu, start = _cpu(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, _cpu() - cpu


def measure(incidents: int, rounds: int, builds: bool, trees: dict[str, str]) -> list[str]:
    """Figures for one organisation size, every tree and reader, `rounds` interleaved rounds."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    times: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        root = Path(tmp) / "org"
        organisation(root, incidents, 1_000)
        for _ in range(rounds):
            for name, tree in trees.items():
                for reader in ("block", "pyyaml"):
                    label = f"{name}, {reader}" if len(trees) > 1 else reader
                    cache = str(Path(tmp) / "cache")
                    shutil.rmtree(cache, ignore_errors=True)
                    times.setdefault(f"{label}, cold validate", []).append(
                        _timed(tree, reader, root, "off", "validate")
                    )
                    _timed(tree, reader, root, cache, "validate")
                    times.setdefault(f"{label}, warm validate", []).append(
                        _timed(tree, reader, root, cache, "validate")
                    )
                    if builds:
                        shutil.rmtree(root / "public", ignore_errors=True)
                        shutil.rmtree(cache, ignore_errors=True)
                        times.setdefault(f"{label}, cold build", []).append(
                            _timed(tree, reader, root, cache, "build")
                        )
    return [
        f"- {incidents:,} incidents, {name}: wall "
        + ", ".join(f"{wall:.2f}" for wall, _ in values)
        + " s; CPU "
        + ", ".join(f"{cpu:.2f}" for _, cpu in values)
        + " s"
        for name, values in sorted(times.items())
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-build", action="store_true", help="validate only")
    parser.add_argument("--tree", action="append", default=[], help="NAME=DIR of a source tree")
    args = parser.parse_args(argv)
    trees = dict(t.split("=", 1) for t in args.tree) or {"installed": ""}
    for count in args.incidents:
        print("\n".join(measure(count, args.rounds, not args.no_build, trees)), flush=True)


if __name__ == "__main__":
    main()
