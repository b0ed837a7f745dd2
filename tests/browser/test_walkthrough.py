"""A new planner in the browser: create a programme, a risk, goals, an indicator and a measurement,
then read the SMART verdict. Runs in headless Chromium against the live server."""

from __future__ import annotations

from typing import Any

import pytest

from lsoplan.accounts.services import create_organisation, create_user
from lsoplan.audit.services import Actor
from lsoplan.goals.models import Measurement, SafetyGoal
from tests.browser.conftest import login
from tests.factories import PASSWORD


@pytest.fixture
def planner(transactional_db: None) -> str:
    org = create_organisation(
        Actor(None, "t"), slug="ny", name="Räddningstjänsten Ny", municipality_codes=["0484"]
    )
    create_user(
        Actor(None, "t"), username="ny-planerare", organisation=org, role="redaktor", password=PASSWORD
    )
    return "ny-planerare"


def test_new_planner_builds_a_goal_chain(page: Any, live_server: Any, planner: str) -> None:
    base = live_server.url
    login(page, base, planner, PASSWORD)
    page.get_by_role("link", name="Nytt handlingsprogram").click()
    page.get_by_label("Titel").fill("Handlingsprogram för skydd mot olyckor")
    page.get_by_role("button", name="Skapa programmet").click()
    page.get_by_role("heading", name="Översikt").wait_for()

    page.get_by_role("navigation", name="Programmets cykel").get_by_role(
        "link", name="Förutsättningar"
    ).click()
    page.get_by_role("link", name="Ny risk").click()
    page.get_by_label("Rubrik").fill("Brand i bostad")
    page.get_by_label("Händelsetyp (MCF)").select_option(label="Brand i byggnad")
    page.get_by_label("Sannolikhet").select_option("4")
    page.get_by_label("Konsekvens").select_option("5")
    page.get_by_role("button", name="Spara risken").click()
    page.get_by_role("heading", name="Brand i bostad").wait_for()

    page.get_by_role("navigation", name="Programmets cykel").get_by_role("link", name="Mål").click()
    page.get_by_role("link", name="Nytt säkerhetsmål").click()
    page.get_by_label("Beteckning").fill("S1")
    page.get_by_label("Måltext").fill(
        "Antalet bränder i bostad ska minska med 20 % till 2030 jämfört med medelvärdet för 2016–2019."
    )
    page.get_by_label("Ansvarig").fill("Direktionen")
    page.get_by_label("1 kap. 3 a § LSO Förebyggande verksamhet").check()
    page.get_by_label("Brand i bostad").check()
    page.get_by_role("button", name="Spara målet").click()
    page.get_by_role("heading", name="Säkerhetsmål S1").wait_for()

    page.get_by_role("link", name="Ny indikator").click()
    page.get_by_label("Namn").fill("Bränder i bostad")
    page.get_by_label("Enhet").fill("antal per år")
    page.get_by_label("Utgångsvärde").fill("25")
    page.get_by_label("Utgångsperiod från").fill("2016")
    page.get_by_label("Utgångsperiod till").fill("2019")
    page.get_by_label("Målvärde").fill("20")
    page.get_by_label("Målår").fill("2030")
    page.get_by_role("button", name="Spara indikatorn").click()
    page.get_by_role("heading", name="Bränder i bostad").wait_for()

    page.get_by_label("År").fill("2024")
    page.get_by_label("Värde").fill("22,5")
    page.get_by_role("button", name="Spara mätvärdet").click()
    page.get_by_text("Mätvärdet för 2024 är sparat.").wait_for()
    assert Measurement.objects.get(year=2024).value == 22.5

    goal = SafetyGoal.objects.get(code="S1")
    page.goto(f"{base}/version/{goal.version_id}/mal/")
    page.get_by_role("link", name="Nytt prestationsmål").click()
    page.get_by_label("Måltext").fill("Vi ska verka för ökad medvetenhet om brandrisker.")
    page.get_by_label("S1").check()
    page.get_by_role("button", name="Spara målet").click()
    page.get_by_role("heading", name="Prestationsmål").wait_for()
    smart = page.locator(".smart")
    assert "Målet behöver förbättras" in smart.inner_text()
    assert "Accepterat" in smart.inner_text()


def test_bad_form_input_shows_field_errors(page: Any, live_server: Any, planner: str) -> None:
    login(page, live_server.url, planner, PASSWORD)
    page.get_by_role("link", name="Nytt handlingsprogram").click()
    page.get_by_label("Första år").fill("2031")
    page.get_by_label("Sista år").fill("2030")
    page.get_by_role("button", name="Skapa programmet").click()
    assert "Sista år kan inte ligga före första år." in page.content()
