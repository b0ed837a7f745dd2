"""Indicators whose yearly values are computed from the organisation's incidents, never typed.

An indicator with ``source = "incidents"`` carries a filter in ``source_config``::

    {"event_types": [1], "municipalities": ["0484"], "areas": ["Torshälla"],
     "building_types": [], "measure": "count"}

Empty lists mean "all". After every import and undo, ``refresh_incident_indicators`` recomputes
each such indicator's values for every year the incidents cover and records them through
``goals.services.record_measurement`` (which keeps replaced values and writes the audit trail).
A value computed earlier for a year that no longer has a value (an undo removed that year's
incidents) is withdrawn the same way a correction is kept: marked replaced, audited, never
deleted; typed values (another source) are never touched.
Counts are stored as counts: an indicator normalised per 1,000 inhabitants is divided by the
population where it is shown, like every other count indicator.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lsoplan.accounts.models import Organisation
from lsoplan.audit import services as audit
from lsoplan.audit.models import Action
from lsoplan.audit.services import Actor
from lsoplan.goals import services as goals
from lsoplan.goals.models import Indicator, IndicatorSeries, Measurement
from lsoplan.incidents.snapshot import frame_for
from lsoplan.lib.incidents import response_times
from lsoplan.lib.incidents.counts import with_keys

MEASURES: dict[str, str] = {
    "count": "Antal händelser",
    "median_response_s": "Insatstid, median (sekunder)",
    "median_response_min": "Insatstid, median (minuter)",
    "p90_response_min": "Insatstid, 90:e percentilen (minuter)",
    "share_within_10": "Andel insatser framme inom 10 minuter (%)",
    "share_within_20": "Andel insatser framme inom 20 minuter (%)",
    "share_within_30": "Andel insatser framme inom 30 minuter (%)",
}
_SHARE = re.compile(r"^share_within_(\d{1,3})$")


@dataclass(frozen=True)
class IncidentFilter:
    event_types: tuple[int, ...] = ()
    municipalities: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    building_types: tuple[str, ...] = ()
    measure: str = "count"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> IncidentFilter:
        """Read ``source_config``; ValidationError (Swedish) names what is wrong."""
        measure = str(config.get("measure", "count"))
        if measure not in MEASURES and not _SHARE.match(measure):
            raise ValidationError({"measure": f"Okänt mått '{measure}'."})

        def items(key: str) -> tuple[Any, ...]:
            value = config.get(key) or []
            if not isinstance(value, list | tuple):
                raise ValidationError({key: f"{key} ska vara en lista."})
            return tuple(value)

        try:
            types = tuple(int(v) for v in items("event_types"))
        except (TypeError, ValueError) as exc:
            raise ValidationError({"event_types": "Händelsetyper anges med MCF:s id (heltal)."}) from exc
        return cls(
            event_types=types,
            municipalities=tuple(str(v) for v in items("municipalities")),
            areas=tuple(str(v) for v in items("areas")),
            building_types=tuple(str(v) for v in items("building_types")),
            measure=measure,
        )

    def to_config(self) -> dict[str, Any]:
        return {
            "event_types": list(self.event_types),
            "municipalities": list(self.municipalities),
            "areas": list(self.areas),
            "building_types": list(self.building_types),
            "measure": self.measure,
        }

    def ref(self) -> str:
        """A short, stable description for ``Measurement.source_ref`` (at most 200 characters)."""
        parts = [
            f"typ={','.join(map(str, self.event_types)) or 'alla'}",
            f"kommun={','.join(self.municipalities) or 'alla'}",
        ]
        if self.areas:
            parts.append(f"område={','.join(self.areas)}")
        if self.building_types:
            parts.append(f"byggnadstyp={','.join(self.building_types)}")
        parts.append(f"mått={self.measure}")
        return ("incidents:" + ";".join(parts))[:200]

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        conditions = []
        if self.event_types:
            conditions.append(pl.col("handelsetyp").is_in(list(self.event_types)))
        if self.municipalities:
            conditions.append(pl.col("kommun").is_in(list(self.municipalities)))
        if self.areas:
            conditions.append(pl.col("omrade").is_in(list(self.areas)))
        if self.building_types:
            conditions.append(pl.col("byggnadstyp").is_in(list(self.building_types)))
        return frame.filter(*conditions) if conditions else frame


def covered_years(frame: pl.DataFrame) -> list[int]:
    """Every year from the first to the last incident of the organisation (Swedish time)."""
    if frame.height == 0:
        return []
    years = with_keys(frame.select("larm_tid"), ["year"]).get_column("year")
    return list(range(int(years.min()), int(years.max()) + 1))  # type: ignore[arg-type]


def yearly_values(frame: pl.DataFrame, flt: IncidentFilter, years: list[int]) -> dict[int, float]:
    """The filter's measure per year; years without data are 0 for counts and absent otherwise."""
    chosen = flt.apply(frame)
    if flt.measure == "count":
        counts = with_keys(chosen.select("larm_tid"), ["year"]).group_by("year").len()
        found = dict(zip(counts["year"].to_list(), counts["len"].to_list(), strict=True))
        return {y: float(found.get(y, 0)) for y in years}
    share = _SHARE.match(flt.measure)
    minutes = int(share.group(1)) if share else 10
    table = response_times(chosen, ["year"], within_minutes=[minutes])
    values: dict[int, float] = {}
    for group in table["groups"]:
        if group["year"] not in years or not group["n"]:
            continue
        if flt.measure == "median_response_s":
            values[group["year"]] = round(group["median_s"], 0)
        elif flt.measure == "median_response_min":
            values[group["year"]] = round(group["median_s"] / 60, 2)
        elif flt.measure == "p90_response_min":
            values[group["year"]] = round(group["p90_s"] / 60, 2)
        else:
            values[group["year"]] = round(100 * group["share_within"][str(minutes)], 1)
    return values


def is_preliminary(year: int, today: dt.date) -> bool:
    """Reports are due two months after the operation (December's by 31 January, MSBFS 2021:5),
    so a year's figures are taken as final from 1 March of the next year."""
    return today < dt.date(year + 1, 3, 1)


def incident_indicators(organisation: Organisation) -> list[Indicator]:
    """One indicator per series (the newest version's copy decides the filter)."""
    chosen: dict[int, Indicator] = {}
    rows = (
        Indicator.objects.filter(organisation=organisation, source="incidents")
        .select_related("series", "version")
        .order_by("series_id", "-version__number", "-pk")
    )
    for indicator in rows:
        chosen.setdefault(indicator.series_id, indicator)
    return list(chosen.values())


def refresh_incident_indicators(
    actor: Actor, organisation: Organisation, *, today: dt.date | None = None
) -> int:
    """Recompute every incident-based indicator's yearly values; returns how many were recorded.

    A value that has not changed is left as it is (``record_measurement`` sees the same value), so
    refreshing twice writes nothing the second time.
    """
    indicators = incident_indicators(organisation)
    if not indicators:
        return 0
    with transaction.atomic():
        return _refresh(actor, organisation, indicators, today)


def _withdraw(actor: Actor, series: IndicatorSeries, keep: set[int]) -> int:
    """Mark the series' current incident-computed values for years outside ``keep`` replaced."""
    stale = Measurement.objects.select_for_update().filter(
        series=series, replaced_at__isnull=True, source="incidents"
    )
    withdrawn = 0
    for measurement in stale.exclude(year__in=keep):
        measurement.replaced_at = timezone.now()
        measurement.save(update_fields=["replaced_at"])
        audit.record(
            actor,
            measurement,
            Action.DELETE,
            {"year": [measurement.year, measurement.year], "value": [measurement.value, None]},
        )
        withdrawn += 1
    return withdrawn


def _refresh(
    actor: Actor, organisation: Organisation, indicators: list[Indicator], today: dt.date | None
) -> int:
    frame = frame_for(organisation)
    years = covered_years(frame)
    today = today or dt.date.today()
    written = 0
    for indicator in indicators:
        try:
            flt = IncidentFilter.from_config(indicator.source_config or {})
        except ValidationError:
            continue  # a broken filter is shown on the indicator's page; it must not stop an import
        values = yearly_values(frame, flt, years)
        written += _withdraw(actor, indicator.series, set(values))
        for year, value in sorted(values.items()):
            before = indicator.series.measurements.filter(year=year, replaced_at__isnull=True).first()
            vintage = "preliminar" if is_preliminary(year, today) else "slutlig"
            measurement = goals.record_measurement(
                actor,
                indicator.series,
                year=year,
                value=value,
                vintage=vintage,
                source="incidents",
                source_ref=flt.ref(),
            )
            written += measurement != before
    return written
