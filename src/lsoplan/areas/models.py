"""Stations and response areas: where the rescue service starts from and which area each covers.

Both are programme content (MSBFS 2021:1 12 §: how capability varies over the area), so they belong
to one version and are copied into the next draft. Coordinates are SWEREF 99 TM (EPSG:3006); an
area's geometry is kept as a GeoJSON geometry object in those metres, with the CRS it came in.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lsoplan.programmes.models import Versioned


class StationKind(models.TextChoices):
    HELTID = "heltid", _("heltid")
    DELTID = "deltid", _("deltid (RIB)")
    VARN = "varn", _("räddningsvärn")


class Station(Versioned):
    name = models.CharField(_("namn"), max_length=120)
    kind = models.CharField(_("bemanningsform"), max_length=10, choices=StationKind.choices)
    x = models.FloatField(_("x (SWEREF 99 TM, östlig)"))
    y = models.FloatField(_("y (SWEREF 99 TM, nordlig)"))
    staffing = models.CharField(_("bemanning"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "name"]
        verbose_name = _("station")
        verbose_name_plural = _("stationer")

    def __str__(self) -> str:
        return self.name


class ResponseArea(Versioned):
    name = models.CharField(_("namn"), max_length=120)
    geometry = models.JSONField(_("geometri (SWEREF 99 TM)"))
    source_crs = models.CharField(_("ursprungligt koordinatsystem"), max_length=20)
    population = models.PositiveIntegerField(_("folkmängd"), null=True, blank=True)

    class Meta:
        ordering = ["version", "name"]
        verbose_name = _("insatsområde")
        verbose_name_plural = _("insatsområden")

    def __str__(self) -> str:
        return self.name
