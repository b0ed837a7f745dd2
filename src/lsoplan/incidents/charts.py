"""Vega-Lite specifications for the incident pages (rendered by static/lsoplan/charts.js).

Each chart has a table beside it on the page with the same figures; the specs say so in their
description, which vega-embed gives to screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lsoplan.followup.charts import SV_LOCALE

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Colour-blind-safe categorical palette (Okabe–Ito plus greys) for up to 14 event types.
PALETTE = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#1F4E79",
    "#A4161A",
    "#1E6B2F",
    "#BCBD22",
]


def counts_chart(groups: Sequence[Mapping[str, Any]], names: Mapping[int, str]) -> dict[str, Any]:
    """Stacked bars: incidents per year, split by event type."""
    values = [
        {
            "år": str(g["year"]),
            "händelsetyp": names.get(g["handelsetyp"], str(g["handelsetyp"])),
            "antal": g["count"],
        }
        for g in groups
    ]
    return {
        "$schema": SCHEMA,
        "description": "Antal händelser per år och händelsetyp. Samma uppgifter finns i tabellen.",
        "width": "container",
        "height": 260,
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "år", "type": "ordinal", "title": "År"},
            "y": {"field": "antal", "type": "quantitative", "title": "Antal händelser", "stack": "zero"},
            "color": {
                "field": "händelsetyp",
                "type": "nominal",
                "title": "Händelsetyp",
                "scale": {"range": PALETTE},
                "legend": {"orient": "bottom", "columns": 2, "labelLimit": 260},
            },
            "tooltip": [
                {"field": "år", "title": "År"},
                {"field": "händelsetyp", "title": "Händelsetyp"},
                {"field": "antal", "title": "Antal", "format": ",d"},
            ],
        },
        "config": {"locale": SV_LOCALE, "mark": {"aria": False}, "axis": {"aria": False}},
    }


def distribution_chart(bins: Sequence[Mapping[str, Any]], thresholds: Sequence[float]) -> dict[str, Any]:
    """Histogram of response times in whole minutes, with a dashed rule at each threshold."""
    values = [{"minut": b["minute"], "antal": b["count"]} for b in bins]
    rules = [{"gräns": t} for t in thresholds]
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": values},
            # Each bar covers one whole minute, from m to m + 1.
            "transform": [{"calculate": "datum.minut + 1", "as": "slut"}],
            "mark": {"type": "bar", "color": "#1f4e79", "stroke": "#ffffff", "strokeWidth": 0.5},
            "encoding": {
                "x": {
                    "field": "minut",
                    "type": "quantitative",
                    "title": "Insatstid, minuter (larm → första enhet på plats)",
                },
                "x2": {"field": "slut"},
                "y": {"field": "antal", "type": "quantitative", "title": "Antal händelser"},
                "y2": {"datum": 0},
                "tooltip": [
                    {"field": "minut", "title": "Från minut"},
                    {"field": "antal", "title": "Antal", "format": ",d"},
                ],
            },
        },
        {
            "data": {"values": rules},
            "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#a4161a", "strokeWidth": 2},
            "encoding": {"x": {"field": "gräns", "type": "quantitative"}},
        },
    ]
    limits = ", ".join(f"{t:g}" for t in thresholds)
    return {
        "$schema": SCHEMA,
        "description": f"Fördelning av insatstider per minut, med gränserna {limits} minuter markerade. "
        "Samma uppgifter finns i tabellen.",
        "width": "container",
        "height": 220,
        "layer": layers,
        "config": {"locale": SV_LOCALE, "mark": {"aria": False}, "axis": {"aria": False}},
    }
