"""Mapped coordinates reach the database: the LFB and SF files stored in SWEREF 99 TM.

The reference is each file's own coordinates: the stored values, transformed back with pyproj
(called here directly), must give them again.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from pyproj import Transformer

from lsoplan.accounts.models import Organisation
from lsoplan.accounts.services import create_organisation
from lsoplan.audit.services import Actor
from lsoplan.incidents import mappings
from lsoplan.incidents.models import Incident
from lsoplan.incidents.services import import_incidents

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LFB = DATA / "lfb_dwelling_fires_2009.csv"
SF = DATA / "sf_fire_calls_sample_1000.csv"
CLI = Actor(None, "cli")


def _org(slug: str, code: str) -> Organisation:
    return create_organisation(Actor(None, "test"), slug=slug, name=f"Test {slug}", municipality_codes=[code])


def _stored(org: Organisation) -> tuple[list[str], np.ndarray, np.ndarray]:
    rows = list(Incident.objects.filter(organisation=org).values_list("source_id", "x", "y"))
    ids = [r[0] for r in rows]
    return ids, np.array([r[1] for r in rows], dtype=float), np.array([r[2] for r in rows], dtype=float)


@pytest.mark.django_db
def test_lfb_import_stores_coordinates_that_transform_back_to_the_british_grid() -> None:
    if not LFB.exists():
        pytest.skip(f"{LFB} saknas")
    org = _org("london", "0180")
    outcome = import_incidents(CLI, org, LFB, file_name=LFB.name, mapping=mappings.shipped("lfb"))
    assert outcome.ok, outcome.problems[:5]
    ids, x, y = _stored(org)
    assert len(ids) == 6708 and not np.isnan(x).any() and not np.isnan(y).any()
    with LFB.open(encoding="utf-8") as fh:
        own = {
            r["IncidentNumber"]: (float(r["Easting_m"]), float(r["Northing_m"])) for r in csv.DictReader(fh)
        }
    east, north = Transformer.from_crs("EPSG:3006", "EPSG:27700", always_xy=True).transform(x, y)
    expected = np.array([own[i] for i in ids])
    np.testing.assert_allclose(east, expected[:, 0], rtol=0, atol=0.01)
    np.testing.assert_allclose(north, expected[:, 1], rtol=0, atol=0.01)


@pytest.mark.django_db
def test_sf_import_stores_coordinates_that_transform_back_to_latitude_and_longitude() -> None:
    if not SF.exists():
        pytest.skip(f"{SF} saknas")
    org = _org("sanfrancisco", "1480")
    outcome = import_incidents(CLI, org, SF, file_name=SF.name, mapping=mappings.shipped("sf_fire"))
    assert outcome.ok, outcome.problems[:5]
    ids, x, y = _stored(org)
    assert len(ids) == 961 and not np.isnan(x).any()
    own: dict[str, tuple[float, float]] = {}
    with SF.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            lat, lon = r["Location"].strip("()").split(",")
            own[r["CallNumber"]] = (float(lat), float(lon))
    lon_back, lat_back = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True).transform(x, y)
    expected = np.array([own[i] for i in ids])
    np.testing.assert_allclose(lat_back, expected[:, 0], rtol=0, atol=1e-7)
    np.testing.assert_allclose(lon_back, expected[:, 1], rtol=0, atol=1e-7)
