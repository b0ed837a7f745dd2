"""Remiss without accounts in the browser: a party opens its link and comments on a goal, the
planner decides on the comment, the samrådsredogörelse lists it, and a revoked link gets a Swedish
page saying so. axe-core checks the party's page and the decision page."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from lsoplan.consultation import services
from lsoplan.consultation.models import Response
from tests.browser.conftest import axe_violations, login
from tests.consultation import helpers
from tests.factories import PASSWORD, SYSTEM, World, build_world


@pytest.fixture
def live_world(transactional_db: None, tmp_path: Path, settings: Any) -> World:
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return build_world("alfa", ["0484", "0486"])


def test_party_comments_planner_decides_report_lists_it(
    page: Any, live_server: Any, live_world: World
) -> None:
    w, base = live_world, live_server.url
    helpers.on_remiss(w)
    party = services.create_party(SYSTEM, w.version, name="Länsstyrelsen i Gävleborg", contact="Anna Ek")
    token = services.issue_link(SYSTEM, party)
    link = base + reverse("remiss_party", kwargs={"token": token})

    # The party reads the draft and comments on the safety goal.
    page.goto(link)
    page.get_by_role("heading", name="Remiss till Länsstyrelsen i Gävleborg").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Synpunkten gäller").select_option(f"sakerhetsmal-{w.safety_goal.pk}")
    page.locator("#id_text").fill("Målet bör gälla bränder i hela länet.")
    page.get_by_role("button", name="Skicka synpunkten").click()
    page.get_by_text("Tack! Synpunkten är mottagen.").wait_for()
    assert Response.objects.get().safety_goal_id == w.safety_goal.pk

    # The planner decides on it.
    login(page, base, w.editor.username, PASSWORD)
    page.goto(base + reverse("consultation", kwargs={"pk": w.version.pk}))
    page.get_by_role("link", name="Ta ställning till synpunkten från Länsstyrelsen i Gävleborg").click()
    page.get_by_role("heading", name="Ställningstagande till remissvar").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Delvis tillgodosett").check()
    page.get_by_label("Motivering").fill("Länet tas med i uppföljningen, målet gäller kommunerna.")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Ställningstagandet är sparat.").wait_for()

    # The samrådsredogörelse lists the comment and the decision.
    with page.expect_download() as info:
        page.get_by_role("link", name="Hämta samrådsredogörelsen (Word)").click()
    with zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())) as z:
        document = z.read("word/document.xml").decode()
    assert "Målet bör gälla bränder i hela länet." in document
    assert "Delvis tillgodosett" in document and "Länet tas med i uppföljningen" in document

    # Revoked: the link answers with a Swedish page saying so.
    page.get_by_role("button", name="Återkalla länken till Länsstyrelsen i Gävleborg").click()
    page.get_by_text("Länken till Länsstyrelsen i Gävleborg är återkallad.").wait_for()
    answer = page.goto(link)
    assert answer is not None and answer.status == 410
    page.get_by_role("heading", name="Länken är återkallad").wait_for()
    assert axe_violations(page) == []
