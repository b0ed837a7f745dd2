"""Incidents (händelser) imported from the rescue service's reporting system, and the imports.

An ``Incident`` is unique per organisation and ``source_id`` (the id in the reporting system), so a
re-import of the same or an overlapping file updates rows instead of duplicating them. Each
``ImportBatch`` records one import; ``IncidentPrevious`` keeps the rows an import overwrote, so the
import can be undone as a whole. Rows are written in bulk with SQL (``services_bulk``), never one
by one through the ORM, which is why several column choices below are made for that path.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lsoplan.accounts.models import Municipality, Organisation, OrgOwned
from lsoplan.conditions.models import EventType


class ImportBatch(OrgOwned):
    """One import of an incident file: what was read, what it changed, who did it and when."""

    file_name = models.CharField(_("filnamn"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    format = models.CharField(_("format"), max_length=10)  # "csv" or "xlsx"
    encoding = models.CharField(_("teckenkodning"), max_length=30, blank=True)
    delimiter = models.CharField(_("avgränsare"), max_length=5, blank=True)
    mapping_name = models.CharField(_("mappning"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rader i filen"), default=0)
    incidents = models.PositiveIntegerField(_("händelser"), default=0)
    created = models.PositiveIntegerField(_("nya"), default=0)
    updated = models.PositiveIntegerField(_("uppdaterade"), default=0)
    warnings = models.PositiveIntegerField(_("varningar"), default=0)
    # The first warnings (as Problem.to_dict()), so the history can show what was accepted.
    warning_list = models.JSONField(default=list, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, like the audit trail: "cli", "demo" or the user name at the time.
    imported_by_label = models.CharField(max_length=150)
    imported_at = models.DateTimeField(_("importerad"))
    undone_at = models.DateTimeField(_("ångrad"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_by_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("import av händelser")
        verbose_name_plural = _("importer av händelser")

    def __str__(self) -> str:
        return f"Import {self.pk}: {self.file_name}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class Incident(OrgOwned):
    """One rescue operation or event. Times are aware (stored as UTC)."""

    # Foreign keys without database constraints (db_constraint=False), on purpose: rows are only
    # written by the bulk import, which checks every municipality, event type and batch itself, and
    # Django carries out on_delete in Python anyway. A database constraint costs a parent lookup per
    # row (on PostgreSQL a deferred trigger that also locks the parent row), which took most of a
    # million-row import's time (docs/incidents-benchmark.md). The unique key starts with the
    # organisation, so its own index would be redundant too.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    source_id = models.CharField(_("händelse-id"), max_length=64)
    # Reference rows are never deleted (reference_sync only upserts), so these need no index.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("kommun"),
    )
    event_type = models.ForeignKey(
        EventType,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("händelsetyp"),
    )
    alarm_at = models.DateTimeField(_("larm"))
    arrived_at = models.DateTimeField(_("framme"), null=True, blank=True)
    ended_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    area = models.CharField(_("område"), max_length=200, blank=True)
    building_type = models.CharField(_("byggnadstyp"), max_length=200, blank=True)
    fire_cause = models.CharField(_("brandorsak"), max_length=200, blank=True)
    dead = models.PositiveIntegerField(_("omkomna"), null=True, blank=True)
    injured = models.PositiveIntegerField(_("skadade"), null=True, blank=True)
    x = models.FloatField(_("x (SWEREF 99 TM)"), null=True, blank=True)
    y = models.FloatField(_("y (SWEREF 99 TM)"), null=True, blank=True)
    # The coordinates as the file gave them (easting or longitude first) and the file's CRS as an
    # EPSG code, when that CRS is not SWEREF 99 TM; null when x and y are themselves as given (and
    # on rows imported before these columns existed). Nullable without a default, so adding them
    # to a table of millions of rows changes only the catalogue, never rewrites the rows.
    source_x = models.FloatField(_("x som i källan"), null=True, blank=True)
    source_y = models.FloatField(_("y som i källan"), null=True, blank=True)
    # IntegerField, not Positive…: a CHECK constraint would make the database scan every row.
    source_epsg = models.IntegerField(_("källans koordinatsystem (EPSG)"), null=True, blank=True)
    # The import that last wrote the row. RESTRICT: a batch cannot be deleted while rows point at
    # it, but deleting the organisation still removes both. No index: only undo (rare) looks rows
    # up by batch, and a scan of the organisation's rows is cheaper than an index on every import.
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.RESTRICT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("import"),
    )

    class Meta:
        ordering = ["alarm_at", "id"]
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "source_id"], name="incident_unique_source_id")
        ]
        # No index for statistics: they read the statistics copy (IncidentSnapshot), never the
        # table, and each further index cost a million-row import 0.3-0.5 s (incidents-benchmark).

    def __str__(self) -> str:
        return f"{self.source_id} ({self.alarm_at:%Y-%m-%d})"


class IncidentPrevious(OrgOwned):
    """A row as it was before ``batch`` overwrote it: what undoing ``batch`` puts back.

    A plain copy of the incident's columns (not JSON) so that saving and restoring are each one
    ``INSERT … SELECT`` however many rows an import touched.
    """

    # No database constraints, for the same reason as on Incident: written in bulk, checked before.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    incident_id = models.BigIntegerField()  # restored with the same primary key
    previous_batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    source_id = models.CharField(max_length=64)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    event_type = models.ForeignKey(
        EventType, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    alarm_at = models.DateTimeField()
    arrived_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    area = models.CharField(max_length=200, blank=True)
    building_type = models.CharField(max_length=200, blank=True)
    fire_cause = models.CharField(max_length=200, blank=True)
    dead = models.PositiveIntegerField(null=True, blank=True)
    injured = models.PositiveIntegerField(null=True, blank=True)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    source_x = models.FloatField(null=True, blank=True)
    source_y = models.FloatField(null=True, blank=True)
    source_epsg = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("tidigare värden för händelse")

    def __str__(self) -> str:
        return f"{self.source_id} före import {self.batch_id}"


class IncidentSnapshot(OrgOwned):
    """The organisation's incidents as one compressed column file (Parquet), for fast statistics.

    Reading a million rows back through a database cursor takes seconds; this copy is read in a
    fraction of one. It is derived data: written in the same transaction as every import and undo,
    so it always matches the rows, and rebuilt from the rows whenever it is missing.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    rows = models.PositiveIntegerField(default=0)
    data = models.BinaryField()
    # Kept beside the copy so that egenkontroll's "latest incident" needs no index on alarm times.
    # Null with rows > 0: written before this field existed (read from the table instead).
    latest_alarm = models.DateTimeField(null=True, blank=True)
    written_at = models.DateTimeField()

    class Meta:
        verbose_name = _("statistikunderlag för händelser")

    def __str__(self) -> str:
        return f"Händelseunderlag för organisation {self.organisation_id} ({self.rows} rader)"
