"""The records as the site shows them: loaded, validated, public only, made into a View.

Invalid records stop the build with every finding listed as file:line, so a broken record
never replaces a good site.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from mkdocs.exceptions import PluginError

from statusledger.clock import resolve_now
from statusledger.compute.periods import local_day, recent_months
from statusledger.compute.sla import monthly_sla
from statusledger.errors import Finding, StatusledgerError
from statusledger.listing import site_links
from statusledger.loading import Ledger, load_ledger
from statusledger.records.types import printable
from statusledger.site.config import NOW_ENV
from statusledger.site.months import MonthUptime, from_sla
from statusledger.site.pages import SLA_MONTHS
from statusledger.site.reuse import FileMemo
from statusledger.validation import Context, validate
from statusledger.views import View, build_view, public_ledger

Months = dict[str, list[MonthUptime]]  # component id -> uptime per month, newest first


class InvalidRecords(PluginError):
    """The records did not validate; carries the findings for the CLI to print."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        lines = [f"{f.path}:{f.line}:{f.col}: {f.message} [{f.rule}]" for f in findings]
        super().__init__("invalid records:\n" + "\n".join(lines))


def format_findings(findings: list[Finding]) -> str:
    """Findings one per line, file:line:col first, as editors and CI annotations expect."""
    return "\n".join(
        f"{printable(f.path)}:{f.line}:{f.col}: {f.message} [{f.rule}]"
        + (f"\n    fix: {f.hint}" if f.hint else "")
        for f in findings
    )


def load_view(root: Path, docs_dir: Path, now_text: str | None, days: int) -> tuple[View, Months]:
    """The View of the public records and each component's months; InvalidRecords if any fail.

    `now_text` is the plugin's `now` option; without it STATUSLEDGER_NOW, SOURCE_DATE_EPOCH or
    the clock.
    """
    try:
        now = resolve_now(now_text or os.environ.get(NOW_ENV))
        ledger = load_ledger(root)
        report = validate(ledger, Context(now=now))
        ledger.save_cache()
    except StatusledgerError as err:
        raise PluginError(str(err)) from None
    # Links out of the repository (validate checked mkdocs.yml's docs_dir; this is the one
    # MkDocs really reads).
    refused = [f for f in site_links(root, docs_dir) if f not in report.errors]
    if not report.ok or ledger.services is None or refused:
        raise InvalidRecords(report.errors + refused)
    # Everything published from here on sees public records only (views.public_ledger).
    ledger = public_ledger(ledger)
    markdown_memo = FileMemo.for_root(root, "markdown")
    view = build_view(ledger, now, days, markdown_memo)
    markdown_memo.keep_only_used()
    return view, _months(ledger, view, now)


def _months(ledger: Ledger, view: View, now: datetime) -> Months:
    """Each component's uptime per month, as `statusledger sla` computes it."""
    assert ledger.services is not None
    services = ledger.services.model
    periods = recent_months(local_day(now, view.page.timezone), SLA_MONTHS)
    return {
        c.id: from_sla(monthly_sla(services, ledger.records, c.id, periods, now))
        for c in view.components
    }
