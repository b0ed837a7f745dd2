"""The map page in the browser: the map and the heatmap render under the site's strict policy, and
axe-core finds no serious violation on the page, its station form or its areas upload."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from lsoplan.audit.services import Actor
from lsoplan.incidents.services import import_incidents
from tests.browser.conftest import axe_violations, login
from tests.factories import PASSWORD, World, build_world

ROWS = "\n".join(
    f"M-{i};0180;1;2025-03-{1 + i % 28:02d} {i % 24:02d}:10;"
    f"2025-03-{1 + i % 28:02d} {i % 24:02d}:{15 + i % 40};"
    f"Centrum;{674000 + (i % 7) * 900},0;{6580000 + (i % 5) * 900},0"
    for i in range(60)
)


@pytest.fixture
def live_world(transactional_db: None) -> World:
    world = build_world("karta", ["0180"])
    data = ("handelse_id;kommun;handelsetyp;larm_tid;framme_tid;omrade;x;y\n" + ROWS + "\n").encode()
    assert import_incidents(Actor(None, "test"), world.org, data, file_name="karta.csv").ok
    return world


@pytest.fixture
def strict_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # axe-core is injected as an inline script, which the site's policy blocks (see the other a11y tests).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def test_the_map_and_the_heatmap_render_under_the_strict_policy(
    strict_page: Any, live_server: Any, live_world: World
) -> None:
    login(strict_page, live_server.url, live_world.editor.username, PASSWORD)
    strict_page.goto(f"{live_server.url}{reverse('version_capability', args=[live_world.version.pk])}")
    strict_page.wait_for_selector(".chart svg")
    assert strict_page.locator(".chart svg").count() == 2
    # The map has one shape per cell with incidents, as many as the table beside it has rows.
    rows = strict_page.locator("#cells-caption").locator("xpath=..").locator("tbody tr").count()
    assert rows > 1


def test_capability_pages_have_no_serious_violations(page: Any, live_server: Any, live_world: World) -> None:
    login(page, live_server.url, live_world.editor.username, PASSWORD)
    problems = {}
    for name in ("version_capability", "station_create", "areas_upload"):
        path = reverse(name, args=[live_world.version.pk])
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if found := axe_violations(page):
            problems[path] = found
    assert problems == {}
