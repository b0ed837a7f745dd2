"""From published figures to an indicator's yearly series: sums over municipalities and types.

A kommunalförbund's count is the sum of its municipalities' counts, and "brand i byggnad plus
brand i annat än byggnad" the sum of two event types. A year is only complete when every part is
published: a sum with a missing part would look like a fall in accidents, so such a year is left
out and reported instead. A sum is preliminary if any part is.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from lsoplan.lib.publicdata.observation import FINAL, PRELIMINARY, Observation

_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–:]\s*(\d{4})\s*)?$")


@dataclass(frozen=True)
class YearValue:
    year: int
    value: float | None  # None: incomplete, see ``missing``
    vintage: str
    missing: tuple[str, ...] = ()  # "0482 konvHandelsetypId=6" for each part without a figure


def parse_years(text: str) -> range:
    """``"2015-2024"`` or ``"2020"`` as a range of years; ValueError otherwise."""
    match = _YEARS.match(text or "")
    if not match:
        raise ValueError(f"'{text}' är inte ett år eller ett intervall som 2015-2024")
    first = int(match[1])
    last = int(match[2] or match[1])
    if last < first or not 1900 <= first <= 2200:
        raise ValueError(f"'{text}' är inte ett giltigt intervall")
    return range(first, last + 1)


def aggregate(
    observations: Iterable[Observation],
    *,
    municipalities: Collection[str],
    dimensions: Collection[str] = ("",),
    years: Collection[int] | None = None,
) -> list[YearValue]:
    """One value a year: the sum over ``municipalities`` × ``dimensions``, complete years only."""
    found: dict[tuple[int, str, str], Observation] = {}
    for o in observations:
        if o.municipality in municipalities and o.dimension in dimensions:
            found[(o.period, o.municipality, o.dimension)] = o
    periods = sorted({p for p, _, _ in found} if years is None else set(years))
    result = []
    for year in periods:
        total, missing, vintage, seen = 0.0, [], FINAL, 0
        for code in sorted(municipalities):
            for dim in sorted(dimensions):
                part = found.get((year, code, dim))
                seen += part is not None
                if part is None or part.value is None:
                    missing.append(f"{code} {dim}".strip())
                    continue
                total += part.value
                if part.vintage == PRELIMINARY:
                    vintage = PRELIMINARY
        if not seen:
            continue  # the publisher has nothing at all for a year that was only asked for
        result.append(YearValue(year, None if missing else total, vintage, tuple(missing)))
    return result
