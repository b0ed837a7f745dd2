"""Models of the reports app: the archived documents of an adopted programme version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lsoplan.accounts.models import OrgOwned
from lsoplan.programmes.models import ProgrammeVersion


class AdoptedArchive(OrgOwned):
    """What a council adopted, kept byte for byte: the programme as PDF and DOCX, the statistics
    they show (cut at the decision date) and a SHA-256 checksum of each.

    Written once, at adoption (or, for versions adopted before archives existed, on the first
    download), and never changed: a download of an adopted version returns these bytes, so the
    document stays what was decided however the follow-up data grow afterwards.
    """

    version = models.OneToOneField(ProgrammeVersion, on_delete=models.PROTECT, related_name="archive")
    as_of = models.DateField(_("uppgifter per"))  # the decision date the statistics are cut at
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    docx = models.BinaryField()
    docx_sha256 = models.CharField(max_length=64)
    data = models.JSONField()  # the statistics the documents show, as plain values
    data_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("arkiverat antaget program")
        verbose_name_plural = _("arkiverade antagna program")

    def __str__(self) -> str:
        return f"Arkiv för version {self.version_id} per {self.as_of}"
