"""The statistics copy of an organisation's incidents (``IncidentSnapshot``), kept in step.

Every import merges its rows into the copy in the same transaction (rows with the same id are
replaced, as the upsert replaces them in the table); undo rebuilds the copy from the table. A
missing copy (a fresh database, an older installation) is rebuilt on first read.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from django.db import transaction
from django.utils import timezone

from lsoplan.accounts.models import Organisation
from lsoplan.incidents.bulk import READ_COLUMNS, read_incidents
from lsoplan.incidents.models import IncidentSnapshot
from lsoplan.lib.incidents import SCHEMA

COLUMNS = tuple(READ_COLUMNS)


def _encode(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    # zstd level 1: for a million rows about 13 MiB in half a second; higher levels or sorting
    # first save a few MiB and cost more time than they save when reading.
    frame.write_parquet(buffer, compression="zstd", compression_level=1)
    return buffer.getvalue()


@dataclass(frozen=True)
class Encoded:
    """A copy ready to store: its row count and its Parquet bytes."""

    rows: int
    data: bytes


def encode(frame: pl.DataFrame) -> Encoded:
    frame = frame.select(COLUMNS)
    return Encoded(frame.height, _encode(frame))


def store(organisation: Organisation, copy: Encoded) -> None:
    IncidentSnapshot.objects.update_or_create(
        organisation=organisation,
        defaults={"rows": copy.rows, "data": copy.data, "written_at": timezone.now()},
    )


def write(organisation: Organisation, frame: pl.DataFrame) -> None:
    store(organisation, encode(frame))


def read_bytes(organisation: Organisation) -> bytes | None:
    data = IncidentSnapshot.objects.filter(organisation=organisation).values_list("data", flat=True).first()
    return None if data is None else bytes(data)


def _decode(data: bytes, columns: Sequence[str] | None = None) -> pl.DataFrame:
    return pl.read_parquet(io.BytesIO(data), columns=list(columns) if columns else None)


def read(organisation: Organisation, columns: Sequence[str] | None = None) -> pl.DataFrame | None:
    """The copy, or None when there is none; ``columns`` reads only those (Parquet is columnar)."""
    data = read_bytes(organisation)
    return None if data is None else _decode(data, columns)


@transaction.atomic
def rebuild(organisation: Organisation) -> pl.DataFrame:
    frame = read_incidents(organisation.pk)
    write(organisation, frame)
    return frame


def _merged(current: pl.DataFrame, batch_frame: pl.DataFrame) -> pl.DataFrame:
    """The copy after an upsert of ``batch_frame``: rows with the same id replaced."""
    new = batch_frame.select(COLUMNS)
    kept = current.join(new.select("handelse_id"), on="handelse_id", how="anti")
    return pl.concat([kept, new.cast(kept.schema)], how="vertical")


def encode_merged(current: bytes | None, frames: Sequence[pl.DataFrame], *, had_rows: bool) -> Encoded | None:
    """The copy after an import of ``frames`` (its slices), encoded; no Django, so it can run in a
    thread beside the database work. None: the organisation had rows but no copy (rebuild it)."""
    frame = pl.concat(frames) if frames else pl.DataFrame(schema=SCHEMA).select(COLUMNS)
    if not had_rows:
        return encode(frame)
    if current is None:
        return None
    return encode(_merged(_decode(current), frame))


def frame_for(organisation: Organisation, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """The organisation's incidents for statistics, from the copy (rebuilt if missing)."""
    frame = read(organisation, columns)
    if frame is None:
        frame = rebuild(organisation)
        return frame.select(columns) if columns else frame
    return frame
