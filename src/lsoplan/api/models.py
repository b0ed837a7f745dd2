"""API tokens and the incident imports started through the API.

A token is scoped to one organisation and one user; only the SHA-256 of its secret is stored, with
a short visible prefix so that a list can tell tokens apart. The token never grants more than its
user's role in the organisation at the time of the request (checked per request, not stored).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsoplan.accounts.models import OrgOwned


class Scope(models.TextChoices):
    READ = "read", _("Läsa")
    WRITE = "write", _("Läsa och skriva")


class ApiToken(OrgOwned):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("namn"), max_length=80)
    prefix = models.CharField(_("början"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)  # sha256 hex of the whole token
    scope = models.CharField(_("behörighet"), max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("skapad"))
    expires_at = models.DateTimeField(_("giltig till"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Importerad")
    REJECTED = "rejected", _("Avvisad")
    FAILED = "failed", _("Misslyckades")


class IncidentImportJob(OrgOwned):
    """One incident file sent through the API; the import itself runs as a job (``api.jobs``)."""

    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150)
    file_name = models.CharField(_("filnamn"), max_length=255)
    upload = models.CharField(max_length=64)  # incidents.uploads token (sha256 of the file)
    mapping = models.CharField(_("mappning"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_at = models.DateTimeField(_("skapad"))
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    message = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)  # ImportOutcome.summary()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import via API")
        verbose_name_plural = _("importer via API")

    def __str__(self) -> str:
        return f"API-import {self.pk}: {self.file_name}"
