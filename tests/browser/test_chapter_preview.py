"""A planner previews a formatted chapter text in the browser: htmx swaps in the rendered text
under the form (no page change, nothing saved, no CSP violation), and saving shows it on the
chapter page. axe-core checks the edit page with its preview."""

from __future__ import annotations

from typing import Any

import pytest

from lsoplan.programmes.models import Chapter
from tests.browser.conftest import axe_violations, login
from tests.factories import PASSWORD, World, build_world

TEXT = "### Larmvägar\n\n- Ring **112**\n- [SOS Alarm](https://www.sosalarm.se/)\n\n<script>alert(1)</script>"


@pytest.fixture
def live_world(transactional_db: None) -> World:
    return build_world("alfa", ["0484", "0486"])


def test_planner_previews_then_saves_a_formatted_chapter(
    page: Any, live_server: Any, live_world: World
) -> None:
    w, base = live_world, live_server.url
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, base, w.editor.username, PASSWORD)
    chapter = Chapter.objects.get(version=w.version, key="larm-varning")
    edit_url = f"{base}/kapitel/{chapter.pk}/andra/"
    page.goto(edit_url)
    page.get_by_label("Text").fill(TEXT)
    page.get_by_role("button", name="Förhandsgranska").click()
    page.locator("#forhandsgranskning h4", has_text="Larmvägar").wait_for()
    assert page.url == edit_url  # htmx: the same page, the form still filled in
    assert page.locator("#forhandsgranskning li strong", has_text="112").count() == 1
    assert page.locator("#forhandsgranskning").get_by_text("<script>alert(1)</script>").count() == 1
    assert Chapter.objects.get(pk=chapter.pk).text == ""
    assert axe_violations(page) == []
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Kapitlet är sparat.").wait_for()
    page.get_by_role("heading", name="Larmvägar").wait_for()
    assert csp_errors == [] and dialogs == []
