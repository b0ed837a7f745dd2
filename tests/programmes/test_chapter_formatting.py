"""Editing a chapter's formatted text: the help line, the preview before saving (with and without
JavaScript), refused formatting as one Swedish line, and the chapter page showing the result."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.audit.models import AuditEntry
from lsoplan.programmes.models import CHAPTER_TEXT_MAX, Chapter
from tests.factories import World

pytestmark = pytest.mark.django_db
TEXT = "### Larmvägar\n\n- Ring **112**\n- [SOS Alarm](https://www.sosalarm.se/)"


def _preview(client: Client, chapter: Chapter, text: str, **headers: str) -> str:
    response = client.post(reverse("chapter_preview", kwargs={"pk": chapter.pk}), {"text": text}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_edit_page_explains_the_formatting(world: World, editor: Client) -> None:
    page = editor.get(reverse("chapter_edit", kwargs={"pk": world.chapter.pk})).content.decode()
    assert (
        "Formatering: ### Rubrik, - punkt" in page and "**fetstil**" in page and "[länk](https://…)" in page
    )
    assert 'formaction="/kapitel/' in page  # the preview button works without JavaScript


def test_the_preview_shows_the_rendered_text_and_keeps_it_in_the_form(world: World, editor: Client) -> None:
    page = _preview(editor, world.chapter, TEXT)
    assert "<h4>Larmvägar</h4>" in page
    assert "<li>Ring <strong>112</strong></li>" in page
    assert '<a href="https://www.sosalarm.se/">SOS Alarm</a>' in page
    assert "### Larmvägar" in page  # the textarea still holds what was typed
    assert "<html" in page  # without JavaScript: the whole edit page again


def test_the_preview_saves_nothing(world: World, editor: Client) -> None:
    before = AuditEntry.objects.count()
    _preview(editor, world.chapter, TEXT)
    world.chapter.refresh_from_db()
    assert world.chapter.text == "" and AuditEntry.objects.count() == before


def test_htmx_gets_only_the_preview(world: World, editor: Client) -> None:
    page = _preview(editor, world.chapter, TEXT, HTTP_HX_REQUEST="true")
    assert page.lstrip().startswith('<section id="forhandsgranskning"')
    assert "<html" not in page and "<textarea" not in page


def test_a_javascript_link_is_one_swedish_line_in_the_preview(world: World, editor: Client) -> None:
    page = _preview(editor, world.chapter, "[klicka](javascript:alert(1))")
    assert "Länken till &#x27;javascript:alert(1)&#x27; är inte tillåten" in page
    assert 'href="javascript' not in page


def test_saving_a_javascript_link_is_refused_and_changes_nothing(world: World, editor: Client) -> None:
    url = reverse("chapter_edit", kwargs={"pk": world.chapter.pk})
    response = editor.post(url, {"text": "Se [här](javascript:alert(1))."})
    assert response.status_code == 400
    assert (
        "bara länkar som börjar med https://, http:// eller mailto: går att använda"
        in response.content.decode()
    )
    world.chapter.refresh_from_db()
    assert world.chapter.text == ""


def test_an_over_long_text_is_one_line_in_the_preview_and_not_rendered(world: World, editor: Client) -> None:
    page = _preview(editor, world.chapter, "- x\n" * (CHAPTER_TEXT_MAX // 4 + 1))
    assert "Kapiteltexten får vara högst 100 000 tecken" in page
    assert "<li>x</li>" not in page


def test_a_reader_cannot_preview(world: World, reader: Client) -> None:
    response = reader.post(reverse("chapter_preview", kwargs={"pk": world.chapter.pk}), {"text": TEXT})
    assert response.status_code == 403


def test_the_chapter_page_renders_the_formatting_and_shows_raw_html_as_text(
    world: World, editor: Client
) -> None:
    world.chapter.text = TEXT + "\n\n<script>alert(1)</script>"
    world.chapter.save()
    page = editor.get(reverse("version_chapters", kwargs={"pk": world.version.pk})).content.decode()
    assert "<h3>Larmvägar</h3>" in page and "<li>Ring <strong>112</strong></li>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_a_risk_description_renders_lists_and_a_heading_as_a_bold_line(world: World, editor: Client) -> None:
    world.risk.description = "### Orsaker\n\n- glömd spis\n- rökning"
    world.risk.save()
    page = editor.get(reverse("risk_detail", kwargs={"pk": world.risk.pk})).content.decode()
    assert "<p><strong>Orsaker</strong></p>" in page and "<li>glömd spis</li>" in page
