"""Coordinates kept as the file gave them, with its CRS, beside SWEREF 99 TM; grids in that CRS use them.

The hand-built points lie exactly on cell boundaries in the British National Grid (EPSG:27700).
Through SWEREF 99 TM and back, (530 000, 180 000) comes out as 529 999.9999999…, a cell to the
west: only a grid that uses the coordinates as given puts it in the cell whose corner it is.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from pyproj import Transformer

from lsoplan.audit.services import Actor
from lsoplan.cli import main
from lsoplan.incidents import mappings
from lsoplan.incidents.models import Incident
from lsoplan.incidents.services import import_incidents, undo_import
from lsoplan.lib.incidents.mapping import parse_mapping
from tests.factories import World, build_world

CLI = Actor(None, "cli")
DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LFB = DATA / "lfb_dwelling_fires_2009.csv"

BNG_MAPPING = parse_mapping(
    """
name = "BNG-test"
[source]
delimiter = ";"
crs = "EPSG:27700"
decimal = "."
[fields]
handelse_id = "id"
kommun = "kommun"
handelsetyp = "typ"
larm_tid = "larm"
framme_tid = "framme"
x = "E"
y = "N"
"""
)
BNG_HEADER = "id;kommun;typ;larm;framme;E;N\n"
# On boundaries of 1 000 m cells: each point is the lower-left corner of its cell, or just inside.
BNG_ROWS = [
    "B-1;0180;1;2024-03-05 14:00;2024-03-05 14:06;530000;180000",
    "B-2;0180;1;2024-03-05 15:00;2024-03-05 15:10;530999.99;180999.99",
    "B-3;0180;1;2024-03-05 16:00;2024-03-05 16:08;531000;180000",
    "B-4;0180;1;2024-03-05 17:00;2024-03-05 17:07;529999.99;179999.99",
    "B-5;0180;1;2024-03-05 18:00;2024-03-05 18:09;;",
]
SWEREF_ROWS = (
    "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;x;y\n"
    "S-1;0180;1;2024-04-01 10:00;2024-04-01 10:05;674000;6580000\n"
)


def _bng(rows: list[str]) -> bytes:
    return (BNG_HEADER + "".join(r + "\n" for r in rows)).encode()


@pytest.fixture
def bng(db: None) -> World:
    world = build_world("bng", ["0180"])
    outcome = import_incidents(CLI, world.org, _bng(BNG_ROWS), file_name="bng.csv", mapping=BNG_MAPPING)
    assert outcome.ok, outcome.problems
    return world


def _grid(capsys: pytest.CaptureFixture[str], slug: str, *args: str) -> list[dict[str, object]]:
    code = main(["incidents", "grid", "--org", slug, "--within", "10", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    cells: list[dict[str, object]] = json.loads(out)
    return cells


def test_a_mapped_file_keeps_its_coordinates_and_crs_beside_sweref(bng: World) -> None:
    rows = {
        i.source_id: (i.source_x, i.source_y, i.source_epsg, i.x)
        for i in Incident.objects.filter(organisation=bng.org)
    }
    assert rows["B-1"][:3] == (530000.0, 180000.0, 27700)
    assert rows["B-2"][:3] == (530999.99, 180999.99, 27700)
    sweref_x, _ = Transformer.from_crs("EPSG:27700", "EPSG:3006", always_xy=True).transform(530000, 180000)
    assert rows["B-1"][3] == pytest.approx(sweref_x, abs=1e-6)  # SWEREF 99 TM beside them
    assert rows["B-5"] == (None, None, None, None)


def test_a_native_sweref_file_keeps_no_separate_source_coordinates(db: None) -> None:
    world = build_world("native", ["0180"])
    assert import_incidents(CLI, world.org, SWEREF_ROWS.encode(), file_name="s.csv").ok
    incident = Incident.objects.get(organisation=world.org)
    assert (incident.x, incident.y) == (674000.0, 6580000.0)
    assert (incident.source_x, incident.source_y, incident.source_epsg) == (None, None, None)


def test_a_grid_in_the_files_own_crs_puts_boundary_points_in_the_cell_they_start(
    bng: World, capsys: pytest.CaptureFixture[str]
) -> None:
    cells = _grid(capsys, "bng", "--crs", "EPSG:27700")
    assert [(c["x"], c["y"], c["n"]) for c in cells] == [
        (529000, 179000, 1),
        (530000, 180000, 2),
        (531000, 180000, 1),
    ]


def test_a_grid_of_250_m_in_the_files_crs_uses_the_given_coordinates_too(
    bng: World, capsys: pytest.CaptureFixture[str]
) -> None:
    cells = _grid(capsys, "bng", "--crs", "EPSG:27700", "--cell", "250")
    assert [(c["x"], c["y"]) for c in cells] == [
        (529750, 179750),
        (530000, 180000),
        (531000, 180000),
        (530750, 180750),
    ]


def test_a_grid_in_sweref_uses_the_transformed_coordinates(
    bng: World, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = Incident.objects.filter(organisation=bng.org, x__isnull=False).values_list("x", "y")
    expected: dict[tuple[int, int], int] = defaultdict(int)
    for x, y in stored:
        expected[(int(x // 1000 * 1000), int(y // 1000 * 1000))] += 1
    cells = _grid(capsys, "bng")
    assert {(c["x"], c["y"]): c["n"] for c in cells} == expected


def test_rows_from_another_crs_are_transformed_from_sweref_in_the_same_grid(
    bng: World, capsys: pytest.CaptureFixture[str]
) -> None:
    # A Swedish point in the British grid: far east of Britain, but placed, not dropped.
    assert import_incidents(CLI, bng.org, SWEREF_ROWS.encode(), file_name="s.csv").ok
    cells = _grid(capsys, "bng", "--crs", "EPSG:27700")
    assert sum(int(c["n"]) for c in cells) == 5  # type: ignore[call-overload]
    assert any(int(c["x"]) > 1_000_000 for c in cells)  # type: ignore[call-overload]
    assert (530000, 180000, 2) in [(c["x"], c["y"], c["n"]) for c in cells]


def test_a_reimport_and_its_undo_keep_the_source_coordinates_in_step(bng: World) -> None:
    moved = [r.replace(";530000;180000", ";530500;180500") for r in BNG_ROWS]
    outcome = import_incidents(CLI, bng.org, _bng(moved), file_name="bng2.csv", mapping=BNG_MAPPING)
    assert outcome.ok
    assert Incident.objects.get(organisation=bng.org, source_id="B-1").source_x == 530500.0
    assert outcome.batch is not None
    undo_import(CLI, outcome.batch)
    assert Incident.objects.get(organisation=bng.org, source_id="B-1").source_x == 530000.0


@pytest.mark.django_db
def test_the_lfb_grid_in_the_british_grid_matches_the_files_own_coordinates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not LFB.exists():
        pytest.skip(f"{LFB} saknas")
    world = build_world("london", ["0180"])
    outcome = import_incidents(CLI, world.org, LFB, file_name=LFB.name, mapping=mappings.shipped("lfb"))
    assert outcome.ok, outcome.problems[:5]
    # Independent reference: the CSV's own eastings, northings and attendance times, by hand.
    by_cell: dict[tuple[int, int], list[float]] = defaultdict(list)
    with LFB.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cell = (int(float(r["Easting_m"]) // 1000 * 1000), int(float(r["Northing_m"]) // 1000 * 1000))
            by_cell[cell].append(float(r["FirstPumpArriving_AttendanceTime"]))
    cells = _grid(capsys, "london", "--crs", "EPSG:27700")
    assert {(c["x"], c["y"]): c["n"] for c in cells} == {k: len(v) for k, v in by_cell.items()}
    for c in cells:
        times = by_cell[(int(c["x"]), int(c["y"]))]  # type: ignore[call-overload]
        assert c["median_s"] == pytest.approx(float(np.percentile(times, 50)))
        assert c["p90_s"] == pytest.approx(float(np.percentile(times, 90)))
