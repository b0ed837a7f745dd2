"""Formatted chapter texts in the documents: the PDF shows the heading and list items and tags
them, the Word file uses Word's own headings, lists, bold runs and hyperlinks, and nothing a
planner types (raw HTML, a javascript: link, a formula) becomes live in any file."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from openpyxl import load_workbook

from lsoplan.lib.report_model import Document
from lsoplan.programmes.models import Chapter
from lsoplan.reports.render_docx import render_docx
from lsoplan.reports.render_pdf import render_html, render_pdf, render_pdf_with_pages
from lsoplan.reports.services import produce
from tests.factories import World
from tests.reports.helpers import headings, need, open_docx, pdf_text

TEXT = """Förbundet larmas via **SOS Alarm** och informerar på [förbundets webbplats](https://www.example.se/).

### Så varnas allmänheten

1. Viktigt meddelande till allmänheten (VMA)
2. Utomhusvarning, *Hesa Fredrik*
   - i tätorterna

- Webb och sociala medier
- Lokalradio

| Kanal | Räckvidd (%) |
|---|--:|
| VMA i radio | 95 |
| =HYPERLINK("https://evil.example/","klicka") | 5 |

<script>alert("x")</script> [farlig](javascript:alert(1))
"""


def _model() -> Document:
    doc = Document("Handlingsprogram", "Testförbundet 2027–2030", "Testförbundet")
    doc.section("7 Larmning och varning").markup(TEXT)
    return doc


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(_model())


@pytest.fixture(scope="module")
def word() -> bytes:
    return render_docx(_model())


def test_the_pdf_text_shows_the_heading_and_the_list_items(pdf: bytes, tmp_path: Path) -> None:
    text = pdf_text(pdf, tmp_path)
    for expected in (
        "Så varnas allmänheten",
        "1. Viktigt meddelande till allmänheten (VMA)",
        "2. Utomhusvarning, Hesa Fredrik",
        "Webb och sociala medier",
        "i tätorterna",
    ):
        assert expected in text, expected


def test_the_pdf_tags_the_heading_list_and_table_header(pdf: bytes, tmp_path: Path) -> None:
    (tmp_path / "s.pdf").write_bytes(pdf)
    tree = subprocess.run(
        [need("pdfinfo"), "-struct", str(tmp_path / "s.pdf")], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert "H2" in tree and "LI" in tree and "LBody" in tree and "TH" in tree and "Link" in tree


def test_the_print_html_has_real_elements_and_header_scope() -> None:
    html = render_html(_model())
    assert '<h2 id="avsnitt-2" class="text-heading">Så varnas allmänheten</h2>' in html
    assert "<ol><li>Viktigt meddelande" in html and "<ul><li>Webb och sociala medier</li>" in html
    assert '<th scope="col" class="num">Räckvidd (%)</th>' in html
    assert '<a href="#avsnitt-2">Så varnas allmänheten</a>' in html  # in the table of contents


def test_raw_html_and_a_javascript_link_are_inert_in_the_pdf(pdf: bytes, tmp_path: Path) -> None:
    html = render_html(_model())
    assert "<script>" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert b"javascript" not in pdf.lower()
    assert '<script>alert("x")</script> farlig' in pdf_text(pdf, tmp_path)


def test_the_word_file_has_a_heading_style_paragraph(word: bytes) -> None:
    assert (2, "Så varnas allmänheten") in headings(open_docx(word))


def test_the_word_file_has_list_paragraphs(word: bytes) -> None:
    styles = {p.text: p.style.name for p in open_docx(word).paragraphs}
    assert styles["Viktigt meddelande till allmänheten (VMA)"] == "List Number"
    assert styles["i tätorterna"] == "List Bullet 2"
    assert styles["Lokalradio"] == "List Bullet"


def test_the_word_file_has_bold_and_italic_runs(word: bytes) -> None:
    runs = [r for p in open_docx(word).paragraphs for r in p.runs]
    assert any(r.text == "SOS Alarm" and r.bold for r in runs)
    assert any(r.text == "Hesa Fredrik" and r.italic for r in runs)


def test_the_word_file_has_a_real_hyperlink(word: bytes) -> None:
    links = [h for p in open_docx(word).paragraphs for h in p.hyperlinks]
    assert [(h.text, h.address) for h in links] == [("förbundets webbplats", "https://www.example.se/")]


def test_a_numbered_list_in_word_starts_at_its_own_first_number(word: bytes) -> None:
    document = open_docx(word)
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Viktigt meddelande"))
    num_id = paragraph._p.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    start = num.find(qn("w:lvlOverride")).find(qn("w:startOverride"))
    assert start.get(qn("w:val")) == "1"


def test_the_word_table_repeats_its_header_row_and_holds_the_formula_as_text(word: bytes) -> None:
    (table,) = open_docx(word).tables
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.cell(2, 0).text == '=HYPERLINK("https://evil.example/","klicka")'
    xml = zipfile.ZipFile(io.BytesIO(word)).read("word/document.xml").decode()
    fields = re.findall(r"<w:instrText[^>]*>([^<]*)<", xml)
    assert fields and not any("HYPERLINK" in f for f in fields)  # only the contents' TOC field
    assert "<w:fldSimple" not in xml


def test_raw_html_and_a_javascript_link_are_inert_in_the_word_file(word: bytes) -> None:
    document = open_docx(word)
    assert any(p.text == '<script>alert("x")</script> farlig' for p in document.paragraphs)
    rels = zipfile.ZipFile(io.BytesIO(word)).read("word/_rels/document.xml.rels").decode()
    assert "javascript" not in rels.lower()


@pytest.mark.django_db
def test_a_formatted_chapter_reaches_the_programme_word_file(world: World) -> None:
    chapter = Chapter.objects.get(version=world.version, key="larm-varning")
    chapter.text = TEXT.split("<script>")[0]
    chapter.save()
    document = open_docx(produce(world.version, "programme", "docx").content)
    found = headings(document)
    chapter_heading = (1, "7 Larmning av räddningstjänsten och varning av allmänheten")
    assert found[found.index(chapter_heading) + 1] == (2, "Så varnas allmänheten")


@pytest.mark.django_db
def test_a_formula_in_a_risk_description_table_stays_text_in_the_spreadsheet(world: World) -> None:
    world.risk.description = '=HYPERLINK("https://evil.example/","klicka")\n\n| A |\n|---|\n| =1+1 |'
    world.risk.save()
    wb = load_workbook(io.BytesIO(produce(world.version, "programme", "xlsx").content))
    cells = [c for row in wb["Risker"].iter_rows() for c in row if isinstance(c.value, str)]
    described = [c for c in cells if "HYPERLINK" in c.value]
    assert described and all(c.data_type == "s" for c in described)  # text, never a formula
    sheet_xml = zipfile.ZipFile(io.BytesIO(produce(world.version, "programme", "xlsx").content))
    assert not any(
        b"<f>" in sheet_xml.read(n) for n in sheet_xml.namelist() if n.startswith("xl/worksheets/")
    )


def _toc_entries(content: bytes) -> list[str]:
    return [p.text for p in open_docx(content).paragraphs if p.style.name.startswith("toc ")]


def test_word_contents_carry_the_pdf_page_numbers_before_fields_are_updated(tmp_path: Path) -> None:
    model = _model()
    model.section("8 Uppföljning").markup("Text.")
    pdf, pages = render_pdf_with_pages(model)
    assert pages == {"avsnitt-1": 3, "avsnitt-2": 3, "avsnitt-3": 4}  # each chapter starts a page
    assert _toc_entries(render_docx(model, pages)) == [
        "7 Larmning och varning\t3",
        "Så varnas allmänheten\t3",
        "8 Uppföljning\t4",
    ]
    page_four = subprocess.run(
        [need("pdftotext"), "-f", "4", "-l", "4", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "8 Uppföljning" in page_four


def test_without_pages_the_contents_list_the_headings_only(word: bytes) -> None:
    assert _toc_entries(word) == ["7 Larmning och varning", "Så varnas allmänheten"]


def test_every_chapter_starts_a_page_in_word_without_an_empty_page(word: bytes) -> None:
    document = open_docx(word)
    assert document.styles["Heading 1"].paragraph_format.page_break_before is True
    xml = zipfile.ZipFile(io.BytesIO(word)).read("word/document.xml").decode()
    assert xml.count('w:type="page"') == 1  # after the title page only; chapters break by style


@pytest.mark.django_db
def test_a_drafts_word_file_carries_page_numbers_in_its_contents(world: World) -> None:
    entries = _toc_entries(produce(world.version, "programme", "docx").content)
    assert entries and all(re.search(r"\t\d+$", e) for e in entries), entries
