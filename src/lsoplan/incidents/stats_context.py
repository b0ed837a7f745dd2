"""The figures of the statistics page, arranged as the tables show them (kept out of views.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError

from lsoplan.goals.models import Indicator
from lsoplan.incidents import selectors
from lsoplan.incidents.indicators import MEASURES, IncidentFilter
from lsoplan.incidents.models import ImportBatch
from lsoplan.lib.incidents.records import insatstid_expr
from lsoplan.programmes.models import ProgrammeVersion

HISTOGRAM_MINUTES = 60


def response_histogram(
    frame: pl.DataFrame, limit: int = HISTOGRAM_MINUTES
) -> tuple[list[dict[str, int]], int]:
    """Incidents per whole minute of insatstid (0 … limit − 1) and how many took longer."""
    minutes = frame.select((insatstid_expr() / 60).floor().cast(pl.Int64).alias("m")).drop_nulls()
    table = minutes.group_by("m").len()
    found = dict(zip(table["m"].to_list(), table["len"].to_list(), strict=True))
    bins = [{"minute": m, "count": int(found.get(m, 0))} for m in range(limit)]
    longer = int(sum(n for m, n in found.items() if m >= limit))
    return bins, longer


def _pivot(groups: Sequence[dict[str, Any]], row_key: str, years: list[int]) -> dict[Any, dict[int, Any]]:
    table: dict[Any, dict[int, Any]] = {}
    for g in groups:
        table.setdefault(g[row_key], {})[g["year"]] = g
    return table


def stats_context(version: ProgrammeVersion, by: str, within: list[float]) -> dict[str, Any]:
    organisation = version.organisation
    frame = selectors.incident_frame(
        organisation, ["handelsetyp", "kommun", "omrade", "larm_tid", "framme_tid"]
    )
    names = selectors.event_type_names()
    municipalities = dict(organisation.municipalities.values_list("code", "name"))
    yearly = selectors.counts(organisation, ["year", "handelsetyp"], frame=frame)["groups"]
    years = sorted({g["year"] for g in yearly})
    by_type = _pivot(yearly, "handelsetyp", years)
    count_rows = [
        {
            "id": t,
            "name": names.get(t, str(t)),
            "cells": [by_type[t].get(y, {}).get("count", 0) for y in years],
            "total": sum(g["count"] for g in by_type[t].values()),
        }
        for t in sorted(by_type)
    ]
    year_totals = [sum(r["cells"][i] for r in count_rows) for i in range(len(years))]

    rates = selectors.rates(organisation, frame=frame)
    by_municipality = _pivot(rates["groups"], "kommun", years)
    rate_rows = [
        {
            "code": code,
            "name": municipalities.get(code, code),
            "cells": [by_municipality[code].get(y) for y in years],
        }
        for code in sorted(by_municipality)
    ]
    any_estimate = any(g["estimated"] for g in rates["groups"])
    population_sources = selectors.population_sources(
        organisation, {g["population_year"] for g in rates["groups"] if g.get("population_year") is not None}
    )

    response = selectors.response_time_table(organisation, [by], within, frame=frame)
    labels: Mapping[Any, str] = names if by == "handelsetyp" else municipalities if by == "kommun" else {}
    for group in response["groups"]:
        key = group[by]
        group["label"] = labels.get(key, key) if key is not None else "(saknas)"
    histogram, longer = response_histogram(frame)

    return {
        "total": frame.height,
        "years": years,
        "names": names,
        "yearly": yearly,
        "count_rows": count_rows,
        "year_totals": year_totals,
        "rate_rows": rate_rows,
        "any_estimate": any_estimate,
        "population_sources": population_sources,
        "response": response,
        "response_by": by,
        "within": within,
        "histogram": histogram,
        "histogram_longer": longer,
        "histogram_limit": HISTOGRAM_MINUTES,
    }


def indicator_rows(version: ProgrammeVersion) -> list[dict[str, Any]]:
    """The version's indicators with their incident filters in words."""
    names = selectors.event_type_names()
    municipalities = dict(version.organisation.municipalities.values_list("code", "name"))
    return [
        {"indicator": i, "filter": _describe(i, names, municipalities)}
        for i in Indicator.objects.filter(version=version).order_by("pk")
    ]


def latest_batch(organisation: Any) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(organisation=organisation, undone_at__isnull=True).order_by("-id").first()
    )


def _describe(indicator: Indicator, names: dict[int, str], municipalities: dict[str, str]) -> str:
    if indicator.source != "incidents":
        return ""
    try:
        flt = IncidentFilter.from_config(indicator.source_config or {})
    except ValidationError:  # a filter that cannot be read is described as such, not hidden
        return "Filtret kan inte läsas – öppna det och spara det igen."
    parts = [MEASURES.get(flt.measure, flt.measure)]
    parts.append(", ".join(names.get(t, str(t)) for t in flt.event_types) or "alla händelsetyper")
    parts.append(", ".join(municipalities.get(c, c) for c in flt.municipalities) or "alla kommuner")
    if flt.areas:
        parts.append("områden: " + ", ".join(flt.areas))
    if flt.building_types:
        parts.append("byggnadstyper: " + ", ".join(flt.building_types))
    return "; ".join(parts)
