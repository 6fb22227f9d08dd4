"""Findings as text for people, GitHub workflow commands for annotations, and JSON for tools."""

from __future__ import annotations

import json
from itertools import groupby

from statusledger.errors import Finding, Severity
from statusledger.records.types import printable
from statusledger.validation import Report

_RED, _YELLOW, _BOLD, _DIM, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[2m", "\033[0m"


def summary(report: Report) -> str:
    """The one-line summary printed after every run."""
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "valid" if report.ok else "invalid"
    return (
        f"{verdict}: {report.records} records, {report.components} components, "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def as_text(report: Report, *, color: bool = False) -> str:
    """Findings grouped by file, each with its position, rule, message and hint."""

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    out: list[str] = []
    for path, group in groupby(report.findings, key=lambda f: f.path):
        out.append(paint(_BOLD, printable(path)))
        for f in group:
            label = (
                paint(_RED, "error") if f.severity is Severity.ERROR else paint(_YELLOW, "warning")
            )
            out.append(f"  {f.line}:{f.col}  {label}  {f.message}  {paint(_DIM, f'[{f.rule}]')}")
            if f.hint:
                out.append(f"      {paint(_DIM, 'fix:')} {f.hint}")
    out.append(summary(report))
    return "\n".join(out)


def _escape_data(text: str) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(text)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(f: Finding) -> str:
    """One GitHub Actions workflow command, which becomes an annotation on the changed line."""
    command = "error" if f.severity is Severity.ERROR else "warning"
    title = _escape_property(f.rule)
    body = _escape_data(f"{f.message}. Fix: {f.hint}" if f.hint else f.message)
    return (
        f"::{command} file={_escape_property(f.path)},line={f.line},col={f.col},"
        f"title={title}::{body}"
    )


def as_github(report: Report) -> str:
    """Workflow commands for every finding, then the summary line."""
    return "\n".join([*(github_line(f) for f in report.findings), summary(report)])


def as_json(report: Report) -> str:
    """The documented JSON form: {"valid", "records", "components", "findings": [...]}."""
    return json.dumps(
        {
            "valid": report.ok,
            "records": report.records,
            "components": report.components,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "findings": [f.to_json() for f in report.findings],
        },
        indent=2,
        ensure_ascii=False,
    )
