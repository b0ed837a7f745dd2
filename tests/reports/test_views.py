"""The Dokument page, the downloads and the version comparison page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.conditions import services as conditions
from lsoplan.goals import services as goals
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import ProgrammeVersion
from tests.factories import PASSWORD, SYSTEM, World
from tests.reports.helpers import open_docx

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _file(version: ProgrammeVersion, kind: str, fmt: str) -> str:
    return reverse("version_document_file", kwargs={"pk": version.pk, "kind": kind, "fmt": fmt})


def _second_version(w: World) -> ProgrammeVersion:
    """Adopt the world's version, copy it into a draft and change the draft a little."""
    programmes.adopt(SYSTEM, w.version, body="kommunfullmaktige", date=dt.date(2026, 11, 8), paragraph="§ 45")
    draft = programmes.new_draft(SYSTEM, w.version)
    goal = type(w.safety_goal).objects.get(version=draft, lineage=w.safety_goal.lineage)
    goals.update_goal(SYSTEM, goal, text="Antalet bränder i bostad ska minska med 30 % till 2030.")
    conditions.create_risk(
        SYSTEM, draft, title="Storm och skyfall", custom_type="Extremväder", likelihood=3, consequence=3
    )
    return draft


def test_documents_page_lists_the_downloads(world: World) -> None:
    response = _client(world.reader.username).get(
        reverse("version_documents", kwargs={"pk": world.version.pk})
    )
    assert response.status_code == 200
    page = response.content.decode()
    for url in (
        _file(world.version, "handlingsprogram", "docx"),
        _file(world.version, "handlingsprogram", "pdf"),
        _file(world.version, "uppfoljning", "pdf"),
        _file(world.version, "listor", "xlsx"),
        reverse("version_chapters", kwargs={"pk": world.version.pk}),
    ):
        assert url in page
    assert "Versionen är inte antagen" in page
    assert "bara en version" in page


def test_download_streams_an_attachment(world: World) -> None:
    response = _client(world.reader.username).get(_file(world.version, "handlingsprogram", "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert response["Content-Disposition"] == 'attachment; filename="handlingsprogram-alfa-2027-2030-v1.docx"'
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert open_docx(content).paragraphs[1].text == "Handlingsprogram för skydd mot olyckor"


def test_followup_download_takes_the_year(world: World) -> None:
    client = _client(world.editor.username)
    response = client.get(_file(world.version, "uppfoljning", "xlsx"), {"ar": "2020"})
    assert response.status_code == 200
    assert "listor-alfa-v1-2020.xlsx" in response["Content-Disposition"]
    assert client.get(_file(world.version, "uppfoljning", "docx"), {"ar": "tjugo"}).status_code == 400
    bad_year = client.get(_file(world.version, "uppfoljning", "docx"), {"ar": "1800"})
    assert bad_year.status_code == 400 and "Ange ett år" in bad_year.content.decode()


@pytest.mark.parametrize(
    ("kind", "fmt"), [("listor", "pdf"), ("handlingsprogram", "xlsx"), ("okant", "docx")]
)
def test_unknown_documents_are_404(world: World, kind: str, fmt: str) -> None:
    assert _client(world.editor.username).get(_file(world.version, kind, fmt)).status_code == 404


def test_diff_without_another_version(world: World) -> None:
    response = _client(world.editor.username).get(reverse("version_diff", kwargs={"pk": world.version.pk}))
    assert response.status_code == 200
    assert "Programmet har bara en version" in response.content.decode()


def test_diff_against_based_on_and_chosen_version(world: World) -> None:
    draft = _second_version(world)
    client = _client(world.reader.username)
    page = client.get(reverse("version_diff", kwargs={"pk": draft.pk})).content.decode()
    assert "Från version 1 till version 2" in page
    assert "Storm och skyfall" in page and "Tillagd" in page
    assert "Ändrad" in page and "minska med 30 %" in page and "minska med 20 %" in page
    # Comparing from the older version shows the same direction of change.
    older = client.get(reverse("version_diff", kwargs={"pk": world.version.pk}), {"med": draft.pk})
    assert older.status_code == 200 and "Från version 1 till version 2" in older.content.decode()
    documents = client.get(reverse("version_documents", kwargs={"pk": draft.pk})).content.decode()
    assert reverse("version_diff", kwargs={"pk": draft.pk}) in documents
    assert "dokument för version 1 (antagen)" in documents


def test_diff_refuses_versions_of_other_programmes_and_organisations(
    world: World, other_world: World
) -> None:
    client = _client(world.editor.username)
    url = reverse("version_diff", kwargs={"pk": world.version.pk})
    assert client.get(url, {"med": other_world.version.pk}).status_code == 404
    assert client.get(url, {"med": "nonsens"}).status_code == 404
    assert client.get(url, {"med": world.version.pk}).status_code == 404  # itself
    second = programmes.create_programme(
        SYSTEM, world.org, title="Annat program", period_start=2031, period_end=2034
    )
    other_programme_version = programmes.current_version(second)
    assert client.get(url, {"med": other_programme_version.pk}).status_code == 404


def test_the_documents_page_lists_what_to_review_outside_the_document(world: World) -> None:
    response = _client(world.editor.username).get(reverse("version_documents", args=[world.version.pk]))
    page = response.content.decode()
    assert "Att se över före antagandet" in page
    assert "samråd innan det antas" in page
