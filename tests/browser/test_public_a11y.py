"""The public page in the browser (issue 17): a published organisation's page shows the adopted
programme and the verdicts, a citizen's view sent through the form arrives in the planner's list,
and the other organisation's page is 404. axe-core finds no serious or critical WCAG 2.1 AA
violation on any public page, at desktop and phone widths; everything works without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from lsoplan.public.models import CitizenView
from tests.browser.conftest import axe_violations, login
from tests.factories import PASSWORD, World, build_world
from tests.public.helpers import ADOPTED_TEXT, adopt_and_publish

VIEW = "Bra att ni gör hembesök. Mer information om brandvarnare i Storvik, tack!"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """axe-core's injected script must pass the site's CSP."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def worlds(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> tuple[World, World]:
    # The helper archives fake PDF bytes itself; rendering the real one is not what is tested here.
    monkeypatch.setattr("lsoplan.programmes.services.request_archive", lambda *a, **k: None)
    cache.clear()
    published = build_world("oppen", ["0484", "0486"])
    adopt_and_publish(published)
    hidden = build_world("stangd", ["0180"])
    adopt_and_publish(hidden, publish=False)
    return published, hidden


@pytest.mark.parametrize("width", [1280, 390])
def test_a_citizen_reads_the_programme_and_sends_a_view_that_the_planner_sees(
    page: Any, live_server: Any, worlds: tuple[World, World], width: int
) -> None:
    published, hidden = worlds
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    problems: dict[str, Any] = {}

    def check(name: str) -> None:
        found = axe_violations(page)
        if found:
            problems[name] = found

    page.goto(base + reverse("public_home", kwargs={"slug": published.org.slug}))
    page.get_by_role("heading", name="Hur går det med målen?").wait_for()
    assert page.get_by_text("antaget av kommunfullmäktige 10 november 2026").first.is_visible()
    assert page.get_by_role("cell", name="Bränder i bostad").first.is_visible()
    assert page.locator(".status-badge").count() >= 1
    check("start")

    page.get_by_role("link", name="Läs programmet").click()
    page.get_by_text(ADOPTED_TEXT).wait_for()
    check("programmet")
    page.get_by_role("link", name="Mål och uppföljning").click()
    page.get_by_role("heading", name="Mål och uppföljning", level=1).wait_for()
    check("mål")
    page.get_by_role("link", name="Statistik").click()
    page.get_by_role("heading", name="Statistik", level=1).wait_for()
    check("statistik")
    page.get_by_role("link", name="Så hanterar vi dina uppgifter").click()
    check("integritet")

    page.get_by_role("link", name="Lämna en synpunkt").first.click()
    page.get_by_role("heading", name="Lämna en synpunkt", level=1).wait_for()
    check("formulär")
    page.get_by_role("button", name="Skicka synpunkten").click()  # empty: refused, in Swedish
    page.get_by_text("Skriv din synpunkt.").wait_for()
    check("formulär med fel")
    page.get_by_label("Vad tycker du om räddningstjänstens arbete med skydd mot olyckor?").fill(VIEW)
    page.get_by_label("Ditt betyg på arbetet (frivilligt)").select_option("4")
    page.get_by_label("Område eller ort som synpunkten gäller (frivilligt)").fill("Storvik")
    page.get_by_role("button", name="Skicka synpunkten").click()
    page.get_by_role("heading", name="Tack för din synpunkt").wait_for()
    check("tack")
    assert CitizenView.objects.filter(organisation=published.org, text=VIEW, rating=4).count() == 1

    response = page.goto(base + reverse("public_home", kwargs={"slug": hidden.org.slug}))
    assert response is not None and response.status == 404
    assert page.get_by_text("finns inte").first.is_visible()

    login(page, base, published.editor.username, PASSWORD)
    page.goto(base + reverse("citizen_view_list", kwargs={"pk": published.version.pk}))
    page.get_by_role("heading", name="Synpunkter från allmänheten").wait_for()
    assert page.get_by_text(VIEW).is_visible()
    check("planerarens lista")
    assert problems == {}


def test_the_form_works_without_javascript(
    browser: Any, live_server: Any, worlds: tuple[World, World]
) -> None:
    published, _ = worlds
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(live_server.url + reverse("public_comment", kwargs={"slug": published.org.slug}))
        pg.get_by_label("Vad tycker du om räddningstjänstens arbete med skydd mot olyckor?").fill(VIEW)
        pg.get_by_label("Jag vill bli kontaktad om min synpunkt").check()
        pg.get_by_role("button", name="Skicka synpunkten").click()
        pg.get_by_text("Ange din e-postadress om du vill bli kontaktad.").first.wait_for()
        pg.get_by_label("Din e-postadress (bara om du vill bli kontaktad)").fill("anna@example.se")
        pg.get_by_role("button", name="Skicka synpunkten").click()
        pg.get_by_role("heading", name="Tack för din synpunkt").wait_for()
    finally:
        context.close()
    assert CitizenView.objects.get(organisation=published.org).email == "anna@example.se"
