"""Excel lists: one sheet per list, bold frozen header, numbers stored as numbers."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lsoplan.reports.render_xlsx import Sheet, render_xlsx
from lsoplan.reports.services import produce
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_every_list_is_a_sheet_with_numbers_as_numbers(world: World) -> None:
    wb = load_workbook(io.BytesIO(produce(world.version, "programme", "xlsx").content))
    assert wb.sheetnames == [
        "Mål",
        "Indikatorer",
        "Mätvärden",
        "Risker",
        "Åtgärder",
        "Förmåga",
        "Förbättringsåtgärder",
        "Händelsestatistik",
    ]
    for ws in wb.worksheets:
        assert all(cell.font.bold for cell in ws[1]), ws.title
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")
    indicators = wb["Indikatorer"]
    header = [c.value for c in indicators[1]]
    assert header[-5:] == ["2016", "2017", "2018", "2019", "2020"]
    row = [c.value for c in indicators[2]]
    assert row[:3] == ["S1", "Bränder i bostad", "antal"]
    assert row[-5:] == [26, 24, 25, 25, 23]
    assert indicators.freeze_panes == "C2"
    assert indicators.column_dimensions["B"].width >= len("Bränder i bostad")
    values = wb["Mätvärden"]
    cell = values.cell(row=2, column=4)
    assert cell.data_type == "n" and cell.value == 26 and cell.number_format == "#,##0"
    risks = wb["Risker"]
    assert [c.value for c in risks[2]][:6] == ["R1", "Brand i bostad", "Brand i byggnad", 4, 4, 16]
    assert wb.properties.creator == world.org.name


def test_followup_lists_add_the_year_status(world: World) -> None:
    wb = load_workbook(io.BytesIO(produce(world.version, "followup", "xlsx", year=2020).content))
    assert "Måluppfyllelse 2020" in wb.sheetnames
    ws = wb["Måluppfyllelse 2020"]
    assert [c.value for c in ws[1]] == ["Mål", "Indikator", "Status", "Bedömning", "Metod"]
    assert ws.cell(row=2, column=2).value == "Bränder i bostad"


def test_sheet_validation_and_decimal_format() -> None:
    with pytest.raises(ValueError, match="bladnamn"):
        Sheet("Mål/indikatorer", ("a",))
    with pytest.raises(ValueError, match="rad 1"):
        Sheet("Mål", ("a", "b"), [[1]])
    wb = load_workbook(io.BytesIO(render_xlsx([Sheet("Tal", ("x",), [[1234.5]])])))
    cell = wb["Tal"]["A2"]
    assert cell.value == 1234.5 and cell.number_format == "#,##0.0##"
