"""The statistics copy of an organisation's incidents (``IncidentSnapshot``), kept in step.

Every import merges its rows into the copy in the same transaction (rows with the same id are
replaced, as the upsert replaces them in the table); undo rebuilds the copy from the table. A
missing copy (a fresh database, an older installation) is rebuilt on first read.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from django.db import connection, transaction
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
    """A copy ready to store: its row count, its latest alarm and its Parquet bytes."""

    rows: int
    data: bytes
    latest_alarm: datetime | None = None


def encode(frame: pl.DataFrame) -> Encoded:
    frame = frame.select(COLUMNS)
    latest = frame.get_column("larm_tid").max() if frame.height else None
    return Encoded(frame.height, _encode(frame), latest if isinstance(latest, datetime) else None)


def _binary_cursor() -> Any:
    """A psycopg cursor on Django's PostgreSQL connection (same transaction) that binds on the
    server, so bytes go both ways as binary. Django's own cursors bind in the client, as text:
    13 MiB of Parquet became 26 MiB of hex for the server to parse, and back (0.4 s each way)."""
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def store(organisation: Organisation, copy: Encoded) -> None:
    binary = connection.vendor == "postgresql"
    row, _ = IncidentSnapshot.objects.update_or_create(
        organisation=organisation,
        defaults={
            "rows": copy.rows,
            "data": b"" if binary else copy.data,
            "latest_alarm": copy.latest_alarm,
            "written_at": timezone.now(),
        },
    )
    if binary:
        with _binary_cursor() as cur:
            cur.execute(
                f"UPDATE {IncidentSnapshot._meta.db_table} SET data = %b WHERE id = %s", (copy.data, row.pk)
            )


def write(organisation: Organisation, frame: pl.DataFrame) -> None:
    store(organisation, encode(frame))


def read_bytes(organisation: Organisation) -> bytes | None:
    if connection.vendor == "postgresql":
        with _binary_cursor() as cur:
            sql = f"SELECT data FROM {IncidentSnapshot._meta.db_table} WHERE organisation_id = %s"
            cur.execute(sql, (organisation.pk,), binary=True)
            found = cur.fetchone()
        return None if found is None else bytes(found[0])
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


class Collector:
    """Gathers an import's rows for the copy while the reader parses them (in its threads, in any
    order) and starts encoding the copy in ``pool`` once every slice is in: the copy is then
    encoded while the last rows are still being written."""

    def __init__(self, pool: Executor, current: bytes | None, *, had_rows: bool) -> None:
        self._pool, self._current, self._had_rows = pool, current, had_rows
        self._lock = threading.Lock()
        self._frames: dict[int, pl.DataFrame] = {}
        self._total: int | None = None
        self._encoded: Future[Encoded | None] | None = None

    def add(self, frame: pl.DataFrame, index: int, last: bool) -> None:
        with self._lock:
            self._frames[index] = frame.select(COLUMNS)
            if last:
                self._total = index + 1
            if self._encoded is None and len(self._frames) == self._total:
                self._encoded = self._submit()

    def _submit(self) -> Future[Encoded | None]:
        frames = [self._frames[i] for i in sorted(self._frames)]
        return self._pool.submit(encode_merged, self._current, frames, had_rows=self._had_rows)

    def encoded(self) -> Future[Encoded | None]:
        """The copy being encoded (started now if the reader never said it had read everything)."""
        with self._lock:
            if self._encoded is None:
                self._encoded = self._submit()
            return self._encoded


def frame_for(organisation: Organisation, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """The organisation's incidents for statistics, from the copy (rebuilt if missing)."""
    data = read_bytes(organisation)
    # A copy written before a column joined COLUMNS (the coordinates did) lacks it: rebuild once.
    if data is None or not set(columns or COLUMNS) <= set(pl.read_parquet_schema(io.BytesIO(data))):
        frame = rebuild(organisation)
        return frame.select(columns) if columns else frame
    return _decode(data, columns)
