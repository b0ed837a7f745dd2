"""axe-core on the Dokument page and the version comparison, at desktop and phone widths."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from lsoplan.conditions import services as conditions
from lsoplan.goals import services as goals
from lsoplan.goals.models import SafetyGoal
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import ProgrammeVersion
from tests.browser.conftest import axe_violations, login
from tests.factories import PASSWORD, SYSTEM, World, build_world


@pytest.fixture
def live_world(transactional_db: None) -> tuple[World, ProgrammeVersion]:
    w = build_world("dok", ["0484", "0486"])
    programmes.adopt(SYSTEM, w.version, body="kommunfullmaktige", date=dt.date(2026, 11, 8), paragraph="§ 45")
    draft = programmes.new_draft(SYSTEM, w.version)
    goal = SafetyGoal.objects.get(version=draft, lineage=w.safety_goal.lineage)
    goals.update_goal(SYSTEM, goal, text="Antalet bränder i bostad ska minska med 30 % till 2030.")
    conditions.create_risk(
        SYSTEM, draft, title="Skyfall", custom_type="Extremväder", likelihood=3, consequence=3
    )
    return w, draft


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_violations(
    page: Any, live_server: Any, live_world: tuple[World, ProgrammeVersion], width: int
) -> None:
    w, draft = live_world
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url, w.editor.username, PASSWORD)
    problems = {}
    for path in (
        reverse("version_documents", kwargs={"pk": draft.pk}),
        reverse("version_documents", kwargs={"pk": w.version.pk}),
        reverse("version_diff", kwargs={"pk": draft.pk}),
        reverse("version_diff", kwargs={"pk": w.version.pk}) + f"?med={draft.pk}",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        # Open the word-level differences too, so that their markup is checked.
        for summary in page.locator("details summary").all():
            summary.click()
        found = axe_violations(page)
        if found:
            problems[path] = found
    assert problems == {}


def test_the_diff_page_shows_the_change(
    page: Any, live_server: Any, live_world: tuple[World, ProgrammeVersion]
) -> None:
    w, draft = live_world
    login(page, live_server.url, w.reader.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('version_documents', kwargs={'pk': draft.pk})}")
    page.get_by_role("link", name="Jämför version 2 med version 1").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Från version 1 till version 2").is_visible()
    assert page.get_by_role("rowheader", name="Skyfall").is_visible()
