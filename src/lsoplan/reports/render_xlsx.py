"""Lists as an Excel workbook (openpyxl): one sheet per list, ready to filter and sum.

Numbers are stored as numbers and dates as dates, so Excel's own Swedish locale shows "1 234,5"
and sums work; the header row is bold, frozen and filterable; columns are wide enough to read.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

MAX_WIDTH = 60  # characters; longer texts wrap
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
INTEGER = "#,##0"
DECIMAL = "#,##0.0##"
DATE = "yyyy-mm-dd"


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


def render_xlsx(sheets: Sequence[Sheet], *, title: str = "", author: str = "") -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = author or "lsoplan"
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
        widths = [len(h) for h in sheet.header]
        for row in sheet.rows:
            values = [v.replace(tzinfo=None) if isinstance(v, dt.datetime) else v for v in row]
            ws.append(values)
            for c, value in enumerate(values):
                widths[c] = max(widths[c], _width(value))
                fmt = _format(value)
                cell = ws.cell(row=ws.max_row, column=c + 1)
                if fmt:
                    cell.number_format = fmt
                if isinstance(value, str) and (len(value) > MAX_WIDTH or "\n" in value):
                    cell.alignment = wrap
        for c, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), MAX_WIDTH)
        ws.freeze_panes = ws.cell(row=2, column=sheet.frozen_columns + 1)
        if sheet.rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{len(sheet.rows) + 1}"
    if not sheets:
        wb.create_sheet("Tomt")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
