"""Local conditions (förutsättningar): risks, vulnerabilities and capabilities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lsoplan.programmes.models import Versioned


class EventType(models.Model):
    """MCF's overall event types (konvHandelsetypId); synced from reference data after migrate."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Risk(Versioned):
    title = models.CharField(_("rubrik"), max_length=200)
    event_type = models.ForeignKey(
        EventType, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("händelsetyp (MCF)")
    )
    custom_type = models.CharField(
        _("egen olyckstyp"),
        max_length=100,
        blank=True,
        help_text=_("T.ex. fallolyckor, när ingen MCF-typ passar."),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("sannolikhet"))
    consequence = models.PositiveSmallIntegerField(_("konsekvens"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("risk")
        verbose_name_plural = _("risker")

    def __str__(self) -> str:
        return self.title

    @property
    def accident_type(self) -> str:
        return self.event_type.name if self.event_type else self.custom_type

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence


class Vulnerability(Versioned):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="vulnerabilities")
    description = models.TextField(_("sårbarhet"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("sårbarhet")
        verbose_name_plural = _("sårbarheter")

    def __str__(self) -> str:
        return self.description[:60]


class CapabilityKind(models.TextChoices):
    # LSO 3 kap. 8 § p. a–d: each accident type, simultaneous, extensive operations, command.
    OLYCKSTYP = "olyckstyp", _("Per olyckstyp")
    SAMTIDIGA = "samtidiga", _("Samtidiga insatser")
    OMFATTANDE = "omfattande", _("Omfattande insatser")
    LEDNING = "ledning", _("Ledning")
    FOREBYGGANDE = "forebyggande", _("Förebyggande")


class Readiness(models.TextChoices):
    FRED = "fred", _("Fredstid")
    HOJD_BEREDSKAP = "hojd_beredskap", _("Höjd beredskap")


class Capability(Versioned):
    risk = models.ForeignKey(
        Risk, null=True, blank=True, on_delete=models.CASCADE, related_name="capabilities"
    )
    kind = models.CharField(_("slag"), max_length=20, choices=CapabilityKind.choices, default="olyckstyp")
    readiness = models.CharField(
        _("beredskapsläge"), max_length=20, choices=Readiness.choices, default="fred"
    )
    description = models.TextField(_("förmåga"))
    # MSBFS 2021:1 3 § asks for actual and expected conditions: the capability planned for the
    # programme period is shown beside the present one.
    planned = models.TextField(_("planerad förmåga under programperioden"), blank=True)
    resources = models.TextField(_("resurser"), blank=True)

    class Meta:
        ordering = ["kind", "readiness", "id"]
        verbose_name = _("förmåga")
        verbose_name_plural = _("förmågor")

    def __str__(self) -> str:
        return self.description[:60]
