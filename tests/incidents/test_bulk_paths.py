"""The fast write paths, each in a real outermost transaction (not the test's own).

On SQLite an import that owns its transaction stages through ADBC in a separate file; inside
another transaction it falls back to ``executemany``. Both must store exactly the same values. On
PostgreSQL one COPY stays open across slices; a slice with an error after others were sent must
still leave nothing behind.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from lsoplan.accounts.models import Organisation
from lsoplan.incidents import bulk_sqlite, reading, selectors
from lsoplan.incidents.models import ImportBatch, Incident, IncidentPrevious
from lsoplan.incidents.services import import_incidents, undo_import
from tests.factories import World
from tests.incidents.test_import import CLI, HEADER, V1, V2

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = (
    "source_id, municipality_id, event_type_id, alarm_at, arrived_at, ended_at, area, building_type, dead, x"
)


def _stored(org: Organisation) -> list[tuple[Any, ...]]:
    """The rows as the database holds them (SQLite: with each value's storage class)."""
    # CAST: compare the stored text itself, not what Django's converters make of it.
    typed = ", ".join(f"CAST({c} AS TEXT), typeof({c})" for c in ROWS.split(", "))
    typed = typed if connection.vendor == "sqlite" else ROWS
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {typed} FROM incidents_incident WHERE organisation_id = %s ORDER BY source_id", [org.pk]
        )
        return list(cur.fetchall())


def _many(n: int, *, bad_last: bool = False) -> bytes:
    rows = [
        f"M-{i:04d};0484;{1 + i % 3};2024-03-05 14:{i % 60:02d};2024-03-05 15:{i % 60:02d}:30;Centrum;Villa"
        for i in range(n)
    ]
    if bad_last:
        rows.append("M-9999;0484;1;2024-03-05 14:00;2024-03-05 13:00;Centrum;")  # arrival before alarm
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


@pytest.fixture
def staging_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "stage"
    folder.mkdir()
    monkeypatch.setattr(bulk_sqlite.tempfile, "tempdir", str(folder))
    return folder


def test_import_reimport_and_undo_outside_any_transaction(world: World, staging_dir: Path) -> None:
    first = import_incidents(CLI, world.org, V1, file_name="v1.csv")
    second = import_incidents(CLI, world.org, V2, file_name="v2.csv")
    assert (first.created, first.updated, second.created, second.updated) == (3, 0, 1, 2)
    assert Incident.objects.filter(organisation=world.org).count() == 4
    assert IncidentPrevious.objects.filter(batch=second.batch).count() == 2
    assert selectors.counts(world.org)["total"] == 4
    assert second.batch is not None
    undo_import(CLI, second.batch)
    assert sorted(Incident.objects.values_list("source_id", flat=True)) == ["A-1", "A-2", "A-3"]
    assert list(staging_dir.iterdir()) == []  # the staging file is gone


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the staging file is SQLite's path")
def test_staging_file_and_executemany_store_the_same_values(
    world: World, other_world: World, staging_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[str] = []
    original = bulk_sqlite.sqlite_writer

    def spy(*args: Any, **kwargs: Any) -> Any:
        chosen = original(*args, **kwargs)
        used.append(type(chosen).__name__)
        return chosen

    monkeypatch.setattr(bulk_sqlite, "sqlite_writer", spy)
    data = _many(50).replace(b";0484;", b";KOMMUN;")
    import_incidents(CLI, world.org, data.replace(b"KOMMUN", b"0484"), file_name="a.csv")
    with transaction.atomic():  # nested: the import cannot own the transaction
        import_incidents(CLI, other_world.org, data.replace(b"KOMMUN", b"0180"), file_name="b.csv")
    assert used == ["SQLiteArrowWriter", "SQLiteWriter"]
    fast, fallback = _stored(world.org), _stored(other_world.org)
    assert len(fast) == 50
    # The same text, numbers and storage classes, apart from the municipality code itself.
    assert [r[4:] for r in fast] == [r[4:] for r in fallback]
    assert fast[0][6] == "2024-03-05 13:00:00" and fast[0][7] == "text"  # Django's form: naive UTC
    assert list(staging_dir.iterdir()) == []


def test_an_error_in_a_later_slice_leaves_nothing(
    world: World, staging_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "SLICE_BYTES", 2000)
    outcome = import_incidents(CLI, world.org, _many(200, bad_last=True), file_name="fel.csv")
    assert not outcome.ok and outcome.n_errors == 1
    assert Incident.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert list(staging_dir.iterdir()) == []
    # The connection is usable and the same rows without the bad one import in full.
    good = import_incidents(CLI, world.org, _many(200), file_name="bra.csv")
    assert good.ok and good.created == 200 and Incident.objects.count() == 200
    # Many slices, more than there are staging files: the updates are counted across all of them.
    again = import_incidents(CLI, world.org, _many(210), file_name="igen.csv")
    assert (again.created, again.updated) == (10, 200) and Incident.objects.count() == 210
    assert IncidentPrevious.objects.filter(batch=again.batch).count() == 200
    assert list(staging_dir.iterdir()) == []


def test_a_failure_in_the_staging_thread_leaves_nothing(
    world: World, staging_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk filling up (say) while a later slice is written: the error reaches the caller, the
    transaction rolls back, the staging files go, and the next import works."""
    if connection.vendor != "sqlite":
        pytest.skip("the staging thread is SQLite's path")
    monkeypatch.setattr(reading, "SLICE_BYTES", 2000)
    written = bulk_sqlite._write_own
    calls: list[str] = []

    def failing(path: str, rows: Any) -> int:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return written(path, rows)

    monkeypatch.setattr(bulk_sqlite, "_write_own", failing)
    with pytest.raises(OSError, match="No space left"):
        import_incidents(CLI, world.org, _many(200), file_name="full.csv")
    assert len(calls) >= 3  # the next slice may already be on its way
    assert Incident.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert list(staging_dir.iterdir()) == []
    monkeypatch.setattr(bulk_sqlite, "_write_own", written)
    assert import_incidents(CLI, world.org, _many(200), file_name="bra.csv").created == 200


def test_rows_sharing_the_last_staging_file_are_counted_when_written_late(
    world: World, staging_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared file's rows must be counted after the staging thread has written them all."""
    if connection.vendor != "sqlite":
        pytest.skip("the staging thread is SQLite's path")
    monkeypatch.setattr(reading, "SLICE_BYTES", 2000)
    monkeypatch.setattr(bulk_sqlite, "MAX_PARTS", 2)  # from the second slice on, all share one file
    append = bulk_sqlite._StageFile.append

    def slow(self: Any, rows: Any) -> None:
        time.sleep(0.05)
        append(self, rows)

    monkeypatch.setattr(bulk_sqlite._StageFile, "append", slow)
    outcome = import_incidents(CLI, world.org, _many(200), file_name="sen.csv")
    assert (outcome.created, outcome.updated) == (200, 0)
    assert Incident.objects.count() == 200
    assert list(staging_dir.iterdir()) == []
