"""Grid statistics: cell boundaries by hand, and the real LFB and SF files against an independent
computation (stdlib csv, dict grouping and numpy percentiles, not polars)."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from pyproj import Transformer

from lsoplan.lib.geo.crs import GeoError, grid_crs, parse_point, transform
from lsoplan.lib.geo.grid import Filters, apply_filters, grid_statistics, suppress_small, with_local_time

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def frame(points: list[tuple[float, float, float | None]]) -> pl.DataFrame:
    """(x, y, insatstid in seconds) → the columns the grid reads."""
    return pl.DataFrame(
        {
            "gx": [p[0] for p in points],
            "gy": [p[1] for p in points],
            "larm_tid": [T0] * len(points),
            "framme_tid": [T0 + timedelta(seconds=p[2]) if p[2] is not None else None for p in points],
        },
        schema={
            "gx": pl.Float64,
            "gy": pl.Float64,
            "larm_tid": pl.Datetime("us", "UTC"),
            "framme_tid": pl.Datetime("us", "UTC"),
        },
    )


def test_a_point_on_the_west_edge_belongs_to_the_cell_and_on_the_east_edge_to_the_next() -> None:
    cells = grid_statistics(frame([(1000.0, 0.0, 60), (1999.999, 0.0, 60), (2000.0, 0.0, 60)]), cell_m=1000)
    assert [(c["x"], c["y"], c["n"]) for c in cells] == [(1000, 0, 2), (2000, 0, 1)]


def test_cells_line_up_with_the_origin_also_for_negative_coordinates() -> None:
    cells = grid_statistics(frame([(-0.5, -0.5, 60), (-250.0, 0.0, 60)]), cell_m=250)
    assert [(c["x"], c["y"]) for c in cells] == [(-250, -250), (-250, 0)]


def test_median_and_p90_use_linear_interpolation_as_r_type_7() -> None:
    # R: quantile(c(60, 120, 180, 600), c(.5, .9), type = 7) → 150, 474
    cells = grid_statistics(frame([(10, 10, 60), (20, 20, 120), (30, 30, 180), (40, 40, 600)]), cell_m=1000)
    assert cells[0]["median_s"] == pytest.approx(150.0)
    assert cells[0]["p90_s"] == pytest.approx(474.0)


def test_incidents_without_arrival_count_in_n_but_not_in_times_or_shares() -> None:
    cells = grid_statistics(frame([(1, 1, 300), (2, 2, None)]), cell_m=1000, within_minutes=[6])
    assert cells[0]["n"] == 2 and cells[0]["n_with_time"] == 1
    assert cells[0]["share_within"] == {"6": 1.0}


def test_min_count_drops_small_cells_and_suppression_removes_them_for_the_public() -> None:
    points = [(1, 1, 60), (2, 2, 60), (3, 3, 60), (5001, 1, 60)]
    assert [c["n"] for c in grid_statistics(frame(points), cell_m=1000, min_count=2)] == [3]
    all_cells = grid_statistics(frame(points), cell_m=1000)
    assert [c["n"] for c in suppress_small(all_cells, 3)] == [3]


def test_per_year_divides_by_the_years_given() -> None:
    cells = grid_statistics(frame([(1, 1, 60)] * 6), cell_m=1000, years=3)
    assert cells[0]["per_year"] == 2.0


def test_a_cell_size_outside_the_list_is_refused_in_swedish() -> None:
    with pytest.raises(GeoError, match="Rutstorleken 300 m stöds inte"):
        grid_statistics(frame([(1, 1, 60)]), cell_m=300)


def test_a_crs_that_does_not_exist_is_one_clear_line() -> None:
    with pytest.raises(GeoError, match="finns inte i EPSG-registret"):
        grid_crs("EPSG:999999")


def test_a_grid_in_degrees_is_refused() -> None:
    with pytest.raises(GeoError, match="grader, inte meter"):
        grid_crs("EPSG:4326")


def test_a_point_column_is_read_in_the_order_written() -> None:
    assert parse_point("(37.7895840679362, -122.428071912459)") == (37.7895840679362, -122.428071912459)
    assert parse_point("") is None
    with pytest.raises(GeoError, match="ingen punkt"):
        parse_point("Mission St")


def test_sweref_transformation_keeps_east_before_north() -> None:
    # Stockholm city hall (59.3275 N, 18.0545 E) lies about 673 000 m east, 6 580 000 m north.
    x, y = transform(np.array([18.0545]), np.array([59.3275]), "EPSG:4326", "EPSG:3006")
    assert 670_000 < x[0] < 676_000 and 6_577_000 < y[0] < 6_583_000


def test_hour_filter_wraps_past_midnight() -> None:
    times = [datetime(2024, 1, 10, h, 30, tzinfo=UTC) for h in (20, 22, 23, 0, 5, 6)]  # CET = UTC+1
    data = pl.DataFrame({"larm_tid": times, "handelsetyp": [1] * 6})
    kept = apply_filters(with_local_time(data), Filters(from_hour=22, to_hour=6))
    # Local 21, 23, 00, 01, 06, 07: the end hour is exclusive, so 06:30 falls outside 22–6.
    assert sorted(kept["hour"].to_list()) == [0, 1, 23]


def test_reversed_years_are_refused() -> None:
    with pytest.raises(GeoError, match="Startåret 2025 ligger efter slutåret 2020"):
        Filters(from_year=2025, to_year=2020)


# --- the real files -------------------------------------------------------------------------


def _need(name: str) -> Path:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} saknas (../shared/data finns i CI)")
    return path


def _independent(rows: list[tuple[float, float, float]], cell: int, within_s: float) -> dict:
    groups: dict[tuple[int, int], list[float]] = defaultdict(list)
    for x, y, t in rows:
        groups[(math.floor(x / cell) * cell, math.floor(y / cell) * cell)].append(t)
    return {
        key: (
            len(ts),
            float(np.percentile(ts, 50, method="linear")),
            float(np.percentile(ts, 90, method="linear")),
            sum(t <= within_s for t in ts) / len(ts),
        )
        for key, ts in groups.items()
    }


def _compare(cells: list[dict], expected: dict, minutes: str) -> None:
    got = {(c["x"], c["y"]): (c["n"], c["median_s"], c["p90_s"], c["share_within"][minutes]) for c in cells}
    assert got.keys() == expected.keys()
    for key, (n, med, p90, share) in expected.items():
        assert got[key][0] == n
        assert got[key][1] == pytest.approx(med)
        assert got[key][2] == pytest.approx(p90)
        assert got[key][3] == pytest.approx(share)


def test_lfb_grid_in_british_national_grid_matches_an_independent_computation() -> None:
    rows = []
    with _need("lfb_dwelling_fires_2009.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append(
                (float(r["Easting_m"]), float(r["Northing_m"]), float(r["FirstPumpArriving_AttendanceTime"]))
            )
    grid_crs("EPSG:27700")  # projected, metres: the grid is laid in the file's own CRS
    cells = grid_statistics(frame(rows), cell_m=1000, within_minutes=[6])
    assert sum(c["n"] for c in cells) == 6708
    _compare(cells, _independent(rows, 1000, 360), "6")


def test_sf_points_in_latitude_longitude_gridded_in_utm_match_an_independent_computation() -> None:
    lonlat, delays = [], []
    with _need("sf_fire_calls_sample_1000.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            point = parse_point(r["Location"])
            assert point is not None
            lonlat.append((point[1], point[0]))
            delays.append(float(r["Delay"]) * 60)
    lon, lat = np.array([p[0] for p in lonlat]), np.array([p[1] for p in lonlat])
    gx, gy = transform(lon, lat, "EPSG:4326", grid_crs("EPSG:32610").crs)
    # Independent: pyproj's own transformer in the authority's axis order (lat, lon for 4326).
    ex, ey = Transformer.from_crs("EPSG:4326", "EPSG:32610").transform(lat, lon)
    rows = list(zip(ex, ey, delays, strict=True))
    cells = grid_statistics(frame(list(zip(gx, gy, delays, strict=True))), cell_m=500, within_minutes=[5])
    assert sum(c["n"] for c in cells) == 1000
    _compare(cells, _independent(rows, 500, 300), "5")
