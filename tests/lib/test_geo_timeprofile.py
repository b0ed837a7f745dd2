"""Capability over time on the LFB file, against an independent grouping with stdlib and numpy."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest

from lsoplan.lib.geo.grid import with_local_time
from lsoplan.lib.geo.timeprofile import by_month, hour_by_weekday, slowest_hours

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LONDON = ZoneInfo("Europe/London")


def _lfb() -> tuple[pl.DataFrame, list[tuple[datetime, float]]]:
    path = DATA / "lfb_dwelling_fires_2009.csv"
    if not path.exists():
        pytest.skip(f"{path} saknas (../shared/data finns i CI)")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            local = datetime.fromisoformat(f"{r['DateOfCall']}T{r['TimeOfCall']}").replace(tzinfo=LONDON)
            rows.append((local, float(r["FirstPumpArriving_AttendanceTime"])))
    frame = pl.DataFrame(
        {"larm_tid": [t for t, _ in rows], "framme_tid": [t + timedelta(seconds=s) for t, s in rows]}
    ).with_columns(pl.col("larm_tid", "framme_tid").dt.convert_time_zone("UTC"))
    return with_local_time(frame, "Europe/London"), rows


def test_hour_by_weekday_matches_an_independent_grouping() -> None:
    frame, rows = _lfb()
    expected: dict[tuple[int, int], list[float]] = defaultdict(list)
    for local, seconds in rows:
        expected[(local.isoweekday(), local.hour)].append(seconds)
    got = {(r["weekday"], r["hour"]): r for r in hour_by_weekday(frame, [6])}
    assert got.keys() == expected.keys()
    for key, values in expected.items():
        assert got[key]["n"] == len(values)
        assert got[key]["median_s"] == pytest.approx(float(np.percentile(values, 50, method="linear")))
        assert got[key]["share_within"]["6"] == pytest.approx(sum(v <= 360 for v in values) / len(values))


def test_by_month_matches_an_independent_grouping() -> None:
    frame, rows = _lfb()
    expected: dict[int, list[float]] = defaultdict(list)
    for local, seconds in rows:
        expected[local.month].append(seconds)
    got = {r["month"]: r for r in by_month(frame)}
    assert sorted(got) == list(range(1, 13))
    for month, values in expected.items():
        assert got[month]["p90_s"] == pytest.approx(float(np.percentile(values, 90, method="linear")))


def test_slowest_hours_ignore_hours_with_few_incidents() -> None:
    rows = [
        {"hour": 3, "n_with_time": 2, "median_s": 900.0},
        {"hour": 4, "n_with_time": 40, "median_s": 420.0},
        {"hour": 5, "n_with_time": 40, "median_s": 480.0},
        {"hour": 6, "n_with_time": 40, "median_s": 300.0},
    ]
    assert [r["hour"] for r in slowest_hours(rows, min_n=10, top=2)] == [5, 4]
