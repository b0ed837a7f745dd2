"""The programme's "Förmåga över yta och tid": map, heatmap and text from incidents with coordinates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn

from lsoplan.areas.models import Station
from lsoplan.audit.services import Actor
from lsoplan.incidents.services import import_incidents
from lsoplan.lib.report_model import Figure, Paragraph, Section
from lsoplan.reports import capability_section
from lsoplan.reports.services import produce
from tests.factories import World
from tests.reports.helpers import image_descriptions, open_docx, pdf_text

pytestmark = pytest.mark.django_db
CLI = Actor(None, "cli")
HEADER = "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;omrade;x;y\n"
YEAR = dt.date.today().year - 1  # the last complete year: inside the document's five years


def _rows() -> list[str]:
    """Cell (674 000, 6 580 000): ten night incidents of 25 minutes and two day ones of 8 minutes;
    cell (690 000, 6 590 000): a single incident, which the document must not show."""
    rows = [
        f"N-{i};0484;1;{YEAR}-03-{i + 1:02d} 02:10;{YEAR}-03-{i + 1:02d} 02:35;A;674{i}00,0;6580100,0"
        for i in range(10)
    ]
    rows += [
        f"D-{i};0484;1;{YEAR}-05-0{i + 1} 14:00;{YEAR}-05-0{i + 1} 14:08;A;674500,0;6580500,0"
        for i in range(2)
    ]
    rows.append(f"S-1;0484;1;{YEAR}-06-01 12:00;{YEAR}-06-01 12:30;B;690500,0;6590500,0")
    return rows


@pytest.fixture
def placed(world: World) -> World:
    data = (HEADER + "".join(r + "\n" for r in _rows())).encode()
    outcome = import_incidents(CLI, world.org, data, file_name="placed.csv")
    assert outcome.ok, outcome.problems
    Station.objects.create(
        organisation=world.org, version=world.version, name="Centrum", kind="heltid", x=674800.0, y=6580800.0
    )
    return world


def _text(document: Any) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_programme_describes_capability_over_area_and_time(placed: World) -> None:
    text = _text(open_docx(produce(placed.version, "programme", "docx").content))
    assert capability_section.TITLE in text
    assert f"Under {YEAR - 4}–{YEAR} genomförde räddningstjänsten 13 insatser." in text
    assert "Som godtagbar tid har organisationen angett 20 minuter" in text
    assert "vid 15\u00a0% av insatserna" in text  # 2 / 13 = 15 %
    assert "I 1 av 1 redovisade rutor om 1 km² var medianen längre än 20 minuter." in text
    assert "kl. 02–03" in text  # the only hour with ten timed incidents


def test_programme_says_small_cells_are_not_shown(placed: World) -> None:
    text = _text(open_docx(produce(placed.version, "programme", "docx").content))
    assert "Rutor med färre än 3 händelser visas inte." in text


def test_map_and_heatmap_are_embedded_in_the_docx(placed: World) -> None:
    document = open_docx(produce(placed.version, "programme", "docx").content)
    descriptions = image_descriptions(document)
    assert any(d.startswith("Karta över median insatstid per ruta") for d in descriptions)
    assert any(d.startswith("Värmekarta över median insatstid") for d in descriptions)
    blips = list(document.element.body.iter(qn("a:blip")))
    parts = [document.part.related_parts[b.get(qn("r:embed"))] for b in blips]
    assert all(p.blob.startswith(b"\x89PNG") for p in parts)


def test_map_data_holds_no_cell_under_three_incidents(placed: World, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[dict[str, Any]]] = []
    real = capability_section.area_charts.grid_map

    def spy(cells: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
        seen.append(list(cells))
        return real(cells, **kwargs)

    monkeypatch.setattr(capability_section.area_charts, "grid_map", spy)
    produce(placed.version, "programme", "docx")
    assert seen and [(c["x"], c["y"], c["n"]) for c in seen[0]] == [(674000, 6580000, 12)]


def test_pdf_carries_the_section_and_the_suppression_note(placed: World, tmp_path: Path) -> None:
    text = pdf_text(produce(placed.version, "programme", "pdf").content, tmp_path)
    assert capability_section.TITLE in text
    assert "Rutor med färre än 3 händelser visas inte." in text


def test_without_coordinates_the_section_says_so_and_shows_no_map(world: World) -> None:
    rows = [f"U-{i};0484;1;{YEAR}-03-0{i + 1} 12:00;{YEAR}-03-0{i + 1} 12:09;A;;" for i in range(4)]
    data = (HEADER + "".join(r + "\n" for r in rows)).encode()
    assert import_incidents(CLI, world.org, data, file_name="unplaced.csv").ok
    document = open_docx(produce(world.version, "programme", "docx").content)
    text = _text(document)
    assert "Det finns inga händelser med kända platser" in text
    assert not any(d.startswith("Karta över") for d in image_descriptions(document))
    assert "Rutor med färre än 3 händelser" not in text


def test_an_adopted_document_covers_the_complete_years_before_its_decision(placed: World) -> None:
    # Decided in the middle of the incidents' year: that year is not complete, so none of them count.
    section = Section("6.1 Förmåga", 2)
    advice = capability_section.add(
        section, placed.version, today=dt.date.today(), as_of=dt.date(YEAR, 6, 15)
    )
    text = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    assert f"Det finns inga händelser med kända platser för {YEAR - 5}–{YEAR - 1}" in text
    assert not any(isinstance(b, Figure) for b in section.blocks)
    assert advice


def test_the_organisations_own_godtagbar_tid_and_threshold_are_used_and_stated(placed: World) -> None:
    org = placed.version.organisation  # the instance the document reads
    org.acceptable_minutes, org.suppression_threshold = 30, 13
    org.save()
    text = _text(open_docx(produce(placed.version, "programme", "docx").content))
    assert "Som godtagbar tid har organisationen angett 30 minuter" in text
    assert "vid 100\u00a0% av insatserna" in text  # 25, 8 and 30 minutes: all within 30
    # The busiest cell has 12 incidents: below 13 the map is left out, and the text says why.
    assert "Ingen ruta har minst 13 händelser, så kartan visas inte." in text
    assert "Rutor med färre än 13 händelser visas inte." in text
