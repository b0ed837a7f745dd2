"""Vega-Lite specifications; the same spec renders in the browser and, later, in documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def indicator_chart(
    name: str,
    unit: str,
    series: Sequence[tuple[int, float]],
    baseline: float | None,
    target: float | None,
    target_year: int | None,
) -> dict[str, Any]:
    values = [{"år": str(year), "värde": value} for year, value in series]
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": True, "color": "#1f4e79"},
            "encoding": {
                "x": {"field": "år", "type": "ordinal", "title": "År"},
                "y": {"field": "värde", "type": "quantitative", "title": unit},
                "tooltip": [{"field": "år"}, {"field": "värde", "format": ",.1f"}],
            },
        }
    ]
    for value, label, colour in ((baseline, "Utgångsvärde", "#6b6b6b"), (target, "Målvärde", "#2e7d32")):
        if value is not None:
            layers.append(
                {
                    "data": {"values": [{"y": value, "etikett": label}]},
                    "mark": {"type": "rule", "strokeDash": [6, 4], "color": colour},
                    "encoding": {"y": {"field": "y", "type": "quantitative"}},
                }
            )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": f"{name}: mätvärden per år" + (f", mål {target} till {target_year}" if target else ""),
        "width": "container",
        "height": 180,
        "data": {"values": values},
        "layer": layers,
        "config": {"locale": {"number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3]}}},
    }
