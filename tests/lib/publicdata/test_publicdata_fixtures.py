"""The recorded responses shipped for --offline parse with the real clients."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lsoplan.lib.publicdata.http import HttpClient, RecordedTransport
from lsoplan.lib.publicdata.kolada import KoladaClient
from lsoplan.lib.publicdata.pxweb import TABLES, PxWebClient

FIXTURES = Path(__file__).parents[3] / "src" / "lsoplan" / "publicdata" / "fixtures"
CODES = ["0180", "0380", "0482", "0483", "0484", "0486"]


@pytest.fixture(scope="module")
def http() -> HttpClient:
    return HttpClient(RecordedTransport(FIXTURES), user_agent="test")


def test_every_recording_says_it_is_constructed() -> None:
    files = sorted(FIXTURES.rglob("*.json"))
    assert len(files) >= 10
    for file in files:
        doc = json.loads(file.read_text(encoding="utf-8"))
        assert doc["note"].startswith("KONSTRUERAT"), file.name
        assert doc["exchanges"], file.name


@pytest.mark.parametrize("kpi", ["N01951", "N07415", "U07415", "U07442", "U07440", "N07041", "N00799"])
def test_kolada_recordings(http: HttpClient, kpi: str) -> None:
    client = KoladaClient(http)
    assert client.kpi(kpi).id == kpi
    for code in [*CODES, "0000"]:
        found = client.values(kpi, code)
        assert found and {o.municipality for o in found} == {code}


def test_kolada_recording_has_a_missing_value(http: HttpClient) -> None:
    found = {o.period: o for o in KoladaClient(http).values("U07442", "0482")}
    assert found[2016].value is None and found[2016].status == "Missing"


def test_kolada_catalogue_answers_any_search(http: HttpClient) -> None:
    client = KoladaClient(http)
    assert [k.id for k in client.search_kpis("responstid")] == ["U07442"]
    assert {"N07415", "U07415"} <= {k.id for k in client.search_kpis("bränder")}


@pytest.mark.parametrize("key", ["B11", "A11", "BE0101N1"])
def test_pxweb_recordings(http: HttpClient, key: str) -> None:
    client = PxWebClient(http)
    for code in CODES:
        assert client.values(TABLES[key], code, [2024])


def test_uppsala_2024_matches_the_published_figures(http: HttpClient) -> None:
    found = PxWebClient(http).values(TABLES["B11"], "0380", [2024])
    total = sum(o.value or 0 for o in found)
    assert total == 1231  # domain.md §9


def test_kolada_groups_recording(http: HttpClient) -> None:
    client = KoladaClient(http)
    assert len(client.municipality_groups(title="Liknande kommuner räddningstjänst")) == 311
    assert len(client.municipality_groups(ids=[f"G927{n}" for n in range(86, 95)])) == 9
