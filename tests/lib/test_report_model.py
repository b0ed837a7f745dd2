"""The document outline: Swedish formats, validation of tables and figures, heading levels."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lsoplan.lib.report_model import (
    PNG_SIGNATURE,
    BulletList,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    format_cell,
    paragraphs,
    sv_date,
    sv_number,
    table,
)

NBSP = "\u00a0"
PNG = PNG_SIGNATURE + b"rest of a png"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, f"1{NBSP}234,5"),
        (1234.6, None, f"1{NBSP}235"),  # readable precision: no decimals at this size
        (25.0, None, "25"),
        (25, None, "25"),
        (162034, None, f"162{NBSP}034"),
        (12.34, None, "12,3"),
        (0.043, None, "0,043"),
        (-3.5, 1, "\u22123,5"),
        (None, None, "–"),
        (float("nan"), None, "–"),
    ],
)
def test_sv_number(value: float | None, decimals: int | None, expected: str) -> None:
    assert sv_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 3, 5), "5 mars 2026"),
        (dt.date(2022, 12, 8), "8 december 2022"),
        (dt.date(2024, 1, 31), "31 januari 2024"),
        (None, "–"),
    ],
)
def test_sv_date(date: dt.date | None, expected: str) -> None:
    assert sv_date(date) == expected


def test_format_cell() -> None:
    assert format_cell(None) == "–"
    assert format_cell(True) == "ja"
    assert format_cell("text") == "text"
    assert format_cell(2.25, 2) == "2,25"


def test_paragraphs_split_at_blank_lines_only() -> None:
    text = "Första stycket\nfortsätter.\r\n\r\nAndra stycket.\n\n\n"
    assert paragraphs(text) == ["Första stycket\nfortsätter.", "Andra stycket."]
    assert paragraphs("   ") == []


def test_table_checks_its_shape() -> None:
    with pytest.raises(ValueError, match="rad 2"):
        table("Risker", ("Risk", "Nivå"), [("Brand", 4), ("Drunkning",)])
    with pytest.raises(ValueError, match="rubrik"):
        table(" ", ("Risk",), [])
    with pytest.raises(ValueError, match="kolumner"):
        table("Tom", (), [])
    with pytest.raises(ValueError, match="bredd"):
        table("Bredd", ("a", "b"), [], widths=(1,))
    with pytest.raises(ValueError, match="färgerna"):
        Table("Matris", ("a",), (("x",),), shades=())


def test_table_numeric_columns_and_text() -> None:
    t = table(
        "Mätvärden", ("År", "Värde", "Kommentar"), [("2024", 1234.5, "x"), ("2025", None, None)], decimals=1
    )
    assert t.numeric_columns() == {1}
    assert t.text_rows() == [["2024", f"1{NBSP}234,5", "x"], ["2025", "–", "–"]]


def test_figure_needs_png_and_alt_text() -> None:
    Figure(PNG, "Linjediagram över bränder", "Bränder per år")
    with pytest.raises(ValueError, match="PNG"):
        Figure(b"GIF89a", "alt", "Bild")
    with pytest.raises(ValueError, match="alternativtext"):
        Figure(PNG, "  ", "Bild")


def test_sections_nest_three_levels_and_no_deeper() -> None:
    doc = Document("Handlingsprogram", "2027–2030", "Räddningstjänst")
    top = doc.section("4 Risker")
    mid = top.section("Riskmatris")
    low = mid.section("R1 Brand i bostad")
    assert (top.level, mid.level, low.level) == (1, 2, 3)
    with pytest.raises(ValueError, match="rubriknivå 4"):
        low.section("För djupt")
    with pytest.raises(ValueError):
        Section("", 1)


def test_attach_moves_a_section_to_the_right_level() -> None:
    built = Section("Mål", 1)
    built.section("Säkerhetsmål")
    parent = Section("3 Styrning", 1)
    parent.attach(built)
    assert [(s.level, s.heading) for s in parent.walk()] == [
        (1, "3 Styrning"),
        (2, "Mål"),
        (3, "Säkerhetsmål"),
    ]
    with pytest.raises(ValueError, match="rubriknivå 3"):
        Section("X", 3).attach(Section("Y", 1))


def test_outline_blocks_tables_and_figures_in_reading_order() -> None:
    doc = Document("T", "S", "O")
    one = doc.section("1 Inledning").text("Första.\n\nAndra.")
    one.section("Samråd").add(BulletList(("Länsstyrelsen",)))
    two = doc.section("2 Kommunen")
    two.add(table("Kommuner", ("Kommun",), [("Flen",)]), Figure(PNG, "alt", "Diagram"))
    assert doc.outline() == [(1, "1 Inledning"), (2, "Samråd"), (1, "2 Kommunen")]
    assert [type(b).__name__ for b in doc.blocks()] == [
        "Paragraph",
        "Paragraph",
        "BulletList",
        "Table",
        "Figure",
    ]
    assert len(doc.tables()) == 1 and len(doc.figures()) == 1
    assert one.blocks[0] == Paragraph("Första.")
    anchors = doc.anchors()
    assert len(set(anchors.values())) == 3


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_sv_number_round_trips(value: float, decimals: int) -> None:
    text = sv_number(value, decimals)
    parsed = float(text.replace(NBSP, "").replace(",", ".").replace("\u2212", "-"))
    assert parsed == pytest.approx(round(value, decimals), abs=10**-decimals)
