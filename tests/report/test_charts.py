"""The chart writer: accessible names, a pattern per series besides its colour, count axes in
whole numbers, and the same bytes for the same figures."""

from __future__ import annotations

import re

from lxml import etree

from statusledger.report.charts import Cell, Chart, grid, stacked_bars
from statusledger.report.svg import PALETTE

SVG = "{http://www.w3.org/2000/svg}"
CHART = Chart("c", "Nine series", "Stacked bars of nine series over two months.")
SERIES = [f"s{n}" for n in range(9)]
VALUES = {"2026-01": {s: 1.0 for s in SERIES}, "2026-02": {"s0": 2.0}}


def test_every_series_has_its_own_pattern_not_only_its_own_colour() -> None:
    svg = etree.fromstring(stacked_bars(CHART, list(VALUES), SERIES, VALUES).encode())
    patterns = svg.findall(f".//{SVG}pattern")
    assert len(patterns) == 9
    overlays = {etree.tostring(p[1]) for p in patterns}  # the overlay, without the colour
    assert len(overlays) == 9
    colours = [p[0].get("fill") for p in patterns]
    assert colours == list(PALETTE)


def test_a_chart_is_named_by_its_title_and_desc() -> None:
    svg = etree.fromstring(stacked_bars(CHART, list(VALUES), SERIES, VALUES).encode())
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.find(f"{SVG}title").text == "Nine series"
    assert svg.find(f"{SVG}desc").text == "Stacked bars of nine series over two months."


def test_count_axes_are_whole_numbers_and_totals_are_labelled() -> None:
    text = stacked_bars(CHART, ["2026-01"], ["a"], {"2026-01": {"a": 2.0}})
    labels = re.findall(r'text-anchor="end" fill="#333333">([^<]*)<', text)
    assert labels == ["0", "1", "2"]
    assert re.search(r'font-weight="600" aria-hidden="true">2<', text)


def test_grid_cells_carry_their_text_and_a_spoken_title() -> None:
    cells = {"api": {"2026-01": Cell("✗", "missed", 1)}}
    svg = grid(Chart("g", "SLA", "Grid."), ["api"], ["2026-01"], cells, ["met", "missed"])
    assert "<title>api, 2026-01: missed</title>" in svg
    assert ">✗</text>" in svg and 'fill="url(#g-p1)"' in svg


def test_the_same_figures_give_the_same_bytes() -> None:
    first = stacked_bars(CHART, list(VALUES), SERIES, VALUES)
    assert stacked_bars(CHART, list(VALUES), SERIES, dict(VALUES)) == first
