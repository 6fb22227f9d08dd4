"""The report page: one self-contained HTML file, each chart followed by its data table.

Inline CSS and SVG only: no script, no font or image from anywhere, so the file can be mailed,
archived as a CI artifact or printed as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from statusledger.compute.breaches import BREACH_KINDS
from statusledger.records.types import format_timestamp
from statusledger.report import charts
from statusledger.report.charts import Cell, Chart
from statusledger.report.figures import (
    ACTION_COUNTS,
    CATEGORIES,
    MEASURES,
    POSTMORTEM_OUTCOMES,
    SEVERITIES,
    Figures,
    Ranked,
)
from statusledger.report.svg import esc
from statusledger.report.words import DURATION_STEPS, duration, percent

MEASURE_NAMES = {
    "ttd": "MTTD: time to detect",
    "tta": "MTTA: time to acknowledge",
    "ttm": "MTTM: time to mitigate",
    "ttr": "MTTR: time to resolve",
}
OUTCOME_NAMES = {
    "on_time": "on time",
    "late": "late",
    "missing": "missing",
    "pending": "not yet due",
}
# Downtime bands of the grid (upper bound in seconds, name), each its own pattern; none: blank.
BANDS = ((300.0, "under 5 min"), (3600.0, "under 1 h"), (14400.0, "under 4 h"))
LAST_BAND = "4 h or more"

CSS = """
:root{color-scheme:light;--ink:#1a1a1a;--muted:#555;--rule:#d0d0d0}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;color:var(--ink);background:#fff;margin:0 auto;
max-width:1000px;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin:2.2rem 0 .5rem;
border-top:2px solid var(--ink);padding-top:.6rem}h3{font-size:1.05rem;margin:1.4rem 0 .3rem}
.internal{display:inline-block;border:2px solid #D55E00;color:#8a3500;font-weight:700;
padding:.1rem .5rem;margin:.3rem 0}
.meta{color:var(--muted);margin:.2rem 0}
figure{margin:1rem 0 1.5rem;break-inside:avoid;page-break-inside:avoid}
figcaption{font-weight:600;margin-bottom:.3rem}
svg.chart{width:100%;height:auto;display:block}
.table{overflow-x:auto;margin-top:.5rem}
table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}
caption{text-align:left;color:var(--muted);padding:.2rem 0}
th,td{border:1px solid var(--rule);padding:.15rem .45rem;text-align:right;white-space:nowrap}
th[scope=row],td.name{text-align:left}thead th{background:#f3f3f3}
.summary{display:flex;flex-wrap:wrap;gap:.6rem;padding:0;list-style:none}
.summary li{border:1px solid var(--rule);padding:.4rem .7rem;min-width:9rem}
.summary b{display:block;font-size:1.3rem}
.note{color:var(--muted);font-size:13px}
@media print{body{max-width:none;padding:0;font-size:11pt}h2{break-after:avoid}
.table{overflow:visible}table{font-size:8pt}a{color:inherit;text-decoration:none}}
"""


def table(
    caption: str, header: Sequence[str], rows: Sequence[Sequence[str]], names: bool = True
) -> str:
    """A data table; the first cell of each row is its header when `names`."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in header)
    body = []
    for row in rows:
        first, rest = (row[0], row[1:]) if names else ("", row)
        cells = f'<th scope="row">{esc(first)}</th>' if names else ""
        cells += "".join(f"<td>{esc(cell)}</td>" for cell in rest)
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="table"><table><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def figure(caption: str, svg: str, data: str) -> str:
    """A chart with its caption and the table of the same figures below it."""
    return f"<figure><figcaption>{esc(caption)}</figcaption>{svg}{data}</figure>"


def _per_month(
    chart: Chart,
    caption: str,
    months: Sequence[str],
    series: Sequence[str],
    values: dict[str, dict[str, int]],
    names: Callable[[str], str] = str,
    grouped: bool = False,
) -> str:
    """A per-month chart (stacked, or grouped) with its months × series table."""
    named = {m: {names(s): float(values[m][s]) for s in series} for m in months}
    labels = [names(s) for s in series]
    if grouped:
        grouped_values = {m: dict[str, float | None](v) for m, v in named.items()}
        svg = charts.grouped_bars(chart, months, labels, grouped_values)
    else:
        svg = charts.stacked_bars(chart, months, labels, named)
    rows = [[m, *(str(values[m][s]) for s in series), str(sum(values[m].values()))] for m in months]
    total = sum(sum(values[m].values()) for m in months)
    rows.append(["all", *(str(sum(values[m][s] for m in months)) for s in series), str(total)])
    header = ["month", *labels, "total"]
    if grouped:
        header, rows = header[:-1], [r[:-1] for r in rows]
    return figure(caption, svg, table(caption + " (table)", header, rows))


def incidents_section(figures: Figures) -> str:
    """Incidents per month, by severity and by category."""
    months = list(figures.incidents_by_month)
    severity = _per_month(
        Chart(
            "incidents-severity",
            "Incidents per month by severity",
            f"Stacked bars: incidents that began each month from {months[0]} to {months[-1]},"
            " split by severity; the number above each bar is the month's total.",
        ),
        "Incidents per month by severity",
        months,
        SEVERITIES,
        figures.incidents_by_month,
    )
    category = _per_month(
        Chart(
            "incidents-category",
            "Incidents per month by category",
            "Stacked bars: incidents that began each month, split by category.",
        ),
        "Incidents per month by category",
        months,
        CATEGORIES,
        figures.categories_by_month,
    )
    return "<h2>Incidents</h2>" + severity + category


def response_section(figures: Figures) -> str:
    """MTTD, MTTA, MTTM, MTTR per quarter: median bars and p90 ticks, by severity."""
    quarters = list(figures.response_by_quarter)
    parts = [
        "<h2>Response times per quarter</h2>",
        '<p class="note">Bars: median. Dashed tick: p90 (nearest rank). By severity; '
        "the table adds all incidents together.</p>",
    ]
    groups = ["overall", *SEVERITIES]
    for measure in MEASURES:
        data = figures.response_by_quarter
        medians = {q: {s: data[q][s][measure]["median"] for s in SEVERITIES} for q in quarters}
        p90s = {q: {s: data[q][s][measure]["p90"] for s in SEVERITIES} for q in quarters}
        name = MEASURE_NAMES[measure]
        chart = Chart(
            f"response-{measure}",
            f"{name}, per quarter by severity",
            f"Grouped bars: the median {name.split(': ')[1]} of incidents that began in each "
            "quarter, one bar per severity, with a dashed tick at the 90th percentile.",
        )
        svg = charts.grouped_bars(
            chart,
            quarters,
            list(SEVERITIES),
            _floats(medians),
            duration,
            _floats(p90s),
            DURATION_STEPS,
            "p90",
        )
        header = ["quarter", "incidents", "measured", "median", "p90"]
        rows = [
            [
                q if g == "overall" else "",
                g,
                str(data[q][g][measure]["count"]),
                duration(data[q][g][measure]["median"]),
                duration(data[q][g][measure]["p90"]),
            ]
            for q in quarters
            for g in groups
        ]
        parts.append(
            figure(
                name,
                svg,
                table(f"{name} (table; measured: incidents with both milestones)", header, rows),
            )
        )
    return "".join(parts)


def _floats(
    values: dict[str, dict[str, float | int | None]],
) -> dict[str, dict[str, float | None]]:
    return {
        k: {s: None if v is None else float(v) for s, v in d.items()} for k, d in values.items()
    }


def _band(seconds: float) -> int | None:
    if not seconds:
        return None
    return next((i for i, (bound, _) in enumerate(BANDS) if seconds < bound), len(BANDS))


def uptime_section(figures: Figures) -> str:
    """Weighted downtime per component per month, and SLA met or missed as a grid."""
    months = [b.label for b in figures.window.months]
    components = list(figures.downtime_by_month)
    band_names = [name for _, name in BANDS] + [LAST_BAND]
    cells = {
        c: {
            m: Cell(duration(s) if s else "", duration(s) if s else "none", _band(s))
            for m, s in figures.downtime_by_month[c].items()
        }
        for c in components
    }
    downtime = figure(
        "Weighted downtime per component per month",
        charts.grid(
            Chart(
                "downtime",
                "Weighted downtime per component per month",
                "A grid, one row per component and one column per month; each cell's pattern "
                "gives the band of its weighted downtime and, where it fits, the duration.",
            ),
            components,
            months,
            cells,
            band_names,
        ),
        table(
            "Weighted downtime (as the SLA weights count it), per month",
            ["component", *months],
            [[c, *(duration(figures.downtime_by_month[c][m]) for m in months)] for c in components],
        ),
    )
    slas = figures.sla_by_month
    verdicts = {
        True: Cell("✓", "met", 0),
        False: Cell("✗", "missed", 1),
        None: Cell("", "no data", None),
    }
    grid_cells = {c: {m: verdicts[slas[c][m].met] for m in months} for c in slas}
    rows = [
        [
            c,
            *(_verdict(r.met, r.uptime) for r in (slas[c][m] for m in months)),
        ]
        for c in slas
    ]
    sla = figure(
        "SLA met or missed per component per month",
        charts.grid(
            Chart(
                "sla",
                "SLA met or missed per component per month",
                "A grid, one row per component with an SLA and one column per month: a tick "
                "where the target was met, a cross where it was missed, blank without data.",
            ),
            list(slas),
            months,
            grid_cells,
            ["met ✓", "missed ✗"],
        ),
        table("SLA verdict and uptime per month", ["component", *months], rows),
    )
    return (
        "<h2>Downtime and SLA</h2>"
        + downtime
        + (sla if slas else "<p>No component has an SLA.</p>")
    )


def _verdict(met: bool | None, uptime: float | None) -> str:
    if met is None:
        return "-"
    return f"{'met' if met else 'MISSED'} {percent(uptime)}"


def _pareto(chart: Chart, caption: str, items: Sequence[Ranked], kind: str) -> str:
    if not items:
        return f"<h3>{esc(caption)}</h3><p>None in this window.</p>"
    svg = charts.pareto(
        chart,
        [i.name for i in items],
        [i.count for i in items],
        [i.cumulative_percent for i in items],
    )
    rows = [
        [i.name, str(i.count), percent(i.percent, 1), percent(i.cumulative_percent, 1)]
        for i in items
    ]
    return figure(
        caption, svg, table(caption + " (table)", [kind, "incidents", "share", "cumulative"], rows)
    )


def causes_section(figures: Figures) -> str:
    """Categories and root causes ranked, and recurring incidents."""
    parts = ["<h2>Causes and recurrence</h2>"]
    parts.append(
        _pareto(
            Chart(
                "pareto-category",
                "Categories ranked (Pareto)",
                "Bars: incidents per category, largest first; the dashed line is the running "
                "share.",
            ),
            "Categories ranked",
            figures.categories_ranked,
            "category",
        )
    )
    parts.append(
        _pareto(
            Chart(
                "pareto-root-cause",
                "Root causes ranked (Pareto)",
                "Bars: incidents whose postmortems name each root cause, largest first; the dashed "
                "line is the running share.",
            ),
            "Root causes ranked",
            figures.root_causes_ranked,
            "root cause",
        )
    )
    parts.append(
        f'<p class="note">{figures.without_root_cause} incident(s) of the window have no '
        "postmortem naming a root cause.</p>"
    )
    pairs: dict[str, int] = {}
    for item in figures.recurring:
        key = f"{item.component} / {item.category.value}"
        pairs[key] = pairs.get(key, 0) + 1
    caption = "Recurring incidents (same component and category within 30 days)"
    if not pairs:
        return "".join(parts) + f"<h3>{esc(caption)}</h3><p>None in this window.</p>"
    svg = charts.stacked_bars(
        Chart(
            "recurring",
            "Recurring incidents by component and category",
            "Bars: how many incidents hit a component that an incident of the same category "
            "hit at most 30 days before, per component and category.",
        ),
        list(pairs),
        ["recurrences"],
        {k: {"recurrences": float(v)} for k, v in pairs.items()},
    )
    rows = [
        [r.incident, r.component, r.category.value, r.previous, f"{r.days_apart:.1f}"]
        for r in figures.recurring
    ]
    header = ["incident", "component", "category", "after", "days apart"]
    parts.append(figure(caption, svg, table(caption + " (table)", header, rows)))
    return "".join(parts)


def followup_section(figures: Figures) -> str:
    """Postmortems by policy, action items, and response-policy breaches per month."""
    months = list(figures.postmortems_by_month)
    postmortems = _per_month(
        Chart(
            "postmortems",
            "Postmortems by policy, per month of the incident",
            "Stacked bars: incidents whose policy asks for a postmortem, by whether it was "
            "published on time, late, is missing, or is not yet due.",
        ),
        "Postmortems: on time, late, missing",
        months,
        POSTMORTEM_OUTCOMES,
        figures.postmortems_by_month,
        OUTCOME_NAMES.__getitem__,
    )
    actions = _per_month(
        Chart(
            "action-items",
            "Action items per month of their postmortem",
            "Grouped bars: action items of postmortems dated each month; how many were opened, "
            "how many are done now, how many are overdue now.",
        ),
        "Action items: opened, done, overdue",
        months,
        ACTION_COUNTS,
        figures.action_items_by_month,
        grouped=True,
    )
    breaches = _per_month(
        Chart(
            "breaches",
            "Response-policy breaches per month",
            "Stacked bars: response-policy targets missed by incidents that began each month, "
            "by kind of breach.",
        ),
        "Response-policy breaches",
        months,
        BREACH_KINDS,
        figures.breaches_by_month,
    )
    return "<h2>Follow-up</h2>" + postmortems + actions + breaches


def summary(figures: Figures, page_name: str) -> str:
    """The heading, the internal warning and the headline numbers."""
    whole = figures.whole
    ttr = whole.overall.durations["ttr"]
    missed = sum(
        r.met is False for months in figures.sla_by_month.values() for r in months.values()
    )
    items = [
        ("incidents", str(whole.incidents)),
        *((s.value, str(n)) for s, n in whole.by_severity_count.items()),
        ("median time to resolve", duration(ttr.median)),
        ("SLA months missed", str(missed)),
        ("policy breaches", str(len(whole.breaches))),
    ]
    cards = "".join(f"<li><b>{esc(v)}</b>{esc(k)}</li>" for k, v in items)
    window = figures.window
    return (
        f"<header><h1>Insights: {esc(page_name)}</h1>"
        '<p class="internal">Internal: counts internal incidents; do not publish.</p>'
        f'<p class="meta">Incidents that began from {window.first} to {window.last} '
        f"({esc(figures.timezone)}); generated {format_timestamp(figures.now)}.</p>"
        f'</header><ul class="summary" aria-label="Headline figures">{cards}</ul>'
    )


def render_html(figures: Figures, page_name: str, language: str = "en") -> str:
    """The whole page."""
    body = "".join(
        [
            summary(figures, page_name),
            incidents_section(figures),
            response_section(figures),
            uptime_section(figures),
            causes_section(figures),
            followup_section(figures),
        ]
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>Insights: {esc(page_name)} {figures.window.first} to {figures.window.last}</title>"
        f"<style>{CSS}</style></head><body><main>{body}</main></body></html>\n"
    )
