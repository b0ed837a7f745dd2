"""What a council reads: no software named, drafts marked on every page, and the consultation and
adoption texts said from the version's state without contradicting one another."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from lsoplan.goals import services as goals
from lsoplan.goals.models import PerformanceGoal
from lsoplan.lib import markup
from lsoplan.lib.report_model import BulletList, Document, Paragraph, Table
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports.programme_doc import build_programme
from lsoplan.reports.services import produce
from tests.factories import SYSTEM, World
from tests.reports.helpers import open_docx, pdf_text

pytestmark = pytest.mark.django_db
TOOL_WORDS = re.compile(r"lsoplan|manuell inmatning|inlästa i|\bdemo\.RATES|incidents:", re.IGNORECASE)
TODAY = dt.date(2026, 11, 30)


def model_text(doc: Document) -> str:
    parts = [doc.title, doc.subtitle, doc.notice, *(f"{f.label}: {f.value}" for f in doc.facts)]
    for section in doc.walk():
        parts.append(section.heading)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, BulletList):
                parts.extend(block.items)
            elif isinstance(block, Table):
                parts.append(block.caption)
                parts.extend(" | ".join(row) for row in block.text_rows())
            elif isinstance(block, markup.Heading | markup.RichParagraph):
                parts.append(block.text)
            elif isinstance(block, markup.RichList | markup.TextTable):
                parts.append(markup.block_html(block))  # tags and text: enough for word searches
    return "\n".join(parts)


def docx_text(content: bytes) -> str:
    document = open_docx(content)
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    return "\n".join(parts)


def docx_header(content: bytes) -> str:
    section = open_docx(content).sections[0]
    return section.header.paragraphs[0].text + " / " + section.first_page_header.paragraphs[0].text


def _remiss(world: World) -> ProgrammeVersion:
    return programmes.send_to_consultation(
        SYSTEM,
        world.version,
        parties="Länsstyrelsen\nPolisen",
        date_from=dt.date(2026, 9, 1),
        date_to=dt.date(2026, 10, 15),
    )


def _adopted(world: World) -> ProgrammeVersion:
    version = _remiss(world)
    return programmes.adopt(
        SYSTEM, version, body="kommunfullmaktige", date=dt.date(2026, 11, 20), paragraph="§ 52"
    )


def test_a_draft_pdf_names_no_software_and_every_page_says_utkast(world: World, tmp_path: Path) -> None:
    text = pdf_text(produce(world.version, "programme", "pdf").content, tmp_path)
    assert not TOOL_WORDS.search(text), TOOL_WORDS.search(text)
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 5
    assert all("UTKAST" in page for page in pages)


def test_a_draft_docx_names_no_software_and_its_header_says_utkast(world: World) -> None:
    content = produce(world.version, "programme", "docx").content
    assert not TOOL_WORDS.search(docx_text(content))
    assert docx_header(content) == "UTKAST – inte antaget / UTKAST – inte antaget"


def test_the_followup_report_names_no_software(world: World) -> None:
    content = produce(world.version, "followup", "docx", year=2020).content
    assert not TOOL_WORDS.search(docx_text(content))


def test_an_adopted_version_carries_no_utkast_marking(world: World, tmp_path: Path) -> None:
    version = _adopted(world)
    content = produce(version, "programme", "docx").content
    assert "UTKAST" not in docx_text(content).upper()
    assert docx_header(content) == " / "
    text = pdf_text(produce(version, "programme", "pdf").content, tmp_path)
    assert "UTKAST" not in text.upper() and not TOOL_WORDS.search(text)


def test_a_draft_says_it_has_not_been_consulted_or_adopted(world: World) -> None:
    doc = build_programme(world.version, TODAY)
    text = model_text(doc)
    assert "Detta är ett utkast" in text
    assert "Programmet har ännu inte varit på samråd." in text
    assert "antogs" not in text and "har varit på samråd" not in text


def test_a_version_on_consultation_says_so_and_not_that_it_was_adopted(world: World) -> None:
    doc = build_programme(_remiss(world), dt.date(2026, 9, 20))
    text = model_text(doc)
    assert "Programmet är på samråd 1 september 2026 – 15 oktober 2026 med:" in text
    assert "Länsstyrelsen" in text
    assert "inte varit på samråd" not in text and "antogs" not in text
    assert "UTKAST – remissversion" in doc.marking


def test_an_adopted_version_says_consulted_and_adopted_and_nothing_else(world: World) -> None:
    doc = build_programme(_adopted(world), TODAY)
    text = model_text(doc)
    assert "Programmet har varit på samråd 1 september 2026 – 15 oktober 2026 med:" in text
    assert "Programmet antogs av kommunfullmäktige den 20 november 2026 (§ 52) och gäller 2027–2030." in text
    assert "inte varit på samråd" not in text and "tkast" not in text and "inte antag" not in text
    assert doc.marking == ""


def test_every_high_risk_is_said_to_have_a_goal_only_when_it_has(world: World) -> None:
    text = model_text(build_programme(world.version, TODAY))
    assert "Varje risk som är bedömd som hög hanteras av minst ett säkerhetsmål." in text
    world.safety_goal.risks.clear()
    doc = build_programme(world.version, TODAY)
    text = model_text(doc)
    assert "Varje risk som är bedömd som hög" not in text
    assert "0 av 1 risker som är bedömda som höga hanteras av säkerhetsmål." in text
    assert "Utan säkerhetsmål: R1 Brand i bostad." in text
    assert any("R1 Brand i bostad" in a for a in doc.advisories)


def test_goals_without_owner_or_indicator_are_remarked_on(world: World) -> None:
    goals.create_safety_goal(SYSTEM, world.version, code="S2", text="Ingen ska omkomma i bränder.", owner="")
    text = model_text(build_programme(world.version, TODAY))
    assert "Målet S2 har ingen angiven ansvarig." in text
    assert "Målet S2 har ingen indikator och följs inte upp med mätvärden." in text
    assert "Målet P1 har ingen indikator" in text


def test_advisory_notes_stay_out_of_the_document_body(world: World) -> None:
    doc = build_programme(world.version, TODAY)
    text = model_text(doc)
    assert any("samråd innan det antas" in a for a in doc.advisories)
    assert "samråd innan det antas" not in text
    assert "Ingen förmåga är beskriven" not in text
    assert any("Ingen förmåga är beskriven" in a for a in doc.advisories)


def test_the_change_log_lists_every_change_with_labels_cut_between_words(world: World) -> None:
    adopted = _adopted(world)
    draft = programmes.new_draft(SYSTEM, adopted)
    goal = PerformanceGoal.objects.get(version=draft)
    long_text = "Genomföra riktade hembesök med kontroll av brandvarnare i alla flerbostadshus i ytterorterna"
    goals.create_measure(SYSTEM, goal, text=long_text)
    goals.create_measure(SYSTEM, goal, text="Utbilda personal i vården")
    doc = build_programme(draft, TODAY)
    (log,) = [t for t in doc.tables() if t.caption == "Ändringar mot version 1"]
    labels = [row[0] for row in log.text_rows()]
    assert "Åtgärd: Utbilda personal i vården" in labels
    (cut,) = [label for label in labels if label.startswith("Åtgärd: Genomföra")]
    assert cut.endswith(" …")
    assert long_text.startswith(cut.removeprefix("Åtgärd: ").removesuffix(" …") + " ")


def test_the_resources_table_lists_each_set_of_resources_once_with_what_it_upholds(world: World) -> None:
    from lsoplan.conditions import services as conditions

    for text in ("Rökdykning inom 10 minuter", "Losstagning vid trafikolycka"):
        conditions.add_capability(
            SYSTEM,
            world.version,
            risk=world.risk,
            kind="olyckstyp",
            readiness="fred",
            description=text,
            resources="Två heltidsstyrkor 1+4",
        )
    doc = build_programme(world.version, TODAY)
    (resources,) = [t for t in doc.tables() if t.caption.startswith("Resurser bakom förmågan")]
    rows = resources.text_rows()
    assert len(rows) == 1
    assert rows[0][1] == "Två heltidsstyrkor 1+4"
    assert "Brand i bostad: Losstagning vid trafikolycka" in rows[0][2]
