"""How large an incident file may be, and the checks that hold a file to it before it is read.

Every limit is here, and each refusal is one Swedish sentence that names the limit. The checks
look only at what is cheap to see before the expensive reader runs:

* a workbook (.xlsx) is a zip archive: its central directory tells how large every part will be
  once unpacked, so a zip bomb is refused before a byte is inflated; the sheets are then streamed
  in pieces of a megabyte, never inflated whole, to find the area the cells really span (a cell at
  XFD1 and one in row 1 048 576 make openpyxl fill in seventeen thousand million empty cells),
  the declared ``<dimension>``, over-long cell texts and document type declarations (entity
  expansion);
* a CSV file's header line gives the number of columns; NUL bytes, which only a broken export
  writes and which the CSV reader would choke on, are refused with their row and column.

Everything is plain Python on bytes, without Django, so the web upload, the preview, the command
line and the tests share it.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass

# --- the limits ------------------------------------------------------------------------------

# The command line reads the whole file into memory; the web upload has its own, lower limit
# (settings.LSOPLAN_UPLOAD_MAX_BYTES). A million-row export in the native format is ~150 MB.
MAX_FILE_BYTES = 1024 * 1024 * 1024
# Columns in the header line (CSV) or the sheet (XLSX); real exports have a few dozen.
MAX_COLUMNS = 500
# Excel's own limit; a sheet that claims more is not a spreadsheet.
MAX_XLSX_ROWS = 1_048_576
# Rows × columns of the area the sheet's cells span: the reader builds every cell in that area,
# even the empty ones (~100 bytes each). Larger incident files go as CSV, which has no such cost.
MAX_XLSX_CELLS = 5_000_000
# Excel's own limit for the text of one cell.
MAX_CELL_CHARS = 32_767
# All parts of a workbook together, unpacked.
MAX_XLSX_UNPACKED = 400 * 1024 * 1024
# Unpacked size over packed size, for a part of more than RATIO_FLOOR unpacked bytes. Real sheets
# pack 5–30 times; a zip bomb packs a thousand times and more.
MAX_ZIP_RATIO = 200
RATIO_FLOOR = 1024 * 1024
MAX_ZIP_PARTS = 10_000
# Unpacked shared strings (the workbook's table of texts) at most; each is a Python string.
MAX_SHARED_STRINGS = MAX_XLSX_CELLS
# One row of sheet XML at most (the stream is cut at row ends).
_MAX_ROW_XML = 32 * 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    """Why a file is not read (one Swedish sentence naming the limit)."""

    message: str


def _n(value: int) -> str:
    """A whole number with a space between thousands, as Swedish text writes it."""
    return f"{value:,}".replace(",", " ")


def _mb(value: int) -> str:
    return _n(round(value / 1024 / 1024))


def file_size_refusal(size: int) -> Refusal | None:
    if size > MAX_FILE_BYTES:
        return Refusal(
            f"Filen är för stor ({_mb(size)} MB); högst {_mb(MAX_FILE_BYTES)} MB läses – "
            "dela upp den, t.ex. per år"
        )
    return None


def columns_refusal(count: int) -> Refusal | None:
    if count > MAX_COLUMNS:
        return Refusal(
            f"Filen har {_n(count)} kolumner; högst {_n(MAX_COLUMNS)} kolumner läses – "
            "kontrollera avgränsaren eller ta bort tomma kolumner"
        )
    return None


# --- CSV: NUL bytes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NulByte:
    row: int  # the line number (the header is line 1)
    column: str  # the header's name for the column, or its number


def nul_bytes(
    data: bytes, header: list[str], delimiter: str, *, first: int = 20
) -> tuple[list[NulByte], int]:
    """Where ``data`` (UTF-8 text) has NUL bytes: the first ``first`` of them (one per line) and
    how many NUL bytes there are in all. Lines are counted as an editor shows them; the column is
    found by counting delimiters before the NUL on its line (quotes are not followed: good enough
    to point at it). Only the first few are looked at one by one: a file of nothing but NUL bytes
    costs one count, not a loop over every byte."""
    total = data.count(b"\x00")
    if not total:
        return [], 0
    sep = delimiter.encode()
    found: list[NulByte] = []
    pos = data.find(b"\x00")
    line, counted_to = 1, 0
    while pos != -1 and len(found) < first:
        line += data.count(b"\n", counted_to, pos)
        counted_to = pos
        start = data.rfind(b"\n", 0, pos) + 1
        index = data.count(sep, start, pos)
        name = header[index] if index < len(header) and header[index] else f"nr {index + 1}"
        found.append(NulByte(line, name))
        end = data.find(b"\n", pos)  # one per line: the next NUL after this line
        pos = -1 if end == -1 else data.find(b"\x00", end)
    return found, total


NUL_MESSAGE = "tecknet NUL (nollbyte) får inte förekomma – filen är troligen skadad vid exporten"


# --- XLSX -------------------------------------------------------------------------------------

_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]*)"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Za-z]+)(\d+)"')
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_SHARED = re.compile(rb"<(?:\w+:)?si[\s>/]")
_REF = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,8})$")


def _long_text(n: int) -> re.Pattern[bytes]:
    return re.compile(rb">([^<]{%d,})" % (n + 1))


_LONG_TEXT = _long_text(MAX_CELL_CHARS)


def column_number(letters: str | bytes) -> int:
    """ "A" → 1, "Z" → 26, "AA" → 27, "XFD" → 16 384."""
    number = 0
    for ch in letters.upper().encode() if isinstance(letters, str) else letters.upper():
        number = number * 26 + ch - 64
    return number


def _area_refusal(rows: int, columns: int, *, declared: bool) -> Refusal | None:
    what = "anger att bladet omfattar" if declared else "har celler över"
    if columns > MAX_COLUMNS:
        return Refusal(
            f"Excel-filen {what} {_n(columns)} kolumner; högst {_n(MAX_COLUMNS)} kolumner läses – "
            "ta bort tomma kolumner eller spara som CSV"
        )
    if rows > MAX_XLSX_ROWS:
        return Refusal(f"Excel-filen {what} {_n(rows)} rader; högst {_n(MAX_XLSX_ROWS)} rader läses")
    if rows * columns > MAX_XLSX_CELLS:
        return Refusal(
            f"Excel-filen {what} {_n(rows)} rader × {_n(columns)} kolumner = {_n(rows * columns)} celler; "
            f"högst {_n(MAX_XLSX_CELLS)} celler läses från en Excel-fil – spara den som CSV "
            "(CSV-filer har ingen sådan gräns) eller ta bort tomma rader och kolumner"
        )
    return None


def _dimension_refusal(ref: str) -> Refusal | None:
    corners = [_REF.match(part) for part in ref.split(":")]
    if not ref or len(corners) > 2 or not all(corners):
        return None  # openpyxl ignores a dimension it cannot read, and so do we
    cols = [column_number(m.group(1)) for m in corners if m]
    rows = [int(m.group(2)) for m in corners if m]
    return _area_refusal(max(rows) - min(rows) + 1, max(cols) - min(cols) + 1, declared=True)


def _text_refusal(block: bytes) -> Refusal | None:
    for match in _LONG_TEXT.finditer(block):
        # Bytes over-count multi-byte letters and escapes: decide on the text itself.
        text = html.unescape(match.group(1).decode("utf-8", errors="replace"))
        if len(text) > MAX_CELL_CHARS:
            return Refusal(
                f"Excel-filen har en cell med {_n(len(text))} tecken; högst {_n(MAX_CELL_CHARS)} tecken "
                "per cell läses"
            )
    return None


class _Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal


class _SheetScan:
    """What a sheet's cells span, gathered block by block (each block ends at a row end)."""

    def __init__(self) -> None:
        self.max_row = 0
        self.max_col = 0
        self.rows = 0  # row elements: rows without ``r`` follow the one before

    def block(self, block: bytes) -> None:
        for match in _DIMENSION.finditer(block):
            if refusal := _dimension_refusal(match.group(1).decode("ascii", errors="replace")):
                raise _Refused(refusal)
        rows = [int(r) for r in _ROW_REF.findall(block)]
        n_rows = len(_ROW_END.findall(block))
        self.rows += n_rows
        self.max_row = max(self.max_row, self.rows, *rows)
        cells = _CELL_REF.findall(block)
        if cells:
            self.max_col = max(self.max_col, max(column_number(c) for c, _ in set(cells)))
            self.max_row = max(self.max_row, max(int(r) for _, r in cells))
        n_cells = len(_CELL.findall(block))
        if n_cells > len(cells):
            # Cells without a reference take the next column: a row holds at most as many as it has.
            widest = max((len(_CELL.findall(row)) for row in _ROW_END.split(block)), default=0)
            self.max_col = max(self.max_col, widest)
        if refusal := _area_refusal(self.max_row, self.max_col, declared=False):
            raise _Refused(refusal)
        if refusal := _text_refusal(block):
            raise _Refused(refusal)


def _last_row_end(data: bytes) -> int:
    """The position just after the last row end tag in ``data`` (``</row>`` or ``</x:row>``), or 0."""
    end = len(data)
    while (pos := data.rfind(b"row>", 0, end)) != -1:
        start = data.rfind(b"<", 0, pos)
        if start != -1 and _ROW_END.fullmatch(data, start, pos + 4):
            return pos + 4
        end = pos
    return 0


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> io.BufferedIOBase:
    return archive.open(info)  # type: ignore[return-value]


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: _SheetScan | None) -> None:
    """Inflate one part a megabyte at a time (zipfile stops at the size the directory declared
    and checks the CRC, so a part cannot unpack to more than was checked before)."""
    shared = info.filename.lower().endswith("sharedstrings.xml")
    n_shared = 0
    carry = b""
    with _stream(archive, info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            data = carry + chunk
            if not chunk:
                block, carry = data, b""
            else:
                # Sheets are cut after the last row end, so no row straddles two blocks.
                # Other parts are cut before the last tag: a text (which holds no "<") stays whole.
                cut = _last_row_end(data) if sheet is not None else data.rfind(b"<")
                if cut <= 0:
                    if len(data) > _MAX_ROW_XML:
                        raise _Refused(
                            Refusal(
                                f"Excel-filen har en rad eller text större än {_mb(_MAX_ROW_XML)} MB "
                                "och läses inte"
                            )
                        )
                    carry = data
                    continue
                block, carry = data[:cut], data[cut:]
            if _DOCTYPE.search(block):
                raise _Refused(
                    Refusal("Excel-filen innehåller en DTD-deklaration (<!DOCTYPE>) och läses inte")
                )
            if sheet is not None:
                sheet.block(block)
            elif shared:
                n_shared += len(_SHARED.findall(block))
                if n_shared > MAX_SHARED_STRINGS:
                    raise _Refused(
                        Refusal(
                            f"Excel-filen har fler än {_n(MAX_SHARED_STRINGS)} olika texter och läses inte"
                        )
                    )
                if refusal := _text_refusal(block):
                    raise _Refused(refusal)
            if not chunk:
                return


def _directory_refusal(parts: list[zipfile.ZipInfo]) -> Refusal | None:
    if len(parts) > MAX_ZIP_PARTS:
        return Refusal(f"Excel-filen består av {_n(len(parts))} delar; högst {_n(MAX_ZIP_PARTS)} läses")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_XLSX_UNPACKED:
        return Refusal(
            f"Excel-filen blir {_mb(unpacked)} MB uppackad; högst {_mb(MAX_XLSX_UNPACKED)} MB läses – "
            "spara den som CSV"
        )
    for part in parts:
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_ZIP_RATIO * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            return Refusal(
                f"Excel-filen är packad {_n(ratio)} gånger (delen {part.filename[:60]}); högst "
                f"{_n(MAX_ZIP_RATIO)} gånger läses – filen är troligen en zip-bomb"
            )
    return None


def xlsx_refusal(data: bytes) -> Refusal | None:
    """None when the workbook ``data`` is within the limits; otherwise why not. A file that is
    not a readable zip archive is left to the reader, which says so in its own words."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    with archive:
        parts = archive.infolist()
        if refusal := _directory_refusal(parts):
            return refusal
        try:
            for part in parts:
                name = part.filename.lower()
                if not name.endswith((".xml", ".rels", ".vml")):
                    continue
                is_sheet = name.startswith("xl/worksheets/") and name.count("/") == 2
                _scan_part(archive, part, _SheetScan() if is_sheet else None)
        except _Refused as refused:
            return refused.refusal
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            # A part that does not unpack to what the directory says (or is encrypted).
            return Refusal("Excel-filen är skadad: en del packas inte upp till den storlek filen anger")
    return None
