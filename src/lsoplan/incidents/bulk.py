"""The bulk path: incidents written and read with set-based SQL, never one ORM object per row.

An import loads its rows into a temporary staging table (SQLite: ``executemany`` on the raw
connection; PostgreSQL: ``COPY … FROM STDIN``), then changes the real table with three statements:
save the rows about to be overwritten (for undo), upsert on (organisation, source_id), drop the
staging table. The first import into an organisation has nothing to overwrite: PostgreSQL then
copies straight into the incident table and SQLite inserts from the stage without the upsert.
Everything runs on Django's own connection inside the caller's transaction, so an error anywhere
leaves the database as it was.

Times are written in exactly the form Django writes them, so the ORM reads these rows like any
other: SQLite stores naive UTC text (``str(datetime)``: no fraction when it is zero), PostgreSQL
gets explicit ``+00`` instants.
"""

from __future__ import annotations

import io
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
)
_TIMES = {"alarm_at": "larm_tid", "arrived_at": "framme_tid", "ended_at": "avslutad_tid"}
_TEXTS = {"area": "omrade", "building_type": "byggnadstyp", "fire_cause": "brandorsak"}
_STAGE_TYPES = {
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
}
SQLITE_ROWS_PER_CALL = 50_000


def db_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """A batch frame (lib SCHEMA) with the database's column names; empty texts as "" (Django's
    convention for blank CharFields), times still as UTC datetimes."""
    return frame.select(
        pl.col("handelse_id").alias("source_id"),
        pl.col("kommun").alias("municipality_id"),
        pl.col("handelsetyp").cast(pl.Int32).alias("event_type_id"),
        *[pl.col(src).alias(dst) for dst, src in _TIMES.items()],
        *[pl.col(src).fill_null("").alias(dst) for dst, src in _TEXTS.items()],
        pl.col("omkomna").alias("dead"),
        pl.col("skadade").alias("injured"),
        pl.col("x"),
        pl.col("y"),
    )


def _sqlite_time(name: str) -> pl.Expr:
    """Django's SQLite text for an aware time: naive UTC, the fraction only when it is not zero."""
    naive = pl.col(name).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    return naive.dt.strftime("%Y-%m-%d %H:%M:%S%.6f").str.strip_suffix(".000000").alias(name)


class Writer(Protocol):
    def stage(self, frame: pl.DataFrame) -> None: ...

    def apply(self) -> tuple[int, int]: ...


def _columns(prefix: str = "") -> str:
    return ", ".join(f"{prefix}{c}" for c in DATA_COLUMNS)


def _insert_sql(p: str) -> str:
    columns = _columns()
    target = f"{TABLE} (organisation_id, batch_id, {columns})"
    return f"INSERT INTO {target} SELECT {p}, {p}, {columns} FROM {STAGE}"


def _upsert_sql(p: str) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in (*DATA_COLUMNS[1:], "batch_id"))
    # "WHERE true": SQLite needs it to tell the upsert clause from a join constraint.
    return f"{_insert_sql(p)} WHERE true ON CONFLICT (organisation_id, source_id) DO UPDATE SET {updates}"


def _save_previous_sql(p: str) -> str:
    return (
        f"INSERT INTO {PREVIOUS} (organisation_id, batch_id, incident_id, previous_batch_id, {_columns()}) "
        f"SELECT i.organisation_id, {p}, i.id, i.batch_id, {_columns('i.')} "
        f"FROM {TABLE} i JOIN {STAGE} s ON s.source_id = i.source_id WHERE i.organisation_id = {p}"
    )


class _Base:
    """Writes one import. ``direct``: the organisation has no incidents yet, so there is nothing
    to save for undo and nothing to update, and a plain insert will do; otherwise the rows are
    staged and applied with one upsert. ``staged_in_table``: whether a direct import writes
    straight into the incident table (PostgreSQL's COPY does; SQLite inserts faster from a
    staging table in one statement than row by row into an indexed table, as measured)."""

    placeholder = "%s"
    staged_in_table = False

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

    def apply(self) -> tuple[int, int]:
        """Save the rows about to change, upsert, drop the stage; (created, updated)."""
        p = self.placeholder
        if self.direct and self.staged_in_table:
            return self.staged, 0
        if self.direct:  # staged anyway (SQLite): a plain insert, no conflicts possible
            self._execute(_insert_sql(p), (self.organisation_id, self.batch_id))
            self._execute(f"DROP TABLE {STAGE}")
            return self.staged, 0
        self.prepare_join()
        updated = self._execute(_save_previous_sql(p), (self.batch_id, self.organisation_id))
        self._execute(_upsert_sql(p), (self.organisation_id, self.batch_id))
        self._execute(f"DROP TABLE {STAGE}")
        return self.staged - updated, updated


class SQLiteWriter(_Base):
    placeholder = "?"

    def _create_stage(self) -> None:
        columns = ", ".join(f"{c} {t.format(time='text')}" for c, t in _STAGE_TYPES.items())
        self._execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
        self._execute(f"CREATE TEMP TABLE {STAGE} ({columns})")

    def stage(self, frame: pl.DataFrame) -> None:
        rows = db_frame(frame).with_columns(_sqlite_time(c) for c in _TIMES)
        sql = f"INSERT INTO {self._target()} VALUES ({', '.join('?' * len(DATA_COLUMNS))})"
        cur = self.raw.cursor()
        try:
            for offset in range(0, rows.height, SQLITE_ROWS_PER_CALL):
                part = rows.slice(offset, SQLITE_ROWS_PER_CALL)
                # Column lists zipped into tuples are several times faster than DataFrame.rows().
                cur.executemany(sql, zip(*(s.to_list() for s in part.iter_columns()), strict=True))
        finally:
            cur.close()
        self.staged += rows.height


class PostgresWriter(_Base):
    staged_in_table = True

    def _create_stage(self) -> None:
        columns = ", ".join(f"{c} {t.format(time='timestamptz')}" for c, t in _STAGE_TYPES.items())
        self._execute(f"DROP TABLE IF EXISTS pg_temp.{STAGE}")
        self._execute(f"CREATE TEMP TABLE {STAGE} ({columns}) ON COMMIT DROP")

    def stage(self, frame: pl.DataFrame) -> None:
        rows = db_frame(frame)
        if self.direct and self.staged_in_table:
            rows = rows.select(
                pl.lit(self.organisation_id).alias("organisation_id"),
                pl.lit(self.batch_id).alias("batch_id"),
                pl.all(),
            )
        buffer = io.BytesIO()
        # Empty texts are written quoted ("") and so stay empty strings; nulls are bare and so NULL.
        rows.write_csv(
            buffer, include_header=False, null_value="", datetime_format="%Y-%m-%d %H:%M:%S%.6f+00"
        )
        cur = self.raw.cursor()
        try:
            with cur.copy(f"COPY {self._target()} FROM STDIN (FORMAT csv)") as copy:
                copy.write(buffer.getbuffer())
        finally:
            cur.close()
        self.staged += frame.height

    def prepare_join(self) -> None:
        # A temporary table has no statistics until analysed; without them the join plans badly.
        self._execute(f"ANALYZE {STAGE}")


def writer(organisation_id: int, batch_id: int, *, direct: bool) -> Writer:
    if connection.vendor == "postgresql":
        return PostgresWriter(organisation_id, batch_id, direct=direct)
    if connection.vendor == "sqlite":
        return SQLiteWriter(organisation_id, batch_id, direct=direct)
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
}
_READ_TYPES: dict[str, pl.DataType] = {
    "handelse_id": pl.String(),
    "kommun": pl.String(),
    "handelsetyp": pl.Int16(),
    "omrade": pl.String(),
    "byggnadstyp": pl.String(),
    "omkomna": pl.Int32(),
    "skadade": pl.Int32(),
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
