"""What the goal pages hand to the SMART check: detectability only for outcomes, and passed
deadlines judged against the version's decision date."""

from __future__ import annotations

import datetime as dt

import pytest

from lsoplan.goals import selectors
from lsoplan.goals import services as goals
from lsoplan.programmes import services as programmes
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db


def test_an_outcome_count_gets_the_detectability_question(world: World) -> None:
    history = selectors.history_by_series([world.indicator.series_id])
    assert world.indicator.indicator_kind == "utfall"
    assert selectors.smart_input(world.safety_goal, history).detectable is not None


def test_own_output_gets_no_significance_question(world: World) -> None:
    indicator = goals.create_indicator(
        SYSTEM,
        world.performance_goal,
        name="Genomförda hembesök",
        unit="antal",
        direction="higher",
        is_count=True,
        baseline_value=300.0,
        baseline_start=2016,
        baseline_end=2019,
        target_value=400.0,
        target_year=2030,
    )
    assert indicator.indicator_kind == "prestation"
    history = selectors.history_by_series([indicator.series_id])
    found = selectors.smart_input(world.performance_goal, history)
    assert found.detectable is None and found.detectability_note is None


def test_a_draft_is_judged_today_and_an_adopted_version_on_its_decision_day(world: World) -> None:
    assert selectors.reference_date(world.version) == dt.date.today()
    decided = dt.date.today() - dt.timedelta(days=400)
    programmes.adopt(SYSTEM, world.version, body="kommunfullmaktige", date=decided, paragraph="§ 9")
    world.version.refresh_from_db()
    assert selectors.reference_date(world.version) == decided
