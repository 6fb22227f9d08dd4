"""Shared bits of the on-demand benchmarks: machine description and BENCHMARKS.md appends."""

from __future__ import annotations

import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "BENCHMARKS.md"


def machine() -> str:
    """Cores, CPU model and Python, so figures can be compared across runs."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def speed_check() -> float:
    """Seconds for a fixed 10-million-step Python loop, best of three.

    The VMs these figures come from change speed by a quarter or more from one minute to the
    next; this number, taken beside the figures, says how fast the machine was at the time.
    """
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for step in range(10_000_000):
            total += step
        best = min(best, time.perf_counter() - start)
    return best


def record(heading: str, lines: list[str]) -> None:
    """Append a dated section of figures to BENCHMARKS.md, with a speed check of the machine."""
    stamp = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    check = f"speed check (10M-step Python loop, best of 3): {speed_check():.2f} s"
    text = (
        f"\n## {heading} ({stamp})\n\nMachine: {machine()}; {check}\n\n" + "\n".join(lines) + "\n"
    )
    with BENCHMARKS.open("a", encoding="utf-8") as handle:
        handle.write(text)
