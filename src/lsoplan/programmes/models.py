"""The action programme (handlingsprogram), its versions and chapters.

Programme content (chapters, risks, goals, indicators …) belongs to one ``ProgrammeVersion``. An
adopted version is frozen; editing further means copying it into a new draft, where each copied
object keeps its ``lineage`` so that versions can be compared object by object.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lsoplan.accounts.models import OrgOwned

CHAPTER_TEXT_MAX = 100_000
CHAPTER_TEXT_MESSAGE = (
    "Kapiteltexten får vara högst 100 000 tecken (den har %(show_value)d). Dela upp den, eller lägg "
    "långa underlag som bilagor."
)


class Programme(OrgOwned):
    title = models.CharField(_("titel"), max_length=200)
    period_start = models.PositiveSmallIntegerField(_("första år"))
    period_end = models.PositiveSmallIntegerField(_("sista år"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("handlingsprogram")
        verbose_name_plural = _("handlingsprogram")

    def __str__(self) -> str:
        return f"{self.title} {self.period_start}–{self.period_end}"

    @property
    def period_label(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class VersionStatus(models.TextChoices):
    UTKAST = "utkast", _("Utkast")
    REMISS = "remiss", _("Remiss")
    ANTAGEN = "antagen", _("Antagen")
    ERSATT = "ersatt", _("Ersatt")


FROZEN_STATUSES = frozenset({VersionStatus.ANTAGEN, VersionStatus.ERSATT})


class AdoptingBody(models.TextChoices):
    KOMMUNFULLMAKTIGE = "kommunfullmaktige", _("Kommunfullmäktige")
    FORBUNDSDIREKTION = "forbundsdirektion", _("Förbundsdirektion")


class ProgrammeVersion(OrgOwned):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default="utkast")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    adopted_body = models.CharField(
        _("beslutande organ"), max_length=20, choices=AdoptingBody.choices, blank=True
    )
    adopted_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    adopted_paragraph = models.CharField(_("paragraf"), max_length=40, blank=True)
    adopted_registration = models.CharField(_("diarienummer"), max_length=60, blank=True)
    consultation_parties = models.TextField(_("samrådsparter"), blank=True)
    consultation_from = models.DateField(_("remiss från"), null=True, blank=True)
    consultation_to = models.DateField(_("remiss till"), null=True, blank=True)
    # Likelihood and consequence scales of the risk matrix; a list of labels each (default 5×5).
    likelihood_labels = models.JSONField(default=list)
    consequence_labels = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="version_unique_number")]
        verbose_name = _("programversion")

    def __str__(self) -> str:
        return f"{self.programme.title}, version {self.number} ({self.get_status_display()})"

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES


class AdoptionCorrection(OrgOwned):
    """A correction of an adopted version's decision record, keeping what it said before.

    The version itself is frozen; only an administratör may correct a mistyped date, body,
    paragraph or diarienummer, and the original stays here (the first correction's ``old``).
    """

    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.CASCADE, related_name="adoption_corrections"
    )
    corrected_at = models.DateTimeField(_("rättad"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_by_label = models.CharField(_("rättad av"), max_length=150)
    reason = models.TextField(_("skäl"))
    old = models.JSONField(default=dict)  # {field: value} before, for the fields that changed
    new = models.JSONField(default=dict)

    class Meta:
        ordering = ["version", "corrected_at", "id"]
        verbose_name = _("rättelse av antagandebeslut")
        verbose_name_plural = _("rättelser av antagandebeslut")

    def __str__(self) -> str:
        return f"Rättelse av version {self.version.number} ({self.corrected_at:%Y-%m-%d})"


class Versioned(OrgOwned):
    """Base for programme content: belongs to one version, keeps its identity across versions."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="+")
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class Chapter(Versioned):
    """A chapter of the programme document, in the MSBFS 2021:1 structure (reference data)."""

    key = models.CharField(max_length=60)
    number = models.CharField(max_length=10)
    title = models.CharField(_("rubrik"), max_length=200)
    # A chapter of a real programme is a few thousand characters; two of 2 MB made the programme
    # PDF fail after 120 s. The limit holds in the form, the services and the programme file.
    text = models.TextField(
        _("text"),
        blank=True,
        max_length=CHAPTER_TEXT_MAX,
        validators=[MaxLengthValidator(CHAPTER_TEXT_MAX, message=CHAPTER_TEXT_MESSAGE)],
    )
    order = models.PositiveSmallIntegerField(default=0)
    prescribed = models.BooleanField(default=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("kapitel")
        verbose_name_plural = _("kapitel")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def hint(self) -> str:
        """What the chapter should describe (reference data), shown while it has no text."""
        from lsoplan.reference.lso import msbfs_chapters

        return next((r.hint for r in msbfs_chapters()[1] if r.key == self.key), "")
