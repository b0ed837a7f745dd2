"""A planner corrects their work in the browser: edit a risk, delete a vulnerability in place
(htmx) and a safety goal (confirmation page, which says what goes with it), correct a measurement
and read the old and new value in the history. axe-core checks the edit and confirmation pages."""

from __future__ import annotations

from typing import Any

import pytest

from lsoplan.conditions.models import Risk, Vulnerability
from lsoplan.goals.models import Measurement, SafetyGoal
from tests.browser.conftest import axe_violations, login
from tests.factories import PASSWORD, World, build_world


@pytest.fixture
def live_world(transactional_db: None) -> World:
    return build_world("alfa", ["0484", "0486"])


def test_planner_edits_deletes_and_corrects(page: Any, live_server: Any, live_world: World) -> None:
    w, base = live_world, live_server.url
    login(page, base, w.editor.username, PASSWORD)

    # Edit a risk.
    page.goto(f"{base}/risk/{w.risk.pk}/")
    page.get_by_role("link", name="Ändra risken").click()
    page.get_by_role("heading", name="Ändra risk").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Rubrik").fill("Brand i flerbostadshus")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", name="Brand i flerbostadshus").wait_for()
    assert page.get_by_text("Risken är sparad.").is_visible()
    assert Risk.objects.get(pk=w.risk.pk).title == "Brand i flerbostadshus"

    # Create a vulnerability, then delete it in place: the confirmation replaces the list item.
    page.get_by_label("Sårbarhet").fill("Många äldre bor ensamma.")
    page.get_by_role("button", name="Lägg till sårbarhet").click()
    page.get_by_text("Många äldre bor ensamma.").wait_for()
    page.get_by_role("link", name="Ta bort sårbarheten").click()
    page.get_by_role("heading", name="Ta bort sårbarhet?").wait_for()
    assert page.url.endswith(f"/risk/{w.risk.pk}/")  # htmx: still on the risk page
    page.get_by_role("button", name="Ta bort").click()
    page.get_by_text("Sårbarheten är borttagen.").wait_for()
    assert not Vulnerability.objects.filter(risk_id=w.risk.pk).exists()

    # The risk's history shows the old and the new title.
    page.locator("#main").get_by_role("link", name="Historik").click()
    assert page.locator("del", has_text="Brand i bostad").count() >= 1
    assert page.get_by_text("Brand i flerbostadshus").count() >= 1

    # Correct a measurement: the old value stays, struck through, with who corrected it.
    page.goto(f"{base}/indikator/{w.indicator.pk}/")
    page.get_by_role("link", name="Rätta 2020").click()
    page.get_by_role("heading", name="Ändra mätvärde").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Värde").fill("21")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Mätvärdet är sparat.").wait_for()
    assert page.locator("del", has_text="23").count() == 1
    assert page.get_by_role("cell", name="21", exact=True).count() == 1
    rows = Measurement.objects.filter(series=w.indicator.series, year=2020).order_by("entered_at")
    assert [m.value for m in rows] == [23.0, 21.0]

    # Delete a safety goal: without JavaScript's help the link opens a confirmation page.
    page.goto(f"{base}/mal/sakerhetsmal/{w.safety_goal.pk}/")
    page.get_by_role("link", name="Ta bort säkerhetsmål").click()
    page.get_by_role("heading", name="Ta bort säkerhetsmål?").wait_for()
    assert page.get_by_text("Säkerhetsmålet har 1 prestationsmål och 1 indikator.").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ta bort").click()
    page.get_by_text("Säkerhetsmålet är borttaget.").wait_for()
    assert not SafetyGoal.objects.filter(pk=w.safety_goal.pk).exists()


def test_measurement_grid_page_passes_axe(page: Any, live_server: Any, live_world: World) -> None:
    login(page, live_server.url, live_world.editor.username, PASSWORD)
    page.goto(f"{live_server.url}/indikator/{live_world.indicator.pk}/matvarden/")
    page.get_by_role("heading", name="År för år").wait_for()
    assert axe_violations(page) == []
