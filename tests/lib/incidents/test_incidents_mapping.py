"""Mapped import, checked against the published figures of the two foreign test files.

The reference numbers come from shared/data/README.md, computed independently of this code:
LFB first-pump attendance median 296 s, 90th percentile 471 s, 71.15 % within 6 minutes,
n = 6 708; SF 961 distinct calls, unit-level Delay median 2.825 and 90th percentile 5.38 minutes.
"""

from __future__ import annotations

import csv
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from lsoplan.lib.incidents import (
    ImportMapping,
    MappingError,
    ParseResult,
    count_by,
    load_mapping,
    parse_mapped,
    parse_mapping,
    response_times,
)

ROOT = Path(__file__).parents[3]
DATA = Path("/work/shared/data")
LFB = DATA / "lfb_dwelling_fires_2009.csv"
SF = DATA / "sf_fire_calls_sample_1000.csv"
NOW = datetime(2025, 6, 1, tzinfo=UTC)

needs_data = pytest.mark.skipif(not (LFB.exists() and SF.exists()), reason="shared test data not present")


@pytest.fixture(scope="module")
def lfb() -> ParseResult:
    return parse_mapped(LFB, load_mapping(ROOT / "mappings" / "lfb.toml"), now=NOW)


@pytest.fixture(scope="module")
def sf_mapping() -> ImportMapping:
    return load_mapping(ROOT / "mappings" / "sf_fire.toml")


@needs_data
def test_lfb_reproduces_the_published_attendance_figures(lfb: ParseResult) -> None:
    assert lfb.ok and lfb.n_warnings == 0, lfb.problems[:3]
    stats = response_times(lfb.accepted(), within_minutes=[6])
    assert stats["n"] == 6708 and stats["n_missing"] == 0
    assert stats["median_s"] == 296
    assert stats["p90_s"] == 471
    assert round(stats["share_within"]["6"] * 100, 2) == 71.15


@needs_data
def test_lfb_counts_by_borough_and_local_year(lfb: ParseResult) -> None:
    batch = lfb.accepted()
    by_year = count_by(batch, ["year"], timezone="Europe/London")
    assert by_year["groups"] == [{"year": 2009, "count": 6708}]
    boroughs = count_by(batch, ["omrade"])["groups"]
    assert len(boroughs) == 33 and sum(g["count"] for g in boroughs) == 6708
    assert set(batch.frame["handelsetyp"].unique().to_list()) == {1}
    assert batch.frame["kommun"].unique().to_list() == ["0180"]


def _raw_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@needs_data
def test_lfb_times_are_london_local_time(lfb: ParseResult) -> None:
    records = {r.handelse_id: r for r in lfb.accepted().records()}
    assert records["12091"].larm_tid == datetime(2009, 1, 1, 0, 16, 2, tzinfo=UTC)  # GMT in winter
    assert records["12091"].insatstid_s == 663
    july = next(r for r in _raw_rows(LFB) if r["DateOfCall"].startswith("2009-07"))
    local = datetime.fromisoformat(f"{july['DateOfCall']} {july['TimeOfCall']}")
    assert records[july["IncidentNumber"]].larm_tid == (local - timedelta(hours=1)).replace(tzinfo=UTC)  # BST


@needs_data
def test_sf_collapses_units_to_961_calls_keeping_the_first_arrival(sf_mapping: ImportMapping) -> None:
    result = parse_mapped(SF, sf_mapping, now=NOW)
    assert result.ok and result.n_rows == 1000, result.problems[:3]
    batch = result.accepted()
    assert len(batch) == 961 and batch.frame["handelse_id"].n_unique() == 961
    # Independently of the pipeline: the kept unit's delay is the smallest Delay of its call.
    smallest: dict[str, float] = {}
    for row in _raw_rows(SF):
        delay = float(row["Delay"])
        smallest[row["CallNumber"]] = min(delay, smallest.get(row["CallNumber"], delay))
    kept = dict(zip(batch.frame["handelse_id"].to_list(), batch.insatstid_s().to_list(), strict=True))
    assert kept.keys() == smallest.keys()
    assert all(kept[k] == pytest.approx(smallest[k] * 60, abs=1e-3) for k in kept)


@needs_data
def test_sf_unit_level_delay_matches_the_published_quantiles(sf_mapping: ImportMapping) -> None:
    # Without the collapse each unit row is an event of its own, keyed by the file's RowID.
    rules = {
        **sf_mapping.fields,
        "handelse_id": dataclasses.replace(sf_mapping.fields["handelse_id"], columns=("RowID",)),
    }
    per_unit = dataclasses.replace(sf_mapping, fields=rules, collapse_by=None, collapse=None)
    units = parse_mapped(SF, per_unit, now=NOW)
    assert units.ok and len(units.batch) == 1000
    stats = response_times(units.accepted())
    assert stats["median_s"] / 60 == pytest.approx(2.825, abs=0.0005)
    assert stats["p90_s"] / 60 == pytest.approx(5.38, abs=0.005)
    delays = np.array([float(r["Delay"]) for r in _raw_rows(SF)])
    assert np.percentile(delays, 90, method="linear") * 60 == pytest.approx(stats["p90_s"], abs=1e-3)


@needs_data
def test_sf_call_numbers_repeat_without_the_collapse(sf_mapping: ImportMapping) -> None:
    result = parse_mapped(SF, dataclasses.replace(sf_mapping, collapse_by=None, collapse=None), now=NOW)
    assert not result.ok and result.n_errors == 1000 - 961
    assert {p.column for p in result.problems} == {"CallNumber"}


@needs_data
def test_sf_reads_am_pm_and_null_strings(sf_mapping: ImportMapping) -> None:
    frame = parse_mapped(SF, sf_mapping, now=NOW).accepted().frame
    first = frame.row(0, named=True)
    assert first["handelse_id"] == "20110016"
    assert first["larm_tid"] == datetime(2002, 1, 11, 8, 0, tzinfo=UTC)  # midnight PST
    assert first["avslutad_tid"] == datetime(2002, 1, 11, 9, 51, 44, tzinfo=UTC)  # 01:51:44 AM PST
    assert frame["handelsetyp"].null_count() == 0
    assert frame["omrade"].null_count() == 0


MINIMAL = """
name = "test"
[source]
timezone = "Europe/Stockholm"
null_values = ["-"]
[constants]
kommun = "0180"
[fields]
handelse_id = "Id"
handelsetyp = { column = "Typ", values = { "Eld" = 1, "Bil" = 2 } }
larm_tid = { columns = ["Datum", "Tid"], format = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"] }
framme_tid = { column = "Sek", format = "seconds_after" }
"""


def test_a_small_mapping_end_to_end() -> None:
    mapping = parse_mapping(MINIMAL)
    data = (
        "Id,typ,Datum,Tid,Sek,Annat\n"  # "typ": source columns match without regard to case
        "1,Eld,05.03.2024,14:22,90,a\n"
        "2,Bil,05.03.2024,14:30:15,-,b\n"
        "3,Båt,05.03.2024,14:40,x,c\n"
    )
    result = parse_mapped(data.encode(), mapping, now=NOW)
    problems = [(p.row, p.column, p.message) for p in result.problems]
    assert [(r, c) for r, c, _ in problems] == [(4, "Typ"), (4, "Sek")]
    assert "okänd händelsetyp" in problems[0][2] and "sekunder" in problems[1][2]
    ok = result.batch.frame.sort("rad")
    assert ok["handelsetyp"].to_list() == [1, 2]
    assert ok["larm_tid"].to_list() == [
        datetime(2024, 3, 5, 13, 22, tzinfo=UTC),
        datetime(2024, 3, 5, 13, 30, 15, tzinfo=UTC),
    ]
    assert ok["framme_tid"].to_list() == [datetime(2024, 3, 5, 13, 23, 30, tzinfo=UTC), None]


def test_collapse_keeps_the_first_arriving_unit() -> None:
    text = MINIMAL.replace('handelse_id = "Id"', 'handelse_id = "Call"') + (
        '\n[collapse]\ngroup_by = "Call"\naggregate = { avslutad_tid = "max" }\n'
        '[fields.avslutad_tid]\ncolumn = "Klar"\nformat = "%d.%m.%Y %H:%M"\n'
    )
    mapping = parse_mapping(text)
    data = (
        "Call,Typ,Datum,Tid,Sek,Klar\n"
        "A,Eld,05.03.2024,14:00,600,05.03.2024 15:00\n"
        "A,Eld,05.03.2024,14:00,300,05.03.2024 14:30\n"
        "A,Eld,05.03.2024,14:00,-,05.03.2024 16:00\n"
        "B,Bil,05.03.2024,15:00,-,\n"
    )
    result = parse_mapped(data.encode(), mapping, now=NOW)
    assert result.ok and result.n_rows == 4
    rows = result.accepted().frame.sort("rad").to_dicts()
    assert [(r["handelse_id"], r["rad"]) for r in rows] == [("A", 3), ("B", 5)]
    assert rows[0]["framme_tid"] == datetime(2024, 3, 5, 13, 5, tzinfo=UTC)
    assert rows[0]["avslutad_tid"] == datetime(2024, 3, 5, 15, 0, tzinfo=UTC)  # the last unit's
    assert rows[1]["framme_tid"] is None


def test_missing_source_column_is_reported_before_any_row() -> None:
    result = parse_mapped(b"Id,Typ,Datum\n1,Eld,05.03.2024\n", parse_mapping(MINIMAL), now=NOW)
    assert not result.ok
    assert {(p.row, p.column) for p in result.problems} == {(1, "Tid"), (1, "Sek")}


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda t: t.replace('handelse_id = "Id"', 'handelse_nr = "Id"'), "okänt fält"),
        (lambda t: t.replace('handelse_id = "Id"\n', ""), "obligatoriska fält saknas"),
        (lambda t: t.replace("Europe/Stockholm", "Europe/Gotham"), "okänd tidszon"),
        (lambda t: t.replace('"%d.%m.%Y %H:%M"', '"%d.%m.%Y %Q"'), "ogiltigt tidsformat"),
        (lambda t: t.replace('column = "Typ"', 'column = "Typ", format = "%Y"'), "gäller bara tidsfälten"),
        (lambda t: t.replace('"seconds_after"', '"hours_after"'), "ogiltigt tidsformat"),
        (lambda t: t + '\n[collapse]\ngroup_by = "Id"\nkeep = "last"\n', "first_arriving"),
        (lambda t: t + "\n[extra]\nx = 1\n", "okänd nyckel extra"),
        (
            lambda t: t.replace('kommun = "0180"', 'kommun = "0180"\nhandelse_id = "X"'),
            "både kolumn och konstant",
        ),
        (lambda t: t + "\nname = ", "inte giltig TOML"),
        (lambda t: t.replace("[source]", '[source]\nencoding = "latin-99"'), "teckenkodning"),
        (lambda t: t.replace("[source]", '[source]\ndelimiter = ";;"'), "ett enda tecken"),
    ],
)
def test_mapping_errors_name_the_key_to_fix(edit: object, fragment: str) -> None:
    assert callable(edit)
    with pytest.raises(MappingError, match=fragment):
        parse_mapping(edit(MINIMAL))


def test_relative_larm_tid_is_refused() -> None:
    text = MINIMAL.replace(
        'larm_tid = { columns = ["Datum", "Tid"], format = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"] }',
        'larm_tid = { column = "Sek", format = "seconds_after" }',
    )
    with pytest.raises(MappingError, match="larm_tid"):
        parse_mapping(text)


def test_shipped_mappings_load() -> None:
    for name in ("lfb.toml", "sf_fire.toml"):
        mapping = load_mapping(ROOT / "mappings" / name)
        assert mapping.fields["kommun"].constant is not None
    with pytest.raises(MappingError, match="kunde inte läsas"):
        load_mapping(ROOT / "mappings" / "finns-inte.toml")
