"""Consultation (remiss) of a programme version: parties with their links, responses, decisions.

A version sent on remiss gets parties; each party gets one link whose secret is stored only as a
digest (``lib.remiss``). Responses come through a link, or, while the planner has opened a public
remiss ("allmän remiss"), from anyone through the public page. The planner decides on each
response; the decision lives on the response, so the samrådsredogörelse reads one row per response.
Everything belongs to the version and is locked with it when it is adopted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lsoplan.accounts.models import OrgOwned
from lsoplan.goals.models import PerformanceGoal, SafetyGoal
from lsoplan.programmes.models import Chapter, ProgrammeVersion

RESPONSE_TEXT_MAX = 20_000


class Consultation(OrgOwned):
    """The version's remiss settings (one per version, made when first needed)."""

    version = models.OneToOneField(ProgrammeVersion, on_delete=models.CASCADE, related_name="consultation")
    public = models.BooleanField(
        _("allmän remiss"),
        default=False,
        help_text=_("Alla kan lämna synpunkter på utkastet på den offentliga sidan utan länk."),
    )

    class Meta:
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")

    def __str__(self) -> str:
        return f"Remiss av version {self.version.number}"


class Party(OrgOwned):
    """A remissinstans: an authority or organisation asked for its view."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("namn"), max_length=200)
    contact = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    # SHA-256 of the link's secret; empty until a link is issued. A new link replaces the old one.
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    link_issued_at = models.DateTimeField(_("länk skapad"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("länk återkallad"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "name", "id"]
        verbose_name = _("remissinstans")
        verbose_name_plural = _("remissinstanser")

    def __str__(self) -> str:
        return self.name

    @property
    def has_link(self) -> bool:
        return bool(self.token_digest) and self.revoked_at is None


class Decision(models.TextChoices):
    TILLGODOSETT = "tillgodosett", _("Tillgodosett")
    DELVIS = "delvis", _("Delvis tillgodosett")
    INTE = "inte", _("Inte tillgodosett")


class Response(OrgOwned):
    """One remissvar: on the whole draft, one chapter or one goal."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    # From the public page (no party): who wrote it is optional and never required.
    author = models.CharField(_("namn (frivilligt)"), max_length=200, blank=True)
    chapter = models.ForeignKey(Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    safety_goal = models.ForeignKey(
        SafetyGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    performance_goal = models.ForeignKey(
        PerformanceGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("synpunkt"), max_length=RESPONSE_TEXT_MAX)
    attachment = models.FileField(_("bilaga"), upload_to="remiss/%Y/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("inkommet"))
    decision = models.CharField(_("ställningstagande"), max_length=20, choices=Decision.choices, blank=True)
    motivation = models.TextField(_("motivering"), blank=True, max_length=RESPONSE_TEXT_MAX)
    changed_chapters = models.ManyToManyField(
        Chapter, blank=True, related_name="+", verbose_name=_("ändrade kapitel")
    )
    changed_safety_goals = models.ManyToManyField(
        SafetyGoal, blank=True, related_name="+", verbose_name=_("ändrade säkerhetsmål")
    )
    changed_performance_goals = models.ManyToManyField(
        PerformanceGoal, blank=True, related_name="+", verbose_name=_("ändrade prestationsmål")
    )
    decided_at = models.DateTimeField(_("beslutat"), null=True, blank=True)
    decided_by_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["version", "submitted_at", "id"]
        verbose_name = _("remissvar")
        verbose_name_plural = _("remissvar")

    def __str__(self) -> str:
        return f"Remissvar från {self.sender} ({self.about})"

    @property
    def sender(self) -> str:
        if self.party is not None:
            return self.party.name
        return self.author or "Allmänheten"

    @property
    def about(self) -> str:
        if self.safety_goal is not None:
            return f"säkerhetsmål {self.safety_goal.code or self.safety_goal.text[:40]}"
        if self.performance_goal is not None:
            return f"prestationsmål {self.performance_goal.code or self.performance_goal.text[:40]}"
        if self.chapter is not None:
            return f"kapitel {self.chapter.number} {self.chapter.title}"
        return "hela programmet"
