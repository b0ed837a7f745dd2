"""Public statistics as fetched, with provenance: who published what, when we read it, and revisions.

Public figures are not any organisation's data: the same Kolada value for Eskilstuna serves every
organisation that covers Eskilstuna. So ``PublicValue`` is a global table (no ``OrgOwned``), keyed
by source + dataset + municipality + period + dimension. A re-fetch that brings a different
figure keeps the old row (``replaced_at`` set) beside the new one, as measurements do, so a
revision by the publisher stays visible. ``FetchLog`` is the audit trail of these global writes:
the audit app's entries need an organisation, which public data do not have.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    KOLADA = "kolada", "Kolada"
    MCF = "mcf", "MSB/MCF"
    SCB = "scb", "SCB"


class Vintage(models.TextChoices):
    PRELIMINAR = "preliminar", _("Preliminär")
    SLUTLIG = "slutlig", _("Slutlig")


class FetchLog(models.Model):
    """One run of a fetch: what was asked, by whom, and what came of it."""

    source = models.CharField(max_length=10, choices=Source.choices)
    dataset = models.CharField(max_length=120)
    title = models.CharField(max_length=300, blank=True)
    municipalities = models.JSONField(default=list)
    actor_label = models.CharField(max_length=150)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    offline = models.BooleanField(default=False)
    ok = models.BooleanField(default=False)
    created = models.PositiveIntegerField(default=0)
    revised = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("hämtning")
        verbose_name_plural = _("hämtningar")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.source} {self.dataset}"


class PublicValue(models.Model):
    """One published figure for a municipality and year, as the publisher gave it."""

    source = models.CharField(_("källa"), max_length=10, choices=Source.choices)
    dataset = models.CharField(_("tabell eller nyckeltal"), max_length=120)  # "N07415", "B/B1/B11"
    municipality = models.CharField(_("kommun"), max_length=12)  # SCB code, "0000" or a group id
    period = models.PositiveSmallIntegerField(_("år"))
    dimension = models.CharField(max_length=80, blank=True, default="")  # "konvHandelsetypId=1"
    value = models.FloatField(_("värde"), null=True, blank=True)  # None: the publisher has no figure
    status = models.CharField(_("utgivarens status"), max_length=40, blank=True)  # verbatim flag
    vintage = models.CharField(_("status"), max_length=10, choices=Vintage.choices, default="slutlig")
    url = models.CharField(max_length=500, blank=True)
    retrieved_at = models.DateTimeField(_("hämtad"))
    checked_at = models.DateTimeField(_("senast kontrollerad"))
    offline = models.BooleanField(
        default=False, help_text=_("Ur en inspelning (exempeldata), inte hämtad från utgivaren.")
    )
    replaced_at = models.DateTimeField(null=True, blank=True)
    fetch = models.ForeignKey(
        FetchLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="values"
    )

    class Meta:
        ordering = ["source", "dataset", "municipality", "dimension", "period", "retrieved_at"]
        verbose_name = _("offentligt värde")
        verbose_name_plural = _("offentliga värden")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "dataset", "municipality", "period", "dimension"],
                condition=Q(replaced_at__isnull=True),
                name="publicvalue_one_current",
            )
        ]
        indexes = [models.Index(fields=["source", "dataset", "municipality"])]

    def __str__(self) -> str:
        return f"{self.source}:{self.dataset}:{self.municipality} {self.period} = {self.value}"

    @property
    def citation(self) -> str:
        return {"kolada": "Källa: Kolada", "mcf": "Källa: MSB/MCF", "scb": "Källa: SCB"}[self.source]
