"""The report's four kinds of chart as inline SVG: stacked bars, grouped bars, grid, Pareto.

Our own small writer rather than a charting library: the one well-known pure-Python SVG library
(pygal) gives every chart a random id, adds script tags and a tooltip script from another
host, and writes no accessible names; these charts need none of that, and
about 300 lines give exactly the static, deterministic, labelled output the report promises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from statusledger.report.svg import (
    WIDTH,
    esc,
    fill,
    ink_on,
    legend,
    nice_ticks,
    num,
    open_svg,
    patterns,
    x_labels,
    y_axis,
)

LEFT, RIGHT, TOP = 64.0, 16.0, 16.0
PLOT_HEIGHT = 200.0
Label = Callable[[float], str]


def count_label(value: float) -> str:
    """A whole count."""
    return f"{value:.0f}"


@dataclass(frozen=True)
class Chart:
    """Who the chart is (its id, unique in the page) and what it says in words."""

    id: str
    title: str
    desc: str


def _slots(count: int) -> tuple[float, list[float]]:
    """The width of one category and the centre of each, across the plot."""
    width = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return width, [LEFT + width * (n + 0.5) for n in range(count)]


def _finish(chart: Chart, body: list[str], names: Sequence[str], y: float, extra: str = "") -> str:
    keys, used = legend(chart.id, names, y)
    head = open_svg(chart.id, chart.title, chart.desc, y + used + 6)
    return head + patterns(chart.id, len(names)) + "".join(body) + keys + extra + "</svg>"


def stacked_bars(
    chart: Chart,
    categories: Sequence[str],
    series: Sequence[str],
    values: Mapping[str, Mapping[str, float]],
    label: Label = count_label,
) -> str:
    """One bar per category (e.g. month), its segments the series (e.g. severities).

    `values[category][series]`. Segments tall enough carry their value; every bar carries its
    total above it, so each number can be read without telling colours apart.
    """
    totals = [sum(values[c].get(s, 0) for s in series) for c in categories]
    ticks = nice_ticks(max(totals, default=0))
    bottom = TOP + PLOT_HEIGHT
    scale = PLOT_HEIGHT / (ticks[-1] or 1)
    width, centres = _slots(len(categories))
    bar = max(width * 0.7, 1.0)
    body = [y_axis(ticks, LEFT, WIDTH - RIGHT, TOP, bottom, label)]
    for category, centre, total in zip(categories, centres, totals, strict=True):
        y = bottom
        x = centre - bar / 2
        for index, name in enumerate(series):
            value = values[category].get(name, 0)
            if not value:
                continue
            height = value * scale
            y -= height
            body.append(
                f'<rect x="{num(x)}" y="{num(y)}" width="{num(bar)}" height="{num(height)}" '
                f'fill="{fill(chart.id, index)}"><title>{esc(category)}, {esc(name)}: '
                f"{esc(label(value))}</title></rect>"
            )
            if height >= 13 and bar >= 16:
                body.append(_value(centre, y + height / 2 + 4, label(value), ink_on(index)))
        if total and bar >= 10:
            body.append(_value(centre, y - 4, label(total), "#222222"))
    body.append(_baseline(bottom))
    body.append(x_labels(categories, centres, bottom + 16))
    return _finish(chart, body, series, bottom + 30)


def grouped_bars(
    chart: Chart,
    categories: Sequence[str],
    series: Sequence[str],
    values: Mapping[str, Mapping[str, float | None]],
    label: Label = count_label,
    markers: Mapping[str, Mapping[str, float | None]] | None = None,
    steps: Sequence[float] = (),
    marker_name: str = "",
) -> str:
    """Side-by-side bars per category, one per series, with an optional tick (e.g. p90) each.

    A missing value (None) draws nothing; the table says "-" there.
    """
    found = [v for c in categories for v in values[c].values() if v is not None]
    if markers:
        found += [v for c in categories for v in markers[c].values() if v is not None]
    ticks = nice_ticks(max(found, default=0), steps)
    bottom = TOP + PLOT_HEIGHT
    scale = PLOT_HEIGHT / (ticks[-1] or 1)
    width, centres = _slots(len(categories))
    bar = max(width * 0.8 / max(len(series), 1), 1.0)
    body = [y_axis(ticks, LEFT, WIDTH - RIGHT, TOP, bottom, label)]
    for category, centre in zip(categories, centres, strict=True):
        left = centre - bar * len(series) / 2
        for index, name in enumerate(series):
            x = left + bar * index
            value = values[category].get(name)
            if value is not None:
                height = value * scale
                body.append(
                    f'<rect x="{num(x)}" y="{num(bottom - height)}" width="{num(bar)}" '
                    f'height="{num(height)}" fill="{fill(chart.id, index)}" stroke="#FFFFFF" '
                    f'stroke-width="0.5"><title>{esc(category)}, {esc(name)}: '
                    f"{esc(label(value))}</title></rect>"
                )
                text = label(value)
                if value and bar >= 6.5 * len(text):
                    body.append(_value(x + bar / 2, bottom - height - 3, text, "#222222"))
            mark = markers[category].get(name) if markers else None
            if mark is not None:
                y = bottom - mark * scale
                foot = bottom - (value or 0) * scale
                body.append(
                    f'<path d="M{num(x)} {num(y)}H{num(x + bar)}M{num(x + bar / 2)} {num(y)}'
                    f'V{num(foot)}" stroke="#222222" stroke-width="1.5" '
                    f'stroke-dasharray="2 2"><title>{esc(category)}, {esc(name)}, '
                    f"{esc(marker_name)}: {esc(label(mark))}</title></path>"
                )
    body.append(_baseline(bottom))
    body.append(x_labels(categories, centres, bottom + 16))
    return _finish(chart, body, series, bottom + 30)


@dataclass(frozen=True)
class Cell:
    """One cell of a grid: its text, what a screen reader hears, and its series (None: blank)."""

    text: str
    spoken: str
    series: int | None


def grid(
    chart: Chart,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Mapping[str, Mapping[str, Cell]],
    names: Sequence[str],
) -> str:
    """Rows (components) by columns (months), each cell in its series' pattern.

    Where it fits, a cell also carries its text (✓ / ✗, or a duration).
    """
    top, cell_height = TOP + 4, 22.0
    width = (WIDTH - 150 - RIGHT) / max(len(columns), 1)
    body = []
    for r, row in enumerate(rows):
        y = top + cell_height * r
        body.append(
            f'<text x="144" y="{num(y + 15)}" text-anchor="end" fill="#222222">'
            f"{esc(_short(row, 22))}</text>"
        )
        for c, column in enumerate(columns):
            cell = cells[row][column]
            x = 150 + width * c
            colour = "#F2F2F2" if cell.series is None else fill(chart.id, cell.series)
            body.append(
                f'<rect x="{num(x)}" y="{num(y)}" width="{num(width - 1)}" '
                f'height="{num(cell_height - 1)}" fill="{colour}"><title>{esc(row)}, '
                f"{esc(column)}: {esc(cell.spoken)}</title></rect>"
            )
            if cell.text and width >= 7 * len(cell.text) + 4:
                ink = "#222222" if cell.series is None else ink_on(cell.series)
                body.append(_value(x + width / 2, y + 15, cell.text, ink, plain=True))
    bottom = top + cell_height * len(rows)
    centres = [150 + width * (c + 0.5) for c in range(len(columns))]
    body.append(x_labels(columns, centres, bottom + 14, max_labels=12))
    return _finish(chart, body, names, bottom + 26)


def pareto(
    chart: Chart, names: Sequence[str], counts: Sequence[int], cumulative: Sequence[float]
) -> str:
    """Bars largest first, with the running share as a line and its percentages as labels."""
    ticks = nice_ticks(max(counts, default=0))
    bottom = TOP + PLOT_HEIGHT
    scale = PLOT_HEIGHT / (ticks[-1] or 1)
    width, centres = _slots(len(names))
    bar = max(width * 0.6, 1.0)
    body = [y_axis(ticks, LEFT, WIDTH - RIGHT, TOP, bottom, count_label)]
    points = []
    for name, count, share, centre in zip(names, counts, cumulative, centres, strict=True):
        height = count * scale
        body.append(
            f'<rect x="{num(centre - bar / 2)}" y="{num(bottom - height)}" width="{num(bar)}" '
            f'height="{num(height)}" fill="{fill(chart.id, 0)}"><title>{esc(name)}: {count} '
            f"({share:.0f}% cumulative)</title></rect>"
        )
        body.append(_value(centre, bottom - height - 3, str(count), "#222222"))
        y = bottom - PLOT_HEIGHT * share / 100
        points.append(f"{num(centre)},{num(y)}")
        body.append(
            f'<circle cx="{num(centre)}" cy="{num(y)}" r="3" fill="#D55E00"/>'
            f'<text x="{num(centre + 5)}" y="{num(y - 5)}" fill="#222222">{share:.0f}%</text>'
        )
    if points:
        body.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#D55E00" '
            f'stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
    body.append(_baseline(bottom))
    body.append(x_labels([_short(n, 12) for n in names], centres, bottom + 16))
    y = bottom + 30
    line = (
        f'<path d="M200 {num(y + 7)}H226" stroke="#D55E00" stroke-width="1.5" '
        f'stroke-dasharray="5 3"/><circle cx="213" cy="{num(y + 7)}" r="3" fill="#D55E00"/>'
        f'<text x="231" y="{num(y + 11)}" fill="#222222">cumulative share (%)</text>'
    )
    return _finish(chart, body, ["incidents"], y, line)


def _value(x: float, y: float, text: str, ink: str, plain: bool = False) -> str:
    weight = "" if plain else ' font-weight="600"'
    return (
        f'<text x="{num(x)}" y="{num(y)}" text-anchor="middle" fill="{ink}"{weight} '
        f'aria-hidden="true">{esc(text)}</text>'
    )


def _baseline(y: float) -> str:
    return (
        f'<line x1="{num(LEFT)}" x2="{num(WIDTH - RIGHT)}" y1="{num(y)}" y2="{num(y)}" '
        f'stroke="#333333" stroke-width="1"/>'
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
