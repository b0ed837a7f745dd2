"""Incident counts and rates per 1,000 inhabitants, grouped, as JSON-ready dicts.

Year and month are those of the alarm time in Swedish local time (Europe/Stockholm), so an alarm
at 00:30 on 1 January counts in the new year even though it is still 31 December in UTC. That is
how MCF's statistics and any Swedish reader count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from .records import IncidentBatch

GROUPINGS: tuple[str, ...] = ("year", "month", "handelsetyp", "kommun", "omrade")
LOCAL_TZ = "Europe/Stockholm"

Data = IncidentBatch | pl.DataFrame


def as_frame(data: Data) -> pl.DataFrame:
    return data.frame if isinstance(data, IncidentBatch) else data


def check_groupings(by: Sequence[str]) -> list[str]:
    unknown = [b for b in by if b not in GROUPINGS]
    if unknown:
        raise ValueError(f"unknown grouping {unknown}; choose from {GROUPINGS}")
    if len(set(by)) != len(by):
        raise ValueError(f"grouping repeated in {list(by)}")
    return list(by)


def local_alarm(frame: pl.DataFrame, timezone: str = LOCAL_TZ) -> pl.Expr:
    """larm_tid as local wall-clock time; naive columns are taken to be UTC (Django's storage)."""
    col = pl.col("larm_tid")
    dtype = frame.schema["larm_tid"]
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
        col = col.dt.replace_time_zone("UTC")
    return col.dt.convert_time_zone(timezone)


def with_keys(frame: pl.DataFrame, by: Sequence[str], timezone: str = LOCAL_TZ) -> pl.DataFrame:
    """``frame`` with the derived ``year``/``month`` columns that ``by`` asks for."""
    derived = {}
    if "year" in by or "month" in by:
        local = local_alarm(frame, timezone)
        if "year" in by:
            derived["year"] = local.dt.year()
        if "month" in by:
            derived["month"] = local.dt.month()
    return frame.with_columns(**derived) if derived else frame


def groups_to_dicts(table: pl.DataFrame, by: Sequence[str]) -> list[dict[str, Any]]:
    if by:
        table = table.sort(list(by), nulls_last=True)
    return table.to_dicts()


def count_by(data: Data, by: Sequence[str] = (), *, timezone: str = LOCAL_TZ) -> dict[str, Any]:
    """Number of incidents per combination of ``by`` (any of :data:`GROUPINGS`).

    ``{"total": N, "by": [...], "groups": [{<keys>…, "count": n}, …]}``, groups sorted by key,
    missing keys (e.g. no omrade) as ``None`` last.
    """
    by = check_groupings(by)
    frame = as_frame(data)
    result: dict[str, Any] = {"total": frame.height, "by": by, "groups": []}
    if by and frame.height:
        table = with_keys(frame, by, timezone).group_by(by).agg(count=pl.len())
        result["groups"] = groups_to_dicts(table, by)
    return result


def _nearest_year(available: Sequence[int], year: int) -> int | None:
    """The population year to use: the same year, else the closest one (earlier on a tie)."""
    if not available:
        return None
    return min(available, key=lambda y: (abs(y - year), y))


def rates_per_1000(
    data: Data,
    population: Mapping[tuple[str, int], int],
    by: Sequence[str] = ("kommun", "year"),
    *,
    timezone: str = LOCAL_TZ,
) -> dict[str, Any]:
    """Counts with ``population`` and ``per_1000`` for each (kommun, year, …) group.

    ``population`` is keyed by (kommunkod, year). When the year is missing the nearest year is
    used and named in ``population_year`` so a reader can see the denominator is borrowed;
    ``per_1000`` is ``None`` when the municipality has no population at all.
    """
    by = check_groupings(by)
    if "kommun" not in by or "year" not in by:
        raise ValueError("rates need both 'kommun' and 'year' in by")
    counted = count_by(data, by, timezone=timezone)
    years: dict[str, list[int]] = {}
    for code, year in population:
        years.setdefault(code, []).append(year)
    for group in counted["groups"]:
        pop_year = _nearest_year(years.get(group["kommun"], []), group["year"])
        pop = population[(group["kommun"], pop_year)] if pop_year is not None else None
        group["population"] = pop
        group["population_year"] = pop_year
        group["per_1000"] = group["count"] * 1000 / pop if pop else None
    return counted
