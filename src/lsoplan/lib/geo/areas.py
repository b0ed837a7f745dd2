"""Response areas (insatsområden) from GeoJSON, and which area each incident lies in.

An uploaded GeoJSON is read defensively: size and nesting are bounded, every feature must be a
(Multi)Polygon with a name, and the CRS is the one given, the file's own legacy ``crs`` member, or
detected from the coordinates (degrees → EPSG:4326 as RFC 7946 says; Swedish metres → SWEREF 99 TM).
Geometries are kept in SWEREF 99 TM. Point-in-polygon runs through shapely's STRtree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .crs import SWEREF99TM, SWEREF_X, SWEREF_Y, GeoError, parse_crs, transform

MAX_GEOJSON_BYTES = 20 * 1024 * 1024
MAX_FEATURES = 5_000
MAX_VERTICES = 2_000_000
NAME_KEYS = ("namn", "name", "NAMN", "Name", "omrade", "område", "insatsomrade")


@dataclass(frozen=True)
class Area:
    name: str
    geometry: BaseGeometry  # SWEREF 99 TM
    source_crs: str = SWEREF99TM  # the file's own CRS, as an EPSG code


def read_areas(data: bytes, *, crs: str | None = None, name_key: str | None = None) -> list[Area]:
    """The areas of a GeoJSON FeatureCollection, in SWEREF 99 TM; GeoError names what is wrong."""
    if len(data) > MAX_GEOJSON_BYTES:
        raise GeoError(f"GeoJSON-filen är större än {MAX_GEOJSON_BYTES // (1024 * 1024)} MB.")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise GeoError("GeoJSON-filen är inte UTF-8-kodad.") from None
    except RecursionError:
        raise GeoError("GeoJSON-filen är för djupt nästlad för att vara ett område.") from None
    except json.JSONDecodeError as exc:
        raise GeoError(f"GeoJSON-filen är trasig (rad {exc.lineno}, kolumn {exc.colno}).") from None
    features = _features(doc)
    raw = [_feature(i, f, name_key) for i, f in enumerate(features, start=1)]
    vertices = sum(shapely.get_num_coordinates(g) for _, g in raw)
    if vertices > MAX_VERTICES:
        raise GeoError(f"Områdena har {vertices} hörn; högst {MAX_VERTICES} tas emot – förenkla filen.")
    source = parse_crs(crs) if crs else _declared_crs(doc) or _detect_crs([g for _, g in raw])
    code = f"EPSG:{source.to_epsg()}" if source.to_epsg() else str(source)
    areas = []
    for name, geom in raw:
        projected = shapely.transform(geom, lambda xy, s=source: _to_sweref(xy, s))
        if not projected.is_valid:
            raise GeoError(f"Området {name!r} har en ogiltig geometri (t.ex. en gräns som korsar sig själv).")
        areas.append(Area(name, projected, code))
    names = [a.name for a in areas]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise GeoError(f"Flera områden heter {duplicates[0]!r} – varje område behöver ett eget namn.")
    return areas


def _features(doc: Any) -> list[dict[str, Any]]:
    if not isinstance(doc, dict) or doc.get("type") not in {"FeatureCollection", "Feature"}:
        raise GeoError("Filen är ingen GeoJSON-FeatureCollection.")
    features = doc["features"] if doc["type"] == "FeatureCollection" else [doc]
    if not isinstance(features, list) or not features:
        raise GeoError("GeoJSON-filen innehåller inga områden.")
    if len(features) > MAX_FEATURES:
        raise GeoError(f"GeoJSON-filen har {len(features)} områden; högst {MAX_FEATURES} tas emot.")
    return features


def _feature(number: int, feature: Any, name_key: str | None) -> tuple[str, BaseGeometry]:
    if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
        raise GeoError(f"Område nr {number} saknar geometri.")
    props = feature.get("properties") or {}
    keys = (name_key,) if name_key else NAME_KEYS
    name = next((str(props[k]).strip() for k in keys if isinstance(props, dict) and props.get(k)), "")
    if not name:
        wanted = name_key or " eller ".join(NAME_KEYS[:2])
        raise GeoError(f"Område nr {number} saknar namn (egenskapen {wanted}).")
    kind = feature["geometry"].get("type")
    if kind not in {"Polygon", "MultiPolygon"}:
        raise GeoError(f"Området {name!r} är en {kind}, inte en polygon.")
    try:
        geom = shape(feature["geometry"])
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.GEOSException):
        raise GeoError(f"Området {name!r} har trasiga koordinater.") from None
    if geom.is_empty:
        raise GeoError(f"Området {name!r} har inga koordinater.")
    return name, geom


def _declared_crs(doc: dict[str, Any]) -> Any:
    """The legacy (GeoJSON 2008) ``crs`` member, e.g. ``urn:ogc:def:crs:EPSG::3006``."""
    name = (((doc.get("crs") or {}).get("properties") or {}).get("name")) if isinstance(doc, dict) else None
    if not isinstance(name, str):
        return None
    match = re.search(r"EPSG:+(\d{4,6})", name, flags=re.IGNORECASE)
    if match:
        return parse_crs(f"EPSG:{match.group(1)}")
    if "CRS84" in name.upper():
        return parse_crs("EPSG:4326")
    raise GeoError(f"GeoJSON-filens koordinatsystem {name!r} känns inte igen – ange EPSG-kod.")


def _detect_crs(geoms: Sequence[BaseGeometry]) -> Any:
    minx, miny, maxx, maxy = shapely.total_bounds(np.array(geoms, dtype=object))
    if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
        return parse_crs("EPSG:4326")
    if SWEREF_X[0] <= minx <= maxx <= SWEREF_X[1] and SWEREF_Y[0] <= miny <= maxy <= SWEREF_Y[1]:
        return parse_crs(SWEREF99TM)
    if SWEREF_Y[0] <= minx <= maxx <= SWEREF_Y[1] and SWEREF_X[0] <= miny <= maxy <= SWEREF_X[1]:
        raise GeoError("Koordinaterna ser ut som SWEREF 99 TM med x och y förväxlade.")
    raise GeoError("Koordinatsystemet kunde inte avgöras – ange EPSG-kod för filen.")


def _to_sweref(xy: np.ndarray, source: Any) -> np.ndarray:
    x, y = transform(xy[:, 0], xy[:, 1], source, SWEREF99TM)
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise GeoError("Några koordinater kunde inte räknas om till SWEREF 99 TM – fel koordinatsystem?")
    return np.column_stack([x, y])


def assign(xs: np.ndarray, ys: np.ndarray, areas: Sequence[Area]) -> np.ndarray:
    """Index into ``areas`` of the area each point lies in (its interior or boundary), or −1.

    Where areas overlap the first one listed wins, so every incident counts in exactly one area.
    """
    result = np.full(len(xs), -1, dtype=np.int64)
    if not areas or not len(xs):
        return result
    tree = shapely.STRtree([a.geometry for a in areas])
    points = shapely.points(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    point_idx, area_idx = tree.query(points, predicate="intersects")
    # Sort by (point, area) so that the first hit per point is the lowest area index.
    order = np.lexsort((area_idx, point_idx))
    point_idx, area_idx = point_idx[order], area_idx[order]
    first = np.unique(point_idx, return_index=True)[1]
    result[point_idx[first]] = area_idx[first]
    return result
