"""Lists as an Excel workbook (openpyxl): one sheet per list, ready to filter and sum.

Numbers are stored as numbers and dates as dates, so Excel's own Swedish locale shows "1 234,5"
and sums work; years are plain integers ("2016", not "2 016"); the header row is bold, frozen,
filterable and printed on every page; a sheet prints fitted to the page width, landscape when it
is wide. Text never runs: every text cell is stored as a string, so a goal owner typed as
``=HYPERLINK(…)`` stays the text it is (``lib.safe_cells``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lsoplan.lib.safe_cells import looks_like_formula

MAX_WIDTH = 60  # characters; longer texts wrap
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
INTEGER = "#,##0"
DECIMAL = "#,##0.0##"
DATE = "yyyy-mm-dd"
YEAR = "0"
LANDSCAPE_FROM = 110  # characters of column width: wider sheets print landscape
_YEAR_HEADER = re.compile(r"(^|\s)år$|^år\b|målår|^\d{4}$", re.IGNORECASE)


def is_year_column(header: str) -> bool:
    """Columns holding years ("År", "Målår", "Klar år"), not amounts ("Årlig kostnad")."""
    return bool(_YEAR_HEADER.search(header.strip())) and not header.strip().isdigit()


@dataclass(frozen=True)
class Sheet:
    title: str  # at most 31 characters, Excel's limit
    header: tuple[str, ...]
    rows: Sequence[Sequence[Any]] = field(default_factory=list)
    frozen_columns: int = 0  # also keep the first columns in view (e.g. goal and indicator name)

    def __post_init__(self) -> None:
        if len(self.title) > 31 or any(ch in self.title for ch in "[]:*?/\\"):
            raise ValueError(f"ogiltigt bladnamn för Excel: {self.title!r}")
        for i, row in enumerate(self.rows, 1):
            if len(row) != len(self.header):
                raise ValueError(f"bladet '{self.title}', rad {i}: fel antal kolumner")


def _format(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return INTEGER if value.is_integer() else DECIMAL
    if isinstance(value, dt.date):
        return DATE
    return None


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float | int) and not isinstance(value, bool):
        return len(f"{value:,.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _print_setup(ws: Worksheet, total_width: float) -> None:
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if total_width > LANDSCAPE_FROM else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True


def render_xlsx(sheets: Sequence[Sheet], *, title: str = "", author: str = "") -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = author
    wb.properties.language = "sv-SE"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        ws.append(list(sheet.header))
        for cell in ws[1]:
            cell.font = bold
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in ws[1]:
            if isinstance(cell.value, str) and looks_like_formula(cell.value):
                cell.data_type = "s"
        widths = [len(h) for h in sheet.header]
        years = {c for c, h in enumerate(sheet.header) if is_year_column(h)}
        for row in sheet.rows:
            values = [v.replace(tzinfo=None) if isinstance(v, dt.datetime) else v for v in row]
            ws.append(values)
            for c, value in enumerate(values):
                widths[c] = max(widths[c], _width(value))
                fmt = _format(value)
                cell = ws.cell(row=ws.max_row, column=c + 1)
                if isinstance(value, str) and looks_like_formula(value):
                    cell.data_type = "s"  # stored and shown as the text it is, never run
                elif c in years and isinstance(value, int) and not isinstance(value, bool):
                    fmt = YEAR
                if fmt:
                    cell.number_format = fmt
                if isinstance(value, str) and (len(value) > MAX_WIDTH or "\n" in value):
                    cell.alignment = wrap
        shown = [min(max(width + 2, 8), MAX_WIDTH) for width in widths]
        for c, width in enumerate(shown, 1):
            ws.column_dimensions[get_column_letter(c)].width = width
        _print_setup(ws, sum(shown))
        ws.freeze_panes = ws.cell(row=2, column=sheet.frozen_columns + 1)
        if sheet.rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{len(sheet.rows) + 1}"
    if not sheets:
        wb.create_sheet("Tomt")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
