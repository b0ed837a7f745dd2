"""The Kolada client: v3 envelope and paging, the v2 shape, nulls, status flags, broken answers."""

from __future__ import annotations

from typing import Any

import pytest

from lsoplan.lib.publicdata.errors import ResponseFormatError, UnknownKpiError
from lsoplan.lib.publicdata.http import HttpClient, RecordedTransport, join_url
from lsoplan.lib.publicdata.kolada import KOLADA_V3, KoladaClient, kolada_vintage, totals
from lsoplan.lib.publicdata.observation import FINAL, PRELIMINARY

DATA = join_url(KOLADA_V3, "data", "kpi", "N07415", "municipality", "0484", query=[("per_page", "5000")])


def item(period: Any, value: Any, status: str = "", gender: str = "T", **extra: Any) -> dict[str, Any]:
    return {
        "kpi": "N07415",
        "municipality": "0484",
        "period": period,
        "values": [{"count": 1, "gender": gender, "status": status, "value": value}],
        **extra,
    }


def kolada(*exchanges: tuple[str, Any]) -> tuple[KoladaClient, RecordedTransport]:
    rec = RecordedTransport()
    for url, response in exchanges:
        if isinstance(response, str):
            rec.add("GET", url, None, None, text=response)
        else:
            rec.add("GET", url, None, response)
    return KoladaClient(HttpClient(rec, user_agent="t")), rec


def test_values_follow_next_url_across_pages() -> None:
    page2 = "https://api.kolada.se/v3/data/kpi/N07415/municipality/0484?page=2&per_page=5000"
    client, rec = kolada(
        (DATA, {"count": 2, "values": [item(2022, 0.4), item(2023, 0.5)], "next_url": page2}),
        (page2, {"count": 1, "values": [item(2024, 0.45)]}),
    )
    found = client.values("N07415", "0484")
    assert [(o.period, o.value) for o in found] == [(2022, 0.4), (2023, 0.5), (2024, 0.45)]
    assert len(rec.calls) == 2 and client.pages_read == 2


def test_values_tolerate_the_v2_shape() -> None:
    """v2: ``next_page``, the period as a string, 0/1 for gender division, F for women."""
    page2 = "http://api.kolada.se/v2/data/kpi/N07415/municipality/0484?page=2"
    client, _ = kolada(
        (DATA, {"count": 1, "values": [item("2021", 0.3)], "next_page": page2, "previous_page": None}),
        (page2, {"count": 1, "values": [item("2022", 0.2, gender="F")]}),
    )
    found = client.values("N07415", "0484")
    assert [(o.period, o.dimension) for o in found] == [(2021, "kon=T"), (2022, "kon=F")]
    assert [o.period for o in totals(found)] == [2021]


def test_paging_that_loops_is_an_error() -> None:
    client, _ = kolada((DATA, {"values": [item(2022, 0.4)], "next_url": DATA}))
    with pytest.raises(ResponseFormatError, match="sidbläddringen"):
        client.values("N07415", "0484")


def test_empty_page_ends_paging() -> None:
    client, rec = kolada((DATA, {"values": [], "next_url": DATA + "&page=2"}))
    assert client.values("N07415", "0484") == []
    assert len(rec.calls) == 1


def test_null_value_is_kept_as_missing_with_its_status() -> None:
    client, _ = kolada((DATA, {"values": [item(2016, None, "Missing"), item(2017, 19.7)]}))
    first, second = client.values("N07415", "0484")
    assert first.value is None and first.status == "Missing" and first.vintage == FINAL
    assert second.value == 19.7


def test_years_are_filtered_locally() -> None:
    client, _ = kolada((DATA, {"values": [item(y, 0.1) for y in range(2015, 2025)]}))
    assert [o.period for o in client.values("N07415", "0484", range(2020, 2023))] == [2020, 2021, 2022]


@pytest.mark.parametrize(
    ("status", "vintage"),
    [("", FINAL), ("Missing", FINAL), ("P", PRELIMINARY), ("Preliminär", PRELIMINARY), ("prel", PRELIMINARY)],
)
def test_status_flags(status: str, vintage: str) -> None:
    assert kolada_vintage(status) == vintage


def test_provenance_fields() -> None:
    client, _ = kolada((DATA, {"values": [item(2024, 0.45, "Preliminär")]}))
    (obs,) = client.values("N07415", "0484")
    assert (obs.source, obs.dataset, obs.municipality, obs.period) == ("kolada", "N07415", "0484", 2024)
    assert obs.status == "Preliminär" and obs.vintage == PRELIMINARY and obs.url == DATA


@pytest.mark.parametrize(
    ("response", "problem"),
    [
        ({"rows": []}, "values"),
        ([1, 2], "values"),
        ({"values": [{"kpi": "N07415", "period": 2024, "values": []}]}, "municipality"),
        ({"values": [item("tjugotjugofyra", 1.0)]}, "inte ett år"),
        ({"values": [item(2024, "0,45")]}, "inte ett tal"),
        ({"values": [item(2024, True)]}, "inte ett tal"),
        ({"values": [{**item(2024, 1.0), "values": [{"gender": "T"}]}]}, "value"),
        ({"values": [{**item(2024, 1.0), "municipality": "0486"}]}, "0486"),
        ({"values": ["N07415"]}, "inte ett objekt"),
        ({"values": [], "next_url": 5}, "next_url"),
        ("<html><body>502 Bad Gateway</body></html>", "JSON"),
    ],
)
def test_changed_or_broken_answers_raise_a_clear_error(response: Any, problem: str) -> None:
    client, _ = kolada((DATA, response))
    with pytest.raises(ResponseFormatError, match=problem) as info:
        client.values("N07415", "0484")
    assert "oväntat svar från https://api.kolada.se/v3/data/kpi/N07415" in str(info.value)


def test_unknown_kpi_is_reported() -> None:
    client, _ = kolada((join_url(KOLADA_V3, "kpi", "N99999"), {"count": 0, "values": []}))
    with pytest.raises(UnknownKpiError, match="N99999"):
        client.kpi("N99999")
    with pytest.raises(UnknownKpiError):
        client.kpi("inte-ett-id")  # never sent: the id cannot exist


def test_kpi_metadata_tolerates_v2_and_v3_fields() -> None:
    url = join_url(KOLADA_V3, "kpi", "U07442")
    obj = {"id": "U07442", "title": "Responstid", "is_divided_by_gender": 0, "auspices": "T", "unit": "min"}
    client, _ = kolada((url, {"values": [obj]}))
    kpi = client.kpi("u07442")
    assert kpi.id == "U07442" and kpi.is_divided_by_gender is False and kpi.auspice == "T"


def test_search_filters_by_title_case_insensitively() -> None:
    url = join_url(KOLADA_V3, "kpi", query=[("title", "Responstid"), ("per_page", "5000")])
    catalogue = [
        {"id": "U07442", "title": "Responstid (tid från 112-samtal …)"},
        {"id": "U07440", "title": "Larmbehandlingstid för räddningstjänst"},
    ]
    client, _ = kolada((url, {"values": catalogue}))
    assert [k.id for k in client.search_kpis("Responstid")] == ["U07442"]
    assert client.search_kpis("  ") == []


def test_municipality_groups_accept_member_objects_or_ids() -> None:
    url = join_url(KOLADA_V3, "municipality_groups", "G1,G2")
    ale = "Liknande kommuner räddningstjänst, Ale, 2024"
    groups = [
        {"id": "G1", "title": ale, "members": [{"id": "0125", "title": "Ekerö"}]},
        {"id": "G2", "title": "Storstäder (ovägt medel)", "members": ["0180", "1280", "1480"]},
    ]
    client, _ = kolada((url, {"values": groups}))
    g1, g2 = client.municipality_groups(ids=["G1", "G2"])
    assert g1.members == ("0125",) and g1.member_titles == ("Ekerö",)
    assert g2.members == ("0180", "1280", "1480")


def test_municipality_group_without_members_is_an_error() -> None:
    url = join_url(KOLADA_V3, "municipality_groups", "G1")
    client, _ = kolada((url, {"values": [{"id": "G1", "title": "x"}]}))
    with pytest.raises(ResponseFormatError, match="members"):
        client.municipality_groups(ids=["G1"])
