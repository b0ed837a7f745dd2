"""Capability over time: insatstid by hour of day × weekday, by month, and share within N by hour.

The allmänna råd to MSBFS 2021:1 12 § ask how capability varies over the day and the year; these
are the tables behind the heatmap and the month chart. Same percentiles as everywhere (type 7).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from lsoplan.lib.incidents.records import insatstid_expr
from lsoplan.lib.incidents.responsetimes import DEFAULT_WITHIN_MINUTES, aggregations, nest_shares

WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def _profile(frame: pl.DataFrame, keys: list[str], within: Sequence[float]) -> list[dict[str, Any]]:
    if frame.height == 0:
        return []
    timed = frame.with_columns(insatstid_s=insatstid_expr())
    table = timed.group_by(keys).agg(pl.len().alias("n_incidents"), *aggregations(within))
    rows = []
    for row in table.sort(keys).to_dicts():
        row = nest_shares(row, within)
        row["n_with_time"] = row.pop("n")
        row["n"] = row.pop("n_incidents")
        rows.append(row)
    return rows


def hour_by_weekday(
    frame: pl.DataFrame, within_minutes: Sequence[float] = DEFAULT_WITHIN_MINUTES
) -> list[dict[str, Any]]:
    """One row per (weekday 1–7, hour 0–23) that has incidents; ``frame`` from ``with_local_time``."""
    return _profile(frame, ["weekday", "hour"], within_minutes)


def by_hour(
    frame: pl.DataFrame, within_minutes: Sequence[float] = DEFAULT_WITHIN_MINUTES
) -> list[dict[str, Any]]:
    return _profile(frame, ["hour"], within_minutes)


def by_month(
    frame: pl.DataFrame, within_minutes: Sequence[float] = DEFAULT_WITHIN_MINUTES
) -> list[dict[str, Any]]:
    return _profile(frame, ["month"], within_minutes)


def slowest_hours(rows: list[dict[str, Any]], *, min_n: int = 10, top: int = 3) -> list[dict[str, Any]]:
    """The hours with the highest median among those with at least ``min_n`` timed incidents.

    Used for the generated sentence in the programme ("långsammast kl. 02–04"): an hour with three
    incidents would otherwise win by chance.
    """
    eligible = [r for r in rows if r["n_with_time"] >= min_n and r["median_s"] is not None]
    return sorted(eligible, key=lambda r: (-r["median_s"], r["hour"]))[:top]
