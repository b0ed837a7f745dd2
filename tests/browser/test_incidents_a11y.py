"""axe-core on the incident pages: statistics with charts, upload, preview with problems, history,
the undo confirmation and the indicator filter, at desktop and phone widths."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lsoplan.audit.services import Actor
from lsoplan.incidents import uploads
from lsoplan.incidents.services import import_incidents, latest_undoable
from tests.browser.conftest import axe_violations, login
from tests.factories import PASSWORD, World, build_world
from tests.incidents.test_import import V1, V2


@pytest.fixture
def live_world(transactional_db: None) -> World:
    world = build_world("axeinc", ["0484", "0486"])
    import_incidents(Actor(None, "test"), world.org, V1, file_name="v1.csv")
    import_incidents(Actor(None, "test"), world.org, V2, file_name="v2.csv")
    return world


def _pages(w: World) -> list[str]:
    v = w.version.pk
    good = uploads.store(w.org, V1, file_name="v1.csv", mapping="", uploaded_by="test").token
    bad = uploads.store(
        w.org, V1.replace(b";0484;1;", b";0180;99;"), file_name="fel.csv", mapping="", uploaded_by="t"
    )
    return [
        reverse("version_incidents", kwargs={"pk": v}),
        reverse("incident_upload", kwargs={"pk": v}),
        reverse("incident_preview", kwargs={"pk": v, "token": good}),
        reverse("incident_preview", kwargs={"pk": v, "token": bad.token}),
        reverse("incident_history", kwargs={"pk": v}),
        reverse("incident_undo", kwargs={"pk": v, "batch": latest_undoable(w.org).pk}),  # type: ignore[union-attr]
        reverse("incident_indicator", kwargs={"pk": w.indicator.pk}),
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_violations(page: Any, live_server: Any, live_world: World, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url, live_world.editor.username, PASSWORD)
    problems = {}
    for path in _pages(live_world):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        found = axe_violations(page)
        if found:
            problems[path] = found
    assert problems == {}


def test_charts_render(page: Any, live_server: Any, live_world: World) -> None:
    login(page, live_server.url, live_world.editor.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('version_incidents', kwargs={'pk': live_world.version.pk})}")
    page.wait_for_load_state("networkidle")
    assert page.locator(".chart svg").count() == 2
