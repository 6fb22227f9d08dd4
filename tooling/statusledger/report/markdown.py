"""A short Markdown summary of the report, for CI job summaries ($GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

from statusledger.report.figures import Figures
from statusledger.report.words import duration


def render_markdown(figures: Figures, page_name: str) -> str:
    """Headline numbers, the worst months and the top causes, in a few lines."""
    whole = figures.whole
    window = figures.window
    severities = ", ".join(f"{s.value}: {n}" for s, n in whole.by_severity_count.items())
    ttr = whole.overall.durations["ttr"]
    lines = [
        f"### Insights: {page_name}, {window.first} to {window.last}",
        "",
        f"- **{whole.incidents}** incidents ({severities}), internal ones included",
        f"- time to resolve: median {duration(ttr.median)}, p90 {duration(ttr.p90)}",
        f"- policy breaches: {len(whole.breaches)}",
    ]
    missed = [
        f"`{component}` {month}"
        for component, months in figures.sla_by_month.items()
        for month, result in months.items()
        if result.met is False
    ]
    lines.append("- SLA missed: " + (", ".join(missed) if missed else "none"))
    top = [f"{r.name} ({r.count})" for r in figures.categories_ranked[:3]]
    lines.append("- top categories: " + (", ".join(top) or "none"))
    causes = [f"{r.name} ({r.count})" for r in figures.root_causes_ranked[:3]]
    lines.append("- top root causes: " + (", ".join(causes) or "none"))
    lines.append(
        f"- recurring incidents (same component and category within 30 days): "
        f"{len(figures.recurring)}"
    )
    lines += ["", "| month | incidents | breaches |", "|---|--:|--:|"]
    for month, counts in figures.incidents_by_month.items():
        breached = sum(figures.breaches_by_month[month].values())
        lines.append(f"| {month} | {sum(counts.values())} | {breached} |")
    return "\n".join(lines)
