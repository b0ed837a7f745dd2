"""Capability over area and time: the grid command, the map page, stations and response areas."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.areas.models import ResponseArea, Station
from lsoplan.audit.models import AuditEntry
from lsoplan.audit.services import Actor
from lsoplan.cli import main
from lsoplan.incidents import snapshot
from lsoplan.incidents.services import import_incidents
from lsoplan.programmes import services as programmes
from tests.factories import World, build_world

CLI = Actor(None, "cli")
HEADER = "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;omrade;x;y\n"
# Three incidents in the cell (674 000, 6 580 000), one in the next cell east, one without a place.
ROWS = [
    "G-1;0180;1;2024-03-05 14:00;2024-03-05 14:06;Centrum;674100,0;6580100,0",
    "G-2;0180;1;2024-03-06 02:00;2024-03-06 02:10;Centrum;674999,9;6580999,9",
    "G-3;0180;3;2025-03-07 14:00;2025-03-07 14:14;Centrum;674000,0;6580000,0",
    "G-4;0180;1;2025-03-08 14:00;2025-03-08 14:08;Kungsholmen;675000,0;6580500,0",
    "G-5;0180;1;2025-03-09 14:00;2025-03-09 14:09;Okänt;;",
]


@pytest.fixture
def geo(db: None) -> World:
    world = build_world("geo", ["0180"])
    data = (HEADER + "".join(r + "\n" for r in ROWS)).encode()
    outcome = import_incidents(CLI, world.org, data, file_name="geo.csv")
    assert outcome.ok, outcome.problems
    return world


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _grid(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["incidents", "grid", "--org", "geo", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_grid_command_counts_cells_and_times_by_hand(geo: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _grid(capsys, "--within", "10")
    assert code == 0
    cells = json.loads(out)
    assert [(c["x"], c["y"], c["n"]) for c in cells] == [(674000, 6580000, 3), (675000, 6580000, 1)]
    first = cells[0]
    assert first["median_s"] == 600.0  # 6, 10 and 14 minutes
    assert first["p90_s"] == pytest.approx(13.2 * 60)  # 10 + 0.8 · (14 − 10) minutes
    assert first["share_within"] == {"10": pytest.approx(2 / 3)}
    assert first["per_year"] == 1.5  # three incidents over 2024–2025
    assert "1 händelser saknar koordinater" in err


def test_grid_filters_years_types_and_hours(geo: World, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _grid(capsys, "--from", "2025", "--type", "1")
    assert [(c["x"], c["n"]) for c in json.loads(out)] == [(675000, 1)]
    _, out, _ = _grid(capsys, "--hours", "22-6")
    assert [(c["x"], c["n"]) for c in json.loads(out)] == [(674000, 1)]


def test_grid_min_count_and_csv(geo: World, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _grid(capsys, "--min-count", "2", "--format", "csv", "--within", "10")
    lines = out.strip().splitlines()
    assert lines[0] == "x,y,n,n_with_time,median_s,p90_s,share_within_10,per_year"
    assert len(lines) == 2 and lines[1].startswith("674000,6580000,3,3,600.0,")


def test_grid_geojson_names_its_crs_and_closes_each_cell(
    geo: World, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _grid(capsys, "--format", "geojson", "--cell", "500")
    doc = json.loads(out)
    assert doc["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::3006"
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and ring[2][0] - ring[0][0] == 500


def test_grid_in_another_crs_reprojects_the_stored_sweref_points(
    geo: World, capsys: pytest.CaptureFixture[str]
) -> None:
    # RT90 2.5 gon V (EPSG:3021) is about 1.3 million east / 6.58 million north around Stockholm.
    _, out, _ = _grid(capsys, "--crs", "EPSG:3021")
    cells = json.loads(out)
    assert sum(c["n"] for c in cells) == 4
    assert all(1_600_000 < c["x"] < 1_700_000 and 6_570_000 < c["y"] < 6_590_000 for c in cells)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--crs", "EPSG:999999"], "finns inte i EPSG-registret"),
        (["--crs", "EPSG:4326"], "grader, inte meter"),
        (["--from", "2026", "--to", "2020"], "Startåret 2026 ligger efter slutåret 2020"),
        (["--hours", "natt"], "--hours ska vara två timmar"),
        (["--cell", "300"], "ogiltigt val 300"),
    ],
)
def test_bad_grid_input_is_one_line(
    geo: World, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = _grid(capsys, *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_statistics_copy_without_coordinates_is_rebuilt(
    geo: World, capsys: pytest.CaptureFixture[str]
) -> None:
    old = snapshot.read(geo.org).drop("x", "y")  # type: ignore[union-attr]
    buffer = io.BytesIO()
    old.write_parquet(buffer)
    snapshot.store(geo.org, snapshot.Encoded(old.height, buffer.getvalue()))
    _, out, _ = _grid(capsys)
    assert sum(c["n"] for c in json.loads(out)) == 4


def test_the_map_page_shows_the_cells_and_the_time_table(geo: World) -> None:
    response = _client(geo.editor).get(reverse("version_capability", args=[geo.version.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Karta: rutor om 1" in page and '<th scope="row">674000</th><td>6580000</td><td>3</td>' in page
    assert "1 av dem saknar koordinater" in page
    assert "måndag" in page


def test_a_bad_filter_answers_400_with_a_swedish_line(geo: World) -> None:
    url = reverse("version_capability", args=[geo.version.pk])
    response = _client(geo.editor).get(url, {"from_year": 2026, "to_year": 2020})
    assert response.status_code == 400
    assert "Från år ligger efter till år." in response.content.decode()


def test_another_organisation_cannot_see_the_map(geo: World, other_world: World) -> None:
    response = _client(other_world.editor).get(reverse("version_capability", args=[geo.version.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(geo: World) -> None:
    response = Client().get(reverse("version_capability", args=[geo.version.pk]))
    assert response.status_code == 302 and "logga-in" in response["Location"]


def test_a_reader_cannot_add_a_station(geo: World) -> None:
    response = _client(geo.reader).post(
        reverse("station_create", args=[geo.version.pk]),
        {"name": "X", "kind": "heltid", "x": 674000, "y": 6580000},
    )
    assert response.status_code == 403
    assert not Station.objects.exists()


def test_an_editor_adds_a_station_and_the_audit_trail_has_it(geo: World) -> None:
    client = _client(geo.editor)
    response = client.post(
        reverse("station_create", args=[geo.version.pk]),
        {"name": "Kungsholmen", "kind": "heltid", "x": "674500", "y": "6580500", "staffing": "1+4"},
    )
    assert response.status_code == 302
    station = Station.objects.get()
    assert AuditEntry.objects.filter(model="areas.station", object_id=str(station.pk)).exists()
    page = client.get(reverse("version_capability", args=[geo.version.pk])).content.decode()
    assert "Kungsholmen" in page


def test_swapped_station_coordinates_are_refused(geo: World) -> None:
    response = _client(geo.editor).post(
        reverse("station_create", args=[geo.version.pk]),
        {"name": "X", "kind": "deltid", "x": 6580000, "y": 674000},
    )
    assert response.status_code == 400
    assert "förväxlade" in response.content.decode()
    assert not Station.objects.exists()


def _areas_file() -> bytes:
    def square(x0: int) -> list:
        return [
            [
                [x0, 6_580_000],
                [x0 + 1000, 6_580_000],
                [x0 + 1000, 6_581_000],
                [x0, 6_581_000],
                [x0, 6_580_000],
            ]
        ]

    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"namn": n},
                    "geometry": {"type": "Polygon", "coordinates": square(x)},
                }
                for n, x in (("Väst", 674_000), ("Öst", 675_000))
            ],
        }
    ).encode()


def _upload(client: Client, world: World, data: bytes, crs: str = "") -> object:
    file = io.BytesIO(data)
    file.name = "omraden.geojson"
    return client.post(reverse("areas_upload", args=[world.version.pk]), {"file": file, "crs": crs})


def test_uploaded_areas_get_their_incidents(geo: World) -> None:
    client = _client(geo.editor)
    assert _upload(client, geo, _areas_file()).status_code == 302  # type: ignore[attr-defined]
    assert sorted(ResponseArea.objects.values_list("name", flat=True)) == ["Väst", "Öst"]
    page = client.get(reverse("version_capability", args=[geo.version.pk])).content.decode()
    # Väst holds G-1..G-3 (G-2 on its inner edge); Öst holds G-4 on the shared edge x = 675 000? No:
    # the shared edge belongs to the first area listed, Väst, so Öst has none and Väst four.
    assert '<th scope="row">Väst</th><td>4</td>' in page
    assert '<th scope="row">Öst</th><td>0</td>' in page


def test_a_broken_areas_file_changes_nothing(geo: World) -> None:
    client = _client(geo.editor)
    _upload(client, geo, _areas_file())
    response = _upload(client, geo, b'{"type": "FeatureCollection", "features": [}')
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "GeoJSON-filen är trasig" in response.content.decode()  # type: ignore[attr-defined]
    assert ResponseArea.objects.count() == 2


def test_a_new_draft_copies_stations_and_areas(geo: World) -> None:
    client = _client(geo.editor)
    _upload(client, geo, _areas_file())
    client.post(
        reverse("station_create", args=[geo.version.pk]),
        {"name": "S", "kind": "varn", "x": 674500, "y": 6580500},
    )
    programmes.adopt(
        Actor.of(geo.editor), geo.version, body="kommunfullmaktige", date=dt.date.today(), paragraph="§ 1"
    )
    draft = programmes.new_draft(Actor.of(geo.editor), geo.version)
    assert Station.objects.filter(version=draft).count() == 1
    assert ResponseArea.objects.filter(version=draft).count() == 2


def test_the_map_page_sees_a_new_import_at_once(geo: World) -> None:
    client = _client(geo.editor)
    url = reverse("version_capability", args=[geo.version.pk])
    assert "5 händelser i urvalet" in client.get(url).content.decode()
    extra = (HEADER + "G-6;0180;1;2025-05-01 10:00;2025-05-01 10:05;Centrum;674200,0;6580200,0\n").encode()
    assert import_incidents(CLI, geo.org, extra, file_name="mer.csv").ok
    page = client.get(url).content.decode()
    assert "6 händelser i urvalet" in page
    assert '<th scope="row">674000</th><td>6580000</td><td>4</td>' in page


def test_an_area_given_its_population_gets_a_rate_per_1000(geo: World) -> None:
    client = _client(geo.editor)
    _upload(client, geo, _areas_file())
    area = ResponseArea.objects.get(name="Väst")
    response = client.post(
        reverse("responsearea_edit", args=[area.pk]), {"name": "Väst", "population": "2 000"}
    )
    assert response.status_code == 303
    page = client.get(reverse("version_capability", args=[geo.version.pk])).content.decode()
    # Four incidents over 2024–2025 = 2 a year; per 1 000 of 2 000 inhabitants: 1,00.
    assert '<th scope="row">Väst</th><td>4</td><td>2,0</td><td>1,00</td>' in page


def test_a_fractional_population_is_refused(geo: World) -> None:
    client = _client(geo.editor)
    _upload(client, geo, _areas_file())
    area = ResponseArea.objects.get(name="Väst")
    response = client.post(
        reverse("responsearea_edit", args=[area.pk]), {"name": "Väst", "population": "12,5"}
    )
    assert response.status_code == 400
    assert "Ange folkmängden som ett heltal" in response.content.decode()
    area.refresh_from_db()
    assert area.population is None


def test_an_edited_population_shows_at_once_although_the_figures_are_cached(geo: World) -> None:
    client = _client(geo.editor)
    _upload(client, geo, _areas_file())
    url = reverse("version_capability", args=[geo.version.pk])
    assert '<th scope="row">Väst</th><td>4</td><td>2,0</td><td>–</td>' in client.get(url).content.decode()
    area = ResponseArea.objects.get(name="Väst")
    client.post(reverse("responsearea_edit", args=[area.pk]), {"name": "Väst", "population": "4 000"})
    assert '<th scope="row">Väst</th><td>4</td><td>2,0</td><td>0,50</td>' in client.get(url).content.decode()
