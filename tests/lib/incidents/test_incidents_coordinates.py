"""Coordinates in mapped files: a declared source CRS, x/y or one point column, SWEREF 99 TM stored.

The reference is pyproj called directly here (a Transformer built in the test, not through
lsoplan), and for the real files the file's own coordinates: transforming the stored SWEREF 99 TM
values back must give them again.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from pyproj import Transformer

from lsoplan.lib.incidents import MappingError, ParseResult, load_mapping, parse_mapped, parse_mapping

ROOT = Path(__file__).parents[3]
DATA = Path("/work/shared/data")
LFB = DATA / "lfb_dwelling_fires_2009.csv"
SF = DATA / "sf_fire_calls_sample_1000.csv"
NOW = datetime(2025, 6, 1, tzinfo=UTC)

BASE = """
format_version = 1
name = "test"
[source]
delimiter = ";"
{source}
[constants]
kommun = "0180"
handelsetyp = 1
[fields]
handelse_id = "id"
larm_tid = "larm"
{fields}
"""


def mapping(source: str = "", fields: str = ""):
    return parse_mapping(BASE.format(source=source, fields=fields))


def run(text: str, source: str = "", fields: str = "") -> ParseResult:
    return parse_mapped(text.encode(), mapping(source, fields), now=NOW)


def reference(xs: list[float], ys: list[float], crs: str) -> tuple[np.ndarray, np.ndarray]:
    t = Transformer.from_crs(crs, "EPSG:3006", always_xy=True)
    return t.transform(np.array(xs), np.array(ys))


def coords(result: ParseResult) -> pl.DataFrame:
    return result.accepted().frame.select("handelse_id", "x", "y")


def test_british_national_grid_columns_are_stored_as_sweref99tm() -> None:
    result = run(
        "id;larm;E;N\nA;2024-03-05 14:22;531350.0;195850.0\nB;2024-03-05 15:00;543750.0;177750.0\n",
        'crs = "EPSG:27700"',
        'x = "E"\ny = "N"',
    )
    assert result.ok and result.n_warnings == 0, result.problems
    ex, ey = reference([531350.0, 543750.0], [195850.0, 177750.0], "EPSG:27700")
    got = coords(result)
    np.testing.assert_allclose(got["x"].to_numpy(), ex, atol=1e-6)
    np.testing.assert_allclose(got["y"].to_numpy(), ey, atol=1e-6)


def test_a_lat_lon_point_passes_longitude_as_x() -> None:
    # Stockholm city hall; SWEREF 99 TM near (674 000, 6 580 000) as any map of Stockholm shows.
    result = run(
        'id;larm;plats\nA;2024-03-05 14:22;"(59.3275, 18.0547)"\n',
        'crs = "EPSG:4326"',
        'point = { column = "plats", order = "lat,lon" }',
    )
    assert result.ok and result.n_warnings == 0, result.problems
    ex, ey = reference([18.0547], [59.3275], "EPSG:4326")
    x, y = coords(result).row(0)[1:]
    assert x == pytest.approx(ex[0], abs=1e-6) and y == pytest.approx(ey[0], abs=1e-6)
    assert 670_000 < x < 680_000 and 6_575_000 < y < 6_585_000


def test_a_lon_lat_point_gives_the_same_coordinates_as_lat_lon() -> None:
    lat_lon = run(
        "id;larm;p\nA;2024-03-05 14:22;59.3275 18.0547\n",
        'crs = "EPSG:4326"',
        'point = { column = "p", order = "lat,lon" }',
    )
    lon_lat = run(
        "id;larm;p\nA;2024-03-05 14:22;(18.0547, 59.3275)\n",
        'crs = "EPSG:4326"',
        'point = { column = "p", order = "lon,lat" }',
    )
    assert coords(lat_lon).row(0) == pytest.approx(coords(lon_lat).row(0))


def test_an_unknown_crs_is_refused_when_the_mapping_is_read() -> None:
    with pytest.raises(MappingError, match=r"source\.crs: .*EPSG:999999 finns inte"):
        mapping('crs = "EPSG:999999"')


def test_a_crs_that_is_not_an_epsg_code_is_refused() -> None:
    with pytest.raises(MappingError, match=r"source\.crs: Okänt koordinatsystem 'WGS84'"):
        mapping('crs = "WGS84"')


def test_a_height_system_is_refused_as_source_crs() -> None:
    with pytest.raises(MappingError, match=r"source\.crs: NAVD88 height \(EPSG:5703\) är inget"):
        mapping('crs = "EPSG:5703"')


def test_a_point_order_other_than_lat_lon_or_lon_lat_is_refused() -> None:
    with pytest.raises(MappingError, match=r"fields\.point\.order"):
        mapping('crs = "EPSG:4326"', 'point = { column = "p", order = "north,east" }')


def test_a_point_together_with_x_is_refused() -> None:
    with pytest.raises(MappingError, match=r"fields\.point kan inte kombineras med x eller y"):
        mapping("", 'x = "E"\ny = "N"\npoint = { column = "p", order = "lat,lon" }')


def test_x_without_y_is_refused() -> None:
    with pytest.raises(MappingError, match=r"fields\.x och fields\.y anges tillsammans"):
        mapping("", 'x = "E"')


def test_a_point_cell_that_is_not_two_numbers_is_a_warning_with_row_and_column() -> None:
    result = run(
        "id;larm;plats\nA;2024-03-05 14:22;(59.3275, 18.0547)\nB;2024-03-05 15:00;(59.3, norr)\n",
        'crs = "EPSG:4326"',
        'point = { column = "plats", order = "lat,lon" }',
    )
    assert result.ok and result.n_errors == 0 and result.n_warnings == 1
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.value, problem.severity) == (
        3,
        "plats",
        "(59.3, norr)",
        "warning",
    )
    assert problem.message.startswith("ingen punkt")
    got = coords(result)
    assert got.height == 2 and got.filter(pl.col("handelse_id") == "B").row(0)[1:] == (None, None)


def test_latitude_outside_90_degrees_is_a_warning_that_suggests_a_swap() -> None:
    # An SF point read with the wrong order: latitude -122.42 does not exist.
    result = run(
        "id;larm;p\nA;2024-03-05 14:22;(37.78, -122.42)\n",
        'crs = "EPSG:4326"',
        'point = { column = "p", order = "lon,lat" }',
    )
    assert result.ok and result.n_warnings == 1
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.value) == (2, "p", "(37.78, -122.42)")
    assert "förväxlade" in problem.message
    assert coords(result).row(0)[1:] == (None, None)


def test_unparseable_mapped_x_is_a_warning_and_drops_both_coordinates() -> None:
    result = run("id;larm;E;N\nA;2024-03-05 14:22;öst;6580000\n", "", 'x = "E"\ny = "N"')
    assert result.ok and result.n_warnings == 1
    assert (result.problems[0].column, result.problems[0].value) == ("E", "öst")
    assert coords(result).row(0)[1:] == (None, None)


def test_a_foreign_crs_keeps_points_outside_sweden_without_warning() -> None:
    result = run(
        "id;larm;p\nA;2024-03-05 14:22;(37.78, -122.42)\n",
        'crs = "EPSG:4326"',
        'point = { column = "p", order = "lat,lon" }',
    )
    assert result.ok and result.n_warnings == 0
    ex, ey = reference([-122.42], [37.78], "EPSG:4326")
    assert coords(result).row(0)[1:] == pytest.approx((ex[0], ey[0]))


def test_a_swedish_local_zone_is_transformed_and_still_checked_for_sweden() -> None:
    # SWEREF 99 18 00 (EPSG:3011): the first row is in Stockholm, the second has x and y swapped.
    result = run(
        "id;larm;E;N\nA;2024-03-05 14:22;153000;6580000\nB;2024-03-05 15:00;6580000;153000\n",
        'crs = "EPSG:3011"',
        'x = "E"\ny = "N"',
    )
    assert result.ok and result.n_warnings == 1
    assert result.problems[0].row == 3 and "utanför Sverige" in result.problems[0].message
    ex, ey = reference([153000.0], [6580000.0], "EPSG:3011")
    assert coords(result).row(0)[1:] == pytest.approx((ex[0], ey[0]))


def test_without_crs_the_columns_are_sweref99tm_as_given() -> None:
    result = run("id;larm;E;N\nA;2024-03-05 14:22;674032.5;6580821\n", "", 'x = "E"\ny = "N"')
    assert coords(result).row(0)[1:] == (674032.5, 6580821.0)


needs_data = pytest.mark.skipif(not (LFB.exists() and SF.exists()), reason="shared test data not present")


@needs_data
def test_lfb_coordinates_transform_back_to_the_files_own_easting_and_northing() -> None:
    result = parse_mapped(LFB, load_mapping(ROOT / "mappings" / "lfb.toml"), now=NOW)
    assert result.ok and result.n_warnings == 0
    got = coords(result)
    assert got.height == 6708 and got["x"].null_count() == 0
    with LFB.open(encoding="utf-8") as fh:
        own = {
            r["IncidentNumber"]: (float(r["Easting_m"]), float(r["Northing_m"])) for r in csv.DictReader(fh)
        }
    back = Transformer.from_crs("EPSG:3006", "EPSG:27700", always_xy=True)
    e, n = back.transform(got["x"].to_numpy(), got["y"].to_numpy())
    expected = np.array([own[i] for i in got["handelse_id"]])
    np.testing.assert_allclose(e, expected[:, 0], rtol=0, atol=0.01)
    np.testing.assert_allclose(n, expected[:, 1], rtol=0, atol=0.01)


@needs_data
def test_sf_locations_transform_back_to_the_files_own_latitude_and_longitude() -> None:
    result = parse_mapped(SF, load_mapping(ROOT / "mappings" / "sf_fire.toml"), now=NOW)
    assert result.ok and result.n_warnings == 0
    got = coords(result)
    assert got.height == 961 and got["x"].null_count() == 0
    own: dict[str, tuple[float, float]] = {}
    with SF.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            lat, lon = r["Location"].strip("()").split(",")
            own[r["CallNumber"]] = (float(lat), float(lon))
    back = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    lon, lat = back.transform(got["x"].to_numpy(), got["y"].to_numpy())
    expected = np.array([own[i] for i in got["handelse_id"]])
    np.testing.assert_allclose(lat, expected[:, 0], rtol=0, atol=1e-7)
    np.testing.assert_allclose(lon, expected[:, 1], rtol=0, atol=1e-7)
