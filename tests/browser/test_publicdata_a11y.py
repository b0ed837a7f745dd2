"""Offentlig statistik in the browser: find a Kolada KPI, attach it, fetch its values, read the
public statistics page; axe-core finds no serious or critical WCAG 2.1 AA violation on the way,
at desktop and phone widths. Runs offline, from the recorded responses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import LazySettings
from django.urls import reverse

from lsoplan.goals.models import Indicator
from lsoplan.publicdata import services
from tests.browser.conftest import axe_violations, login
from tests.factories import PASSWORD, World, build_world


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """Like the shared fixture, but axe-core's injected script must pass the site's CSP."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def live_world(transactional_db: None, settings: LazySettings) -> World:
    settings.LSOPLAN_PUBLICDATA_OFFLINE = True
    world = build_world("axepd", ["0484", "0486"])
    clients = services.build_clients(offline=True)
    services.fetch_mcf("test", "B11", ["0484", "0486"], range(2020, 2026), clients=clients)
    services.fetch_scb_population("test", ["0484", "0486"], range(2015, 2025), clients=clients)
    return world


@pytest.mark.parametrize("width", [1280, 390])
def test_attach_a_kolada_kpi_and_read_the_sources(
    page: Any, live_server: Any, live_world: World, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    login(page, base, live_world.editor.username, PASSWORD)
    problems: dict[str, Any] = {}

    def check(name: str) -> None:
        page.wait_for_load_state("networkidle")
        found = axe_violations(page)
        if found:
            problems[name] = found

    page.goto(base + reverse("indicator_kolada", kwargs={"pk": live_world.indicator.pk}))
    check("sök")
    page.get_by_label("Sök nyckeltal i Kolada").fill("bränder")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_role("heading", name="Träffar").wait_for()
    check("träffar")
    page.get_by_label("Byggnadsbränder med spridning från startobjektet, antal/1000 inv (N07415)").check()
    page.get_by_label("Kommun").select_option("0486")
    page.get_by_role("button", name="Koppla till indikatorn").click()
    page.get_by_text("Indikatorn hämtar nu N07415").wait_for()
    page.get_by_role("button", name="Hämta värdena nu").click()
    page.get_by_text("Värdena är hämtade").wait_for()
    page.get_by_role("heading", name="Hämtade värden").wait_for()
    check("hämtade värden")

    indicator = Indicator.objects.get(pk=live_world.indicator.pk)
    assert indicator.source_config["kpi"] == "N07415"
    assert indicator.series.measurements.filter(source="kolada").count() == 2

    page.goto(base + reverse("version_publicdata", kwargs={"pk": live_world.version.pk}))
    page.get_by_role("heading", name="Offentlig statistik").wait_for()
    for citation in ("Källa: Kolada", "Källa: MSB/MCF", "Källa: SCB"):
        assert page.get_by_text(citation).first.is_visible()
    page.get_by_text("Brand i byggnad", exact=True).first.click()  # open a <details> table
    check("offentlig statistik")
    assert problems == {}
