"""Response times on square grid cells, and the filters a planner narrows them with.

Cells line up with the CRS origin, as SCB's grid statistics do: a cell of side s has its lower-left
corner at (⌊x/s⌋·s, ⌊y/s⌋·s), so a point on a cell's west or south edge belongs to that cell and a
point on its east or north edge to the next. Per cell: the number of incidents, median and P90
insatstid (the same type-7 percentiles as ``lsoplan incidents response-times``), share within N
minutes and incidents per year over the chosen years.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from lsoplan.lib.incidents.counts import LOCAL_TZ, local_alarm
from lsoplan.lib.incidents.records import insatstid_expr
from lsoplan.lib.incidents.responsetimes import DEFAULT_WITHIN_MINUTES, aggregations, nest_shares

from .crs import GeoError

CELL_SIZES: tuple[int, ...] = (250, 500, 1000, 5000, 10_000)
DEFAULT_CELL = 1000


@dataclass(frozen=True)
class Filters:
    """Which incidents a grid or time profile covers; None means no limit."""

    from_year: int | None = None
    to_year: int | None = None
    types: tuple[int, ...] = ()
    # Local hours [from_hour, to_hour); wraps past midnight when from_hour > to_hour (22–6).
    from_hour: int | None = None
    to_hour: int | None = None

    def __post_init__(self) -> None:
        if self.from_year and self.to_year and self.from_year > self.to_year:
            raise GeoError(f"Startåret {self.from_year} ligger efter slutåret {self.to_year}.")
        for hour in (self.from_hour, self.to_hour):
            if hour is not None and not 0 <= hour <= 24:
                raise GeoError(f"Timmen {hour} finns inte – ange timmar från 0 till 24.")
        if (self.from_hour is None) != (self.to_hour is None):
            raise GeoError("Ange både första och sista timmen för ett tidsintervall.")


def check_cell(cell_m: int) -> int:
    if cell_m not in CELL_SIZES:
        sizes = ", ".join(str(s) for s in CELL_SIZES)
        raise GeoError(f"Rutstorleken {cell_m} m stöds inte – välj någon av {sizes} meter.")
    return cell_m


LOCAL_PARTS = ("year", "month", "weekday", "hour")


def with_local_time(
    frame: pl.DataFrame, timezone: str = LOCAL_TZ, parts: tuple[str, ...] = LOCAL_PARTS
) -> pl.DataFrame:
    """Adds ``year``, ``month``, ``weekday`` (1 = måndag) and ``hour`` of the local alarm time.

    The time-zone conversion is the costly step (a million rows take most of a second), so it is
    done once into a temporary column and only the ``parts`` asked for are derived from it.
    """
    local = frame.with_columns(_local=local_alarm(frame, timezone))
    derive = {"year": "year", "month": "month", "weekday": "weekday", "hour": "hour"}
    return local.with_columns(**{part: getattr(pl.col("_local").dt, derive[part])() for part in parts}).drop(
        "_local"
    )


def parts_needed(filters: Filters, *, profiles: bool) -> tuple[str, ...]:
    """The local-time parts a computation needs: the year always ("per year"), the rest on demand."""
    if profiles:
        return LOCAL_PARTS
    return ("year", "hour") if filters.from_hour is not None else ("year",)


def apply_filters(frame: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """Incidents inside the filters; ``frame`` must carry the columns of :func:`with_local_time`."""
    cond = pl.lit(True)
    if filters.from_year is not None:
        cond &= pl.col("year") >= filters.from_year
    if filters.to_year is not None:
        cond &= pl.col("year") <= filters.to_year
    if filters.types:
        cond &= pl.col("handelsetyp").is_in(list(filters.types))
    if filters.from_hour is not None and filters.to_hour is not None:
        hour, start, end = pl.col("hour"), filters.from_hour, filters.to_hour
        cond &= (hour >= start) & (hour < end) if start <= end else (hour >= start) | (hour < end)
    return frame.filter(cond)


def period_years(frame: pl.DataFrame, filters: Filters) -> int:
    """How many years "per year" divides by: the filter's span, else the years the data covers."""
    if frame.height == 0:
        return 0
    first = filters.from_year if filters.from_year is not None else frame["year"].min()
    last = filters.to_year if filters.to_year is not None else frame["year"].max()
    return int(last) - int(first) + 1  # type: ignore[arg-type]


def grid_statistics(
    frame: pl.DataFrame,
    *,
    cell_m: int = DEFAULT_CELL,
    within_minutes: Sequence[float] = DEFAULT_WITHIN_MINUTES,
    min_count: int = 0,
    years: int | None = None,
    x: str = "gx",
    y: str = "gy",
) -> list[dict[str, Any]]:
    """One dict per cell with incidents, sorted by (y, x) from the south-west.

    ``frame`` holds the coordinates in the grid's CRS (``x``/``y`` columns, metres) with
    ``larm_tid`` and ``framme_tid``; incidents without coordinates are left out (count them with
    :func:`without_coordinates`). ``years`` is the divisor for ``per_year`` (see
    :func:`period_years`). Cells with fewer than ``min_count`` incidents are dropped.
    """
    check_cell(cell_m)
    if min_count < 0:
        raise GeoError("Minsta antal per ruta kan inte vara negativt.")
    located = frame.filter(pl.col(x).is_not_null() & pl.col(y).is_not_null() & pl.col(x).is_not_nan())
    if located.height == 0:
        return []
    cells = located.with_columns(
        cx=(pl.col(x) / cell_m).floor().cast(pl.Int64) * cell_m,
        cy=(pl.col(y) / cell_m).floor().cast(pl.Int64) * cell_m,
        insatstid_s=insatstid_expr(),
    )
    table = cells.group_by("cx", "cy").agg(pl.len().alias("n_incidents"), *aggregations(within_minutes))
    if min_count:
        table = table.filter(pl.col("n_incidents") >= min_count)
    out = []
    for row in table.sort("cy", "cx").to_dicts():
        row = nest_shares(row, within_minutes)
        n = row.pop("n_incidents")
        out.append(
            {
                "x": row.pop("cx"),
                "y": row.pop("cy"),
                "n": n,
                "n_with_time": row.pop("n"),
                "median_s": row["median_s"],
                "p90_s": row["p90_s"],
                "share_within": row["share_within"],
                "per_year": n / years if years else None,
            }
        )
    return out


def without_coordinates(frame: pl.DataFrame, x: str = "gx", y: str = "gy") -> int:
    """Incidents a map cannot place: said under every map, never dropped silently."""
    return frame.filter(pl.col(x).is_null() | pl.col(y).is_null() | pl.col(x).is_nan()).height


def suppress_small(cells: list[dict[str, Any]], threshold: int) -> list[dict[str, Any]]:
    """Cells meant for the public or the council: those under ``threshold`` incidents removed.

    An incident at an address is personal data; a cell with one or two incidents could point at a
    household. The threshold is stated under the map, so a reader knows what is missing.
    """
    return [cell for cell in cells if cell["n"] >= threshold]
