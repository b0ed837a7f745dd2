"""The audit trail: who changed what, when, and from what to what."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lsoplan.accounts.models import OrgOwned


class Action(models.TextChoices):
    CREATE = "create", "Skapad"
    UPDATE = "update", "Ändrad"
    DELETE = "delete", "Borttagen"


class AuditEntry(OrgOwned):
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Kept as text too: the entry must still say who acted after the user account is removed.
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    model = models.CharField(max_length=60)  # "goals.safetygoal"
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    version_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict)  # {field: [old, new]}

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.model}#{self.object_id}"


class DataVersion(models.Model):
    """A number that changes with every write to one organisation's data, or to the shared data.

    ``key`` is ``org:<id>`` for an organisation, ``global`` for reference data and public
    statistics shared by all. Every cache key of a computed page result carries the numbers it
    depends on (``audit.dataversion``), so a write makes the old results unreachable at once.
    The number is the write's time in microseconds (or the last number plus one, whichever is
    larger): a write rolled back never leaves a number that a later write would reuse.
    """

    key = models.CharField(max_length=40, unique=True)
    counter = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.counter}"
