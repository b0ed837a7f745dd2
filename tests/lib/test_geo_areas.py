"""Response areas from GeoJSON: CRS given, declared or detected; broken files in one line; which
area an incident lies in."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lsoplan.lib.geo.areas import assign, read_areas
from lsoplan.lib.geo.crs import GeoError


def square(x0: float, y0: float, side: float) -> list[list[list[float]]]:
    return [[[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]]


def collection(*features: tuple[str, list], crs: str | None = None) -> bytes:
    doc: dict = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"namn": name},
                "geometry": {"type": "Polygon", "coordinates": c},
            }
            for name, c in features
        ],
    }
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc).encode()


def test_sweref_metres_are_detected_and_kept() -> None:
    areas = read_areas(collection(("Centrum", square(674_000, 6_580_000, 1000))))
    assert areas[0].name == "Centrum"
    assert areas[0].geometry.bounds == pytest.approx((674_000, 6_580_000, 675_000, 6_581_000))


def test_degrees_are_read_as_wgs84_and_projected_to_sweref() -> None:
    areas = read_areas(collection(("Stockholm", square(18.0, 59.3, 0.1))))
    minx, miny, _, _ = areas[0].geometry.bounds
    assert 660_000 < minx < 680_000 and 6_570_000 < miny < 6_580_000


def test_the_legacy_crs_member_is_honoured() -> None:
    data = collection(("A", square(500_000, 200_000, 1000)), crs="urn:ogc:def:crs:EPSG::27700")
    # Without the member the metres would not be recognised at all; with it, the square reaches
    # SWEREF 99 TM, where London lies far from the 15° E meridian and areas grow by about 3 %.
    assert read_areas(data)[0].geometry.area == pytest.approx(1e6, rel=0.05)


def test_swapped_sweref_coordinates_are_named() -> None:
    with pytest.raises(GeoError, match="x och y förväxlade"):
        read_areas(
            collection(
                (
                    "A",
                    [
                        [
                            [6_580_000, 674_000],
                            [6_581_000, 674_000],
                            [6_581_000, 675_000],
                            [6_580_000, 674_000],
                        ]
                    ],
                )
            )
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "GeoJSON-filen är trasig"),
        (b"[" * 100_000, "trasig|för djupt"),
        (b'{"type": "Point", "coordinates": [1, 2]}', "ingen GeoJSON-FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "inga områden"),
        ("\xff".encode("latin-1"), "inte UTF-8"),
    ],
)
def test_a_broken_file_gives_one_clear_line(data: bytes, message: str) -> None:
    with pytest.raises(GeoError, match=message):
        read_areas(data)


def test_a_feature_without_a_name_is_named_by_its_number() -> None:
    doc = json.loads(collection(("A", square(0, 0, 1))))
    doc["features"][0]["properties"] = {}
    with pytest.raises(GeoError, match="Område nr 1 saknar namn"):
        read_areas(json.dumps(doc).encode())


def test_a_self_crossing_boundary_is_refused() -> None:
    bowtie = [
        [
            [674_000, 6_580_000],
            [675_000, 6_581_000],
            [675_000, 6_580_000],
            [674_000, 6_581_000],
            [674_000, 6_580_000],
        ]
    ]
    with pytest.raises(GeoError, match="ogiltig geometri"):
        read_areas(collection(("Fluga", bowtie)))


def test_an_unknown_epsg_code_is_refused() -> None:
    with pytest.raises(GeoError, match="finns inte"):
        read_areas(collection(("A", square(0, 0, 1))), crs="EPSG:999999")


def test_each_point_gets_the_area_it_lies_in_and_the_first_listed_wins_an_overlap() -> None:
    areas = read_areas(
        collection(
            ("Väst", square(674_000, 6_580_000, 1000)),
            ("Öst", square(675_000, 6_580_000, 1000)),
            ("Överlapp", square(674_500, 6_580_000, 1000)),
        )
    )
    xs = np.array([674_100.0, 675_900.0, 674_700.0, 680_000.0, 675_000.0])
    ys = np.array([6_580_100.0, 6_580_100.0, 6_580_100.0, 6_580_100.0, 6_580_500.0])
    # The shared edge x = 675 000 touches both: the first listed (Väst) takes it.
    assert assign(xs, ys, areas).tolist() == [0, 1, 0, -1, 0]
