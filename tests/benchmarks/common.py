"""Shared bits of the on-demand benchmarks: machine description and BENCHMARKS.md appends."""

from __future__ import annotations

import os
import platform
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


def record(heading: str, lines: list[str]) -> None:
    """Append a dated section of figures to BENCHMARKS.md."""
    stamp = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"\n## {heading} ({stamp})\n\nMachine: {machine()}\n\n" + "\n".join(lines) + "\n"
    with BENCHMARKS.open("a", encoding="utf-8") as handle:
        handle.write(text)
