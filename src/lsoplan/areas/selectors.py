"""Reads: capability over area and time from the organisation's incidents, stations and areas.

Everything starts from the statistics copy of the incident register (``incidents.snapshot``), so
a map page reads the rows once; the pure functions in ``lib.geo`` do the work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from django.core.cache import cache
from shapely.geometry import shape

from lsoplan.accounts.models import Organisation
from lsoplan.areas.models import ResponseArea, Station
from lsoplan.incidents.models import IncidentSnapshot
from lsoplan.incidents.selectors import incident_frame
from lsoplan.lib.geo.areas import Area, assign
from lsoplan.lib.geo.crs import SWEREF99TM, grid_crs, transform
from lsoplan.lib.geo.grid import (
    DEFAULT_CELL,
    Filters,
    apply_filters,
    grid_statistics,
    parts_needed,
    period_years,
    with_local_time,
    without_coordinates,
)
from lsoplan.lib.geo.timeprofile import by_hour, by_month, hour_by_weekday
from lsoplan.lib.incidents.records import insatstid_expr
from lsoplan.lib.incidents.responsetimes import DEFAULT_WITHIN_MINUTES, aggregations, nest_shares
from lsoplan.programmes.models import ProgrammeVersion

COLUMNS = ("handelsetyp", "larm_tid", "framme_tid", "x", "y")
SOURCE_COLUMNS = ("x_kalla", "y_kalla", "kalla_epsg")
CACHE_SECONDS = 24 * 3600  # the key changes with the data; the timeout only bounds memory


@dataclass
class Selection:
    """The incidents a map or profile covers, with the coordinates in the grid's CRS."""

    frame: pl.DataFrame
    filters: Filters
    crs: str = SWEREF99TM
    years: int = 0
    unplaced: int = 0
    notes: list[str] = field(default_factory=list)
    tagged: pl.DataFrame | None = None  # the frame with each incident's area index (see _tagged)
    tagged_for: tuple[int, ...] | None = None


def select(
    organisation: Organisation, filters: Filters, *, crs: str = SWEREF99TM, profiles: bool = True
) -> Selection:
    """The organisation's incidents within ``filters``, with ``gx``/``gy`` in ``crs`` (metres).

    Stored coordinates are SWEREF 99 TM; a grid in SWEREF uses them as they are. A grid in another
    CRS uses the coordinates as the file gave them where that was the file's CRS (no round trip),
    and the SWEREF ones through pyproj for every other row.
    """
    target = grid_crs(crs)
    parts = parts_needed(filters, profiles=profiles)
    columns = COLUMNS if target.code == SWEREF99TM else COLUMNS + SOURCE_COLUMNS
    frame = apply_filters(with_local_time(incident_frame(organisation, columns), parts=parts), filters)
    frame = grid_coordinates(frame, target.code)
    return Selection(frame, filters, target.code, period_years(frame, filters), without_coordinates(frame))


def grid_coordinates(frame: pl.DataFrame, code: str) -> pl.DataFrame:
    """``frame`` with ``gx``/``gy`` in the CRS ``code`` ("EPSG:N", projected, metres).

    Rows whose file was in ``code`` take the coordinates as given (``x_kalla``/``y_kalla``); only
    the other rows go through pyproj, from SWEREF 99 TM.
    """
    if code == SWEREF99TM:
        return frame.with_columns(gx=pl.col("x"), gy=pl.col("y"))
    epsg = int(code.split(":")[1])
    if "kalla_epsg" in frame.columns:
        given = (frame["kalla_epsg"] == epsg).fill_null(False).to_numpy()
    else:
        given = np.zeros(frame.height, dtype=bool)
    gx = np.full(frame.height, np.nan)
    gy = np.full(frame.height, np.nan)
    if given.any():
        gx[given] = frame["x_kalla"].to_numpy()[given]
        gy[given] = frame["y_kalla"].to_numpy()[given]
    if (~given).any():
        xs, ys = frame["x"].to_numpy()[~given], frame["y"].to_numpy()[~given]
        gx[~given], gy[~given] = transform(xs, ys, SWEREF99TM, code)
    placed = np.isfinite(gx) & np.isfinite(gy)  # pyproj answers inf for a point it cannot place
    return frame.with_columns(
        gx=pl.Series(np.where(placed, gx, np.nan)), gy=pl.Series(np.where(placed, gy, np.nan))
    )


def suppression_threshold(organisation: Organisation) -> int:
    """The fewest incidents a cell needs on a map for the council or the public (the programme
    document, the public pages); the organisation's own analysis page shows every cell. Set by an
    administratör in the organisation's settings (default 3, never below it)."""
    return int(organisation.suppression_threshold)


def acceptable_minutes(organisation: Organisation) -> int:
    """The organisation's godtagbar tid in minutes (LSO 1 kap. 3 §), set in its settings."""
    return int(organisation.acceptable_minutes)


def grid(
    selection: Selection,
    *,
    cell_m: int = DEFAULT_CELL,
    within_minutes: Sequence[float] = DEFAULT_WITHIN_MINUTES,
    min_count: int = 0,
) -> list[dict[str, Any]]:
    return grid_statistics(
        selection.frame,
        cell_m=cell_m,
        within_minutes=within_minutes,
        min_count=min_count,
        years=selection.years,
    )


def time_profiles(selection: Selection, within_minutes: Sequence[float]) -> dict[str, list[dict[str, Any]]]:
    frame = selection.frame
    return {
        "hour_weekday": hour_by_weekday(frame, within_minutes),
        "hour": by_hour(frame, within_minutes),
        "month": by_month(frame, within_minutes),
    }


def stations(version: ProgrammeVersion) -> list[Station]:
    return list(Station.objects.filter(version=version))


def response_areas(version: ProgrammeVersion) -> list[ResponseArea]:
    return list(ResponseArea.objects.filter(version=version))


def per_area(
    selection: Selection, areas: Sequence[ResponseArea], within_minutes: Sequence[float]
) -> list[dict[str, Any]]:
    """Response times and incidents per year for each area; rates per 1 000 where population is known.

    Point-in-polygon runs in SWEREF 99 TM, where the areas are stored, whatever CRS the grid uses.
    """
    if not areas:
        return []
    timed = _tagged(selection, areas).with_columns(insatstid_s=insatstid_expr())
    table = timed.group_by("area").agg(pl.len().alias("n_incidents"), *aggregations(within_minutes))
    by_index = {row["area"]: nest_shares(row, within_minutes) for row in table.to_dicts()}
    rows = []
    for i, area in enumerate(areas):
        stats = by_index.get(i, {})
        n = stats.get("n_incidents", 0)
        per_year = n / selection.years if selection.years else None
        per_1000 = per_year * 1000 / area.population if per_year is not None and area.population else None
        rows.append(
            {
                "name": area.name,
                "n": n,
                "median_s": stats.get("median_s"),
                "p90_s": stats.get("p90_s"),
                "share_within": stats.get("share_within") or {_minutes_key(m): None for m in within_minutes},
                "per_year": per_year,
                "population": area.population,
                "per_1000": per_1000,
            }
        )
    return rows


def _minutes_key(minutes: float) -> str:
    return str(int(minutes)) if float(minutes).is_integer() else str(minutes)


def _tagged(selection: Selection, areas: Sequence[ResponseArea]) -> pl.DataFrame:
    """The selection with ``area``: the index of the area each incident lies in, −1 for none or
    no coordinates. Point-in-polygon runs in SWEREF 99 TM, where the areas are stored. Kept on the
    selection, so the table and the "outside" count share one pass over the incidents."""
    key = tuple(a.pk for a in areas)
    if selection.tagged is not None and selection.tagged_for == key:
        return selection.tagged
    geoms = [Area(a.name, shape(a.geometry)) for a in areas]
    frame = selection.frame
    xs, ys = frame["x"].fill_null(np.nan).to_numpy(), frame["y"].fill_null(np.nan).to_numpy()
    tagged = frame.with_columns(area=pl.Series(assign(xs, ys, geoms)))
    selection.tagged, selection.tagged_for = tagged, key
    return tagged


def outside_areas(selection: Selection, areas: Sequence[ResponseArea]) -> int:
    """Incidents with coordinates that fall in no area: said under the table, never hidden."""
    if not areas:
        return 0
    tagged = _tagged(selection, areas)
    return tagged.filter(
        pl.col("x").is_not_null() & pl.col("y").is_not_null() & (pl.col("area") == -1)
    ).height


def _stamp(version: ProgrammeVersion) -> str:
    """What the figures depend on: the incident copy (rewritten by every import and undo) and the
    version's response areas (an upload replaces them; an edit renames them or sets a population)."""
    copy = (
        IncidentSnapshot.objects.filter(organisation=version.organisation)
        .values_list("written_at", "rows")
        .first()
    )
    # Names and populations too: an edited population changes the rates per 1 000.
    areas = ResponseArea.objects.filter(version=version).order_by("pk")
    return f"{copy}|{list(areas.values_list('pk', 'name', 'population'))}"


def capability(
    version: ProgrammeVersion,
    filters: Filters,
    *,
    cell_m: int,
    within_minutes: Sequence[float],
    areas: Sequence[ResponseArea] | None = None,
) -> dict[str, Any]:
    """Everything the map page computes from incidents, cached until the data it rests on changes.

    The key carries the copy's write time and row count and the areas' identity, so an import, an
    undo or a new areas file is seen at once; nothing stale can be shown.
    """
    key = (
        "areas:capability:"
        + hashlib.sha256(
            repr((version.pk, _stamp(version), filters, cell_m, tuple(within_minutes))).encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if found is not None:
        return dict(found) | {"key": key}
    selection = select(version.organisation, filters)
    if areas is None:
        areas = response_areas(version)
    result = {
        "total": selection.frame.height,
        "years": selection.years,
        "unplaced": selection.unplaced,
        "cells": grid(selection, cell_m=cell_m, within_minutes=within_minutes),
        "profiles": time_profiles(selection, within_minutes),
        "area_rows": per_area(selection, areas, within_minutes),
        "outside_areas": outside_areas(selection, areas),
    }
    cache.set(key, result, CACHE_SECONDS)
    result["key"] = key
    return result
