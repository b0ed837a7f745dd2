"""Coordinate reference systems: reading a user's CRS, reading points, transforming to SWEREF 99 TM.

Coordinates are kept as given, with their CRS, and SWEREF 99 TM (EPSG:3006) beside them. A grid is
laid in a projected CRS with metres as its unit: the source's own when it is projected (no round
trip through another CRS), otherwise one the user names. Errors are one Swedish sentence, raised as
:class:`GeoError`, so a command or a page can show them as they are.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

SWEREF99TM = "EPSG:3006"

# SWEREF 99 TM over Sweden with a margin (the native format's own plausibility box).
SWEREF_X = (200_000.0, 1_000_000.0)
SWEREF_Y = (6_100_000.0, 7_700_000.0)


class GeoError(ValueError):
    """A coordinate, CRS or geometry problem a user can fix, in Swedish."""


@dataclass(frozen=True)
class GridCrs:
    """A CRS a grid can be laid in: projected, with metres on both axes."""

    code: str
    crs: CRS


def parse_crs(text: str) -> CRS:
    """``"EPSG:27700"`` (or ``"epsg:27700"``, ``"27700"``) → CRS; anything pyproj does not know fails."""
    cleaned = text.strip()
    if re.fullmatch(r"\d{4,6}", cleaned):
        cleaned = f"EPSG:{cleaned}"
    if not re.fullmatch(r"(?i)epsg:\d{4,6}", cleaned):
        raise GeoError(f"Okänt koordinatsystem {text!r} – ange det som EPSG-kod, t.ex. EPSG:3006.")
    try:
        return CRS.from_user_input(cleaned.upper())
    except CRSError:
        raise GeoError(f"Koordinatsystemet {cleaned.upper()} finns inte i EPSG-registret.") from None


def grid_crs(text: str) -> GridCrs:
    """The CRS a grid is laid in; refused when it is geographic or not in metres."""
    crs = parse_crs(text)
    code = f"EPSG:{crs.to_epsg()}" if crs.to_epsg() else text.strip().upper()
    if not crs.is_projected:
        raise GeoError(
            f"{code} anger grader, inte meter – välj ett projicerat koordinatsystem för rutnätet, "
            "t.ex. EPSG:3006 (SWEREF 99 TM)."
        )
    units = {axis.unit_name for axis in crs.axis_info}
    if units - {"metre"}:
        raise GeoError(f"{code} har inte meter som enhet – välj ett koordinatsystem i meter.")
    return GridCrs(code, crs)


_POINT = re.compile(r"^\s*\(?\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*\)?\s*$")


def parse_point(text: str) -> tuple[float, float] | None:
    """``"(37.78, -122.42)"`` or ``"37.78 -122.42"`` → the two numbers in the order written.

    Returns None for an empty cell; raises GeoError for text that is not two numbers.
    """
    if text is None or not text.strip():
        return None
    match = _POINT.match(text)
    if not match:
        raise GeoError(f"{text!r} är ingen punkt – väntade två tal, t.ex. (37.78, -122.42).")
    return float(match.group(1)), float(match.group(2))


def transform(
    xs: np.ndarray, ys: np.ndarray, source: CRS | str, target: CRS | str
) -> tuple[np.ndarray, np.ndarray]:
    """Points from ``source`` to ``target``, both in (east, north) / (lon, lat) order.

    ``always_xy`` fixes the axis order whatever the CRS's authority says (EPSG:4326 is lat/lon
    officially), so callers pass longitude as x. NaN stays NaN.
    """
    transformer = Transformer.from_crs(source, target, always_xy=True)
    out_x, out_y = transformer.transform(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    return np.asarray(out_x, dtype=float), np.asarray(out_y, dtype=float)


def looks_swapped_sweref(x: float, y: float) -> bool:
    """True when (x, y) is outside Sweden in SWEREF 99 TM but (y, x) is inside."""
    if math.isnan(x) or math.isnan(y):
        return False
    return not _in_sweden(x, y) and _in_sweden(y, x)


def _in_sweden(x: float, y: float) -> bool:
    return SWEREF_X[0] <= x <= SWEREF_X[1] and SWEREF_Y[0] <= y <= SWEREF_Y[1]


def check_lonlat(lon: float, lat: float) -> None:
    """A geographic point must have |lat| ≤ 90 and |lon| ≤ 180; a swap is named as such."""
    if abs(lat) > 90 and abs(lon) <= 90:
        raise GeoError(f"Latitud {lat} är större än 90 grader – är longitud och latitud förväxlade?")
    if abs(lat) > 90 or abs(lon) > 180:
        raise GeoError(f"Punkten ({lat}, {lon}) ligger utanför jordklotets gradnät.")
