"""Importing incident files into the database: real files, all-or-nothing, re-import, undo."""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from lsoplan.accounts.models import Organisation
from lsoplan.accounts.services import create_organisation
from lsoplan.audit.models import AuditEntry
from lsoplan.audit.services import Actor
from lsoplan.goals import services as goals
from lsoplan.goals.models import Measurement
from lsoplan.incidents import bulk, mappings, reading, selectors
from lsoplan.incidents.models import ImportBatch, Incident, IncidentPrevious, IncidentSnapshot
from lsoplan.incidents.services import import_incidents, undo_import
from lsoplan.lib.incidents import IncidentBatch, response_times
from tests.factories import World

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LFB = DATA / "lfb_dwelling_fires_2009.csv"
SF = DATA / "sf_fire_calls_sample_1000.csv"
CLI = Actor(None, "cli")

HEADER = "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;omrade;byggnadstyp\n"


def native(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


V1 = native(
    "A-1;0484;1;2024-03-05 14:22;2024-03-05 14:31;Centrum;Villa",
    "A-2;0484;2;2024-04-01 08:00;2024-04-01 08:12;Torshälla;",
    "A-3;Strängnäs;Trafikolycka;2023-12-31 23:30;2024-01-01 00:05;Mariefred;",
)
# Overlaps V1: changed, A-4 new.
V2 = native(
    "A-2;0484;2;2024-04-01 08:00;2024-04-01 08:09;Torshälla;",
    "A-3;0486;3;2023-12-31 23:30;2024-01-01 00:02;Mariefred;",
    "A-4;0486;14;2024-06-01 10:00;2024-06-01 10:20;Strängnäs;",
)


def _org(slug: str, code: str) -> Organisation:
    return create_organisation(Actor(None, "test"), slug=slug, name=f"Test {slug}", municipality_codes=[code])


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} saknas (../shared/data finns i CI)")


def _db_batch(org: Organisation) -> IncidentBatch:
    """The organisation's incidents read back through the ORM, independent of the bulk reader."""
    rows = Incident.objects.filter(organisation=org).values(
        "source_id", "municipality_id", "event_type_id", "alarm_at", "arrived_at", "area"
    )
    return IncidentBatch.from_rows(
        {
            "handelse_id": r["source_id"],
            "kommun": r["municipality_id"],
            "handelsetyp": r["event_type_id"],
            "larm_tid": r["alarm_at"],
            "framme_tid": r["arrived_at"],
            "omrade": r["area"],
        }
        for r in rows
    )


@pytest.mark.django_db
def test_lfb_reproduces_the_readme_figures_from_the_database() -> None:
    _need(LFB)
    org = _org("london", "0180")
    outcome = import_incidents(CLI, org, LFB, file_name=LFB.name, mapping=mappings.shipped("lfb"))
    assert outcome.ok, outcome.problems[:5]
    assert Incident.objects.filter(organisation=org).count() == 6708
    for data in (_db_batch(org), bulk.read_incidents(org.pk), selectors.incident_frame(org)):
        result = response_times(data, within_minutes=[6])
        assert result["n"] == 6708 and result["n_missing"] == 0
        assert result["median_s"] == 296.0
        assert result["p90_s"] == 471.0
        assert round(100 * result["share_within"]["6"], 2) == 71.15
    boroughs = selectors.counts(org, ["omrade"])["groups"]
    assert len(boroughs) == 33 and sum(g["count"] for g in boroughs) == 6708


@pytest.mark.django_db
def test_sf_keeps_the_first_arriving_unit_per_call() -> None:
    _need(SF)
    org = _org("sanfrancisco", "1480")
    outcome = import_incidents(CLI, org, SF, file_name=SF.name, mapping=mappings.shipped("sf_fire"))
    assert outcome.ok, outcome.problems[:5]
    assert outcome.n_rows == 1000
    assert Incident.objects.filter(organisation=org).count() == 961
    # Independently: per call, the smallest Delay (minutes) is the first unit on scene.
    with SF.open(encoding="utf-8") as fh:
        first: dict[str, float] = {}
        for row in csv.DictReader(fh):
            delay = float(row["Delay"])
            first[row["CallNumber"]] = min(delay, first.get(row["CallNumber"], delay))
    expected = np.percentile([d * 60 for d in first.values()], [50, 90], method="linear")
    for data in (_db_batch(org), bulk.read_incidents(org.pk), selectors.incident_frame(org)):
        result = response_times(data)
        assert result["median_s"] == pytest.approx(expected[0], abs=1e-3)
        assert result["p90_s"] == pytest.approx(expected[1], abs=1e-3)
    # Fractional seconds survive the database (minutes with decimals → microseconds).
    assert result["median_s"] == pytest.approx(statistics.median(d * 60 for d in first.values()), abs=1e-3)


@pytest.mark.django_db
def test_a_file_with_an_error_writes_nothing(world: World) -> None:
    bad = native(
        "A-1;0484;1;2024-03-05 14:22;2024-03-05 14:31;Centrum;",
        "A-2;0484;99;2024-03-05 14:22;2024-03-05 14:10;Centrum;",
    )
    outcome = import_incidents(CLI, world.org, bad, file_name="fel.csv")
    assert not outcome.ok
    assert outcome.n_errors == 2
    assert {(p.row, p.column) for p in outcome.problems if p.is_error} == {
        (3, "handelsetyp"),
        (3, "framme_tid"),
    }
    assert Incident.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    assert not AuditEntry.objects.filter(model="incidents.importbatch").exists()


@pytest.mark.django_db
def test_municipality_outside_the_organisation_is_an_error(world: World) -> None:
    outside = native("A-1;0180;1;2024-03-05 14:22;2024-03-05 14:31;Centrum;")
    outcome = import_incidents(CLI, world.org, outside, file_name="stockholm.csv")
    assert not outcome.ok
    (problem,) = outcome.problems
    assert (problem.row, problem.column, problem.value) == (2, "kommun", "0180")
    assert "ingår inte i" in problem.message and "Eskilstuna" in problem.message
    assert problem.message.startswith("kommunen Stockholm (0180) ingår inte i")
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_checks_and_writes_nothing(world: World) -> None:
    outcome = import_incidents(CLI, world.org, V1, file_name="v1.csv", dry_run=True)
    assert outcome.ok and outcome.dry_run and outcome.batch is None
    assert outcome.n_incidents == 3
    assert outcome.preview[0]["handelse_id"] == "A-1"
    assert Incident.objects.count() == 0 and ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_reimport_updates_by_id_and_never_duplicates(world: World) -> None:
    first = import_incidents(CLI, world.org, V1, file_name="v1.csv")
    again = import_incidents(CLI, world.org, V1, file_name="v1.csv")
    assert (first.created, first.updated) == (3, 0)
    assert (again.created, again.updated) == (0, 3)
    second = import_incidents(CLI, world.org, V2, file_name="v2.csv")
    assert (second.created, second.updated) == (1, 2)
    rows = {i.source_id: i for i in Incident.objects.filter(organisation=world.org)}
    assert sorted(rows) == ["A-1", "A-2", "A-3", "A-4"]
    assert rows["A-3"].event_type_id == 3 and rows["A-3"].municipality_id == "0486"
    assert rows["A-2"].arrived_at == dt.datetime(2024, 4, 1, 6, 9, tzinfo=dt.UTC)  # 08:09 CEST
    assert rows["A-1"].batch_id == again.batch.pk and rows["A-4"].batch_id == second.batch.pk
    # Names and empty texts are stored as Django would store them.
    assert rows["A-2"].building_type == "" and rows["A-1"].building_type == "Villa"


@pytest.mark.django_db
def test_undo_restores_the_previous_state(world: World) -> None:
    first = import_incidents(CLI, world.org, V1, file_name="v1.csv")
    second = import_incidents(CLI, world.org, V2, file_name="v2.csv")
    before = {i.source_id: (i.pk, i.event_type_id, i.arrived_at) for i in Incident.objects.all()}
    with pytest.raises(ValidationError, match="Bara den senaste importen"):
        undo_import(CLI, first.batch)
    result = undo_import(CLI, second.batch)
    assert (result.removed, result.restored) == (1, 2)
    after = {i.source_id: (i.pk, i.event_type_id, i.arrived_at) for i in Incident.objects.all()}
    assert sorted(after) == ["A-1", "A-2", "A-3"]
    assert after["A-3"][1] == 2 and after["A-2"][2] == dt.datetime(2024, 4, 1, 6, 12, tzinfo=dt.UTC)
    assert after["A-3"][0] == before["A-3"][0]  # the same row, not a copy
    assert not IncidentPrevious.objects.filter(batch=second.batch).exists()
    assert selectors.counts(world.org)["total"] == 3  # the statistics copy follows
    with pytest.raises(ValidationError, match="redan ångrad"):
        undo_import(CLI, second.batch)
    undo_import(CLI, first.batch)
    assert Incident.objects.count() == 0 and selectors.counts(world.org)["total"] == 0
    entries = AuditEntry.objects.filter(model="incidents.importbatch", action="update")
    assert entries.count() == 2


@pytest.mark.django_db
def test_each_import_is_recorded_and_audited(world: World) -> None:
    outcome = import_incidents(Actor(world.editor, world.editor.username), world.org, V1, file_name="v1.csv")
    batch = outcome.batch
    assert batch is not None
    assert (batch.file_name, batch.rows, batch.incidents, batch.format) == ("v1.csv", 3, 3, "csv")
    assert batch.imported_by == world.editor and batch.imported_at is not None
    assert len(batch.sha256) == 64 and batch.delimiter == ";"
    entry = AuditEntry.objects.get(model="incidents.importbatch", object_id=str(batch.pk))
    assert entry.action == "create" and entry.actor == world.editor
    assert entry.changes["incidents"] == [None, 3]


@pytest.mark.django_db
def test_year_is_counted_in_swedish_time(world: World) -> None:
    import_incidents(CLI, world.org, V1, file_name="v1.csv")
    assert selectors.yearly_counts(world.org) == [
        {"year": 2023, "handelsetyp": 2, "count": 1},
        {"year": 2024, "handelsetyp": 1, "count": 1},
        {"year": 2024, "handelsetyp": 2, "count": 1},
    ]


@pytest.mark.django_db
def test_large_files_are_read_in_slices_with_the_same_result(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        f"B-{i};0484;1;2024-03-05 14:{i % 60:02d};2024-03-05 15:{i % 60:02d};Centrum;" for i in range(300)
    ]
    rows.append("B-7;0484;1;2024-03-05 14:00;;Centrum;")  # repeats an id from the first slice
    rows.append("B-999;0180;1;2024-03-05 14:00;;Centrum;")
    data = (HEADER.replace("\n", ";okand\n") + "".join(r + ";x\n" for r in rows)).encode()
    monkeypatch.setattr(reading, "SLICE_BYTES", 2000)
    outcome = import_incidents(CLI, world.org, data, file_name="stor.csv", dry_run=True)
    assert outcome.n_rows == 302
    errors = [p for p in outcome.problems if p.is_error]
    assert [(p.row, p.column) for p in errors] == [(302, "handelse_id"), (303, "kommun")]
    assert "första gången på rad 9" in errors[0].message
    assert outcome.n_warnings == 1  # the unknown column, once however many slices
    monkeypatch.setattr(reading, "SLICE_BYTES", 10**9)
    whole = import_incidents(CLI, world.org, data, file_name="stor.csv", dry_run=True)
    assert (whole.n_errors, whole.n_warnings, whole.n_rows) == (outcome.n_errors, outcome.n_warnings, 302)


def test_slices_keep_the_file_encoding_and_end_with_a_small_last_slice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [f"B-{i};Malmö;1;2024-03-05 14:{i % 60:02d};;Södra Förstaden;" for i in range(400)]
    data = (HEADER + "".join(r + "\n" for r in rows)).encode("cp1252")
    monkeypatch.setattr(reading, "SLICE_BYTES", 4000)
    reader = reading.FileReader(data)
    slices = list(reader.slices(prepare=lambda frame, index, last: (frame.height, index, last)))
    assert [s.last for s in slices] == [False] * (len(slices) - 1) + [True]
    assert all(s.result.info and s.result.info.encoding == "windows-1252" for s in slices)
    assert sum(s.result.n_rows for s in slices) == 400
    assert [s.prepared for s in slices] == [
        (s.result.batch.frame.height, i, s.last) for i, s in enumerate(slices)
    ]
    sizes = [s.result.n_rows for s in slices]
    assert sizes[-1] < sizes[0] / 2  # written after all parsing: kept small
    assert reader.total_lines == 400  # the estimate is exact once every slice is read
    assert {r["omrade"] for s in slices for r in s.result.batch.frame.to_dicts()} == {"Södra Förstaden"}


@pytest.mark.django_db
def test_incident_indicator_values_are_computed(world: World) -> None:
    goals.update_indicator(
        CLI, world.indicator, source="incidents", source_config={"event_types": [2], "measure": "count"}
    )
    import_incidents(CLI, world.org, V1, file_name="v1.csv")
    current = Measurement.objects.filter(
        series=world.indicator.series, replaced_at__isnull=True, source="incidents"
    )
    assert {m.year: m.value for m in current} == {2023: 1.0, 2024: 1.0}
    assert all(m.source_ref.startswith("incidents:typ=2") for m in current)
    second = import_incidents(CLI, world.org, V2, file_name="v2.csv")  # A-3 becomes type 3
    current = Measurement.objects.filter(
        series=world.indicator.series, replaced_at__isnull=True, source="incidents"
    )
    assert {m.year: m.value for m in current} == {2023: 0.0, 2024: 1.0}
    undo_import(CLI, second.batch)
    current = Measurement.objects.filter(
        series=world.indicator.series, replaced_at__isnull=True, source="incidents"
    )
    assert {m.year: m.value for m in current} == {2023: 1.0, 2024: 1.0}


@pytest.mark.django_db
def test_statistics_copy_is_rebuilt_when_missing(world: World) -> None:
    import_incidents(CLI, world.org, V1, file_name="v1.csv")
    IncidentSnapshot.objects.all().delete()
    assert selectors.counts(world.org, ["kommun"])["groups"] == [
        {"kommun": "0484", "count": 2},
        {"kommun": "0486", "count": 1},
    ]
    assert IncidentSnapshot.objects.filter(organisation=world.org).exists()
    IncidentSnapshot.objects.all().delete()
    second = import_incidents(CLI, world.org, V2, file_name="v2.csv")  # merges into nothing: rebuilt
    assert second.ok and selectors.counts(world.org)["total"] == 4
