"""The bundled municipality boundaries and the raster test for "outside the organisation's municipalities"."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from lsoplan.lib.geo.boundaries import MARGIN_M, rasterise, read_boundaries, region
from lsoplan.lib.geo.crs import GeoError
from lsoplan.reference.boundaries import FILE, municipality_boundaries, organisation_region

DATA = Path(__file__).resolve().parents[2] / "src" / "lsoplan" / "reference" / "data"


def test_the_bundled_file_has_every_municipality_and_is_small() -> None:
    with (DATA / "municipalities.csv").open(encoding="utf-8") as fh:
        codes = {r["code"] for r in csv.DictReader(fh)}
    boundaries = municipality_boundaries()
    assert set(boundaries) == codes and len(codes) == 290
    assert all(g.is_valid and not g.is_empty for g in boundaries.values())
    assert FILE.stat().st_size < 300_000


@pytest.mark.parametrize(
    ("code", "lon", "lat"),
    [
        ("0180", 18.0686, 59.3293),  # Stockholm, Sergels torg
        ("1480", 11.9668, 57.7072),  # Göteborg, centre
        ("2584", 20.2253, 67.8558),  # Kiruna
    ],
)
def test_a_town_centre_lies_inside_its_own_municipality(code: str, lon: float, lat: float) -> None:
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform(lon, lat)
    assert municipality_boundaries()[code].contains(shapely.Point(x, y))
    others = [
        c for c, g in municipality_boundaries().items() if c != code and g.contains(shapely.Point(x, y))
    ]
    assert others == []


def test_the_raster_agrees_with_the_exact_test_away_from_the_edge() -> None:
    area = region(municipality_boundaries(), ["0484", "0486"])
    assert area is not None
    raster = rasterise(area)
    widened = area.buffer(MARGIN_M, quad_segs=4)
    minx, miny, maxx, maxy = widened.bounds
    rng = np.random.default_rng(7)
    xs = rng.uniform(minx - 5_000, maxx + 5_000, 20_000)
    ys = rng.uniform(miny - 5_000, maxy + 5_000, 20_000)
    exact = ~shapely.contains_xy(widened, xs, ys)
    # Half a cell's diagonal is the raster's only error: beyond it, both must agree.
    far = shapely.distance(widened.boundary, shapely.points(xs, ys)) > 250 * np.sqrt(2) / 2
    assert far.sum() > 19_000
    np.testing.assert_array_equal(raster.outside(xs, ys)[far], exact[far])


def test_points_without_coordinates_are_never_outside() -> None:
    area = organisation_region(["0180"])
    assert area is not None
    assert not area.outside(np.array([np.nan, 674_000.0]), np.array([6_580_000.0, np.nan])).any()


def test_a_neighbouring_town_is_outside_but_the_margin_forgives_the_generalisation() -> None:
    stockholm = organisation_region(["0180"])
    assert stockholm is not None
    grown = municipality_boundaries()["0180"].buffer(200)
    largest = max(getattr(grown, "geoms", [grown]), key=lambda g: g.area)
    x, y = largest.exterior.coords[0]  # 200 m outside the boundary: within the margin
    # Eskilstuna's centre (584 686, 6 583 356) is some 90 km west.
    result = stockholm.outside(np.array([584_686.0, x]), np.array([6_583_356.0, y]))
    assert result.tolist() == [True, False]


def test_a_feature_without_a_code_is_one_clear_line() -> None:
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": None}]}
    with pytest.raises(GeoError, match="saknar kommunkod"):
        read_boundaries(doc)
