"""axe-core on every page a planner sees: no serious or critical WCAG 2.1 AA violation, at desktop
and phone widths."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, login
from tests.factories import PASSWORD, World, build_world


@pytest.fixture
def live_world(transactional_db: None) -> World:
    return build_world("axe", ["0484", "0486"])


def _pages(w: World) -> list[str]:
    v = w.version.pk
    return [
        reverse("programme_list"),
        reverse("programme_create"),
        reverse("version_overview", kwargs={"pk": v}),
        reverse("version_conditions", kwargs={"pk": v}),
        reverse("risk_detail", kwargs={"pk": w.risk.pk}),
        reverse("risk_create", kwargs={"pk": v}),
        reverse("capability_create", kwargs={"pk": v}),
        reverse("version_goals", kwargs={"pk": v}),
        reverse("version_smart", kwargs={"pk": v}),
        reverse("goal_detail", kwargs={"kind": "sakerhetsmal", "pk": w.safety_goal.pk}),
        reverse("goal_detail", kwargs={"kind": "prestationsmal", "pk": w.performance_goal.pk}),
        reverse("safety_goal_create", kwargs={"pk": v}),
        reverse("indicator_detail", kwargs={"pk": w.indicator.pk}),
        reverse("indicator_create", kwargs={"kind": "sakerhetsmal", "pk": w.safety_goal.pk}),
        reverse("version_followup", kwargs={"pk": v}),
        reverse("version_chapters", kwargs={"pk": v}),
        reverse("chapter_edit", kwargs={"pk": w.chapter.pk}),
        reverse("version_history", kwargs={"pk": v}),
        reverse("version_adopt", kwargs={"pk": v}),
        reverse("version_actionplan", kwargs={"pk": v}),
        reverse("measure_status", kwargs={"pk": w.measure.pk}),
        reverse("version_evaluation", kwargs={"pk": v}),
        reverse("object_history", kwargs={"model": "goals.safetygoal", "object_id": w.safety_goal.pk}),
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_violations(page: Any, live_server: Any, live_world: World, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{reverse('login')}")
    assert axe_violations(page) == [], "login page"
    login(page, live_server.url, live_world.editor.username, PASSWORD)
    problems = {}
    for path in _pages(live_world):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        found = axe_violations(page)
        if found:
            problems[path] = found
    assert problems == {}
