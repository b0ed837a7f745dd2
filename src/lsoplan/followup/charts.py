"""Vega-Lite specifications; the same spec renders in the browser and in documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lsoplan.lib.followup import ChartPoint

SV_LOCALE = {"number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3]}}


def indicator_chart(
    name: str,
    unit: str,
    points: Sequence[ChartPoint],
    baseline: float | None,
    target: float | None,
    target_year: int | None,
) -> dict[str, Any]:
    """Series with its 95 % interval (counts), control limits, baseline and target lines.

    ``points`` carry rates when the indicator is normalised; ``baseline``/``target`` must then be
    given in the same unit by the caller (or left out).
    """
    values = [
        {
            "år": str(p.year),
            "värde": p.value,
            "nedre": p.lower,
            "övre": p.upper,
            "lcl": p.lcl,
            "ucl": p.ucl,
            "signal": p.signal or "",
        }
        for p in points
    ]
    x = {"field": "år", "type": "ordinal", "title": "År"}
    # Every layer names itself in one shared colour scale, so the chart carries a legend that says
    # what the band, the dashed lines and the red diamonds are.
    present: list[tuple[str, str]] = []

    def colour(name: str, value: str) -> dict[str, Any]:
        if name not in (n for n, _ in present):
            present.append((name, value))
        return {"datum": name, "type": "nominal", "scale": scale, "legend": legend}

    scale: dict[str, Any] = {"domain": [], "range": []}
    legend: dict[str, Any] = {
        "title": None,
        "orient": "bottom",
        "direction": "horizontal",
        "symbolOpacity": 1,
        "symbolType": "square",
    }
    layers: list[dict[str, Any]] = []
    if any(p.lower is not None for p in points):
        layers.append(
            {
                "mark": {"type": "area", "opacity": 0.18},
                "encoding": {
                    "x": x,
                    "y": {"field": "nedre", "type": "quantitative"},
                    "y2": {"field": "övre"},
                    "color": colour("95 % konfidensintervall", "#1f4e79"),
                },
            }
        )
    if any(p.ucl is not None for p in points):
        for field in ("ucl", "lcl"):
            layers.append(
                {
                    "mark": {"type": "line", "strokeDash": [2, 3], "strokeWidth": 1},
                    "encoding": {
                        "x": x,
                        "y": {"field": field, "type": "quantitative"},
                        "color": colour("Styrgränser", "#8a4b00"),
                    },
                }
            )
    layers.append(
        {
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": x,
                "y": {"field": "värde", "type": "quantitative", "title": unit},
                "color": colour("Värde", "#1f4e79"),
                "tooltip": [
                    {"field": "år", "title": "År"},
                    {"field": "värde", "title": "Värde", "format": ",.2~f"},
                    {"field": "signal", "title": "Signal"},
                ],
            },
        }
    )
    if any(p.signal for p in points):
        layers.append(
            {
                "transform": [{"filter": "datum.signal != ''"}],
                "mark": {"type": "point", "shape": "diamond", "size": 120, "filled": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "värde", "type": "quantitative"},
                    "color": colour("Signal (ovanligt värde)", "#a4161a"),
                },
            }
        )
    for value, line, shade in ((baseline, "Utgångsläge", "#6b6b6b"), (target, "Mål", "#1e6b2f")):
        if value is not None:
            layers.append(
                {
                    "data": {"values": [{"y": value}]},
                    "mark": {"type": "rule", "strokeDash": [6, 4]},
                    "encoding": {
                        "y": {"field": "y", "type": "quantitative"},
                        "color": colour(line, shade),
                    },
                }
            )
    scale["domain"] = [n for n, _ in present]
    scale["range"] = [c for _, c in present]
    target_text = f", mål {target:g} till {target_year}" if target is not None else ""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": f"{name}: värden per år med 95 % konfidensintervall och styrgränser{target_text}",
        "width": "container",
        "height": 200,
        "data": {"values": values},
        "layer": layers,
        # The figure element carries the label and the table is the text alternative, so the SVG's
        # own marks stay out of the accessibility tree instead of announcing unlabelled images.
        "config": {"locale": SV_LOCALE, "mark": {"aria": False}, "axis": {"aria": False}},
    }
