"""The import's warning for coordinates outside the organisation's municipalities (row and value).

The organisation's region comes from the bundled municipality boundaries (``reference.boundaries``);
the test itself is ``lib.geo.boundaries.Region``. A warning, never an error: see that module.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from lsoplan.incidents.reading import MAX_PROBLEMS
from lsoplan.lib.geo.boundaries import MARGIN_M, Region
from lsoplan.lib.incidents import Problem


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def outside_boundaries(
    frame: pl.DataFrame, area: Region, municipalities: Mapping[str, str], column: str
) -> tuple[list[Problem], int]:
    """Warnings for the rows of ``frame`` (a validated slice) whose point lies outside ``area``,
    the first ones listed, all counted. The value is the coordinate as the file gave it."""
    if frame.height == 0:
        return [], 0
    mask = area.outside(frame.get_column("x").to_numpy(), frame.get_column("y").to_numpy())
    if not mask.any():
        return [], 0
    hits = frame.filter(pl.Series(mask))
    names = ", ".join(sorted(municipalities.values()))
    message = (
        f"koordinaten ligger utanför {names} (mer än {int(MARGIN_M)} m från kommungränsen) – "
        "kontrollera x och y, eller att händelsen verkligen var utanför (t.ex. till sjöss)"
    )
    listed = []
    for r in hits.head(MAX_PROBLEMS).select("rad", "x", "y", "x_kalla", "y_kalla").iter_rows(named=True):
        given = (r["x_kalla"], r["y_kalla"]) if r["x_kalla"] is not None else (r["x"], r["y"])
        value = f"{_number(given[0])}, {_number(given[1])}"
        listed.append(Problem(row=r["rad"], column=column, value=value, message=message, severity="warning"))
    return listed, hits.height
