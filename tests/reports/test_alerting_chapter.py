"""The chapter on alerting the rescue service and warning the public: in new programmes, in the
document in skeleton order, with a hint while empty that stays out of the document."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.demo.content import CHAPTERS
from lsoplan.lib.compliance import ChapterFact, ProgrammeFacts, VersionFacts, default_skeleton
from lsoplan.lib.compliance_rules import chapter_structure
from lsoplan.programmes.models import Chapter
from lsoplan.reports.programme_doc import build_programme
from lsoplan.reports.services import produce
from tests.factories import World
from tests.reports.helpers import headings, open_docx
from tests.reports.test_document_text import TOOL_WORDS, docx_text, model_text

pytestmark = pytest.mark.django_db
TITLE = "Larmning av räddningstjänsten och varning av allmänheten"


def test_a_new_programme_has_the_alerting_chapter_before_the_follow_up(world: World) -> None:
    keys = list(Chapter.objects.filter(version=world.version).order_by("order").values_list("key", "number"))
    assert keys[-2:] == [("larm-varning", "7"), ("uppfoljning", "8")]
    assert Chapter.objects.get(version=world.version, key="larm-varning").title == TITLE


def test_the_empty_alerting_chapter_tells_the_planner_what_to_describe(world: World, editor: Client) -> None:
    page = editor.get(reverse("version_chapters", kwargs={"pk": world.version.pk})).content.decode()
    assert "Ingen text ännu. Beskriv hur den som behöver hjälp når räddningstjänsten (112" in page


def test_the_hint_for_an_empty_chapter_is_advice_not_document_text(world: World) -> None:
    doc = build_programme(world.version, dt.date(2026, 11, 30))
    assert any(a.startswith(f"Kapitel 7 {TITLE} saknar text.") and "VMA" in a for a in doc.advisories)
    assert "viktigt meddelande till allmänheten (VMA)" not in model_text(doc)


def test_the_document_shows_the_alerting_chapter_text_under_its_heading(world: World) -> None:
    chapter = Chapter.objects.get(version=world.version, key="larm-varning")
    chapter.text = CHAPTERS["larm-varning"]
    chapter.save()
    content = produce(world.version, "programme", "docx").content
    found = headings(open_docx(content))
    assert (1, f"7 {TITLE}") in found
    assert found.index((1, f"7 {TITLE}")) < found.index((1, "8 Uppföljning och utvärdering"))
    text = docx_text(content)
    assert "SOS Alarm tar emot samtalet" in text
    assert not TOOL_WORDS.search(text)


def test_the_demo_text_covers_112_vma_and_outdoor_warning() -> None:
    text = CHAPTERS["larm-varning"]
    assert all(word in text for word in ("112", "SOS Alarm", "VMA", "Hesa Fredrik"))


def test_the_egenkontroll_names_the_alerting_chapter_missing_from_an_older_programme() -> None:
    skeleton = default_skeleton()
    older = tuple(ChapterFact(r.key, r.number, r.title, "text") for r in skeleton if r.key != "larm-varning")
    facts = ProgrammeFacts(
        today=dt.date(2026, 11, 30),
        version=VersionFacts(id=1, number=1, status="antagen", period_start=2023, period_end=2026),
        chapters=older,
    )
    messages = [o.message for o in chapter_structure(facts)]
    assert messages == [f"Kapitel 7 {TITLE} saknas."]
