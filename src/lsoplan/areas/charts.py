"""Vega-Lite specifications for capability over area and time (rendered by static/lsoplan/charts.js).

Maps use the identity projection on SWEREF 99 TM metres (north up through ``reflectY``), so no tile
server or web-mercator round trip is needed; the same specs render to PNG for the documents. Every
chart has a table with the same figures beside it on the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lsoplan.followup.charts import SV_LOCALE
from lsoplan.lib.geo.timeprofile import WEEKDAYS_SV

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Okabe–Ito: colour-blind-safe and distinct in greyscale print.
STATION_COLOURS = {"heltid": "#D55E00", "deltid": "#0072B2", "varn": "#009E73"}
STATION_LABELS = {"heltid": "Heltid", "deltid": "Deltid (RIB)", "varn": "Räddningsvärn"}

METRICS: dict[str, tuple[str, str]] = {
    # metric → (the cell property, legend title)
    "median": ("median_min", "Median insatstid (minuter)"),
    "share": ("share", "Andel framme inom {minutes} min (%)"),
    "per_year": ("per_year", "Händelser per år"),
}
CONFIG = {"locale": SV_LOCALE, "mark": {"aria": False}, "axis": {"aria": False}, "font": "DejaVu Sans"}


def _cell_feature(cell: Mapping[str, Any], size: int, minutes: str) -> dict[str, Any]:
    x, y = cell["x"], cell["y"]
    share = cell["share_within"].get(minutes)
    return {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[x, y], [x, y + size], [x + size, y + size], [x + size, y], [x, y]]],
        },
        "properties": {
            "n": cell["n"],
            "median_min": round(cell["median_s"] / 60, 1) if cell["median_s"] is not None else None,
            "share": round(share * 100, 1) if share is not None else None,
            "per_year": round(cell["per_year"], 2) if cell.get("per_year") is not None else None,
        },
    }


def grid_map(
    cells: Sequence[Mapping[str, Any]],
    *,
    cell_m: int,
    metric: str,
    minutes: str,
    stations: Sequence[Mapping[str, Any]] = (),
    areas: Sequence[Mapping[str, Any]] = (),
    outline: Sequence[Mapping[str, Any]] = (),
    height: int = 440,
) -> dict[str, Any]:
    """Cells coloured by ``metric``, response-area outlines and stations as triangles, over the
    municipalities' outline (GeoJSON features in SWEREF 99 TM with ``properties.kommun``)."""
    prop, title = METRICS[metric]
    title = title.format(minutes=minutes)
    # Slow is dark for times; for shares, high (good) is light: the eye reads dark as "look here".
    reverse = metric == "share"
    layers: list[dict[str, Any]] = []
    if outline:
        # Underneath everything: the land the figures belong to, so empty cells read as "no
        # incidents" rather than "no map". Light, so that the cells' colours carry the meaning.
        layers.append(
            {
                "data": {"values": list(outline)},
                "mark": {"type": "geoshape", "fill": "#f3f3f0", "stroke": "#6b6b6b", "strokeWidth": 0.8},
                "encoding": {"tooltip": [{"field": "properties.kommun", "title": "Kommun"}]},
            }
        )
    layers += [
        {
            "data": {"values": [_cell_feature(c, cell_m, minutes) for c in cells]},
            "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.2},
            "encoding": {
                "color": {
                    "field": f"properties.{prop}",
                    "type": "quantitative",
                    "title": title,
                    "scale": {"scheme": "viridis", "reverse": not reverse},
                    "legend": {"orient": "bottom", "gradientLength": 240, "titleLimit": 320},
                },
                "tooltip": [
                    {"field": "properties.n", "title": "Händelser", "type": "quantitative"},
                    {"field": "properties.median_min", "title": "Median (min)", "type": "quantitative"},
                    {"field": "properties.share", "title": f"Inom {minutes} min (%)", "type": "quantitative"},
                ],
            },
        }
    ]
    if areas:
        layers.append(
            {
                "data": {
                    "values": [
                        {"type": "Feature", "geometry": a["geometry"], "properties": {"namn": a["name"]}}
                        for a in areas
                    ]
                },
                "mark": {"type": "geoshape", "filled": False, "stroke": "#222222", "strokeWidth": 1.2},
                "encoding": {"tooltip": [{"field": "properties.namn", "title": "Insatsområde"}]},
            }
        )
    if stations:
        layers.append(
            {
                "data": {
                    "values": [
                        {"namn": s["name"], "x": s["x"], "y": s["y"], "form": STATION_LABELS[s["kind"]]}
                        for s in stations
                    ]
                },
                "mark": {
                    "type": "point",
                    "shape": "triangle-up",
                    "filled": True,
                    "size": 120,
                    "stroke": "#000000",
                    "strokeWidth": 0.8,
                },
                "encoding": {
                    "longitude": {"field": "x", "type": "quantitative"},
                    "latitude": {"field": "y", "type": "quantitative"},
                    "color": {
                        "field": "form",
                        "type": "nominal",
                        "title": "Station",
                        "scale": {
                            "domain": list(STATION_LABELS.values()),
                            "range": list(STATION_COLOURS.values()),
                        },
                        "legend": {"orient": "bottom"},
                    },
                    "tooltip": [
                        {"field": "namn", "title": "Station"},
                        {"field": "form", "title": "Bemanning"},
                    ],
                },
            }
        )
    return {
        "$schema": SCHEMA,
        "description": f"Karta: {title.lower()} per ruta om {cell_m} m. Samma uppgifter finns i tabellen.",
        "width": "container",
        "height": height,
        "projection": {"type": "identity", "reflectY": True},
        "layer": layers,
        "resolve": {"scale": {"color": "independent"}},
        "config": CONFIG | {"view": {"stroke": None}},
    }


def hour_weekday_heatmap(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Median insatstid by hour of day (columns) and weekday (rows)."""
    values = [
        {
            "timme": r["hour"],
            "veckodag": WEEKDAYS_SV[r["weekday"] - 1],
            "median": round(r["median_s"] / 60, 1) if r["median_s"] is not None else None,
            "antal": r["n"],
        }
        for r in rows
    ]
    return {
        "$schema": SCHEMA,
        "description": "Värmekarta: median insatstid per timme och veckodag (samma uppgifter i tabellen).",
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "rect"},
        "encoding": {
            "x": {
                "field": "timme",
                "type": "ordinal",
                "title": "Timme (svensk tid)",
                "scale": {"domain": list(range(24))},
            },
            "y": {"field": "veckodag", "type": "ordinal", "title": None, "sort": list(WEEKDAYS_SV)},
            "color": {
                "field": "median",
                "type": "quantitative",
                "title": "Median insatstid (min)",
                "scale": {"scheme": "viridis", "reverse": True},
                "legend": {"orient": "bottom", "gradientLength": 240},
            },
            "tooltip": [
                {"field": "veckodag", "title": "Veckodag"},
                {"field": "timme", "title": "Timme"},
                {"field": "median", "title": "Median (min)"},
                {"field": "antal", "title": "Händelser"},
            ],
        },
        "config": CONFIG,
    }
