"""The statistics copy of an organisation's incidents (``IncidentSnapshot``), kept in step.

Every import merges its rows into the copy in the same transaction (rows with the same id are
replaced, as the upsert replaces them in the table); undo rebuilds the copy from the table. A
missing copy (a fresh database, an older installation) is rebuilt on first read.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import polars as pl
from django.db import transaction
from django.utils import timezone

from lsoplan.accounts.models import Organisation
from lsoplan.incidents.bulk import READ_COLUMNS, read_incidents
from lsoplan.incidents.models import IncidentSnapshot

COLUMNS = tuple(READ_COLUMNS)


def _encode(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    # zstd level 1: for a million rows about 13 MiB in half a second; higher levels or sorting
    # first save a few MiB and cost more time than they save when reading.
    frame.write_parquet(buffer, compression="zstd", compression_level=1)
    return buffer.getvalue()


def write(organisation: Organisation, frame: pl.DataFrame) -> None:
    frame = frame.select(COLUMNS)
    IncidentSnapshot.objects.update_or_create(
        organisation=organisation,
        defaults={"rows": frame.height, "data": _encode(frame), "written_at": timezone.now()},
    )


def read(organisation: Organisation, columns: Sequence[str] | None = None) -> pl.DataFrame | None:
    """The copy, or None when there is none; ``columns`` reads only those (Parquet is columnar)."""
    data = IncidentSnapshot.objects.filter(organisation=organisation).values_list("data", flat=True).first()
    if data is None:
        return None
    return pl.read_parquet(io.BytesIO(data), columns=list(columns) if columns else None)


@transaction.atomic
def rebuild(organisation: Organisation) -> pl.DataFrame:
    frame = read_incidents(organisation.pk)
    write(organisation, frame)
    return frame


def merged(organisation: Organisation, batch_frame: pl.DataFrame) -> pl.DataFrame | None:
    """The copy after an upsert of ``batch_frame``; None when there is no copy to merge into."""
    current = read(organisation)
    if current is None:
        return None
    new = batch_frame.select(COLUMNS)
    kept = current.join(new.select("handelse_id"), on="handelse_id", how="anti")
    return pl.concat([kept, new.cast(kept.schema)], how="vertical")


def frame_for(organisation: Organisation, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """The organisation's incidents for statistics, from the copy (rebuilt if missing)."""
    frame = read(organisation, columns)
    if frame is None:
        frame = rebuild(organisation)
        return frame.select(columns) if columns else frame
    return frame
