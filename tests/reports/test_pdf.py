"""PDF documents: tagged, with the text, headings, tables and figures a council expects; pages
render to images. PDF layout is slow, so this file keeps to two renders."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from lsoplan.demo import load_demo
from lsoplan.programmes.models import Programme
from lsoplan.reports.selectors import pick_version
from lsoplan.reports.services import produce
from tests.factories import World
from tests.reports.helpers import need, pdf_info, pdf_text

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n"


def test_demo_programme_pdf(tmp_path: Path) -> None:
    info = load_demo()
    draft = pick_version(Programme.objects.get(pk=info.programme_id), None, adopted_first=False)
    assert draft is not None
    pdf = produce(draft, "programme", "pdf").content
    assert pdf.startswith(b"%PDF-")
    meta = pdf_info(pdf, tmp_path)
    assert meta["Tagged"] == "yes"
    assert int(meta["Pages"]) >= 10
    assert meta["Title"].startswith("Handlingsprogram för skydd mot olyckor")
    assert meta["Page size"].endswith("(A4)")
    text = pdf_text(pdf, tmp_path).replace("\u00a0", " ")  # "§ 52" is kept on one line
    for expected in (
        "Utkast – inte antaget",
        "Innehåll",
        "1 Inledning",
        "4 Risker",
        "Riskmatris",
        "6.6 Räddningstjänst under höjd beredskap",
        "Ändringar mot version 1",
        "förbundsdirektionen 8 december 2022, § 52",
        "Brand i litiumjonbatterier",
    ):
        assert expected in text, expected
    assert "Sida 3 av" in text  # page numbers in the footer
    # The structure tree carries headings and tables (screen readers navigate by them).
    (tmp_path / "s.pdf").write_bytes(pdf)
    tree = subprocess.run(
        [need("pdfinfo"), "-struct", str(tmp_path / "s.pdf")], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert "H1" in tree and "H2" in tree and "Table" in tree
    # Pages render to images (the title page and the contents).
    subprocess.run(
        [
            need("pdftoppm"),
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "2",
            str(tmp_path / "s.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 2
    assert all(p.read_bytes().startswith(PNG) and p.stat().st_size > 2_000 for p in pages)


def test_followup_pdf_has_figures_with_alt_text(world: World, tmp_path: Path) -> None:
    pdf = produce(world.version, "followup", "pdf", year=2020).content
    text = pdf_text(pdf, tmp_path)
    assert "Uppföljning 2020" in text
    assert "Bränder i bostad" in text
    assert "Tabell 1." in text and "Figur 1." in text
    (tmp_path / "f.pdf").write_bytes(pdf)
    images = subprocess.run(
        [need("pdfimages"), "-list", str(tmp_path / "f.pdf")], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert " image " in images
    tree = subprocess.run(
        [need("pdfinfo"), "-struct", str(tmp_path / "f.pdf")], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert "Figure" in tree


def test_the_pdf_declares_pdf_ua_1_and_ties_header_cells_to_data(world: World, tmp_path: Path) -> None:
    pdf = produce(world.version, "programme", "pdf").content
    (tmp_path / "ua.pdf").write_bytes(pdf)
    meta = subprocess.run(
        [need("pdfinfo"), "-meta", str(tmp_path / "ua.pdf")], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert re.search(r'pdfuaid:part(="1"|>1<)', meta), meta
    tree = subprocess.run(
        [need("pdfinfo"), "-struct", str(tmp_path / "ua.pdf")],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    assert "TH" in tree and "TD" in tree
