"""Reads: incident statistics for pages, the CLI and other apps, and the import history.

All statistics start from one polars frame of the organisation's incidents (``snapshot``), so a
page with several tables reads the rows once, and the pure functions in ``lsoplan.lib.incidents``
do the counting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from django.db.models import QuerySet

from lsoplan.accounts.models import Organisation, Population
from lsoplan.conditions.models import EventType
from lsoplan.incidents import snapshot
from lsoplan.incidents.models import ImportBatch
from lsoplan.lib.incidents import count_by, rates_per_1000, response_times


def incident_frame(organisation: Organisation, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """The organisation's incidents (lib field names); ``columns`` limits what is read."""
    return snapshot.frame_for(organisation, columns)


def _needed(by: Sequence[str], *base: str) -> list[str]:
    """The stored columns a grouping needs: year and month come from the alarm time."""
    keys = ["larm_tid" if b in ("year", "month") else b for b in by]
    return list(dict.fromkeys([*base, *keys]))


def _without_by(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "by"}


def counts(
    organisation: Organisation, by: Sequence[str] = (), *, frame: pl.DataFrame | None = None
) -> dict[str, Any]:
    """``{"total": N, "groups": [{<by keys>…, "count": n}]}`` (``lib.incidents.count_by``)."""
    data = incident_frame(organisation, _needed(by, "handelsetyp")) if frame is None else frame
    return _without_by(count_by(data, by))


def response_time_table(
    organisation: Organisation,
    by: Sequence[str] = (),
    within_minutes: Sequence[float] = (10, 20, 30),
    *,
    frame: pl.DataFrame | None = None,
) -> dict[str, Any]:
    """Median, p80, p90 (s) and share within N minutes, overall and per group (lib method)."""
    data = incident_frame(organisation, _needed(by, "larm_tid", "framme_tid")) if frame is None else frame
    return _without_by(response_times(data, by, within_minutes=within_minutes))


def yearly_counts(organisation: Organisation) -> list[dict[str, Any]]:
    """Incidents per year and event type: ``[{"year": 2024, "handelsetyp": 1, "count": 171}, …]``.

    Year = the alarm's year in Swedish time; ``handelsetyp`` = MCF's konvHandelsetypId.
    """
    groups: list[dict[str, Any]] = counts(organisation, ["year", "handelsetyp"])["groups"]
    return groups


def populations(organisation: Organisation) -> tuple[dict[tuple[str, int], int], set[tuple[str, int]]]:
    """Inhabitants by (kommunkod, year) for the organisation's municipalities, and the keys that
    are estimates in the reference data."""
    rows = Population.objects.filter(municipality__in=organisation.municipalities.all())
    table = {(r.municipality_id, r.year): r.population for r in rows}
    estimated = {(r.municipality_id, r.year) for r in rows if r.estimated}
    return table, estimated


def rates(organisation: Organisation, *, frame: pl.DataFrame | None = None) -> dict[str, Any]:
    """Incidents per 1,000 inhabitants by municipality and year.

    Each group says which population year it divides by; ``estimated`` is True when that is not
    the incident year (the nearest year is borrowed) or the population itself is an estimate.
    """
    data = incident_frame(organisation, ["kommun", "larm_tid"]) if frame is None else frame
    table, estimated = populations(organisation)
    result = _without_by(rates_per_1000(data, table, ["kommun", "year"]))
    for group in result["groups"]:
        key = (group["kommun"], group["population_year"])
        group["estimated"] = group["population_year"] != group["year"] or key in estimated
    return result


def population_sources(organisation: Organisation, years: set[int]) -> list[str]:
    """The distinct sources of the population figures used as denominators, oldest year first,
    so a footnote names what was divided by rather than one fixed vintage."""
    rows = (
        Population.objects.filter(municipality__in=organisation.municipalities.all(), year__in=years)
        .order_by("year", "source")
        .values_list("source", flat=True)
    )
    return list(dict.fromkeys(rows))


def event_type_names() -> dict[int, str]:
    return dict(EventType.objects.values_list("id", "name"))


# Swedish alphabetical order puts å, ä, ö after z, in that order (code points would give ä < å);
# "{", "|" and "}" are the three characters that follow "z".
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def swedish_key(text: str) -> str:
    return text.casefold().translate(_SWEDISH)


def distinct_values(frame: pl.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        return []
    return sorted((v for v in frame.get_column(column).drop_nulls().unique().to_list() if v), key=swedish_key)


def import_history(organisation: Organisation) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(organisation=organisation).order_by("-id")
