"""Errors and findings: the one vocabulary every part uses to tell the user what is wrong.

Nothing here imports click or mkdocs, so the core can raise and collect findings and the
CLI or the site adapter decides how to show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from statusledger.records.types import printable


class Severity(str, Enum):
    """How a finding counts: errors fail validation, warnings fail only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one place of one file, with what to do about it.

    `path` is relative to the repository root where possible, so findings read the same on
    every machine and map onto GitHub annotations.
    """

    path: str
    line: int
    col: int
    rule: str
    message: str
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def __post_init__(self) -> None:
        # Messages quote record text, which reaches terminals, CI logs and annotations: a
        # control character there could recolour a terminal or, after a line break, write a
        # GitHub workflow command. They are escaped once, here, for every output.
        for name in ("message", "hint"):
            value = getattr(self, name)
            if not value.isprintable():
                object.__setattr__(self, name, printable(value))

    def as_warning(self) -> Finding:
        """Return the same finding downgraded to a warning (policy rules without --strict)."""
        return Finding(
            self.path, self.line, self.col, self.rule, self.message, self.hint, Severity.WARNING
        )

    def to_json(self) -> dict[str, object]:
        """Return the documented JSON shape of a finding."""
        return {
            "file": self.path,
            "line": self.line,
            "column": self.col,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


class StatusledgerError(Exception):
    """A failure the user can act on; the CLI prints it without a traceback."""

    exit_code = 1


class UsageError(StatusledgerError):
    """Bad command-line input (exit code 2, as every command documents)."""

    exit_code = 2


class RecordError(StatusledgerError):
    """One or more findings that stop the current command (e.g. a build of invalid records)."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(findings)
        first = self.findings[0] if self.findings else None
        summary = (
            f"{printable(first.path)}:{first.line}:{first.col}: {first.message}"
            if first
            else "invalid records"
        )
        more = f" (and {len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        super().__init__(summary + more)


def relpath(path: Path, root: Path) -> str:
    """Return `path` relative to `root` with forward slashes, or as given when outside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
