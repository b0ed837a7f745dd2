"""Swedish dates and numbers as planners read them: "5 mars 2026", "1 234,5".

One home for these, so that pages, documents, egenkontroll and statistics sentences agree.
"""

from __future__ import annotations

import datetime as dt
import math

from lsoplan.lib.stats.svformat import number

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def long_date(value: dt.date | None) -> str:
    """'5 mars 2026' (no leading zero), the form used in letters and council decisions."""
    if value is None:
        return "–"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def sv_number(value: float | int | None, decimals: int | None = None) -> str:
    """'1 234,5' with a no-break space between thousands; whole numbers without decimals.

    ``decimals=None`` picks a readable precision for the size of the value.
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if decimals is None and float(value).is_integer():
        decimals = 0
    return number(float(value), decimals)
