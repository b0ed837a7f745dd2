"""axe-core on the egenkontroll pages: the live checklist of a draft, a saved run, and an adopted
version with its distribution form, at desktop and phone widths."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lsoplan.checks import services
from lsoplan.programmes import services as programmes
from tests.browser.conftest import axe_violations, login
from tests.factories import PASSWORD, SYSTEM, World, build_world


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # axe is injected as an inline script, which the site's Content-Security-Policy blocks; bypassing
    # the policy for the test page changes nothing that axe looks at (the pages have no inline script).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def live_world(transactional_db: None) -> World:
    return build_world("axechk", ["0484", "0486"])


def _check(page: Any, url: str) -> list[dict[str, Any]]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return axe_violations(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_checks_pages_have_no_serious_violations(
    page: Any, live_server: Any, live_world: World, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url, live_world.editor.username, PASSWORD)
    checks_url = f"{live_server.url}{reverse('version_checks', kwargs={'pk': live_world.version.pk})}"
    problems = {}

    # The editor runs the check from the page, as a planner would.
    page.goto(checks_url)
    page.get_by_role("button", name="Kör och spara egenkontroll").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Senast sparad egenkontroll").is_visible()
    if found := axe_violations(page):
        problems["draft with a saved run"] = found

    run = services.run_checks(SYSTEM, live_world.version)
    if found := _check(page, f"{live_server.url}{reverse('check_run_detail', kwargs={'pk': run.pk})}"):
        problems["run detail"] = found

    today = timezone.localdate()
    programmes.adopt(SYSTEM, live_world.version, body="kommunfullmaktige", date=today, paragraph="§ 7")
    services.add_distribution(SYSTEM, live_world.version, recipient="lansstyrelsen", sent_on=today)
    if found := _check(page, checks_url):
        problems["adopted, with the distribution form"] = found
    assert problems == {}
