"""Egenkontroll: saved runs of the rules, the distribution of an adopted programme (FSO 3 kap. 4 §)
and the organisation's answers the rules need but the programme does not hold (ports).

None of these is programme content: a check run, or a letter sent to the länsstyrelse, is a record
about a version, and it is written after the version has been adopted and frozen. So they hang on
the version by a plain foreign key instead of inheriting ``Versioned``, and are not copied into a
new draft.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsoplan.accounts.models import OrgOwned
from lsoplan.programmes.models import ProgrammeVersion


class CheckRun(OrgOwned):
    """One egenkontroll of a version as it stood: who ran it, with which rules, what was found."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="check_runs")
    run_at = models.DateTimeField(_("körd"), default=timezone.now, db_index=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Kept as text as well: the run must still say who made it after the account is gone.
    run_by_label = models.CharField(_("körd av"), max_length=150)
    rules_version = models.CharField(_("regelversion"), max_length=40)
    ok = models.PositiveSmallIntegerField(default=0)
    brist = models.PositiveSmallIntegerField(default=0)
    okant = models.PositiveSmallIntegerField(default=0)
    ej_tillampliga = models.PositiveSmallIntegerField(default=0)
    krav_brist = models.PositiveSmallIntegerField(_("krav med brist"), default=0)
    findings = models.JSONField(default=list)  # Finding.to_json() per finding

    class Meta:
        ordering = ["-run_at", "-id"]
        verbose_name = _("egenkontroll")
        verbose_name_plural = _("egenkontroller")

    def __str__(self) -> str:
        return f"Egenkontroll {timezone.localtime(self.run_at):%Y-%m-%d %H:%M}, version {self.version.number}"


class Recipient(models.TextChoices):
    LANSSTYRELSEN = "lansstyrelsen", _("Länsstyrelsen")
    MCF = "mcf", _("Myndigheten för civilt försvar (MCF, tidigare MSB)")
    SAMRADSPARTER = "samradsparter", _("Samrådsparterna")
    ANNAN = "annan", _("Annan mottagare")


class Distribution(OrgOwned):
    """The adopted programme sent to a recipient (FSO 3 kap. 4 §)."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="distributions")
    recipient = models.CharField(_("mottagare"), max_length=20, choices=Recipient.choices)
    name = models.CharField(
        _("namn"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. Länsstyrelsen i Södermanlands län, eller diarienummer."),
    )
    sent_on = models.DateField(_("skickat"))
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "sent_on", "id"]
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")

    def __str__(self) -> str:
        return f"{self.get_recipient_display()} {self.sent_on:%Y-%m-%d}"


class CheckProfile(OrgOwned):
    """What the organisation says about itself where the programme data cannot tell."""

    # FSO 3 kap. 3 §: ports and their water boundaries "i förekommande fall". None: not answered.
    ports_relevant = models.BooleanField(_("hamnar att redovisa"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="checkprofile_one_per_org")]
        verbose_name = _("uppgifter för egenkontroll")

    def __str__(self) -> str:
        return f"Egenkontroll-uppgifter för {self.organisation}"
