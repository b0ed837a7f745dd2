"""Word documents opened with python-docx: headings in MSBFS order, tables, figures, title page."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn

from lsoplan.demo import load_demo
from lsoplan.programmes.models import Chapter, Programme
from lsoplan.reports.selectors import pick_version
from lsoplan.reports.services import produce
from tests.factories import World
from tests.reports.helpers import (
    find_table,
    headings,
    image_descriptions,
    open_docx,
    table_captions,
    table_text,
)

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def _title_lines(document: Any) -> list[str]:
    lines = []
    for p in document.paragraphs:
        if p.style.name == "TOC Heading":
            break
        lines.append(p.text)
    return lines


def test_programme_follows_the_chapter_order_with_real_heading_styles(world: World) -> None:
    document = open_docx(produce(world.version, "programme", "docx").content)
    found = headings(document)
    chapters = list(Chapter.objects.filter(version=world.version).order_by("order"))
    expected = [(1 if "." not in c.number else 2, f"{c.number} {c.title}") for c in chapters]
    numbered = [h for h in found if re.match(r"\d", h[1])]
    assert numbered == expected
    assert found[-1] == (1, "Ändringar mot tidigare version")
    generated = [
        (2, "Säkerhetsmål"),
        (2, "Prestationsmål och åtgärder"),
        (2, "Riskmatris"),
        (3, "R1 Brand i bostad"),
    ]
    assert set(generated) <= set(found)
    # Generated sub-headings never go inside the closed räddningstjänst chapter (MSBFS 2021:1 § 2).
    chapter6 = [h for h in found if h[1].startswith("6")]
    assert all(level <= 2 for level, _ in chapter6)


def test_programme_title_page_contents_and_swedish_settings(world: World) -> None:
    document = open_docx(produce(world.version, "programme", "docx").content)
    title = _title_lines(document)
    assert "Handlingsprogram för skydd mot olyckor" in title
    assert "Utkast – inte antaget" in title
    assert "Antaget av: Inte antaget" in title
    assert "Programperiod: 2027–2030" in title
    assert any(line.startswith("Kommuner: ") and "Eskilstuna" in line for line in title)
    assert document.core_properties.language == "sv-SE"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "sv-SE"
    settings = [child.tag.split("}")[1] for child in document.settings.element]
    assert settings.index("updateFields") < settings.index("compat")  # schema order, or Word repairs
    instr = "".join(t.text for t in document.element.body.iter(qn("w:instrText")))
    assert "TOC" in instr


def test_programme_tables_have_captions_header_rows_and_swedish_numbers(world: World) -> None:
    document = open_docx(produce(world.version, "programme", "docx").content)
    captions = table_captions(document)
    assert all(captions), "every table needs a caption (tblCaption)"
    for t in document.tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    goals = table_text(find_table(document, "Säkerhetsmål"))
    assert goals[0] == ["Mål", "Måltext", "Nationellt mål", "Risker", "Ansvarig"]
    assert goals[1][0] == "S1" and goals[1][3] == "Brand i bostad"
    indicators = table_text(find_table(document, "Indikatorer för säkerhetsmålen"))
    assert indicators[1][1:5] == ["Bränder i bostad", "antal", "25 (2016–2019)", "20 (2030)"]
    people = table_text(find_table(document, "Kommunerna och deras folkmängd"))
    eskilstuna = next(r for r in people if r[0] == "Eskilstuna")
    assert re.fullmatch(rf"\d{{3}}{NBSP}\d{{3}}", eskilstuna[3]), eskilstuna
    assert eskilstuna[4].isdigit()  # a year, not "2 024"
    matrix = table_text(find_table(document, "Riskmatris"))
    row4 = next(r for r in matrix if r[0].startswith("4 "))
    assert row4[4] == "R1"  # likelihood 4, consequence 4
    caps = table_text(find_table(document, "Förmåga: 6.1"))
    assert caps[1][3] == "Rökdykning inom 10 minuter"


def test_followup_report_has_status_charts_with_alt_text_and_value_tables(world: World) -> None:
    document = open_docx(produce(world.version, "followup", "docx", year=2020).content)
    found = headings(document)
    assert [t for level, t in found if level == 1] == [
        "Året 2020 i korthet",
        "Sammanfattning",
        "Säkerhetsmål",
        "Prestationsmål",
        "Handlingsplanens åtgärder",
        "Går målen att följa upp statistiskt?",
        "Kostnader",
        "Händelsestatistik",
        "Utvärderingar",
        "Förbättringsåtgärder",
        "Egenkontroll",
    ]
    assert (3, "Bränder i bostad") in found
    descriptions = image_descriptions(document)
    assert len(descriptions) == 1
    assert descriptions[0].startswith("Linjediagram över Bränder i bostad (antal) per år 2016–2020")
    assert "Målvärde 20 till 2030" in descriptions[0]
    values = table_text(find_table(document, "Bränder i bostad: värden per år"))
    assert values == [["", "2016", "2017", "2018", "2019", "2020"], ["antal", "26", "24", "25", "25", "23"]]
    status = table_text(find_table(document, "Status per indikator"))
    assert status[1][:2] == ["S1", "Bränder i bostad"]
    assert status[1][3] == "23 (2020)"
    title = _title_lines(document)
    assert "Uppföljning 2020" in title and "Uppföljningsår: 2020" in title


def test_followup_year_cuts_off_later_measurements(world: World) -> None:
    document = open_docx(produce(world.version, "followup", "docx", year=2018).content)
    values = table_text(find_table(document, "Bränder i bostad: värden per år"))
    assert values[0] == ["", "2016", "2017", "2018"]


def test_demo_programme_and_followup(tmp_path: Path) -> None:
    info = load_demo()
    programme = Programme.objects.get(pk=info.programme_id)
    draft = pick_version(programme, None, adopted_first=False)
    adopted = pick_version(programme, None, adopted_first=True)
    assert draft is not None and adopted is not None and draft.number == 2 and adopted.number == 1

    document = open_docx(produce(draft, "programme", "docx").content)
    assert headings(document)[-1] == (1, "Ändringar mot version 1")
    changes = table_text(find_table(document, "Ändringar mot version 1"))
    rows = {r[0]: r[1:] for r in changes[1:]}
    assert rows["Risk: Brand i litiumjonbatterier"] == ["Tillagd", ""]
    assert rows["Säkerhetsmål: S2"][0] == "Ändrad" and rows["Säkerhetsmål: S2"][1].startswith("Måltext: ")
    assert rows["Kapitel: 8 Uppföljning och utvärdering"][1].startswith("Text: texten ändrad")
    assert any(k.startswith("Åtgärd: ") and "Status: Pågående → Genomförd" in v[1] for k, v in rows.items())

    report = open_docx(produce(adopted, "followup", "docx", year=2025).content)
    title = _title_lines(report)
    assert "Antaget av: Förbundsdirektionen 8 december 2022, §\u00a052" in title
    assert "Samråd: 22 augusti 2022 – 14 oktober 2022" in title
    assert not any("Utkast" in line for line in title)
    descriptions = image_descriptions(report)
    # Every figure has alt text; the indicator charts (one per indicator) are line charts, and the
    # incident statistics add charts of their own.
    assert all(len(d) > 20 for d in descriptions)
    assert sum(d.startswith("Linjediagram över ") for d in descriptions) >= 15
    path = tmp_path / "uppfoljning.docx"
    path.write_bytes(produce(adopted, "followup", "docx", year=2025).content)
    _libreoffice_opens(path, tmp_path)


def _libreoffice_opens(path: Path, out: Path) -> None:
    """Convert with LibreOffice when it is installed (it is not required): no repair, a PDF out."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    assert (out / f"{path.stem}.pdf").stat().st_size > 10_000


def test_today_is_printed_in_swedish(world: World) -> None:
    from lsoplan.reports.programme_doc import build_programme

    doc = build_programme(world.version, today=dt.date(2026, 3, 5))
    assert ("Utskrivet", "5 mars 2026") in [(f.label, f.value) for f in doc.facts]


def test_no_column_is_narrower_than_its_longest_word() -> None:
    from lsoplan.reports.render_docx import CELL_PADDING_CM, CHAR_CM, column_widths

    texts = [
        ["Nr", "Åtgärd", "Status", "Nivå"],
        ["R1", "Hembesök i utsatta områden", "Genomförd", "Katastrofal"],
    ]
    widths = column_widths(texts, (0.6, 6, 1, 0.6), 16.0)
    assert abs(sum(widths) - 16.0) < 1e-6
    assert widths[2] >= len("Genomförd") * CHAR_CM + CELL_PADDING_CM
    assert widths[3] >= len("Katastrofal") * CHAR_CM + CELL_PADDING_CM
    assert widths[1] > widths[2]  # the text column still gets most of the width


def test_tables_fit_their_content_and_span_the_text_width(world: World) -> None:
    document = open_docx(produce(world.version, "programme", "docx").content)
    for t in document.tables:
        pr = t._tbl.tblPr
        assert pr.find(qn("w:tblLayout")).get(qn("w:type")) == "autofit"
        assert pr.find(qn("w:tblW")).get(qn("w:type")) == "pct"
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == "Arial"
    assert document.styles["Heading 1"].font.name == "Arial"
