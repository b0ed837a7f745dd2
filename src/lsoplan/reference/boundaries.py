"""The bundled municipality boundaries (SCB's generalised boundaries, SWEREF 99 TM), read once.

Source, licence and how the file was made are in ``data/README.md`` and ``data/sources.yaml``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from lsoplan.lib.geo.boundaries import Region, rasterise, read_boundaries, region

FILE = Path(__file__).parent / "data" / "kommungranser_scb.geo.json"


@cache
def municipality_boundaries() -> dict[str, BaseGeometry]:
    """kommunkod → boundary (SWEREF 99 TM) for all 290 municipalities."""
    return read_boundaries(json.loads(FILE.read_text(encoding="utf-8")))


@cache
def _region(codes: tuple[str, ...]) -> Region | None:
    found = region(municipality_boundaries(), codes)
    return None if found is None else rasterise(found)


def organisation_region(codes: Iterable[str]) -> Region | None:
    """The municipalities ``codes`` with the margin, as a raster; built once per set of codes."""
    return _region(tuple(sorted(set(codes))))
