"""Citizens' views (medborgarsynpunkter): what a member of the public wrote on the public page.

No account and no personal data are required: only the text. An e-mail address is kept only when
the writer asks to be contacted. Entries are deleted after the organisation's retention period
(``Organisation.citizen_view_retention_months``), and the audit trail never holds their text or
address, so deleting an entry removes what the person wrote.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lsoplan.accounts.models import OrgOwned

TEXT_MAX = 2000
AREA_MAX = 100


class Category(models.TextChoices):
    OKATEGORISERAD = "", _("Inte kategoriserad")
    BEROM = "berom", _("Beröm")
    KRITIK = "kritik", _("Kritik")
    FORSLAG = "forslag", _("Förslag")
    FRAGA = "fraga", _("Fråga")
    OVRIGT = "ovrigt", _("Övrigt")


class CitizenView(OrgOwned):
    text = models.TextField(_("synpunkt"), max_length=TEXT_MAX)
    rating = models.PositiveSmallIntegerField(
        _("betyg"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    area = models.CharField(_("område"), max_length=AREA_MAX, blank=True)
    contact_requested = models.BooleanField(_("vill bli kontaktad"), default=False)
    email = models.EmailField(_("e-post"), blank=True)
    received_at = models.DateTimeField(_("inkommen"))
    category = models.CharField(_("kategori"), max_length=10, choices=Category.choices, blank=True)
    # Evidence for "Hur ser invånarna på arbetet?" beside the surveys; kept when the evaluation goes.
    evaluation = models.ForeignKey(
        "evaluation.Evaluation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizen_views",
        verbose_name=_("utvärdering"),
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["organisation", "received_at"], name="citizenview_org_received")]
        verbose_name = _("synpunkt från allmänheten")
        verbose_name_plural = _("synpunkter från allmänheten")

    def __str__(self) -> str:
        return f"Synpunkt {self.pk} ({self.received_at:%Y-%m-%d})"
