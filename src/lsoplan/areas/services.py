"""Writes for stations and response areas, each through the audited services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from shapely.geometry import mapping

from lsoplan.areas.models import ResponseArea, Station
from lsoplan.audit import services as audit
from lsoplan.audit.services import Actor
from lsoplan.lib.geo.areas import read_areas
from lsoplan.lib.geo.crs import GeoError, looks_swapped_sweref
from lsoplan.programmes.models import ProgrammeVersion


def create_station(actor: Actor, version: ProgrammeVersion, **fields: Any) -> Station:
    if looks_swapped_sweref(fields["x"], fields["y"]):
        raise ValidationError(
            {"x": "x och y ser förväxlade ut: x är östlig (t.ex. 674 000), y nordlig (6 580 000)."}
        )
    return audit.create(actor, Station, organisation=version.organisation, version=version, **fields)


@transaction.atomic
def import_areas(
    actor: Actor, version: ProgrammeVersion, data: bytes, *, crs: str | None = None
) -> list[ResponseArea]:
    """Replace the version's response areas with those of a GeoJSON file, all or nothing."""
    try:
        areas = read_areas(data, crs=crs)
    except GeoError as exc:
        raise ValidationError(str(exc)) from None
    for old in ResponseArea.objects.filter(version=version):
        audit.delete(actor, old)
    return [
        audit.create(
            actor,
            ResponseArea,
            organisation=version.organisation,
            version=version,
            name=area.name,
            geometry=mapping(area.geometry),
            source_crs=area.source_crs,
        )
        for area in areas
    ]


def update_station(actor: Actor, station: Station, **fields: Any) -> Station:
    x, y = fields.get("x", station.x), fields.get("y", station.y)
    if looks_swapped_sweref(x, y):
        raise ValidationError(
            {"x": "x och y ser förväxlade ut: x är östlig (t.ex. 674 000), y nordlig (6 580 000)."}
        )
    return audit.update(actor, station, **fields)


def delete_station(actor: Actor, station: Station) -> Station:
    audit.delete(actor, station)
    return station


def update_area(actor: Actor, area: ResponseArea, *, name: str, population: int | None) -> ResponseArea:
    """The name and the population of an area; its boundary comes from a file (upload anew)."""
    if not name.strip():
        raise ValidationError({"name": "Ange områdets namn."})
    return audit.update(actor, area, name=name.strip(), population=population)


def delete_area(actor: Actor, area: ResponseArea) -> ResponseArea:
    audit.delete(actor, area)
    return area
