"""Coordinates outside the organisation's municipalities: a warning naming the row and the value."""

from __future__ import annotations

import pytest

from lsoplan.audit.services import Actor
from lsoplan.incidents.services import import_incidents
from tests.factories import build_world
from tests.incidents.test_source_coordinates import BNG_MAPPING

pytestmark = pytest.mark.django_db
CLI = Actor(None, "cli")
HEADER = "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;x;y\n"


def test_a_point_in_another_municipality_is_a_warning_with_row_and_value() -> None:
    world = build_world("sthlm", ["0180"])
    data = (
        HEADER
        + "K-1;0180;1;2024-03-05 14:00;2024-03-05 14:06;674000;6580000\n"
        + "K-2;0180;1;2024-03-05 15:00;2024-03-05 15:06;319500;6399500\n"  # Göteborg
    ).encode()
    outcome = import_incidents(CLI, world.org, data, file_name="k.csv")
    assert outcome.ok and outcome.n_incidents == 2
    warned = [p for p in outcome.problems if "utanför Stockholm" in p.message]
    assert [(p.row, p.column, p.value, p.severity) for p in warned] == [
        (3, "x", "319500, 6399500", "warning")
    ]


def test_points_inside_give_no_boundary_warning() -> None:
    world = build_world("sthlm2", ["0180"])
    data = (HEADER + "K-1;0180;1;2024-03-05 14:00;2024-03-05 14:06;674000;6580000\n").encode()
    outcome = import_incidents(CLI, world.org, data, file_name="k.csv")
    assert outcome.ok and outcome.n_warnings == 0


def test_the_warning_shows_the_coordinate_as_the_file_gave_it() -> None:
    world = build_world("bngwarn", ["0180"])
    data = b"id;kommun;typ;larm;framme;E;N\nB-1;0180;1;2024-03-05 14:00;2024-03-05 14:06;530000;180000\n"
    outcome = import_incidents(CLI, world.org, data, file_name="b.csv", mapping=BNG_MAPPING)
    assert outcome.ok
    warned = [p for p in outcome.problems if "utanför Stockholm" in p.message]
    assert [(p.row, p.column, p.value) for p in warned] == [(2, "E", "530000, 180000")]
