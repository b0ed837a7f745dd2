"""Hostile incident files are refused by their size before the reader builds anything for them.

Every file is generated here, byte by byte: a workbook is a zip of a few XML parts, so each test
writes exactly the parts the attack needs.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from datetime import UTC, datetime

import pytest

from lsoplan.lib.incidents import limits, parse_native

NOW = datetime(2025, 6, 1, tzinfo=UTC)
HEADER = "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;avslutad_tid;omrade"
ROW = "A{n};0180;1;2024-03-05 14:22;2024-03-05 14:30;2024-03-05 15:00;Centrum"

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(rows: str, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = f"{dim}<sheetData>{rows}</sheetData>"
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}>{body}</worksheet>'


def text_row(number: int, cells: dict[str, str]) -> str:
    inner = "".join(
        f'<c r="{col}{number}" t="inlineStr"><is><t>{text}</t></is></c>' for col, text in cells.items()
    )
    return f'<row r="{number}">{inner}</row>'


def workbook(sheet_xml: str | bytes, *, shared: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared is not None:
            zf.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def refusal_of(data: bytes) -> str:
    result = parse_native(data, now=NOW)
    assert not result.ok
    return " ".join(p.message for p in result.problems)


def test_a_workbook_with_cells_at_xfd1_and_row_1048576_is_refused_without_building_the_area() -> None:
    rows = (
        text_row(1, {"A": "handelse_id", "XFD": "x"}) + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    )
    data = workbook(sheet(rows))
    assert len(data) < 2000
    tracemalloc.start()
    try:
        message = refusal_of(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "16 384 kolumner" in message and f"högst {limits.MAX_COLUMNS} kolumner" in message
    assert peak < 20 * 1024 * 1024


def test_a_workbook_one_column_wide_but_a_million_rows_tall_with_two_cells_is_refused_by_its_area() -> None:
    rows = text_row(1, {"A": "a", "Z": "z"}) + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    message = refusal_of(workbook(sheet(rows)))
    assert "1 048 576 rader × 26 kolumner" in message and "högst 5 000 000 celler" in message


def test_a_declared_dimension_beyond_the_limits_is_refused_even_when_the_cells_are_few() -> None:
    rows = text_row(1, {"A": "handelse_id"})
    message = refusal_of(workbook(sheet(rows, dimension="A1:XFD1048576")))
    assert "anger att bladet omfattar 16 384 kolumner" in message


def test_a_zip_bomb_is_refused_by_its_compression_ratio_before_it_is_unpacked() -> None:
    padding = " " * (8 * 1024 * 1024)
    data = workbook(sheet(text_row(1, {"A": "handelse_id"}) + padding))
    assert len(data) < 100_000
    tracemalloc.start()
    try:
        message = refusal_of(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "zip-bomb" in message and f"högst {limits.MAX_ZIP_RATIO} gånger" in message
    assert peak < 4 * 1024 * 1024  # the 8 MB part was never unpacked


def test_a_workbook_larger_than_the_unpacked_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_XLSX_UNPACKED", 2000)
    rows = "".join(text_row(n, {"A": f"id{n}"}) for n in range(1, 60))
    message = refusal_of(workbook(sheet(rows)))
    assert "uppackad; högst 0 MB läses" in message


def test_a_part_that_unpacks_to_more_than_its_directory_entry_says_is_refused_as_damaged() -> None:
    data = bytearray(workbook(sheet(text_row(1, {"A": "handelse_id"}) + " " * 5000)))
    # Make the central directory claim 100 bytes for the sheet: the stream must stop there.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    directory = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/worksheets/sheet1.xml"))
    data[directory + 24 : directory + 28] = (100).to_bytes(4, "little")
    assert info.file_size > 100
    assert "skadad" in refusal_of(bytes(data))


def test_too_many_shared_strings_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_SHARED_STRINGS", 1000)
    shared = f"<sst {_NS}>" + "<si><t>x</t></si>" * 1500 + "</sst>"
    message = refusal_of(workbook(sheet(text_row(1, {"A": "handelse_id"})), shared=shared))
    assert "fler än 1 000 olika texter" in message


def test_an_over_long_shared_string_is_refused() -> None:
    shared = f"<sst {_NS}><si><t>{'å' * 40_000}</t></si></sst>"
    message = refusal_of(workbook(sheet(text_row(1, {"A": "handelse_id"})), shared=shared))
    assert "40 000 tecken; högst 32 767 tecken per cell" in message


def test_an_over_long_inline_cell_text_is_refused() -> None:
    rows = text_row(1, {"A": "handelse_id"}) + text_row(2, {"A": "x" * 33_000})
    assert "33 000 tecken" in refusal_of(workbook(sheet(rows)))


def test_a_cell_text_of_exactly_the_limit_passes_the_check() -> None:
    rows = text_row(1, {"A": "handelse_id"}) + text_row(2, {"A": "&amp;" * limits.MAX_CELL_CHARS})
    assert limits.xlsx_refusal(workbook(sheet(rows))) is None


def test_entity_declarations_are_refused_before_any_expansion() -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f"<sst {_NS}><si><t>&b;</t></si></sst>"
    )
    message = refusal_of(workbook(sheet(text_row(1, {"A": "handelse_id"})), shared=laughs))
    assert "DOCTYPE" in message


def test_deeply_nested_xml_in_a_sheet_is_bounded_by_the_unpacked_size() -> None:
    nested = "<x>" * 200_000 + "</x>" * 200_000
    data = workbook(sheet(text_row(1, {"A": "handelse_id"}) + nested))
    assert "zip-bomb" in refusal_of(data)


def test_cells_without_references_count_their_columns() -> None:
    wide = "<row>" + "<c><v>1</v></c>" * (limits.MAX_COLUMNS + 1) + "</row>"
    assert f"{limits.MAX_COLUMNS + 1} kolumner" in refusal_of(workbook(sheet(wide)))


def test_an_ordinary_workbook_is_within_the_limits_and_read() -> None:
    header = dict(zip("ABCDEFG", HEADER.split(";"), strict=True))
    rows = text_row(1, header) + "".join(
        text_row(n, dict(zip("ABCDEFG", ROW.format(n=n).split(";"), strict=True))) for n in range(2, 200)
    )
    data = workbook(sheet(rows, dimension="A1:G199"))
    assert limits.xlsx_refusal(data) is None
    result = parse_native(data, now=NOW)
    assert result.ok and result.batch.frame.height == 198


def test_a_csv_header_with_too_many_columns_is_refused() -> None:
    data = (";".join(f"k{i}" for i in range(limits.MAX_COLUMNS + 1)) + "\n").encode()
    assert f"högst {limits.MAX_COLUMNS} kolumner" in refusal_of(data)


def test_a_nul_byte_in_a_csv_is_refused_with_its_row_and_column() -> None:
    rows = [HEADER, ROW.format(n=1), ROW.format(n=2).replace("Centrum", "Cen\x00trum"), ROW.format(n=3)]
    result = parse_native("\n".join(rows).encode(), now=NOW)
    assert not result.ok
    (problem,) = result.problems
    assert (problem.row, problem.column) == (3, "omrade")
    assert "NUL" in problem.message


def test_nul_bytes_deep_in_a_large_csv_are_all_counted() -> None:
    rows = [HEADER, *(ROW.format(n=n) for n in range(5000))]
    rows[4000] = rows[4000].replace("A", "\x00A")
    rows[4500] = rows[4500].replace("0180", "01\x0080")
    result = parse_native("\n".join(rows).encode(), now=NOW)
    assert [(p.row, p.column) for p in result.problems] == [(4001, "handelse_id"), (4501, "kommun")]


def test_a_cli_sized_file_limit_names_the_megabytes() -> None:
    refusal = limits.file_size_refusal(limits.MAX_FILE_BYTES + 1)
    assert refusal is not None and "högst 1 024 MB" in refusal.message
    assert limits.file_size_refusal(limits.MAX_FILE_BYTES) is None


def test_a_file_of_nothing_but_nul_bytes_is_refused_by_one_count() -> None:
    data = (HEADER + "\n").encode() + b"\x00" * (20 * 1024 * 1024)
    result = parse_native(data, now=NOW)
    assert not result.ok
    assert [p.row for p in result.problems[:1]] == [2]
    assert f"ytterligare {20 * 1024 * 1024 - 1} tecken NUL" in result.problems[-1].message


def test_an_over_long_shared_string_holding_tag_ends_is_still_one_text() -> None:
    text = ("a>" * 20_000)[:39_999]
    shared = f"<sst {_NS}><si><t>{text}</t></si></sst>"
    assert "39 999 tecken" in refusal_of(workbook(sheet(text_row(1, {"A": "handelse_id"})), shared=shared))
