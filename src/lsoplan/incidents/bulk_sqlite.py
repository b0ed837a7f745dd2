"""Staging an import's rows for SQLite: through ADBC into a separate file, or ``executemany``.

Python's ``sqlite3`` binds every value of every row in Python: for a million rows that is about
three seconds before SQLite does any work, plus a second to turn the columns into Python objects.
The ADBC SQLite driver takes the Arrow columns polars already has and binds them in C, in under a
second. It is its own SQLite library with its own connection, so it cannot write inside Django's
transaction; it writes a throwaway staging file instead, which Django's connection then ATTACHes
and reads with the same ``INSERT … SELECT`` (or upsert) as before. The incident table is therefore
still changed only by Django's connection, in the caller's transaction: an import killed or
rejected half-way leaves nothing in the database (at most a stray file in the temp directory,
removed by ``close`` in every normal and failed run).

A database can only be DETACHed when no transaction is open, so the file route needs the import's
transaction to be the outermost one (the command and the upload page). Inside another transaction
(the demo loader, tests) and where the driver is not installed, rows go through ``executemany`` on
Django's connection into a temporary table, which is slower but needs nothing else.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from typing import Any

import polars as pl

from lsoplan.incidents.bulk import (
    DATA_COLUMNS,
    STAGE,
    STAGE_TYPES,
    TIME_COLUMNS,
    Base,
    Writer,
    db_frame,
    sqlite_time,
)

SQLITE_ROWS_PER_CALL = 50_000
ALIAS = "lsoplan_stage"
# Staging files per import: SQLite attaches at most 10 databases to a connection by default.
MAX_PARTS = 8


def _stage_columns() -> str:
    return ", ".join(f"{c} {t.format(time='text')}" for c, t in STAGE_TYPES.items())


def _sqlite_rows(frame: pl.DataFrame) -> pl.DataFrame:
    return db_frame(frame).with_columns(sqlite_time(c) for c in TIME_COLUMNS)


class SQLiteWriter(Base):
    """``executemany`` into a temporary table on Django's own connection."""

    placeholder = "?"

    def _create_stage(self) -> None:
        self._execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
        self._execute(f"CREATE TEMP TABLE {STAGE} ({_stage_columns()})")

    def stage(self, frame: pl.DataFrame) -> None:
        rows = _sqlite_rows(frame)
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


class SQLiteArrowWriter(Base):
    """ADBC writes the slices to staging files; Django's connection ATTACHes each and applies it.

    The first slices each get a file of their own that is applied as soon as it is written, so
    SQLite inserts one slice (in C, without the GIL) while the reading thread parses the next; a
    million rows then no longer wait for one long INSERT at the end. A connection holds only a few
    attached databases and none can be detached inside the transaction, so after ``MAX_PARTS - 1``
    files the rest of a very large file shares the last one, applied in ``apply``.
    """

    placeholder = "?"

    def _create_stage(self) -> None:
        self.parts: list[str] = []  # staging files, in order; part i is attached as ALIAS<i>
        self.attached = 0
        self.created = self.updated = 0
        self._db: Any = None
        self._conn: Any = None
        self._rows = 0  # rows in the open part
        self.max_parts = min(MAX_PARTS, self.raw.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED))

    def _open_part(self) -> None:
        import adbc_driver_sqlite
        from adbc_driver_manager import AdbcConnection

        handle, path = tempfile.mkstemp(prefix="lsoplan-import-", suffix=".sqlite3")
        os.close(handle)
        self.parts.append(path)
        self._db = adbc_driver_sqlite.connect(f"file:{path}")
        self._conn = AdbcConnection(self._db)
        self._rows = 0
        # A throwaway file: no rollback journal, no waiting for the disk.
        for sql in (
            "PRAGMA journal_mode = OFF",
            "PRAGMA synchronous = OFF",
            f"CREATE TABLE {STAGE} ({_stage_columns()})",
        ):
            self._run(sql)

    def _run(self, sql: str) -> None:
        from adbc_driver_manager import AdbcStatement

        statement = AdbcStatement(self._conn)
        try:
            statement.set_sql_query(sql)
            statement.execute_update()
        finally:
            statement.close()

    def stage(self, frame: pl.DataFrame) -> None:
        from adbc_driver_manager import AdbcStatement

        rows = _sqlite_rows(frame)
        if self._conn is None:
            self._open_part()
        statement = AdbcStatement(self._conn)
        try:
            statement.set_options(
                **{"adbc.ingest.target_table": STAGE, "adbc.ingest.mode": "adbc.ingest.mode.append"}
            )
            statement.bind_stream(rows.__arrow_c_stream__())
            statement.execute_update()
        finally:
            statement.close()
        self._rows += rows.height
        self.staged += rows.height
        if len(self.parts) < self.max_parts:
            self._apply_part()

    def _close_driver(self) -> None:
        conn, db = self._conn, self._db
        self._conn = self._db = None
        if conn is not None:
            conn.close()
        if db is not None:
            db.close()

    def _apply_part(self) -> None:
        """Attach the open part to Django's connection and apply its rows."""
        self._close_driver()  # everything is in the file now; Django's connection reads it from here
        alias = f"{ALIAS}{len(self.parts)}"
        self._execute(f"ATTACH DATABASE ? AS {alias}", (self.parts[-1],))
        self.attached += 1
        created, updated = self.apply_from(f"{alias}.{STAGE}", self._rows)
        self.created += created
        self.updated += updated

    def apply(self) -> tuple[int, int]:
        if self._conn is not None:
            self._apply_part()
        return self.created, self.updated

    def close(self) -> None:
        self._close_driver()
        for n in range(self.attached, 0, -1):
            # Fails only inside an unfinished transaction, which sqlite_writer does not choose.
            with contextlib.suppress(Exception):
                self._execute(f"DETACH DATABASE {ALIAS}{n}")
        self.attached = 0
        for path in self.parts:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        self.parts = []


def arrow_available() -> bool:
    try:
        import adbc_driver_manager  # noqa: F401
        import adbc_driver_sqlite  # noqa: F401
    except ImportError:
        return False
    return True


def sqlite_writer(organisation_id: int, batch_id: int, *, direct: bool, outermost: bool) -> Writer:
    if outermost and arrow_available():
        return SQLiteArrowWriter(organisation_id, batch_id, direct=direct)
    return SQLiteWriter(organisation_id, batch_id, direct=direct)
