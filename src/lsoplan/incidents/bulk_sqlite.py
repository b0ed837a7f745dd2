"""Staging an import's rows for SQLite: through ADBC into a separate file, or ``executemany``.

Python's ``sqlite3`` binds every value of every row in Python: for a million rows that is about
three seconds before SQLite does any work, plus a second to turn the columns into Python objects.
The ADBC SQLite driver takes the Arrow columns polars already has and binds them in C, in under a
second. It is its own SQLite library with its own connection, so it cannot write inside Django's
transaction; it writes a throwaway staging file instead, which Django's connection then ATTACHes
and reads with the same ``INSERT … SELECT`` (or upsert) as before. The incident table is therefore
still changed only by Django's connection, in the caller's transaction: an import killed or
rejected half-way leaves nothing in the database. The staging files are removed by ``close`` in
every normal and failed run; a process killed outright cannot, so each file carries its process
id in its name and every import first sweeps away the files of processes that no longer run.

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
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl

from lsoplan.incidents.bulk import (
    DATA_COLUMNS,
    STAGE,
    STAGE_TYPES,
    TIME_COLUMNS,
    Base,
    Rows,
    Writer,
    db_frame,
    has_fractions,
    sqlite_time,
)

SQLITE_ROWS_PER_CALL = 50_000
ALIAS = "lsoplan_stage"
# Staging files per import: SQLite attaches at most 10 databases to a connection by default.
MAX_PARTS = 9


def _stage_columns() -> str:
    return ", ".join(f"{c} {t.format(time='text')}" for c, t in STAGE_TYPES.items())


def _sqlite_rows(frame: pl.DataFrame) -> pl.DataFrame:
    rows = db_frame(frame)
    return rows.with_columns(sqlite_time(c, fractions=has_fractions(rows, c)) for c in TIME_COLUMNS)


class _SQLiteBase(Base):
    """What both SQLite writers share: ``?`` placeholders and rows with Django's time text."""

    placeholder = "?"

    def rows(self, frame: pl.DataFrame) -> Rows:
        return Rows(_sqlite_rows(frame), frame.height)


class SQLiteWriter(_SQLiteBase):
    """``executemany`` into a temporary table on Django's own connection."""

    def _create_stage(self) -> None:
        self._execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
        self._execute(f"CREATE TEMP TABLE {STAGE} ({_stage_columns()})")

    def stage(self, rows: Rows) -> None:
        table: pl.DataFrame = rows.data
        sql = f"INSERT INTO {self._target()} VALUES ({', '.join('?' * len(DATA_COLUMNS))})"
        cur = self.raw.cursor()
        try:
            for offset in range(0, table.height, SQLITE_ROWS_PER_CALL):
                part = table.slice(offset, SQLITE_ROWS_PER_CALL)
                # Column lists zipped into tuples are several times faster than DataFrame.rows().
                cur.executemany(sql, zip(*(s.to_list() for s in part.iter_columns()), strict=True))
        finally:
            cur.close()
        self.staged += rows.count


class _StageFile:
    """One staging file written through ADBC; used only by the staging thread until closed."""

    def __init__(self, path: str) -> None:
        import adbc_driver_sqlite
        from adbc_driver_manager import AdbcConnection

        self.path = path
        self._db: Any = adbc_driver_sqlite.connect(f"file:{path}")
        self._conn: Any = AdbcConnection(self._db)
        # A throwaway file: no rollback journal, no waiting for the disk; large pages, because it
        # is only ever written and then read from end to end (a fifth faster than 4 KiB pages).
        for sql in (
            "PRAGMA page_size = 65536",
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

    def append(self, rows: pl.DataFrame) -> None:
        """Append ``rows`` (already in the staging table's form, see ``_sqlite_rows``)."""
        from adbc_driver_manager import AdbcStatement

        statement = AdbcStatement(self._conn)
        try:
            statement.set_options(
                **{"adbc.ingest.target_table": STAGE, "adbc.ingest.mode": "adbc.ingest.mode.append"}
            )
            statement.bind_stream(rows.__arrow_c_stream__())
            statement.execute_update()
        finally:
            statement.close()

    def close(self) -> None:
        conn, db = self._conn, self._db
        self._conn = self._db = None
        if conn is not None:
            conn.close()
        if db is not None:
            db.close()


STAGING_PREFIX = "lsoplan-import-"
# A file whose name carries no process id (older versions) or whose process id may have been
# taken by another process is left alone only this long.
STALE_SECONDS = 24 * 3600


def _new_path() -> str:
    handle, path = tempfile.mkstemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", suffix=".sqlite3")
    os.close(handle)
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    return True


def sweep_stale(folder: str | None = None) -> int:
    """Remove staging files left by killed imports (their process is gone, or they are older than
    a day); returns how many were removed. Files of running imports are kept."""
    removed = 0
    base = Path(folder or tempfile.gettempdir())
    now = time.time()
    for path in base.glob(f"{STAGING_PREFIX}*"):
        pid_text = path.name.removeprefix(STAGING_PREFIX).split("-", 1)[0]
        try:
            age = now - path.stat().st_mtime
            if (pid_text.isdigit() and not _alive(int(pid_text))) or age > STALE_SECONDS:
                path.unlink()
                removed += 1
        except OSError:
            continue  # removed meanwhile, or not ours to remove
    return removed


def _write_own(path: str, rows: pl.DataFrame) -> None:
    """Write ``rows`` to a staging file of its own and close it."""
    part = _StageFile(path)
    try:
        part.append(rows)
    finally:
        part.close()


class SQLiteArrowWriter(_SQLiteBase):
    """ADBC writes the slices to staging files in a thread; Django's connection applies them.

    Three kinds of work overlap: the reading thread parses slice n + 1, the staging thread writes
    slice n to its file (polars and ADBC's C code), and this thread ATTACHes the file of slice
    n - 1 and inserts it (SQLite's C code); none of them holds the GIL for long. Django's
    connection is only ever used from this thread. A connection holds only a few attached
    databases and none can be detached inside the transaction, so after ``max_parts - 1`` files
    the rest of a very large file shares the last one, applied in ``apply``.
    """

    def _create_stage(self) -> None:
        self.parts: list[str] = []  # staging files, in order; part i is attached as ALIAS<i>
        self.attached = 0
        self.created = self.updated = 0
        self.max_parts = min(MAX_PARTS, self.raw.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED))
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="incident-stage")
        # Own files submitted and not yet applied: (write, path, rows).
        self._written: list[tuple[Future[None], str, int]] = []
        self._shared: _StageFile | None = None  # the last file (staging thread only)
        self._shared_writes: list[Future[None]] = []
        self._shared_rows = 0  # counted here, not in the staging thread, so never read too early

    def _append_shared(self, rows: pl.DataFrame) -> None:
        if self._shared is None:
            self._shared = _StageFile(self.parts[-1])
        self._shared.append(rows)

    def rows(self, frame: pl.DataFrame) -> Rows:
        return Rows(_sqlite_rows(frame), frame.height)

    def stage(self, rows: Rows) -> None:
        self.staged += rows.count
        if len(self.parts) < self.max_parts - 1:
            self.parts.append(_new_path())
            written = self._pool.submit(_write_own, self.parts[-1], rows.data)
            earlier, self._written = self._written, [(written, self.parts[-1], rows.count)]
        else:
            if not self._shared_writes:
                self.parts.append(_new_path())
            self._shared_writes.append(self._pool.submit(self._append_shared, rows.data))
            self._shared_rows += rows.count
            earlier, self._written = self._written, []
        # Files submitted before this slice are written (or nearly): insert them while it is written.
        for future, path, count in earlier:
            future.result()
            self._apply_file(path, count)

    def _apply_file(self, path: str, rows: int) -> None:
        """Attach a finished staging file to Django's connection and apply its rows."""
        self.attached += 1
        alias = f"{ALIAS}{self.attached}"
        self._execute(f"ATTACH DATABASE ? AS {alias}", (path,))
        created, updated = self.apply_from(f"{alias}.{STAGE}", rows)
        self.created += created
        self.updated += updated

    def _drain(self) -> None:
        """Wait for the staging thread; close the shared file so that it is complete on disk."""
        self._pool.shutdown(wait=True)
        shared, self._shared = self._shared, None
        try:
            for future in self._shared_writes:
                future.result()
        finally:
            if shared is not None:
                shared.close()

    def apply(self) -> tuple[int, int]:
        written, self._written = self._written, []
        for future, path, count in written:
            future.result()
            self._apply_file(path, count)
        self._drain()
        if self._shared_writes:
            self._apply_file(self.parts[-1], self._shared_rows)
        return self.created, self.updated

    def abort(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._drain()
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
        sweep_stale()
        return SQLiteArrowWriter(organisation_id, batch_id, direct=direct)
    return SQLiteWriter(organisation_id, batch_id, direct=direct)
