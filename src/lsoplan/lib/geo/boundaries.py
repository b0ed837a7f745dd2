"""Municipality boundaries: the outline on every map, and which incidents lie outside them.

The boundaries are a GeoJSON FeatureCollection in SWEREF 99 TM with the kommunkod in ``kod`` (the
bundled file, ``reference/data/kommungranser_scb.geo.json``, is SCB's generalised boundaries). An
organisation's region is the union of its municipalities, widened by a margin: the boundaries are
simplified, so a point a few hundred metres over the line is more likely the generalisation than a
wrong coordinate; the test runs on a raster of the region (:class:`Region`), built once. A point
outside the region is a warning, never an error: a rescue at sea or help given to a neighbour is
real, a swapped or mistyped coordinate is worth a look.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from .crs import GeoError

MARGIN_M = 500.0  # the generalised boundaries are off by up to a few hundred metres


def read_boundaries(doc: Any) -> dict[str, BaseGeometry]:
    """kommunkod → (Multi)Polygon, from a FeatureCollection whose features carry ``kod``."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise GeoError("Kommungränserna är ingen GeoJSON-FeatureCollection.")
    found: dict[str, BaseGeometry] = {}
    for number, feature in enumerate(doc.get("features") or [], start=1):
        props = feature.get("properties") or {} if isinstance(feature, dict) else {}
        code = str(props.get("kod", "")).strip()
        if not code:
            raise GeoError(f"Kommungräns nr {number} saknar kommunkod (egenskapen kod).")
        try:
            geom = shape(feature["geometry"])
        except (KeyError, ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
            raise GeoError(f"Kommungränsen för {code} har trasiga koordinater.") from None
        found[code] = geom
    return found


def region(boundaries: Mapping[str, BaseGeometry], codes: Iterable[str]) -> BaseGeometry | None:
    """The union of the municipalities ``codes``; None when none of them has a boundary."""
    parts = [boundaries[c] for c in codes if c in boundaries]
    if not parts:
        return None
    return shapely.union_all(parts)


@dataclass(frozen=True)
class Region:
    """An organisation's municipalities, widened by the margin, as a raster of ``cell_m`` squares.

    A point-in-polygon test per incident costs about a microsecond, a second for a million rows on
    every import; the raster is built once per organisation (one test per cell centre) and then a
    point is one array look-up. A cell counts as inside when its centre is, so the edge is exact to
    half a cell's diagonal (177 m), well within the margin.
    """

    x0: float
    y0: float
    cell_m: float
    inside: np.ndarray  # bool, [row (y), column (x)]

    def outside(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """True for each point (SWEREF 99 TM) with both coordinates that lies outside the region."""
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        known = np.isfinite(xs) & np.isfinite(ys)
        rows, cols = self.inside.shape
        col = np.floor((np.where(known, xs, self.x0) - self.x0) / self.cell_m)
        row = np.floor((np.where(known, ys, self.y0) - self.y0) / self.cell_m)
        within = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
        hit = np.zeros(xs.shape, dtype=bool)
        hit[within] = self.inside[row[within].astype(np.int64), col[within].astype(np.int64)]
        return known & ~hit


def rasterise(area: BaseGeometry, *, margin_m: float = MARGIN_M, cell_m: float = 250.0) -> Region:
    """``area`` widened by ``margin_m``, as a :class:`Region`."""
    widened = area.buffer(margin_m, quad_segs=4)
    shapely.prepare(widened)
    minx, miny, maxx, maxy = widened.bounds
    cols = max(1, int(np.ceil((maxx - minx) / cell_m)))
    rows = max(1, int(np.ceil((maxy - miny) / cell_m)))
    cx = minx + (np.arange(cols) + 0.5) * cell_m
    cy = miny + (np.arange(rows) + 0.5) * cell_m
    gx, gy = np.meshgrid(cx, cy)
    inside = shapely.contains_xy(widened, gx.ravel(), gy.ravel()).reshape(rows, cols)
    return Region(minx, miny, cell_m, inside)


def outline_features(
    boundaries: Mapping[str, BaseGeometry], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """GeoJSON features (SWEREF 99 TM) for the municipalities in ``names`` (code → name), for a map."""
    return [
        {"type": "Feature", "geometry": mapping(boundaries[code]), "properties": {"kommun": name}}
        for code, name in sorted(names.items())
        if code in boundaries
    ]
