"""The main pages make a bounded number of queries, whatever the number of goals (no N+1).

Each page is opened with 5 goals and again with 25; the query count must be the same. A page that
fails here runs a query per goal, risk or indicator somewhere: prefetch in its selector.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lsoplan.conditions import services as conditions
from lsoplan.goals import services as goals
from lsoplan.goals.models import NationalGoal
from tests.factories import PASSWORD, SYSTEM, World

# Well above what any of these pages needs today; a page past it has a problem even with few goals.
MAX_QUERIES = 40

PAGES = {
    "version_overview": lambda w: {"pk": w.version.pk},
    "version_conditions": lambda w: {"pk": w.version.pk},
    "version_goals": lambda w: {"pk": w.version.pk},
    "version_smart": lambda w: {"pk": w.version.pk},
    "version_followup": lambda w: {"pk": w.version.pk},
    "goal_detail": lambda w: {"kind": "sakerhetsmal", "pk": w.safety_goal.pk},
    "indicator_detail": lambda w: {"pk": w.indicator.pk},
}


def _add_goals(world: World, start: int, count: int) -> None:
    """Goals as a planner builds them: a risk, a säkerhetsmål with an indicator and ten years of
    values, a prestationsmål serving it with a measure and an indicator of its own. The first
    säkerhetsmål (the one whose page is opened) gets each new prestationsmål too."""
    national = list(NationalGoal.objects.all()[:2])
    for n in range(start, start + count):
        risk = conditions.create_risk(
            SYSTEM, world.version, title=f"Risk {n}", custom_type=f"Typ {n}", likelihood=2, consequence=3
        )
        conditions.add_vulnerability(SYSTEM, risk, f"Sårbarhet {n}")
        sg = goals.create_safety_goal(
            SYSTEM,
            world.version,
            code=f"S{n}",
            text=f"Antalet olyckor av typ {n} ska minska med 10 % till 2030 jämfört med 2016–2019.",
            owner="Direktionen",
            national_goals=national,
            risks=[risk],
        )
        indicator = goals.create_indicator(
            SYSTEM, sg, name=f"Olyckor typ {n}", unit="antal", direction="lower", is_count=True,
            baseline_value=20.0, baseline_start=2016, baseline_end=2019, target_value=18.0, target_year=2030,
        )  # fmt: skip
        for year in range(2016, 2026):
            goals.record_measurement(SYSTEM, indicator.series, year=year, value=float(15 + year % 7))
        pg = goals.create_performance_goal(
            SYSTEM,
            world.version,
            code=f"P{n}",
            text=f"Minst {n * 10} tillsynsbesök per år 2027–2030.",
            owner="Förebyggande",
            safety_goals=[sg, world.safety_goal],
        )
        goals.create_measure(SYSTEM, pg, text=f"Åtgärd {n}", owner="Förebyggande")
        goals.create_indicator(
            SYSTEM, pg, name=f"Tillsyn {n}", unit="antal", direction="higher", target_value=float(n * 10),
            target_year=2030,
        )  # fmt: skip


def _counts(world: World) -> dict[str, int]:
    client = Client()
    assert client.login(username=world.editor.username, password=PASSWORD)
    counts: dict[str, int] = {}
    for name, kwargs in PAGES.items():
        url = reverse(name, kwargs=kwargs(world))
        client.get(url)  # warm caches that are per process, not per request
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(ctx.captured_queries)
    return counts


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_number_of_goals(world: World) -> None:
    _add_goals(world, 2, 4)  # S1 and P1 from the world, plus four: five of each
    few = _counts(world)
    _add_goals(world, 6, 20)  # twenty-five of each
    many = _counts(world)
    report: dict[str, Any] = {name: (few[name], many[name]) for name in PAGES}
    print("queries (5 goals, 25 goals):", report)
    grown = {name: counts for name, counts in report.items() if counts[1] > counts[0]}
    assert grown == {}, f"queries (5 goals, 25 goals) per page: {report}"
    assert all(n <= MAX_QUERIES for n in many.values()), report
