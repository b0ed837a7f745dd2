"""Every write to incidents: import a file (all or nothing), undo an import.

``import_incidents`` reads the file slice by slice (``reading``), checks every row with the pure
validator plus the one rule that needs the database (the municipality must belong to the
organisation), stages the rows in bulk (``bulk``) and applies them in one transaction. Any error
and nothing is written. Each import leaves an ``ImportBatch`` and an audit entry; the statistics
copy and the incident-based indicators are brought up to date in the same transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lsoplan.accounts.models import Municipality, Organisation
from lsoplan.audit import services as audit
from lsoplan.audit.models import Action
from lsoplan.audit.services import Actor
from lsoplan.incidents import bulk, snapshot
from lsoplan.incidents.boundary_check import outside_boundaries
from lsoplan.incidents.indicators import refresh_incident_indicators
from lsoplan.incidents.models import ImportBatch, Incident
from lsoplan.incidents.reading import FileReader, Prepare, Problems, field_labels, row_problems
from lsoplan.lib.incidents import FileInfo, ImportMapping, Lookups, Problem
from lsoplan.reference.boundaries import organisation_region

Progress = Callable[[int, int], None]
Source = bytes | str | os.PathLike[str] | IO[bytes]
PREVIEW_ROWS = 20


@dataclass(frozen=True)
class ImportOutcome:
    """What an import (or a dry run) found and did. ``batch`` is None unless rows were written."""

    ok: bool
    dry_run: bool
    file_name: str
    sha256: str
    n_rows: int
    n_incidents: int
    n_errors: int
    n_warnings: int
    problems: tuple[Problem, ...]
    info: FileInfo | None
    created: int = 0
    updated: int = 0
    batch: ImportBatch | None = None
    preview: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "file": self.file_name,
            "sha256": self.sha256,
            "rows": self.n_rows,
            "incidents": self.n_incidents,
            "created": self.created,
            "updated": self.updated,
            "errors": self.n_errors,
            "warnings": self.n_warnings,
            "batch": self.batch.pk if self.batch else None,
            "format": self.info.format if self.info else None,
            "encoding": self.info.encoding if self.info else None,
            "delimiter": self.info.delimiter if self.info else None,
            "problems": [p.to_dict() for p in self.problems],
        }


class _Rejected(Exception):
    """Raised inside the transaction to roll everything back; carries nothing."""


def _read_bytes(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            return fh.read()
    return source.read()


def _municipality_check(
    frame: pl.DataFrame, organisation: Organisation, allowed: dict[str, str], label: str
) -> tuple[list[Problem], int]:
    # A slice names a handful of municipalities: look at those before filtering a million rows.
    outside = set(frame.get_column("kommun").unique().drop_nulls().to_list()) - allowed.keys()
    if not outside:
        return [], 0
    # Named as well as coded: the file may have said "Malmö", and "1280" alone would puzzle.
    known = dict(Municipality.objects.filter(code__in=outside).values_list("code", "name"))
    names = ", ".join(f"{name} ({code})" for code, name in sorted(allowed.items()))
    return row_problems(
        frame,
        ~pl.col("kommun").is_in(list(allowed)),
        column=label,
        value=pl.col("kommun"),
        message=lambda r: (
            f"kommunen {known.get(str(r['_value']), '?')} ({r['_value']}) ingår inte i"
            f" {organisation.name} – organisationen omfattar {names}"
        ),
    )


class _SeenIds:
    """The ids of the slices read so far, and their hashes to rule out most rows cheaply."""

    def __init__(self) -> None:
        self.frames: list[pl.DataFrame] = []
        self.hashes = pl.Series("h", [], dtype=pl.UInt64)

    def repeats(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The rows of ``frame`` whose id an earlier slice had (with ``__forsta``, its row there);
        then ``frame``'s ids count as seen."""
        ids = frame.select("rad", "handelse_id", h=pl.col("handelse_id").hash())
        # Only ids whose hash occurred before can repeat: the exact join is over a few rows at most.
        candidates = ids.filter(pl.col("h").is_in(self.hashes.implode())).drop("h")
        hits = candidates
        if candidates.height:
            earlier = pl.concat(self.frames).rename({"rad": "__forsta"})
            hits = candidates.join(earlier, on="handelse_id", how="inner")
        self.frames.append(ids.select("handelse_id", "rad"))
        self.hashes = pl.concat([self.hashes, ids.get_column("h")])
        return hits


def _cross_slice_duplicates(frame: pl.DataFrame, seen: _SeenIds, label: str) -> tuple[list[Problem], int]:
    hits = seen.repeats(frame)
    if hits.height == 0:
        return [], 0
    return row_problems(
        hits,
        pl.lit(True),
        column=label,
        value=pl.col("handelse_id"),
        extra=("__forsta",),
        message=lambda r: (
            f"handelse_id förekommer flera gånger i filen (första gången på rad {r['__forsta']})"
        ),
    )


def _preview(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.head(PREVIEW_ROWS).to_dicts()


def import_incidents(
    actor: Actor,
    organisation: Organisation,
    source: Source,
    *,
    file_name: str,
    mapping: ImportMapping | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
    lookups: Lookups | None = None,
) -> ImportOutcome:
    """Check a whole incident file and, unless it has errors or ``dry_run``, write it.

    Rows are matched on ``handelse_id`` within the organisation: new ids are added, known ids are
    overwritten (and their old values kept for undo). Never raises on a bad file: the outcome
    lists the problems and ``ok`` is False.
    """
    data = _read_bytes(source)
    # Hashed in a thread (hashlib releases the GIL) while the first slice is parsed.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="incident-hash") as hasher:
        digest = hasher.submit(lambda: hashlib.sha256(data).hexdigest())
        return _import(actor, organisation, data, digest, file_name, mapping, dry_run, progress, now, lookups)


def _import(
    actor: Actor,
    organisation: Organisation,
    data: bytes,
    digest: Future[str],
    file_name: str,
    mapping: ImportMapping | None,
    dry_run: bool,
    progress: Progress | None,
    now: datetime | None,
    lookups: Lookups | None,
) -> ImportOutcome:
    allowed = dict(organisation.municipalities.values_list("code", "name"))
    area = organisation_region(allowed)
    reader = FileReader(data, mapping=mapping, lookups=lookups, now=now)
    state: dict[str, Any] = {"info": None, "n_rows": 0, "n_incidents": 0, "preview": []}
    problems = Problems()

    def read_all(stage: Callable[[Any], None] | None = None, prepare: Prepare | None = None) -> None:
        seen = _SeenIds()
        done = 0
        for piece in reader.slices(prepare):
            result = piece.result
            problems.add_result(piece)
            labels = field_labels(reader.header, mapping)
            frame = result.batch.frame
            for found, count in (
                _municipality_check(frame, organisation, allowed, labels.get("kommun", "kommun")),
                _cross_slice_duplicates(frame, seen, labels.get("handelse_id", "handelse_id")),
            ):
                problems.add(found, count)
            if area is not None:
                found, count = outside_boundaries(frame, area, allowed, labels.get("x", "x"))
                problems.add(found, 0, count)
            if piece.first:
                state["info"] = result.info
                state["preview"] = _preview(frame)
            state["n_rows"] += result.n_rows
            state["n_incidents"] += frame.height
            if stage is not None and problems.n_errors == 0:
                stage(piece.prepared)
            done += result.n_rows
            if progress:
                progress(done, max(done, reader.total_lines))

    def outcome(**extra: Any) -> ImportOutcome:
        ok = problems.n_errors == 0
        return ImportOutcome(
            ok=ok,
            dry_run=dry_run,
            file_name=file_name,
            sha256=digest.result(),
            n_rows=state["n_rows"],
            n_incidents=state["n_incidents"] if ok else 0,
            n_errors=problems.n_errors,
            n_warnings=problems.n_warnings,
            problems=tuple(problems.first()),
            info=state["info"],
            preview=state["preview"],
            **extra,
        )

    if dry_run:
        read_all()
        return outcome()
    outermost = not transaction.get_connection().in_atomic_block
    writer: bulk.Writer | None = None
    try:
        with transaction.atomic():
            # One import at a time per organisation: the statistics copy is merged, not recomputed.
            Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
            had_rows = Incident.objects.filter(organisation=organisation).exists()
            # Read now: once the rows stream into PostgreSQL the connection is busy until apply().
            current = snapshot.read_bytes(organisation) if had_rows else None
            batch = ImportBatch.objects.create(
                organisation=organisation,
                file_name=file_name[:255],
                sha256="",  # known by _finish
                format="",
                imported_by=actor.user,
                imported_by_label=actor.label[:150],
                imported_at=timezone.now(),
            )
            active = bulk.writer(organisation.pk, batch.pk, direct=not had_rows, outermost=outermost)
            writer = active
            # The statistics copy is polars work and the writing is database work (SQLite's C code
            # or the PostgreSQL server): both release the GIL, so they run side by side.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="incident-snapshot") as encoder:
                copy = snapshot.Collector(encoder, current, had_rows=had_rows)

                def prepare(frame: pl.DataFrame, index: int, last: bool) -> bulk.Rows:
                    copy.add(frame, index, last)
                    return active.rows(frame)

                try:
                    read_all(active.stage, prepare)
                    if problems.n_errors:
                        raise _Rejected
                    written = _finish(actor, batch, active, copy.encoded(), outcome(), mapping)
                except BaseException:
                    active.abort()
                    raise
    except _Rejected:
        return outcome()
    finally:
        if writer is not None:
            writer.close()
    if progress:
        progress(state["n_rows"], state["n_rows"])
    return written


def _finish(
    actor: Actor,
    batch: ImportBatch,
    writer: bulk.Writer,
    encoded: Future[snapshot.Encoded | None],
    checked: ImportOutcome,
    mapping: ImportMapping | None,
) -> ImportOutcome:
    """Apply the staged rows, complete the batch record, audit, statistics copy, indicators."""
    organisation = batch.organisation
    created, updated = writer.apply()
    copy = encoded.result()
    info = checked.info
    batch.sha256 = checked.sha256
    batch.format = info.format if info else ""
    batch.encoding = (info.encoding or "") if info else ""
    batch.delimiter = (info.delimiter or "") if info else ""
    batch.mapping_name = mapping.name[:200] if mapping else ""
    batch.rows, batch.incidents, batch.warnings = checked.n_rows, checked.n_incidents, checked.n_warnings
    batch.warning_list = [p.to_dict() for p in checked.problems if not p.is_error]
    batch.created, batch.updated = created, updated
    batch.imported_at = timezone.now()
    batch.save()
    audit.record(
        actor,
        batch,
        Action.CREATE,
        {
            "file_name": [None, batch.file_name],
            "sha256": [None, batch.sha256],
            "incidents": [None, batch.incidents],
            "created": [None, created],
            "updated": [None, updated],
            "warnings": [None, batch.warnings],
        },
    )
    if copy is None:
        snapshot.rebuild(organisation)
    else:
        snapshot.store(organisation, copy)
    refresh_incident_indicators(actor, organisation)
    return dataclasses.replace(checked, created=created, updated=updated, batch=batch)


def latest_undoable(organisation: Organisation) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(organisation=organisation, undone_at__isnull=True).order_by("-id").first()
    )


@dataclass(frozen=True)
class UndoOutcome:
    batch: ImportBatch
    removed: int
    restored: int


@transaction.atomic
def undo_import(actor: Actor, batch: ImportBatch) -> UndoOutcome:
    """Undo a whole import: rows it added are removed, rows it changed get their old values back.

    Only the organisation's latest import that is not already undone can be undone; older ones
    would put back values a later import has since replaced.
    """
    organisation = batch.organisation
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    batch.refresh_from_db()
    if batch.is_undone:
        raise ValidationError(f"Import {batch.pk} ({batch.file_name}) är redan ångrad.")
    latest = latest_undoable(organisation)
    if latest is not None and latest.pk != batch.pk:
        raise ValidationError(
            f"Bara den senaste importen kan ångras. Ångra först import {latest.pk} ({latest.file_name}), "
            f"som gjordes efter import {batch.pk}."
        )
    removed, restored = bulk.undo_rows(organisation.pk, batch.pk)
    batch.undone_at = timezone.now()
    batch.undone_by = actor.user
    batch.undone_by_label = actor.label[:150]
    batch.save(update_fields=["undone_at", "undone_by", "undone_by_label"])
    audit.record(
        actor,
        batch,
        Action.UPDATE,
        {
            "undone_at": [None, batch.undone_at.isoformat()],
            "removed": [None, removed - restored],
            "restored": [None, restored],
        },
    )
    snapshot.rebuild(organisation)
    refresh_incident_indicators(actor, organisation)
    return UndoOutcome(batch=batch, removed=removed - restored, restored=restored)
