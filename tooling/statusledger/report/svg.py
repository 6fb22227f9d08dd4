"""Small pieces of static SVG: escaping, numbers, the palette and its fill patterns, axes.

Everything is text built in a fixed order from the figures alone, so the same figures give the
same bytes. Colours are the Okabe-Ito palette (safe for the common colour-vision
deficiencies), and every series also gets its own pattern, so no chart relies on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

# Okabe & Ito (2008), "Color Universal Design", plus a neutral grey for a ninth series.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
    "#999999",  # grey
)
_LIGHT = frozenset({"#E69F00", "#56B4E9", "#F0E442", "#999999"})
# One overlay per series, in the order of PALETTE: none, diagonals, lines, cross, dots.
_OVERLAYS = (
    "",
    '<path d="M0 8L8 0M-2 2L2-2M6 10L10 6" stroke-width="1.5"/>',
    '<path d="M0 4H8" stroke-width="1.5"/>',
    '<circle cx="4" cy="4" r="1.4" stroke="none"/>',
    '<path d="M0 0L8 8M-2 6L2 10M6-2L10 2" stroke-width="1.5"/>',
    '<path d="M4 0V8" stroke-width="1.5"/>',
    '<path d="M0 4H8M4 0V8" stroke-width="1"/>',
    '<path d="M0 8L8 0M0 0L8 8" stroke-width="1"/>',
    '<circle cx="2" cy="2" r="1" stroke="none"/><circle cx="6" cy="6" r="1" stroke="none"/>',
)

WIDTH = 760
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def esc(text: str) -> str:
    """Text or attribute content, escaped for XML."""
    return escape(text, quote=True)


def num(value: float) -> str:
    """A coordinate with at most one decimal, written the same way every time."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def pattern_id(chart: str, series: int) -> str:
    """The id of a series' fill pattern inside one chart."""
    return f"{chart}-p{series}"


def patterns(chart: str, count: int) -> str:
    """<defs> with one pattern per series: its palette colour under its own overlay."""
    parts = ["<defs>"]
    for index in range(count):
        colour = PALETTE[index % len(PALETTE)]
        ink = "#000000" if colour in _LIGHT else "#FFFFFF"
        overlay = _OVERLAYS[index % len(_OVERLAYS)]
        parts.append(
            f'<pattern id="{pattern_id(chart, index)}" width="8" height="8" '
            f'patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{colour}"/>'
            f'<g stroke="{ink}" fill="{ink}" opacity="0.55">{overlay}</g></pattern>'
        )
    parts.append("</defs>")
    return "".join(parts)


def fill(chart: str, series: int) -> str:
    """The fill attribute value of a series."""
    return f"url(#{pattern_id(chart, series)})"


def ink_on(series: int) -> str:
    """Text colour readable on a series' colour."""
    return "#000000" if PALETTE[series % len(PALETTE)] in _LIGHT else "#FFFFFF"


def open_svg(chart: str, title: str, desc: str, height: float) -> str:
    """The opening of an accessible chart: role img, labelled by its own title and desc."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart}" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {num(height)}" aria-labelledby="{chart}-title {chart}-desc" '
        f'{FONT}><title id="{chart}-title">{esc(title)}</title>'
        f'<desc id="{chart}-desc">{esc(desc)}</desc>'
    )


def nice_ticks(top: float, steps: Sequence[float] = ()) -> list[float]:
    """Tick values from 0 to at least `top`, about five, at round steps (or one of `steps`)."""
    if top <= 0:
        return [0.0, 1.0]
    rough = top / 5
    if steps:
        step = next((s for s in steps if s >= rough), steps[-1] * math.ceil(rough / steps[-1]))
    else:
        power = 10 ** math.floor(math.log10(rough))
        # Counts only: never a step below one, so no tick reads 0.5 (or "0" twice once cut).
        step = max(1, next(m * power for m in (1, 2, 5, 10) if m * power >= rough))
    count = math.ceil(top / step - 1e-9)
    return [step * n for n in range(count + 1)]


def y_axis(
    ticks: Sequence[float],
    left: float,
    right: float,
    top: float,
    bottom: float,
    label: Callable[[float], str],
) -> str:
    """Horizontal grid lines with their values, 0 at `bottom` and the last tick at `top`."""
    parts = []
    highest = ticks[-1] or 1
    for tick in ticks:
        y = bottom - (bottom - top) * tick / highest
        parts.append(
            f'<line x1="{num(left)}" x2="{num(right)}" y1="{num(y)}" y2="{num(y)}" '
            f'stroke="#CCCCCC" stroke-width="1"/>'
            f'<text x="{num(left - 6)}" y="{num(y + 4)}" text-anchor="end" '
            f'fill="#333333">{esc(label(tick))}</text>'
        )
    return "".join(parts)


def x_labels(
    labels: Sequence[str], centres: Sequence[float], y: float, max_labels: int = 14
) -> str:
    """Category names under the plot; with many, every n-th (the table lists them all)."""
    every = max(1, math.ceil(len(labels) / max_labels))
    parts = []
    for index, (text, x) in enumerate(zip(labels, centres, strict=True)):
        if index % every == 0:
            parts.append(
                f'<text x="{num(x)}" y="{num(y)}" text-anchor="middle" '
                f'fill="#333333">{esc(text)}</text>'
            )
    return "".join(parts)


def legend(chart: str, names: Sequence[str], y: float, left: float = 60) -> tuple[str, float]:
    """Swatches with the series' patterns and names, wrapped; returns (svg, height used)."""
    parts, x, row = [], left, 0
    for index, name in enumerate(names):
        width = 24 + 6.5 * len(name)
        if x + width > WIDTH - 10 and x > left:
            x, row = left, row + 1
        top = y + 18 * row
        parts.append(
            f'<rect x="{num(x)}" y="{num(top)}" width="14" height="14" '
            f'fill="{fill(chart, index)}" stroke="#333333" stroke-width="0.5"/>'
            f'<text x="{num(x + 19)}" y="{num(top + 11)}" fill="#222222">{esc(name)}</text>'
        )
        x += width + 12
    return "".join(parts), 18 * (row + 1)
