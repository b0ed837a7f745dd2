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
    """ADBC writes the slices to a staging file; Django's connection ATTACHes it to apply them."""

    placeholder = "?"
    stage_table = f"{ALIAS}.{STAGE}"

    def _create_stage(self) -> None:
        import adbc_driver_sqlite
        from adbc_driver_manager import AdbcConnection

        self._attached = False
        handle, self.path = tempfile.mkstemp(prefix="lsoplan-import-", suffix=".sqlite3")
        os.close(handle)
        self._db: Any = adbc_driver_sqlite.connect(f"file:{self.path}")
        self._conn: Any = AdbcConnection(self._db)
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
        statement = AdbcStatement(self._conn)
        try:
            statement.set_options(
                **{"adbc.ingest.target_table": STAGE, "adbc.ingest.mode": "adbc.ingest.mode.append"}
            )
            statement.bind_stream(rows.__arrow_c_stream__())
            statement.execute_update()
        finally:
            statement.close()
        self.staged += rows.height

    def _close_driver(self) -> None:
        conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
        self._conn = self._db = None
        if conn is not None:
            conn.close()
        if db is not None:
            db.close()

    def apply(self) -> tuple[int, int]:
        self._close_driver()  # everything is in the file now; Django's connection reads it from here
        self._execute(f"ATTACH DATABASE ? AS {ALIAS}", (self.path,))
        self._attached = True
        return super().apply()

    def drop_stage(self) -> None:
        """The file goes as a whole in ``close``; dropping the table would only rewrite it."""

    def close(self) -> None:
        self._close_driver()
        if getattr(self, "_attached", False):
            self._attached = False
            # Fails only inside an unfinished transaction, which sqlite_writer does not choose.
            with contextlib.suppress(Exception):
                self._execute(f"DETACH DATABASE {ALIAS}")
        path = getattr(self, "path", None)
        if path:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


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
