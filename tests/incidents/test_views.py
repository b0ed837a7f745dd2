"""The incident pages: upload → preview → confirm, limits and type checks, history, statistics."""

from __future__ import annotations

import io

import pytest
from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from lsoplan.audit.services import Actor
from lsoplan.goals.models import Measurement
from lsoplan.incidents import uploads
from lsoplan.incidents.models import ImportBatch, Incident
from lsoplan.incidents.services import import_incidents
from tests.factories import PASSWORD, World
from tests.incidents.test_import import V1, V2


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _upload(client: Client, w: World, name: str, data: bytes, mapping: str = "") -> object:
    url = reverse("incident_upload", kwargs={"pk": w.version.pk})
    return client.post(url, {"file": SimpleUploadedFile(name, data), "mapping": mapping})


@pytest.mark.django_db
def test_upload_preview_confirm(world: World) -> None:
    client = _client(world.editor.username)
    response = _upload(client, world, "v1.csv", V1)
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Filen har inga fel: 3 händelser kan importeras." in text
    assert "A-1" in text and "Torshälla" in text
    assert Incident.objects.count() == 0  # nothing before the confirmation
    done = client.post(preview_url)
    assert done.status_code == 302 and done["Location"] == reverse(
        "incident_history", kwargs={"pk": world.version.pk}
    )
    assert Incident.objects.filter(organisation=world.org).count() == 3
    batch = ImportBatch.objects.get()
    assert batch.imported_by == world.editor and batch.file_name == "v1.csv"
    assert client.get(preview_url).status_code == 404  # the stored file is gone after the import


@pytest.mark.django_db
def test_preview_lists_problems_and_offers_no_import(world: World) -> None:
    client = _client(world.editor.username)
    response = _upload(client, world, "fel.csv", V1.replace(b"A-2;0484;2;", b"A-2;0180;2;"))
    page = client.get(response["Location"])
    assert page.status_code == 400
    text = page.content.decode()
    assert "Filen kan inte importeras" in text and "ingår inte i" in text
    assert "Importera 2" not in text
    assert client.post(response["Location"]).status_code == 400  # a forced confirm is checked again
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_xlsx_upload(world: World) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["handelse_id", "kommun", "handelsetyp", "larm_tid"])
    sheet.append(["X-1", "Eskilstuna", "Brand i byggnad", "2024-05-01 12:00"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = _client(world.editor.username)
    response = _upload(client, world, "handelser.xlsx", buffer.getvalue())
    assert response.status_code == 302
    assert client.post(response["Location"]).status_code == 302
    assert Incident.objects.get().source_id == "X-1"


@pytest.mark.django_db
def test_oversize_upload_is_refused(world: World, settings: LazySettings) -> None:
    settings.LSOPLAN_UPLOAD_MAX_BYTES = 100
    response = _upload(_client(world.editor.username), world, "v1.csv", V1)
    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode()
    assert not uploads._folder(world.org).exists()  # nothing of the refused file was kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("rapport.pdf", b"%PDF-1.4 ...", "CSV-fil (.csv) eller en Excel-fil (.xlsx)"),
        ("handelser.csv", b"%PDF-1.4 \x00\x01", "innehåller inte text"),
        ("handelser.csv", b"PK\x03\x04 zip", "innehåller inte text"),
        ("handelser.xlsx", b"handelse_id;kommun\n", "ingen Excel-fil"),
    ],
)
def test_wrong_file_type_is_refused(world: World, name: str, data: bytes, message: str) -> None:
    response = _upload(_client(world.editor.username), world, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_reader_cannot_upload_or_undo(world: World) -> None:
    client = _client(world.reader.username)
    assert _upload(client, world, "v1.csv", V1).status_code == 403
    batch = import_incidents(Actor(None, "test"), world.org, V1, file_name="v1.csv").batch
    assert batch is not None
    url = reverse("incident_undo", kwargs={"pk": world.version.pk, "batch": batch.pk})
    assert client.post(url).status_code == 403
    assert Incident.objects.count() == 3


@pytest.mark.django_db
def test_token_of_another_organisation_is_not_found(world: World, other_world: World) -> None:
    token = uploads.store(other_world.org, V1, file_name="v1.csv", mapping="", uploaded_by="x").token
    client = _client(world.editor.username)
    url = reverse("incident_preview", kwargs={"pk": world.version.pk, "token": token})
    assert client.get(url).status_code == 404
    assert client.get(url.replace(token, "../../etc")).status_code == 404


@pytest.mark.django_db
def test_history_and_undo(world: World) -> None:
    import_incidents(Actor(None, "test"), world.org, V1, file_name="v1.csv")
    second = import_incidents(Actor(None, "test"), world.org, V2, file_name="v2.csv").batch
    assert second is not None
    client = _client(world.editor.username)
    page = client.get(reverse("incident_history", kwargs={"pk": world.version.pk})).content.decode()
    assert "v2.csv" in page and page.count(">Ångra…</a>") == 1
    response = client.post(
        reverse("incident_undo", kwargs={"pk": world.version.pk, "batch": second.pk}), follow=True
    )
    assert "Import" in response.content.decode() and "är ångrad" in response.content.decode()
    assert Incident.objects.count() == 3


@pytest.mark.django_db
def test_statistics_page(world: World) -> None:
    import_incidents(Actor(None, "test"), world.org, V1, file_name="v1.csv")
    client = _client(world.reader.username)
    url = reverse("version_incidents", kwargs={"pk": world.version.pk})
    page = client.get(url, {"by": "kommun", "within": "5, 15"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "3 händelser 2023–2024" in text
    assert "Brand i byggnad" in text and "Trafikolycka" in text
    assert "Inom 15 min" in text and "data-spec=" in text
    assert "Eskilstuna" in text  # response times per municipality
    assert "*" in text and "Uppskattning" in text  # 2023 borrows the 2024 population
    assert client.get(url, {"within": "tio"}).status_code == 400


@pytest.mark.django_db
def test_statistics_page_without_incidents(world: World) -> None:
    page = _client(world.editor.username).get(reverse("version_incidents", kwargs={"pk": world.version.pk}))
    assert page.status_code == 200
    assert "Inga händelser är importerade ännu" in page.content.decode()


@pytest.mark.django_db
def test_indicator_filter_makes_values_computed(world: World) -> None:
    import_incidents(Actor(None, "test"), world.org, V1, file_name="v1.csv")
    client = _client(world.editor.username)
    url = reverse("incident_indicator", kwargs={"pk": world.indicator.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"use": "on", "measure": "count", "event_types": ["1", "2"], "municipalities": ["0484"]}
    )
    assert response.status_code == 302
    world.indicator.refresh_from_db()
    assert world.indicator.source == "incidents"
    assert world.indicator.source_config["event_types"] == [1, 2]
    values = Measurement.objects.filter(
        series=world.indicator.series, replaced_at__isnull=True, source="incidents"
    )
    assert {m.year: m.value for m in values} == {2023: 0.0, 2024: 2.0}
    reader = _client(world.reader.username)
    assert reader.post(url, {"use": "on", "measure": "count"}).status_code == 403


@pytest.mark.django_db
def test_statistics_page_names_the_population_figures_it_divided_by(world: World) -> None:
    from lsoplan.accounts.models import Population

    Population.objects.create(
        municipality_id="0486", year=2023, population=38_000, source="SCB (folkmängd 31 december 2023)"
    )
    import_incidents(Actor(None, "test"), world.org, V1, file_name="v1.csv")
    page = _client(world.reader.username).get(reverse("version_incidents", kwargs={"pk": world.version.pk}))
    footnote = page.content.decode().split("Källa för folkmängd:")[1].split("</p>")[0]
    assert "31 december 2023" in footnote
    assert "FolkmangdNov 2024-11-01" in footnote  # 0484's 2024 incidents divide by the bundled year
