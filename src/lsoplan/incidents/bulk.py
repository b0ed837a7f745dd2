"""The bulk path: incidents written and read with set-based SQL, never one ORM object per row.

An import loads its rows into a staging table (SQLite: a separate file written through ADBC and
ATTACHed, or a temporary table filled with ``executemany``, see ``bulk_sqlite``; PostgreSQL: one
``COPY … FROM STDIN`` kept open for the whole file), then changes the real table with two
statements: save the rows about to be overwritten (for undo) and upsert on (organisation,
source_id). The first import into an organisation has nothing to overwrite: PostgreSQL then copies
straight into the incident table and SQLite inserts from the stage without the upsert. The
incident table is only ever changed on Django's own connection inside the caller's transaction,
so an error anywhere leaves the database as it was.

Times are written in exactly the form Django writes them, so the ORM reads these rows like any
other: SQLite stores naive UTC text (``str(datetime)``: no fraction when it is zero), PostgreSQL
gets explicit ``+00`` instants.
"""

from __future__ import annotations

import contextlib
import io
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl
from django.db import connection

TABLE = "incidents_incident"
PREVIOUS = "incidents_incidentprevious"
STAGE = "incidents_stage"
# Columns every path writes, in this order: staging table, incident table and saved copies.
DATA_COLUMNS = (
    "source_id",
    "municipality_id",
    "event_type_id",
    "alarm_at",
    "arrived_at",
    "ended_at",
    "area",
    "building_type",
    "fire_cause",
    "dead",
    "injured",
    "x",
    "y",
    "source_x",
    "source_y",
    "source_epsg",
)
TIME_COLUMNS = {"alarm_at": "larm_tid", "arrived_at": "framme_tid", "ended_at": "avslutad_tid"}
_TEXTS = {"area": "omrade", "building_type": "byggnadstyp", "fire_cause": "brandorsak"}
STAGE_TYPES = {
    "source_id": "varchar(64)",
    "municipality_id": "varchar(4)",
    "event_type_id": "integer",
    "alarm_at": "{time}",
    "arrived_at": "{time}",
    "ended_at": "{time}",
    "area": "varchar(200)",
    "building_type": "varchar(200)",
    "fire_cause": "varchar(200)",
    "dead": "integer",
    "injured": "integer",
    "x": "double precision",
    "y": "double precision",
    "source_x": "double precision",
    "source_y": "double precision",
    "source_epsg": "integer",
}


def db_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """A batch frame (lib SCHEMA) with the database's column names; empty texts as "" (Django's
    convention for blank CharFields), times still as UTC datetimes."""
    return frame.select(
        pl.col("handelse_id").alias("source_id"),
        pl.col("kommun").alias("municipality_id"),
        pl.col("handelsetyp").cast(pl.Int32).alias("event_type_id"),
        *[pl.col(src).alias(dst) for dst, src in TIME_COLUMNS.items()],
        *[pl.col(src).fill_null("").alias(dst) for dst, src in _TEXTS.items()],
        pl.col("omkomna").alias("dead"),
        pl.col("skadade").alias("injured"),
        pl.col("x"),
        pl.col("y"),
        pl.col("x_kalla").alias("source_x"),
        pl.col("y_kalla").alias("source_y"),
        pl.col("kalla_epsg").alias("source_epsg"),
    )


def sqlite_time(name: str, *, fractions: bool = True) -> pl.Expr:
    """Django's SQLite text for an aware time: naive UTC, the fraction only when it is not zero.

    ``fractions=False``: the caller knows no value has one, and the plain format is a third faster.
    """
    naive = pl.col(name).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    if not fractions:
        return naive.dt.strftime("%Y-%m-%d %H:%M:%S").alias(name)
    return naive.dt.strftime("%Y-%m-%d %H:%M:%S%.6f").str.strip_suffix(".000000").alias(name)


def has_fractions(frame: pl.DataFrame, name: str) -> bool:
    """Whether any time in column ``name`` has a fraction of a second."""
    return bool(frame.select((pl.col(name).dt.microsecond() != 0).any()).item())


@dataclass(frozen=True)
class Rows:
    """A slice made ready for one writer by ``Writer.rows``: what ``stage`` sends, and its size."""

    data: Any
    count: int


class Writer(Protocol):
    def rows(self, frame: pl.DataFrame) -> Rows:
        """``frame`` (a batch frame) as ``stage`` takes it. Only polars work, no database: the
        reader calls it in its parsing threads, so the conversion runs beside the writing."""
        ...

    def stage(self, rows: Rows) -> None: ...

    def apply(self) -> tuple[int, int]: ...

    def abort(self) -> None: ...

    def close(self) -> None: ...


def _columns(prefix: str = "") -> str:
    return ", ".join(f"{prefix}{c}" for c in DATA_COLUMNS)


def _insert_sql(p: str, stage: str) -> str:
    columns = _columns()
    target = f"{TABLE} (organisation_id, batch_id, {columns})"
    return f"INSERT INTO {target} SELECT {p}, {p}, {columns} FROM {stage}"


def _upsert_sql(p: str, stage: str) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in (*DATA_COLUMNS[1:], "batch_id"))
    # "WHERE true": SQLite needs it to tell the upsert clause from a join constraint.
    return (
        f"{_insert_sql(p, stage)} WHERE true ON CONFLICT (organisation_id, source_id) DO UPDATE SET {updates}"
    )


def _update_sql(p: str, stage: str) -> str:
    """Every staged row whose id the organisation has: overwritten in one hash join."""
    sets = ", ".join(f"{c} = s.{c}" for c in DATA_COLUMNS[1:])
    return (
        f"UPDATE {TABLE} i SET {sets}, batch_id = {p} FROM {stage} s "
        f"WHERE i.organisation_id = {p} AND i.source_id = s.source_id"
    )


def _insert_new_sql(p: str, stage: str) -> str:
    """The staged rows whose id the organisation does not have yet."""
    return (
        f"{_insert_sql(p, stage)} s WHERE NOT EXISTS "
        f"(SELECT 1 FROM {TABLE} i WHERE i.organisation_id = {p} AND i.source_id = s.source_id)"
    )


def _save_previous_sql(p: str, stage: str) -> str:
    return (
        f"INSERT INTO {PREVIOUS} (organisation_id, batch_id, incident_id, previous_batch_id, {_columns()}) "
        f"SELECT i.organisation_id, {p}, i.id, i.batch_id, {_columns('i.')} "
        f"FROM {TABLE} i JOIN {stage} s ON s.source_id = i.source_id WHERE i.organisation_id = {p}"
    )


class Base:
    """Writes one import. ``direct``: the organisation has no incidents yet, so there is nothing
    to save for undo and nothing to update, and a plain insert will do; otherwise the rows are
    staged and applied with one upsert. ``staged_in_table``: whether a direct import writes
    straight into the incident table (PostgreSQL's COPY does; SQLite inserts faster from a
    staging table in one statement than row by row into an indexed table, as measured).

    The caller calls ``stage`` per slice and ``apply`` once, inside its transaction; ``abort``
    (also inside it) when anything failed; ``close`` after the transaction, whatever happened.
    """

    placeholder = "%s"
    staged_in_table = False
    # Apply a re-import as UPDATE … FROM and an INSERT of the new ids, instead of one upsert. In
    # PostgreSQL the upsert tries to insert each row before it finds the conflict; the join
    # update is 2–3 times faster there (docs/incidents-benchmark.md). SQLite looks each row up by
    # the unique key either way and keeps the upsert.
    update_then_insert = False
    stage_table = STAGE

    def __init__(self, organisation_id: int, batch_id: int, *, direct: bool) -> None:
        connection.ensure_connection()
        self.raw: Any = connection.connection
        self.organisation_id = int(organisation_id)
        self.batch_id = int(batch_id)
        self.direct = direct
        self.staged = 0
        if not (direct and self.staged_in_table):
            self._create_stage()

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        cur = self.raw.cursor()
        try:
            cur.execute(sql, params)
            return int(cur.rowcount)
        finally:
            cur.close()

    def _create_stage(self) -> None:
        raise NotImplementedError

    def _target(self) -> str:
        """Where stage() writes: the incident table (with its two constant columns) or the stage."""
        if self.direct and self.staged_in_table:
            return f"{TABLE} (organisation_id, batch_id, {_columns()})"
        return f"{STAGE} ({_columns()})"

    def prepare_join(self) -> None:
        """Called before the stage is joined with the incident table."""

    def drop_stage(self) -> None:
        self._execute(f"DROP TABLE {self.stage_table}")

    def apply_from(self, stage: str, staged: int) -> tuple[int, int]:
        """Apply the ``staged`` rows of ``stage``: save the rows about to change, then insert or
        upsert; (created, updated)."""
        p = self.placeholder
        if self.direct:  # nothing to overwrite: a plain insert, no conflicts possible
            self._execute(_insert_sql(p, stage), (self.organisation_id, self.batch_id))
            return staged, 0
        self.prepare_join()
        updated = self._execute(_save_previous_sql(p, stage), (self.batch_id, self.organisation_id))
        if self.update_then_insert:
            self._execute(_update_sql(p, stage), (self.batch_id, self.organisation_id))
            created = self._execute(
                _insert_new_sql(p, stage), (self.organisation_id, self.batch_id, self.organisation_id)
            )
            return created, updated
        self._execute(_upsert_sql(p, stage), (self.organisation_id, self.batch_id))
        return staged - updated, updated

    def apply(self) -> tuple[int, int]:
        """Apply everything staged and drop the stage; (created, updated)."""
        if self.direct and self.staged_in_table:
            return self.staged, 0
        result = self.apply_from(self.stage_table, self.staged)
        self.drop_stage()
        return result

    def abort(self) -> None:
        """End whatever is still open on the connection so that the transaction can roll back."""

    def close(self) -> None:
        """Release what the writer holds outside the database (after the transaction)."""


class _CopyAborted(Exception):
    """Given to an open COPY when the import stops: PostgreSQL is told to discard it."""


class PostgresWriter(Base):
    """One ``COPY … FROM STDIN`` stays open for the whole import and every slice is appended to it.

    A sender thread writes each slice to the connection while this process parses the next, so
    the server checks, stores and indexes one slice while the next is parsed: the two run on
    different cores instead of taking turns, which is what a COPY per slice did. At most one slice
    is in flight (psycopg's queued writer buffered the whole file, 2.6 GiB for a million rows).
    """

    staged_in_table = True
    update_then_insert = True

    def __init__(self, organisation_id: int, batch_id: int, *, direct: bool) -> None:
        super().__init__(organisation_id, batch_id, direct=direct)
        self._cursor: Any = None
        self._copy_cm: Any = None
        self._copy: Any = None
        self._sender: ThreadPoolExecutor | None = None
        self._sending: Future[None] | None = None
        # Only the wait at commit for the WAL to reach the disk; a crash in that moment loses the
        # import as a whole (it can be run again), never a part of it.
        self._execute("SET LOCAL synchronous_commit = off")

    def _create_stage(self) -> None:
        columns = ", ".join(f"{c} {t.format(time='timestamptz')}" for c, t in STAGE_TYPES.items())
        self._execute(f"DROP TABLE IF EXISTS pg_temp.{STAGE}")
        self._execute(f"CREATE TEMP TABLE {STAGE} ({columns}) ON COMMIT DROP")

    def _open(self) -> None:
        self._cursor = self.raw.cursor()
        self._copy_cm = self._cursor.copy(f"COPY {self._target()} FROM STDIN (FORMAT csv)")
        self._copy = self._copy_cm.__enter__()
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="incident-copy")

    def _wait_sent(self) -> None:
        sending, self._sending = self._sending, None
        if sending is not None:
            sending.result()

    def _end(self, error: BaseException | None = None) -> None:
        if self._copy_cm is None:
            return
        cm, cursor, sender = self._copy_cm, self._cursor, self._sender
        self._copy_cm = self._copy = self._cursor = self._sender = None
        try:
            if sender is not None:
                sending, self._sending = self._sending, None
                sender.shutdown(wait=True)
                if sending is not None and error is None:
                    sending.result()
            if error is None:
                cm.__exit__(None, None, None)
            else:
                cm.__exit__(type(error), error, None)
        finally:
            cursor.close()

    def rows(self, frame: pl.DataFrame) -> Rows:
        table = db_frame(frame)
        if self.direct and self.staged_in_table:
            table = table.select(
                pl.lit(self.organisation_id).alias("organisation_id"),
                pl.lit(self.batch_id).alias("batch_id"),
                pl.all(),
            )
        buffer = io.BytesIO()
        # Empty texts are written quoted ("") and so stay empty strings; nulls are bare and so NULL.
        table.write_csv(
            buffer, include_header=False, null_value="", datetime_format="%Y-%m-%d %H:%M:%S%.6f+00"
        )
        return Rows(buffer.getvalue(), frame.height)

    def stage(self, rows: Rows) -> None:
        if self._copy is None:
            self._open()
        self._wait_sent()
        assert self._sender is not None
        self._sending = self._sender.submit(self._copy.write, rows.data)
        self.staged += rows.count

    def apply(self) -> tuple[int, int]:
        self._end()
        return super().apply()

    def abort(self) -> None:
        # The server answers the cancelled COPY with an error; the rollback follows anyway.
        with contextlib.suppress(Exception):
            self._end(_CopyAborted("importen avbröts"))

    def prepare_join(self) -> None:
        # A temporary table has no statistics until analysed; without them the join plans badly.
        self._execute(f"ANALYZE {STAGE}")
        # The joins hash a million ids: in memory for this transaction only, not in batches on disk.
        self._execute("SET LOCAL work_mem = '128MB'")


def writer(organisation_id: int, batch_id: int, *, direct: bool, outermost: bool = True) -> Writer:
    """The writer for this database. ``outermost``: the import's transaction is not nested in
    another one, so SQLite may stage in a separate file (see ``bulk_sqlite``)."""
    if connection.vendor == "postgresql":
        return PostgresWriter(organisation_id, batch_id, direct=direct)
    if connection.vendor == "sqlite":
        from lsoplan.incidents import bulk_sqlite

        return bulk_sqlite.sqlite_writer(organisation_id, batch_id, direct=direct, outermost=outermost)
    raise NotImplementedError(f"databasen {connection.vendor} stöds inte för import av händelser")


def undo_rows(organisation_id: int, batch_id: int) -> tuple[int, int]:
    """Remove what ``batch_id`` wrote and put back what it overwrote; (removed, restored)."""
    with connection.cursor() as cur:
        cur.execute(
            f"DELETE FROM {TABLE} WHERE organisation_id = %s AND batch_id = %s", (organisation_id, batch_id)
        )
        removed = cur.rowcount
        cur.execute(
            f"INSERT INTO {TABLE} (id, organisation_id, batch_id, {_columns()}) "
            f"SELECT incident_id, organisation_id, previous_batch_id, {_columns()} FROM {PREVIOUS} "
            "WHERE batch_id = %s",
            (batch_id,),
        )
        restored = cur.rowcount
        cur.execute(f"DELETE FROM {PREVIOUS} WHERE batch_id = %s", (batch_id,))
    return removed, restored


# --- reading back -----------------------------------------------------------------------------

# What the statistics need; lib field names, so the lib's functions take the frame as it is.
READ_COLUMNS = {
    "handelse_id": "source_id",
    "kommun": "municipality_id",
    "handelsetyp": "event_type_id",
    "larm_tid": "alarm_at",
    "framme_tid": "arrived_at",
    "omrade": "area",
    "byggnadstyp": "building_type",
    "omkomna": "dead",
    "skadade": "injured",
    "x": "x",
    "y": "y",
    "x_kalla": "source_x",
    "y_kalla": "source_y",
    "kalla_epsg": "source_epsg",
}
_READ_TYPES: dict[str, pl.DataType] = {
    "handelse_id": pl.String(),
    "kommun": pl.String(),
    "handelsetyp": pl.Int16(),
    "omrade": pl.String(),
    "byggnadstyp": pl.String(),
    "omkomna": pl.Int32(),
    "skadade": pl.Int32(),
    "x": pl.Float64(),
    "y": pl.Float64(),
    "x_kalla": pl.Float64(),
    "y_kalla": pl.Float64(),
    "kalla_epsg": pl.Int32(),
}
UTC_US = pl.Datetime("us", "UTC")


def read_incidents(organisation_id: int) -> pl.DataFrame:
    """The organisation's incidents (the columns in READ_COLUMNS) straight from the table.

    PostgreSQL streams them with ``COPY … TO STDOUT`` (times as integer microseconds since 1970,
    exact); SQLite returns Django's time text, which polars parses.
    """
    names = list(READ_COLUMNS)
    if connection.vendor == "postgresql":
        select = ", ".join(
            f"(extract(epoch from {c}) * 1000000)::bigint" if f in ("larm_tid", "framme_tid") else c
            for f, c in READ_COLUMNS.items()
        )
        connection.ensure_connection()
        raw: Any = connection.connection
        buffer = io.BytesIO()
        with raw.cursor() as cur:
            query = f"SELECT {select} FROM {TABLE} WHERE organisation_id = {int(organisation_id)}"
            sql = f"COPY ({query}) TO STDOUT (FORMAT csv)"
            with cur.copy(sql) as copy:
                for block in copy:
                    buffer.write(block)
        schema = {n: _READ_TYPES.get(n, pl.Int64()) for n in names}
        frame = pl.read_csv(buffer.getvalue(), has_header=False, new_columns=names, schema=schema)
        times = [pl.col(n).cast(UTC_US) for n in ("larm_tid", "framme_tid")]
        return frame.with_columns(*times)
    # CAST: Django registers converters for columns declared "datetime", which would turn each
    # value into a Python datetime (seconds for a million rows); the text is parsed in bulk below.
    select = ", ".join(
        f"CAST({c} AS TEXT)" if f in ("larm_tid", "framme_tid") else c for f, c in READ_COLUMNS.items()
    )
    with connection.cursor() as cur:
        cur.execute(f"SELECT {select} FROM {TABLE} WHERE organisation_id = %s", (organisation_id,))
        rows = cur.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    data = {
        n: pl.Series(n, list(col), dtype=_READ_TYPES.get(n, pl.String()))
        for n, col in zip(names, columns, strict=True)
    }
    frame = pl.DataFrame(data)
    fmt = "%Y-%m-%d %H:%M:%S%.f"
    return frame.with_columns(
        pl.col(n).str.to_datetime(fmt, time_zone="UTC", time_unit="us") for n in ("larm_tid", "framme_tid")
    )
