"""The internal insights report: figures from the metrics and SLA engine, drawn as static SVG.

figures.py computes, charts.py and svg.py draw, html.py and markdown.py lay out, output.py
decides where the report may be written (never into the public site).
"""
