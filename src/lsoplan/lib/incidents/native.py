"""Reading incident files: CSV or XLSX into text columns, and the native format on top of that.

The reader never raises on a bad file: whatever cannot be read becomes a :class:`Problem` for the
whole file. Every cell is kept as text so that codes keep their leading zeros and the validator
can quote the value exactly as the user typed it.
"""

from __future__ import annotations

import csv
import importlib
import io
import os
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any

import polars as pl

from .limits import NUL_MESSAGE, columns_refusal, nul_bytes, xlsx_refusal
from .lookups import Lookups
from .records import FIELDS, REQUIRED, FileInfo, IncidentBatch, ParseResult, Problem
from .validate import EXTRA, ParseSpec, validate

Source = bytes | str | os.PathLike[str] | IO[bytes]

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class RawTable:
    """A file's cells as text: columns ``c0`` … in header order, plus ``rad`` (header = row 1)."""

    header: tuple[str, ...]
    frame: pl.DataFrame
    info: FileInfo

    def column(self, name: str) -> str | None:
        """The frame column holding the first header cell equal to ``name`` (after trimming)."""
        for i, h in enumerate(self.header):
            if h == name:
                return f"c{i}"
        return None


def file_problem(message: str, *, column: str = "", value: str = "", row: int | None = None) -> Problem:
    return Problem(row=row, column=column, value=value, message=message, severity="error")


def rejected(problems: Sequence[Problem], *, n_rows: int = 0, info: FileInfo | None = None) -> ParseResult:
    errors = sum(p.is_error for p in problems)
    return ParseResult(
        batch=IncidentBatch.empty(),
        problems=tuple(problems),
        n_errors=errors,
        n_warnings=len(problems) - errors,
        n_rows=n_rows,
        info=info,
    )


def read_source(source: Source) -> bytes:
    """The bytes of ``source``: bytes as they are, a path (str or PathLike) read, a file read."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            return fh.read()
    return source.read()


def read_table(
    data: bytes,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    only: Collection[str] | None = None,
) -> tuple[RawTable | None, list[Problem]]:
    """Detect XLSX or CSV and read the cells as text. ``None`` with problems when unreadable.

    ``only`` names the columns a caller needs (matched like :meth:`RawTable.column`, then without
    regard to case); a CSV reader then skips the rest, which halves the time on wide exports.
    """
    if data.startswith(_XLSX_MAGIC):
        return _read_xlsx(data)
    if data.startswith(_XLS_MAGIC):
        return None, [file_problem("Gamla Excel-filer (.xls) stöds inte – spara som .xlsx eller CSV")]
    return _read_csv(data, delimiter, encoding, only)


# --- CSV ------------------------------------------------------------------------------------


# Given as ``encoding`` by a caller that has already checked that the bytes are UTF-8 (a slice of
# a file checked as a whole): they are used as they are, without a second pass over them.
CHECKED_UTF8 = "utf-8 (checked)"


def decode(data: bytes, encoding: str | None = None) -> tuple[bytes, str]:
    """UTF-8 bytes for polars and the encoding the file had.

    Without a given encoding: a byte-order mark decides; otherwise UTF-8 if the bytes are valid
    UTF-8, else Windows-1252 (what Excel on Swedish Windows writes for "CSV (semikolonavgränsad)").
    Valid UTF-8 is passed on without a copy, which matters for files of a hundred megabytes.
    """
    if encoding == CHECKED_UTF8:
        return data, "utf-8"
    if encoding:
        return data.decode(encoding, errors="replace").encode("utf-8"), encoding
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace").encode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").encode("utf-8"), "utf-16"
    if not is_utf8(data):
        return data.decode("cp1252", errors="replace").encode("utf-8"), "windows-1252"
    return data, "utf-8"


def has_bom(data: bytes) -> bool:
    """Whether ``data`` starts with a UTF-8 or UTF-16 byte-order mark (``decode`` then converts)."""
    return data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8. Checked by polars: for a file of a hundred megabytes that
    is faster than ``bytes.decode`` and builds no string of a hundred million characters."""
    if data.isascii():
        return True
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.ComputeError:
        return False
    return True


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of ``;`` ``,`` and tab in the header line; ``;`` on a tie.

    Only the header is looked at: it holds no numbers, so a decimal comma cannot mislead it.
    """
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(counts.values())
    return next(d for d in _DELIMITERS if counts[d] == best)


def _read_csv(
    data: bytes, delimiter: str | None, encoding: str | None, only: Collection[str] | None = None
) -> tuple[RawTable | None, list[Problem]]:
    utf8, used_encoding = decode(data, encoding)
    if b"\n" not in utf8 and b"\r" in utf8:  # classic Mac line ends
        utf8 = utf8.replace(b"\r", b"\n")
    end = utf8.find(b"\n")
    first_line = utf8[: end if end != -1 else len(utf8)].decode("utf-8", errors="replace").rstrip("\r")
    if not first_line.strip():
        return None, [file_problem("Filen är tom eller saknar rubrikrad på första raden")]
    sep = delimiter or sniff_delimiter(first_line)
    try:
        header = [h.strip() for h in next(csv.reader([first_line], delimiter=sep))]
    except csv.Error as exc:  # e.g. a stray carriage return inside the header line
        return None, [file_problem(f"Rubrikraden kunde inte läsas ({_short(exc)})", row=1)]
    if refusal := columns_refusal(len(header)):
        return None, [file_problem(refusal.message, row=1)]
    # NUL bytes only come from broken exports: refused where they are, never silently dropped.
    nuls, n_nul = nul_bytes(utf8, header, sep)
    if n_nul:
        problems = [file_problem(NUL_MESSAGE, row=n.row, column=n.column) for n in nuls]
        if n_nul > len(nuls):
            problems.append(file_problem(f"filen har ytterligare {n_nul - len(nuls)} tecken NUL"))
        return None, problems
    width = len(header)
    schema = {f"c{i}": pl.String() for i in range(width + 1)}  # one more column catches overflow
    projection = None
    if only is not None:
        lowered = {name.strip().lower() for name in only}
        projection = [i for i, h in enumerate(header) if h in only or h.lower() in lowered] + [width]
    try:
        frame = pl.read_csv(
            utf8,
            has_header=False,
            separator=sep,
            schema=schema,
            missing_columns="insert",
            truncate_ragged_lines=True,
            infer_schema=False,
            raise_if_empty=False,
            quote_char='"',
            columns=projection,
        )
    except (pl.exceptions.PolarsError, ValueError) as exc:
        return None, [file_problem(f"Filen kunde inte läsas som CSV ({_short(exc)})")]
    if frame.height == 0:
        return None, [file_problem("Filen är tom eller saknar rubrikrad på första raden")]
    frame = frame.slice(1).with_columns(rad=pl.int_range(2, frame.height + 1, dtype=pl.Int64))
    frame = frame.rename({f"c{width}": EXTRA})
    info = FileInfo(format="csv", encoding=used_encoding, delimiter=sep)
    return RawTable(tuple(header), _drop_empty_rows(frame), info), []


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def _drop_empty_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Drop rows with no cell at all (blank lines, formatted but empty Excel rows), keeping ``rad``.

    The CSV reader already turns empty fields into nulls; a row of only spaces is kept and then
    reported as missing values, which is what it is.
    """
    cells = [c for c in frame.columns if c != "rad"]
    if not cells or any(frame.get_column(c).null_count() == 0 for c in cells):
        return frame  # a column filled on every row: no row is empty (null counts cost nothing)
    present = frame.select(pl.any_horizontal([pl.col(c).is_not_null() for c in cells])).to_series()
    return frame if present.all() else frame.filter(present)


# --- XLSX -----------------------------------------------------------------------------------


def _cell_text(value: Any) -> str | None:
    """A spreadsheet cell as the text the validator expects (dates in ISO form)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return repr(value.total_seconds())
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _xlsx_rows(data: bytes) -> Iterable[Sequence[Any]]:
    try:  # python-calamine is much faster on big sheets; use it when it is installed
        calamine = importlib.import_module("python_calamine")
    except ImportError:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return wb.worksheets[0].iter_rows(min_row=1, values_only=True)
    book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows: list[Sequence[Any]] = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    return rows


def _read_xlsx(data: bytes) -> tuple[RawTable | None, list[Problem]]:
    # The limits first: openpyxl builds every cell of the area the sheet spans, empty or not.
    if refusal := xlsx_refusal(data):
        return None, [file_problem(refusal.message)]
    try:
        # Row by row into the columns: the rows themselves are never all kept.
        rows = iter(_xlsx_rows(data))
        first = next(rows, None)
        if first is None or all(v is None for v in first):
            return None, [file_problem("Första bladet saknar rubrikrad på rad 1")]
        header = [(_cell_text(v) or "").strip() for v in first]
        while header and not header[-1]:
            header.pop()
        width = len(header)
        # Cells right of the header are ignored: in a workbook they are notes, not shifted columns.
        columns: list[list[str | None]] = [[] for _ in range(width)]
        for row in rows:
            for i in range(width):
                columns[i].append(_cell_text(row[i]) if i < len(row) else None)
    except Exception as exc:  # any failure inside a third-party reader means "not a readable workbook"
        return None, [file_problem(f"Filen kunde inte läsas som Excel-fil (.xlsx) ({_short(exc)})")]
    frame = pl.DataFrame(
        {f"c{i}": col for i, col in enumerate(columns)},
        schema=dict.fromkeys((f"c{i}" for i in range(width)), pl.String()),
    )
    frame = frame.with_columns(rad=pl.int_range(2, frame.height + 2, dtype=pl.Int64))
    return RawTable(tuple(header), _drop_empty_rows(frame), FileInfo(format="xlsx")), []


# --- the native format ----------------------------------------------------------------------


def header_key(name: str) -> str:
    """A header cell reduced for matching: "Händelse-ID", "handelse_id" and "HandelseId" agree."""
    text = unicodedata.normalize("NFKD", name.replace("\ufeff", "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


_FIELD_KEYS = {header_key(f): f for f in FIELDS} | {"kommunkod": "kommun", "id": "handelse_id"}


def parse_native(
    source: Source,
    *,
    lookups: Lookups | None = None,
    now: datetime | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> ParseResult:
    """Read a file in the native format (see docs/incident-format.md) and validate every row."""
    try:
        data = read_source(source)
    except OSError as exc:
        return rejected([file_problem(f"Filen kunde inte öppnas ({_short(exc)})")])
    table, problems = read_table(data, delimiter=delimiter, encoding=encoding)
    if table is None:
        return rejected(problems)
    columns: dict[str, str] = {}
    labels: dict[str, str] = {}
    for i, name in enumerate(table.header):
        target = _FIELD_KEYS.get(header_key(name))
        if target is None:
            if name:
                problems.append(_warning_column(name))
            continue
        if target in columns:
            problems.append(file_problem("kolumnen finns två gånger", column=name, row=1))
            continue
        columns[target], labels[target] = f"c{i}", name
    for name in REQUIRED:
        if name not in columns:
            problems.append(file_problem("obligatorisk kolumn saknas", column=name, row=1))
    if table.frame.height == 0:
        problems.append(file_problem("filen innehåller inga händelser (bara rubrikraden)"))
    if any(p.is_error for p in problems):
        return rejected(problems, n_rows=table.frame.height, info=table.info)
    selected = [pl.col(col).alias(target) for target, col in columns.items()]
    if EXTRA in table.frame.columns:
        selected.append(pl.col(EXTRA))
    raw = table.frame.select(pl.col("rad"), *selected)
    spec = ParseSpec(labels=labels)
    return validate(raw, spec, lookups=lookups, now=now, info=table.info, file_problems=tuple(problems))


def _warning_column(name: str) -> Problem:
    return Problem(row=1, column=name, value="", message="okänd kolumn – ignoreras", severity="warning")
