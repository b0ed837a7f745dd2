"""PxWeb v1 (MCF and SCB): metadata, the query, the json response, missing and preliminary cells."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lsoplan.lib.publicdata.errors import ResponseFormatError, UnknownTableError
from lsoplan.lib.publicdata.http import HttpClient, RecordedTransport
from lsoplan.lib.publicdata.observation import FINAL, PRELIMINARY
from lsoplan.lib.publicdata.pxweb import (
    POPULATION,
    TABLES,
    PxWebClient,
    build_query,
    parse_metadata,
    parse_response,
    parse_value,
)

B11 = TABLES["B11"]


def var(code: str, values: list[str], texts: list[str] | None = None, **flags: bool) -> dict[str, Any]:
    """A variable in PxWeb's metadata format."""
    return {"code": code, "text": code.lower(), "values": values, "valueTexts": texts or values, **flags}


META: dict[str, Any] = {
    "title": "B11",
    "variables": [
        var("kommun", ["0484", "0486"], ["Eskilstuna", "Strängnäs"]),
        var("konvHandelsetypId", ["1", "6"], ["Brand", "Nödställd"]),
        var("manadNummer", ["1"], elimination=True),
        var("ar", ["2004", "2024", "2025"], time=True),
    ],
}
QUERY = {
    "query": [
        {"code": "kommun", "selection": {"filter": "item", "values": ["0484"]}},
        {"code": "ar", "selection": {"filter": "all", "values": ["*"]}},
        {"code": "konvHandelsetypId", "selection": {"filter": "all", "values": ["*"]}},
    ],
    "response": {"format": "json"},
}
DATA: dict[str, Any] = {
    "columns": [
        {"code": "kommun", "text": "kommun", "type": "d"},
        {"code": "konvHandelsetypId", "text": "händelsetyp", "type": "d"},
        {"code": "ar", "text": "år", "type": "t"},
        {"code": "Antal", "text": "Antal", "type": "c"},
    ],
    "comments": [{"variable": "ar", "value": "2025", "comment": "Preliminära uppgifter"}],
    "data": [
        {"key": ["0484", "1", "2004"], "values": ["71"]},
        {"key": ["0484", "6", "2004"], "values": [".."]},
        {"key": ["0484", "1", "2024"], "values": ["67"]},
        {"key": ["0484", "6", "2024"], "values": ["-"]},
        {"key": ["0484", "1", "2025"], "values": ["58"]},
        {"key": ["0484", "6", "2025"], "values": ["14"]},
    ],
    "metadata": [{"infofile": "B11", "updated": "2026-03-10T08:00:00Z", "label": "B11", "source": "MCF"}],
}


def pxweb(meta: Any = META, data: Any = DATA, query: Any = QUERY) -> tuple[PxWebClient, RecordedTransport]:
    rec = RecordedTransport()
    rec.add("GET", B11.url, None, meta)
    rec.add("POST", B11.url, query, data)
    return PxWebClient(HttpClient(rec, user_agent="t")), rec


def test_b11_counts_per_event_type_and_year() -> None:
    client, rec = pxweb()
    found = client.values(B11, "0484")
    assert [(o.period, o.dimension, o.value) for o in found] == [
        (2004, "konvHandelsetypId=1", 71.0),
        (2004, "konvHandelsetypId=6", None),
        (2024, "konvHandelsetypId=1", 67.0),
        (2024, "konvHandelsetypId=6", 0.0),
        (2025, "konvHandelsetypId=1", 58.0),
        (2025, "konvHandelsetypId=6", 14.0),
    ]
    assert [c.method for c in rec.calls] == ["GET", "POST"]


def test_missing_nil_and_preliminary_cells() -> None:
    client, _ = pxweb()
    found = {(o.period, o.dimension): o for o in client.values(B11, "0484")}
    missing = found[(2004, "konvHandelsetypId=6")]
    assert missing.value is None and missing.status == ".."
    nil = found[(2024, "konvHandelsetypId=6")]
    assert nil.value == 0.0 and nil.status == "-"
    prel = found[(2025, "konvHandelsetypId=1")]
    assert prel.vintage == PRELIMINARY and prel.status == "preliminär"
    assert found[(2024, "konvHandelsetypId=1")].vintage == FINAL


def test_provenance_fields_name_source_and_table() -> None:
    client, _ = pxweb()
    obs = client.values(B11, "0484", [2024])[0]
    assert (obs.source, obs.dataset, obs.municipality) == ("mcf", "B/B1/B11", "0484")
    assert obs.url == "https://statistik.mcf.se/PxWeb/api/v1/sv/PxData/B/B1/B11"


def test_metadata_is_read_once_per_table() -> None:
    client, rec = pxweb()
    client.values(B11, "0484")
    client.values(B11, "0484")
    assert [c.method for c in rec.calls] == ["GET", "POST", "POST"]


def test_unknown_municipality_is_refused_before_the_query() -> None:
    client, rec = pxweb()
    with pytest.raises(UnknownTableError, match="9999"):
        client.values(B11, "9999")
    assert [c.method for c in rec.calls] == ["GET"]


def test_table_without_the_expected_variable_is_a_changed_table() -> None:
    meta = copy.deepcopy(META)
    meta["variables"] = [v for v in meta["variables"] if v["code"] != "konvHandelsetypId"]
    client, _ = pxweb(meta=meta)
    with pytest.raises(ResponseFormatError, match="konvHandelsetypId"):
        client.values(B11, "0484")


def test_a_new_variable_that_cannot_be_eliminated_is_a_changed_table() -> None:
    meta = copy.deepcopy(META)
    meta["variables"].append(var("plats", ["1"], ["ute"]))
    with pytest.raises(ResponseFormatError, match="plats"):
        build_query(B11, parse_metadata(meta, B11.url), "0484")


def test_scb_query_uses_its_value_set_and_contents_code() -> None:
    meta = {
        "title": "BefolkningNy",
        "variables": [
            var("Region", ["0484"], ["Eskilstuna"]),
            var("Kon", ["1", "2"], ["män", "kvinnor"], elimination=True),
            var("ContentsCode", ["BE0101N1"], ["Folkmängd"]),
            var("Tid", ["2024"], time=True),
        ],
    }
    query = build_query(POPULATION, parse_metadata(meta, POPULATION.url), "0484")
    assert query["query"][0] == {
        "code": "Region",
        "selection": {"filter": "vs:RegionKommun07", "values": ["0484"]},
    }
    assert query["query"][-1] == {
        "code": "ContentsCode",
        "selection": {"filter": "item", "values": ["BE0101N1"]},
    }
    meta["variables"][2]["values"] = meta["variables"][2]["valueTexts"] = ["BE0101N2"]
    with pytest.raises(ResponseFormatError, match="BE0101N1"):
        build_query(POPULATION, parse_metadata(meta, POPULATION.url), "0484")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.pop("columns"), "columns"),
        (lambda d: d["columns"].pop(1), "konvHandelsetypId"),
        (
            lambda d: d.__setitem__("columns", [c for c in d["columns"] if c["type"] != "c"]),
            "innehållskolumn",
        ),
        (lambda d: d["data"][0].__setitem__("key", ["0484", "1"]), "fel antal"),
        (lambda d: d["data"][0].__setitem__("values", ["1", "2"]), "fel antal"),
        (lambda d: d["data"][0].__setitem__("key", ["0486", "1", "2004"]), "0486"),
        (lambda d: d["data"][0].__setitem__("key", ["0484", "1", "år 2004"]), "inte ett år"),
        (lambda d: d["data"][0].__setitem__("values", ["sju"]), "varken ett tal"),
        (lambda d: d["data"].__setitem__(0, "0484;1;2004;71"), "key"),
    ],
)
def test_changed_or_broken_responses_raise_a_clear_error(change: Any, problem: str) -> None:
    data = copy.deepcopy(DATA)
    change(data)
    client, _ = pxweb(data=data)
    with pytest.raises(ResponseFormatError, match=problem):
        client.values(B11, "0484")


def test_broken_metadata_is_reported() -> None:
    client, _ = pxweb(meta={"title": "x"})
    with pytest.raises(ResponseFormatError, match="variables"):
        client.values(B11, "0484")


@pytest.mark.parametrize(
    ("raw", "value", "symbol"),
    [("171", 171.0, ""), ("12,5", 12.5, ""), ("1 234", 1234.0, ""), ("..", None, ".."), ("...", None, "..."),
     (".", None, "."), ("-", 0.0, "-"), (None, None, ".."), (42, 42.0, "")],
)  # fmt: skip
def test_cell_values(raw: Any, value: float | None, symbol: str) -> None:
    assert parse_value(raw, "u") == (value, symbol)


def test_parse_response_ignores_notes_it_does_not_understand() -> None:
    data = copy.deepcopy(DATA)
    data["comments"] = ["fri text", {"comment": "Preliminära uppgifter"}]
    found = parse_response(data, B11, "0484", B11.url)
    assert all(o.vintage == FINAL for o in found)
