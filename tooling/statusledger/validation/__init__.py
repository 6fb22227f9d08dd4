"""Cross-record rules (tooling/docs/rules.md), and the one entry point that runs them all.

Each family of rules lives in its own module (references, ids, time, policy) as small functions of
`(ledger, context)` that yield findings. Every rule runs on every file that loaded, so one run
reports every problem, not just the first; the one exception is a record `validate` took as
settled (validation/settled.py), which per-record rules passed before and skip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from statusledger.errors import Finding, Severity
from statusledger.loading import Ledger


@dataclass(frozen=True)
class Context:
    """What rules need besides the records: the moment and how strict to be."""

    now: datetime
    strict: bool = False
    base: str | None = None

    def today(self, ledger: Ledger) -> date:
        """Today's date in the page's time zone (due dates are days there)."""
        zone = ledger.services.model.page.timezone if ledger.services else "UTC"
        return self.now.astimezone(ZoneInfo(zone)).date()


Rule = Callable[[Ledger, Context], Iterable[Finding]]


@dataclass(frozen=True)
class Report:
    """The outcome of validation: every finding, and whether it fails."""

    findings: list[Finding]
    records: int
    components: int
    # Files the loader or a per-record rule reported on: never settled (validation/settled.py).
    flagged: frozenset[str] = frozenset()

    @property
    def errors(self) -> list[Finding]:
        """Findings that fail validation."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """Findings that are shown but do not fail (policy without --strict)."""
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when nothing fails."""
        return not self.errors


def rule_sets() -> tuple[list[Rule], list[Rule]]:
    """Return (hard rules, policy rules); policy findings are warnings unless strict."""
    from statusledger.validation import ids, policy, references, time

    return [*references.RULES, *ids.RULES, *time.RULES], list(policy.RULES)


def per_record_rules() -> list[Rule]:
    """The rules that judge one record at a time, by its own text, path and services.yaml."""
    from statusledger.validation import ids, references, time

    return [*references.PER_RECORD, *ids.PER_RECORD, *time.PER_RECORD]


def validate(ledger: Ledger, context: Context) -> Report:
    """Run every rule over a loaded ledger and gather the findings in file order.

    Per-record rules read `ledger.records`, which holds no settled record: they passed them
    before, and what those rules judge (the record's text and path, services.yaml, and no moment
    after now) is unchanged. Cross-record rules read `ledger.facts`, which holds them all.
    """
    findings = [*ledger.findings, *ledger.warnings]
    flagged = {f.path for f in ledger.findings}
    hard, soft = rule_sets()
    per_record = per_record_rules()
    for rule in hard:
        if rule in per_record:
            found = list(rule(ledger, context))
            flagged.update(f.path for f in found)
            findings.extend(found)
        else:
            findings.extend(rule(ledger, context))
    for rule in soft:
        for finding in rule(ledger, context):
            findings.append(finding if context.strict else finding.as_warning())
    if context.base:
        from statusledger.history import guard

        findings.extend(guard(ledger, context.base))
    components = len(ledger.services.model.components) if ledger.services else 0
    return Report(
        sorted(set(findings)),
        records=ledger.files,
        components=components,
        flagged=frozenset(flagged),
    )
