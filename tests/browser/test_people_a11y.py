"""The people page in the browser: axe-core finds no serious violation, and an administrator adds
a person and changes a role with the keyboard-reachable controls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from lsoplan.accounts.models import Membership
from lsoplan.accounts.services import create_user
from tests.browser.conftest import axe_violations, login
from tests.factories import PASSWORD, SYSTEM, World, build_world


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # axe-core is injected as an inline script, which the site's policy blocks (see the other a11y tests).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def live_world(transactional_db: None) -> World:
    w = build_world("axe", ["0484"])
    create_user(SYSTEM, username="axe-admin", organisation=w.org, role="administrator", password=PASSWORD)
    return w


def test_people_pages_have_no_serious_violations(page: Any, live_server: Any, live_world: World) -> None:
    login(page, live_server.url, "axe-admin", PASSWORD)
    member = Membership.objects.get(user=live_world.reader)
    slug = live_world.org.slug
    problems = {}
    for path in (
        reverse("people", kwargs={"slug": slug}),
        reverse("person_add", kwargs={"slug": slug}),
        reverse("person_deactivate", kwargs={"slug": slug, "pk": member.pk}),
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if found := axe_violations(page):
            problems[path] = found
    assert problems == {}


def test_an_administrator_adds_a_person_and_changes_a_role(
    page: Any, live_server: Any, live_world: World
) -> None:
    login(page, live_server.url, "axe-admin", PASSWORD)
    page.get_by_role("link", name="Personer").click()
    page.get_by_role("link", name="Lägg till person").click()
    page.get_by_label("Användarnamn").fill("ny-planerare")
    page.get_by_label("Roll").select_option("redaktor")
    page.get_by_label("Första lösenord").fill("ett-första-lösenord-77")
    page.get_by_label("Lösenordet en gång till").fill("ett-första-lösenord-77")
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_text("ny-planerare är tillagd som redaktör.").wait_for()
    user = User.objects.get(username="ny-planerare")
    page.get_by_label("Roll för ny-planerare").select_option("lasare")
    page.get_by_role("row", name="ny-planerare").get_by_role("button", name="Ändra roll").click()
    page.get_by_text("ny-planerare är nu läsare.").wait_for()
    assert Membership.objects.get(user=user).role == "lasare"
