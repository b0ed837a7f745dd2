"""The pages: find a Kolada KPI and attach it; the public statistics with their sources."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.factories import PASSWORD, World
from tests.publicdata.conftest import live

from lsoplan.goals.models import Indicator
from lsoplan.lib.publicdata.http import join_url
from lsoplan.lib.publicdata.kolada import KOLADA_V3
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.publicdata import services

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_search_lists_kpis_with_the_source(world: World) -> None:
    url = reverse("indicator_kolada", kwargs={"pk": world.indicator.pk})
    page = login(world.editor.username).get(url, {"q": "responstid"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "U07442" in html and "Källa: Kolada" in html and "Offlineläge" in html
    assert 'name="kpi"' in html and "Koppla till indikatorn" in html


def test_search_without_hits(world: World) -> None:
    url = reverse("indicator_kolada", kwargs={"pk": world.indicator.pk})
    html = login(world.editor.username).get(url, {"q": "sotning"}).content.decode()
    assert "Inga nyckeltal har" in html


def test_attach_then_fetch(world: World) -> None:
    client = login(world.editor.username)
    url = reverse("indicator_kolada", kwargs={"pk": world.indicator.pk})
    response = client.post(url, {"kpi": "N07415", "municipality": "0486"})
    assert response.status_code == 302
    ind = Indicator.objects.get(pk=world.indicator.pk)
    assert ind.source == "kolada" and ind.source_config["municipality"] == "0486"
    response = client.post(url, {"action": "refresh"}, follow=True)
    html = response.content.decode()
    assert "Värdena är hämtade: 2 år nya eller ändrade" in html
    assert ind.series.measurements.filter(source="kolada", source_ref="kolada:N07415:0486").count() == 2
    assert "Hämtade värden" in html and "exempeldata" in html


def test_attach_with_a_bad_choice_is_refused(world: World) -> None:
    client = login(world.editor.username)
    url = reverse("indicator_kolada", kwargs={"pk": world.indicator.pk})
    response = client.post(url, {"kpi": "N99999", "municipality": "0484"})
    assert response.status_code == 400 and "N99999" in response.content.decode()
    response = client.post(url, {"kpi": "N07415", "municipality": "0180"})
    assert response.status_code == 400
    assert Indicator.objects.get(pk=world.indicator.pk).source == "manual"


def test_attach_on_an_adopted_version_is_refused(world: World) -> None:
    ProgrammeVersion.objects.filter(pk=world.version.pk).update(status="antagen")
    url = reverse("indicator_kolada", kwargs={"pk": world.indicator.pk})
    response = login(world.editor.username).post(url, {"kpi": "N07415", "municipality": "0484"})
    assert response.status_code == 400 and "antagen" in response.content.decode()


def test_reader_cannot_attach(world: World) -> None:
    url = reverse("indicator_kolada", kwargs={"pk": world.indicator.pk})
    client = login(world.reader.username)
    assert client.get(url, {"q": "brand"}).status_code == 200
    assert client.post(url, {"kpi": "N07415", "municipality": "0484"}).status_code == 403
    assert client.post(url, {"action": "refresh"}).status_code == 403


def test_public_statistics_page_cites_every_source(world: World) -> None:
    clients = services.build_clients(offline=True)
    services.fetch_kolada("test", "N07415", ["0484", "0486"], clients=clients)
    services.fetch_mcf("test", "B11", ["0484"], range(2023, 2026), clients=clients)
    services.fetch_scb_population("test", ["0484", "0486"], range(2020, 2025), clients=clients)
    url = reverse("version_publicdata", kwargs={"pk": world.version.pk})
    html = login(world.reader.username).get(url).content.decode()
    for citation in ("Källa: Kolada", "Källa: MSB/MCF", "Källa: SCB"):
        assert citation in html
    assert "Brand i byggnad" in html and "Automatlarm utan brandtillbud" in html
    assert "exempeldata (offline)" in html and "Preliminärt värde" in html
    assert "Liknande kommuner" in html and "Större stad" in html  # Eskilstuna's SKR group


def test_revision_is_shown(world: World) -> None:
    url_0484 = join_url(
        KOLADA_V3, "data", "kpi", "N07415", "municipality", "0484", query=[("per_page", "5000")]
    )

    def answer(value: float) -> dict[str, object]:
        return {"values": [{"kpi": "N07415", "municipality": "0484", "period": 2024,
                            "values": [{"gender": "T", "status": "", "value": value}]}]}  # fmt: skip

    services.fetch_kolada("t", "N07415", ["0484"], clients=live(("GET", url_0484, None, answer(0.44))))
    services.fetch_kolada("t", "N07415", ["0484"], clients=live(("GET", url_0484, None, answer(0.47))))
    url = reverse("version_publicdata", kwargs={"pk": world.version.pk})
    html = login(world.editor.username).get(url).content.decode()
    assert "<del>0,44</del>" in html and "<td>0,47</td>" in html and "<td>Eskilstuna</td>" in html
