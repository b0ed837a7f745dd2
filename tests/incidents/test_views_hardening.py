"""The upload, preview and undo pages against hostile files and hasty clicks."""

from __future__ import annotations

import os
import time

import pytest
from django.urls import reverse

from lsoplan.audit.services import Actor
from lsoplan.incidents import uploads
from lsoplan.incidents.models import ImportBatch, Incident
from lsoplan.incidents.services import import_incidents
from tests.factories import World
from tests.incidents.test_import import V1, native
from tests.incidents.test_views import _client, _upload
from tests.lib.incidents.test_incidents_limits import sheet, text_row, workbook


@pytest.mark.django_db
def test_a_workbook_spanning_xfd1_to_row_1048576_is_refused_at_upload(world: World) -> None:
    rows = (
        text_row(1, {"A": "handelse_id", "XFD": "x"}) + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    )
    response = _upload(_client(world.editor.username), world, "bomb.xlsx", workbook(sheet(rows)))
    assert response.status_code == 400
    assert "högst 500 kolumner läses" in response.content.decode()
    assert not uploads._folder(world.org).exists()


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_at_upload(world: World) -> None:
    data = workbook(sheet(text_row(1, {"A": "handelse_id"}) + " " * (4 * 1024 * 1024)))
    response = _upload(_client(world.editor.username), world, "bomb.xlsx", data)
    assert response.status_code == 400 and "zip-bomb" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_past_the_first_64_kb_is_refused_at_upload_with_row_and_column(world: World) -> None:
    rows = [f"A-{n};0484;1;2024-03-05 14:22;2024-03-05 14:31;Centrum;Villa" for n in range(2000)]
    rows[1500] = rows[1500].replace("Centrum", "Cent\x00rum")
    data = native(*rows)
    assert data.index(b"\x00") > 65536
    response = _upload(_client(world.editor.username), world, "nul.csv", data)
    assert response.status_code == 400
    assert "Rad 1502, kolumn omrade: tecknet NUL" in response.content.decode()


@pytest.mark.django_db
def test_a_preview_link_expires_after_half_an_hour(world: World) -> None:
    client = _client(world.editor.username)
    location = _upload(client, world, "v1.csv", V1)["Location"]
    assert client.get(location).status_code == 200
    token = location.rstrip("/").rsplit("/", 1)[1]
    old = time.time() - uploads.KEEP_SECONDS - 1
    os.utime(uploads._folder(world.org) / token, (old, old))
    assert client.get(location).status_code == 404
    assert client.post(location).status_code == 404
    assert Incident.objects.count() == 0
    assert uploads.KEEP_SECONDS <= 30 * 60


@pytest.mark.django_db
def test_undo_asks_first_naming_the_number_of_incidents_and_changes_nothing(world: World) -> None:
    batch = import_incidents(Actor(None, "test"), world.org, V1, file_name="v1.csv").batch
    assert batch is not None
    url = reverse("incident_undo", kwargs={"pk": world.version.pk, "batch": batch.pk})
    page = _client(world.editor.username).get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "3 händelser tas bort" in text and "Avbryt" in text
    assert reverse("incident_history", kwargs={"pk": world.version.pk}) in text
    assert Incident.objects.count() == 3 and ImportBatch.objects.get().undone_at is None


@pytest.mark.django_db
def test_undo_happens_only_on_post_after_the_confirmation(world: World) -> None:
    batch = import_incidents(Actor(None, "test"), world.org, V1, file_name="v1.csv").batch
    assert batch is not None
    url = reverse("incident_undo", kwargs={"pk": world.version.pk, "batch": batch.pk})
    response = _client(world.editor.username).post(url, follow=True)
    assert "3 händelser borttagna" in response.content.decode()
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_the_confirmation_of_an_import_that_is_not_the_latest_offers_no_button(world: World) -> None:
    first = import_incidents(Actor(None, "test"), world.org, V1, file_name="v1.csv").batch
    import_incidents(Actor(None, "test"), world.org, V1.replace(b"A-", b"B-"), file_name="b.csv")
    assert first is not None
    url = reverse("incident_undo", kwargs={"pk": world.version.pk, "batch": first.pk})
    text = _client(world.editor.username).get(url).content.decode()
    assert "Bara den senaste importen kan ångras" in text and "Ångra importen</button>" not in text


@pytest.mark.django_db
def test_a_locked_database_during_the_import_ends_in_a_swedish_message(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from lsoplan.incidents import views

    client = _client(world.editor.username)
    location = _upload(client, world, "v1.csv", V1)["Location"]

    def locked(*args: object, **kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(views, "import_incidents", locked)
    response = client.post(location, follow=True)
    assert "En annan import pågår just nu" in response.content.decode()
    assert Incident.objects.count() == 0
