"""Charts for documents: the app's Vega-Lite specs rendered to PNG with vl-convert, plus alt texts.

The browser draws the same specs with vega-embed; here they get a fixed width (a document has no
container to fill), a white background and Swedish number formats.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from lsoplan.lib.report_model import PNG_SIGNATURE, Figure, sv_number
from lsoplan.reports import cache

WIDTH_PX = 520  # ≈ 15 cm at the scale below: sharp in print, small enough for e-mail
SCALE = 2.0
# Okabe & Ito (2008), a palette told apart with every common colour-vision deficiency. Eight
# colours: a chart shows at most seven categories and "Övriga" (others).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
MAX_CATEGORIES = len(OKABE_ITO)
OTHERS = "Övriga händelsetyper"
# A chart printed 15 cm wide is about 700 px here (plot, axes and legend), so 1 px ≈ 0.6 pt:
# 14 px keeps every text at 8 pt or more.
MIN_FONT_PX = 14
_FONT_KEYS = {
    "axis": ("labelFontSize", "titleFontSize"),
    "legend": ("labelFontSize", "titleFontSize"),
    "header": ("labelFontSize", "titleFontSize"),
    "title": ("fontSize", "subtitleFontSize"),
    "text": ("fontSize",),
}


def print_config(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with print-sized fonts and the colour-blind-safe palette, whatever it set."""
    fixed = copy.deepcopy(spec)
    config = fixed.setdefault("config", {})
    for part, keys in _FONT_KEYS.items():
        props = config.setdefault(part, {})
        for key in keys:
            props[key] = max(int(props.get(key) or 0), MIN_FONT_PX)
    config.setdefault("range", {})["category"] = list(OKABE_ITO)
    return fixed


# Inside ``cached_only()``: the keys of charts that were not in the cache (and were not drawn).
_missing: ContextVar[list[str] | None] = ContextVar("charts_missing", default=None)
# Stands in for a chart that is not drawn yet; a document holding it is never rendered or keyed.
NOT_DRAWN = PNG_SIGNATURE + b"not drawn"


@contextmanager
def cached_only() -> Iterator[list[str]]:
    """Charts come from the cache alone: a web request builds a document model to learn its
    content key, and drawing a chart (vl-convert, up to a second each) belongs to the background
    job. The list it yields names the charts that were missing; empty means the model is complete."""
    missing: list[str] = []
    token = _missing.set(missing)
    try:
        yield missing
    finally:
        _missing.reset(token)


def to_png(spec: dict[str, Any], *, width: int = WIDTH_PX) -> bytes:
    """The chart as PNG; kept by content, since the same chart recurs in every download."""
    key = cache.key_of(spec, width, SCALE)
    missing = _missing.get()
    if missing is not None:
        found = cache.peek("charts", key, "png")
        if found is None:
            missing.append(key)
            return NOT_DRAWN
        return found
    return cache.stored("charts", key, "png", lambda: _render_png(spec, width))


def _render_png(spec: dict[str, Any], width: int) -> bytes:
    import vl_convert

    fixed = print_config(spec)
    if fixed.get("width") in (None, "container"):
        fixed["width"] = width
    fixed.setdefault("background", "white")
    fixed.pop("$schema", None)  # vl-convert knows its own Vega-Lite; no fetch of the schema
    png: bytes = vl_convert.vegalite_to_png(fixed, scale=SCALE, format_locale="sv-SE", allowed_base_urls=[])
    return png


def chart_categories(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The event types a chart names: the largest ones, the rest gathered as "Övriga"."""
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[str(r["handelsetyp"])] += int(r["count"])
    ranked = sorted(totals, key=lambda k: (-totals[k], k))
    if len(ranked) <= MAX_CATEGORIES:
        return ranked
    return [*ranked[: MAX_CATEGORIES - 1], OTHERS]


def incidents_spec(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Stacked bars: incidents per year, one colour per event type (the largest seven, then the rest)."""
    categories = chart_categories(rows)
    named = set(categories)
    values = [
        {
            "år": str(r["year"]),
            "händelsetyp": str(r["handelsetyp"]) if str(r["handelsetyp"]) in named else OTHERS,
            "antal": r["count"],
        }
        for r in rows
    ]
    return {
        "description": "Räddningstjänstens händelser per år och händelsetyp",
        "height": 260,
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": "år", "type": "ordinal", "title": "År", "axis": {"labelAngle": 0}},
            "y": {"field": "antal", "type": "quantitative", "title": "Antal händelser", "aggregate": "sum"},
            "color": {
                "field": "händelsetyp",
                "type": "nominal",
                "title": "Händelsetyp",
                "sort": categories,
                "scale": {"domain": categories, "range": list(OKABE_ITO[: len(categories)])},
                "legend": {"orient": "bottom", "columns": 2, "labelLimit": 320},
            },
        },
    }


def incidents_pivot(rows: Sequence[dict[str, Any]]) -> tuple[list[int], dict[str, dict[int, int]]]:
    """(years, {event type: {year: count}}) from the incidents app's yearly counts."""
    table: dict[str, dict[int, int]] = defaultdict(dict)
    years = sorted({int(r["year"]) for r in rows})
    for r in rows:
        cell = table[str(r["handelsetyp"])]
        cell[int(r["year"])] = cell.get(int(r["year"]), 0) + int(r["count"])
    return years, dict(table)


def incidents_figure(rows: Sequence[dict[str, Any]], caption: str) -> Figure:
    years, table = incidents_pivot(rows)
    totals = {y: sum(t.get(y, 0) for t in table.values()) for y in years}
    largest = sorted(table, key=lambda k: -sum(table[k].values()))[:3]
    alt = (
        f"Stapeldiagram över räddningstjänstens händelser per år {years[0]}–{years[-1]}, uppdelat på "
        f"{len(table)} händelsetyper. Totalt {sv_number(totals[years[0]])} händelser {years[0]} och "
        f"{sv_number(totals[years[-1]])} {years[-1]}. Vanligast: {', '.join(largest)}. "
        "Tabellen efter diagrammet visar siffrorna."
    )
    return Figure(to_png(incidents_spec(rows)), alt, caption)


def indicator_alt(
    name: str,
    unit: str,
    points: Sequence[tuple[int, float]],
    baseline: float | None,
    target: float | None,
    target_year: int | None,
) -> str:
    """What the indicator chart shows, in words, for screen readers and for anyone without images."""
    if not points:
        return f"Diagram över {name}: inga mätvärden."
    first, last = points[0], points[-1]
    text = (
        f"Linjediagram över {name} ({unit}) per år {first[0]}–{last[0]}: "
        f"{sv_number(first[1])} år {first[0]} och {sv_number(last[1])} år {last[0]}"
    )
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    text += f", lägst {sv_number(low[1])} ({low[0]}), högst {sv_number(high[1])} ({high[0]})."
    if baseline is not None:
        text += f" Utgångsvärde {sv_number(baseline)}."
    if target is not None:
        text += f" Målvärde {sv_number(target)}" + (f" till {target_year}." if target_year else ".")
    return text
