"""Counts, rates and response times over incident columns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lsoplan.lib.incidents import IncidentBatch, count_by, rates_per_1000, response_times

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def batch(rows: list[dict[str, object]]) -> IncidentBatch:
    base = {"handelse_id": "x", "kommun": "0180", "handelsetyp": 1, "larm_tid": T0}
    return IncidentBatch.from_rows([{**base, "handelse_id": f"H{i}", **r} for i, r in enumerate(rows)])


def test_year_and_month_are_swedish_local_time() -> None:
    b = batch(
        [
            {"larm_tid": datetime(2023, 12, 31, 23, 30, tzinfo=UTC)},  # 00:30 on 1 January in Sweden
            {"larm_tid": datetime(2023, 12, 31, 22, 30, tzinfo=UTC)},
            {"larm_tid": datetime(2024, 6, 30, 22, 30, tzinfo=UTC)},  # 00:30 on 1 July (CEST)
        ]
    )
    assert count_by(b, ["year", "month"]) == {
        "total": 3,
        "by": ["year", "month"],
        "groups": [
            {"year": 2023, "month": 12, "count": 1},
            {"year": 2024, "month": 1, "count": 1},
            {"year": 2024, "month": 7, "count": 1},
        ],
    }


def test_counts_by_type_municipality_and_area_with_missing_area_last() -> None:
    b = batch(
        [
            {"handelsetyp": 14, "omrade": "Norr"},
            {"handelsetyp": 14, "omrade": None},
            {"handelsetyp": 1, "omrade": "Norr", "kommun": "0380"},
        ]
    )
    assert count_by(b, ["handelsetyp"])["groups"] == [
        {"handelsetyp": 1, "count": 1},
        {"handelsetyp": 14, "count": 2},
    ]
    assert count_by(b, ["kommun", "omrade"])["groups"] == [
        {"kommun": "0180", "omrade": "Norr", "count": 1},
        {"kommun": "0180", "omrade": None, "count": 1},
        {"kommun": "0380", "omrade": "Norr", "count": 1},
    ]
    assert count_by(b) == {"total": 3, "by": [], "groups": []}
    with pytest.raises(ValueError, match="unknown grouping"):
        count_by(b, ["veckodag"])


def test_rates_per_1000_use_the_nearest_population_year() -> None:
    rows: list[dict[str, object]] = [{"kommun": "0180"}] * 5
    b = batch([*rows, {"kommun": "0380", "larm_tid": datetime(2022, 3, 1, tzinfo=UTC)}])
    pop = {("0180", 2024): 1000, ("0180", 2020): 500, ("0380", 2024): 2000}
    groups = rates_per_1000(b, pop)["groups"]
    assert groups == [
        {
            "kommun": "0180",
            "year": 2024,
            "count": 5,
            "population": 1000,
            "population_year": 2024,
            "per_1000": 5.0,
        },
        {
            "kommun": "0380",
            "year": 2022,
            "count": 1,
            "population": 2000,
            "population_year": 2024,
            "per_1000": 0.5,
        },
    ]
    assert rates_per_1000(batch([{"kommun": "0999"}]), pop)["groups"][0]["per_1000"] is None
    with pytest.raises(ValueError, match="kommun"):
        rates_per_1000(b, pop, by=["year"])


def test_response_times_count_missing_arrivals_apart() -> None:
    seconds = [60, 120, 300, 600, 1200]
    rows: list[dict[str, object]] = [{"framme_tid": T0 + timedelta(seconds=s)} for s in seconds]
    rows.append({"framme_tid": None})
    result = response_times(batch(rows), within_minutes=[5, 10])
    assert result["n"] == 5 and result["n_missing"] == 1
    assert result["median_s"] == 300
    assert result["p80_s"] == pytest.approx(np.percentile(seconds, 80))  # 720 by linear interpolation
    assert result["p90_s"] == pytest.approx(960)
    assert result["share_within"] == {"5": 0.6, "10": 0.8}
    assert "type 7" in result["method"]


def test_response_times_by_group_and_empty_groups() -> None:
    b = batch(
        [
            {"kommun": "0180", "framme_tid": T0 + timedelta(minutes=8)},
            {"kommun": "0180", "framme_tid": T0 + timedelta(minutes=12)},
            {"kommun": "0380", "framme_tid": None},
        ]
    )
    groups = response_times(b, ["kommun"], within_minutes=[10])["groups"]
    assert groups[0] == {
        "kommun": "0180",
        "n": 2,
        "n_missing": 0,
        "median_s": 600.0,
        "p80_s": pytest.approx(672.0),
        "p90_s": pytest.approx(696.0),
        "share_within": {"10": 0.5},
    }
    assert groups[1]["n"] == 0 and groups[1]["n_missing"] == 1
    assert groups[1]["median_s"] is None and groups[1]["share_within"] == {"10": None}
    empty = response_times(IncidentBatch.empty())
    assert empty["n"] == 0 and empty["median_s"] is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=7200), min_size=1, max_size=60))
def test_quantiles_equal_numpy_linear(seconds: list[int]) -> None:
    b = batch([{"framme_tid": T0 + timedelta(seconds=s)} for s in seconds])
    result = response_times(b, within_minutes=[10])
    for key, q in (("median_s", 50), ("p80_s", 80), ("p90_s", 90)):
        assert result[key] == pytest.approx(np.percentile(seconds, q, method="linear"))
    assert result["share_within"]["10"] == pytest.approx(np.mean(np.array(seconds) <= 600))


def test_a_plain_frame_from_the_database_works_too() -> None:
    frame = pl.DataFrame(
        {
            "larm_tid": [datetime(2024, 1, 1, 10, 0), datetime(2024, 1, 1, 11, 0)],  # naive = UTC
            "framme_tid": [datetime(2024, 1, 1, 10, 9), None],
            "kommun": ["0180", "0180"],
        }
    )
    assert response_times(frame)["median_s"] == 540
    assert count_by(frame, ["year"])["groups"] == [{"year": 2024, "count": 2}]
    b = IncidentBatch.from_frame(frame)
    assert b.frame.schema["larm_tid"] == pl.Datetime("us", "UTC") and len(b) == 2


def test_records_round_trip() -> None:
    b = batch([{"framme_tid": T0 + timedelta(minutes=9), "skadade": 2, "x": 674000.0, "y": 6580000.0}])
    (rec,) = list(b.records())
    again = IncidentBatch.from_rows([rec.__dict__])
    assert list(again.records()) == [rec]
    assert rec.insatstid_s == 540
