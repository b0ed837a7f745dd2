"""A small, strict CSV reader for the statistics commands.

Planners export from Excel, so files come as `;`-separated with decimal commas and in Windows-1252 as
often as comma-separated UTF-8. This reader accepts both, and every error names the file, the row
(the line number in the file; the header is row 1) and the column, so the user can fix the cell.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lsoplan.lib.os_errors import describe as describe_os_error

# Swedish headers are accepted beside the English ones used in the documentation.
DEFAULT_ALIASES: Mapping[str, tuple[str, ...]] = {
    "period": ("period", "år", "ar", "year"),
    "count": ("count", "antal"),
    "exposure": ("exposure", "exponering"),
    "size": ("size", "storlek"),
    "value": ("value", "värde", "varde"),
    "unit": ("unit", "enhet"),
}

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# Thousands separators a spreadsheet may leave in a number: space, no-break and narrow no-break.
_GROUPING = str.maketrans("", "", " \u00a0\u202f")


class CsvInputError(ValueError):
    """The file cannot be used; the message says where and why, in one line."""


@dataclass(frozen=True)
class CsvTable:
    source: str
    encoding: str
    delimiter: str
    header: tuple[str, ...]  # canonical column names (aliases resolved, lower case)
    rows: tuple[tuple[str, ...], ...]
    line_numbers: tuple[int, ...]

    def has(self, column: str) -> bool:
        return column in self.header

    def _cells(self, column: str) -> list[tuple[int, str]]:
        if column not in self.header:
            raise CsvInputError(f"{self.source}: kolumnen {column!r} saknas")
        idx = self.header.index(column)
        return [
            (line, row[idx].strip() if idx < len(row) else "")
            for line, row in zip(self.line_numbers, self.rows, strict=True)
        ]

    def text_column(self, column: str) -> list[str]:
        values = []
        for line, cell in self._cells(column):
            if not cell:
                raise CsvInputError(f"{self.source} rad {line}, kolumn {column!r}: värde saknas")
            values.append(cell)
        return values

    def number_column(self, column: str, *, positive: bool = False) -> list[float]:
        values = []
        for line, cell in self._cells(column):
            where = f"{self.source} rad {line}, kolumn {column!r}"
            if not cell:
                raise CsvInputError(f"{where}: värde saknas")
            try:
                value = parse_number(cell)
            except ValueError:
                raise CsvInputError(f"{where}: {cell!r} är inte ett tal") from None
            if positive and value <= 0:
                raise CsvInputError(f"{where}: {cell!r} måste vara större än 0")
            values.append(value)
        return values

    def count_column(self, column: str) -> list[int]:
        counts = []
        for (line, cell), value in zip(self._cells(column), self.number_column(column), strict=True):
            where = f"{self.source} rad {line}, kolumn {column!r}"
            if value < 0:
                raise CsvInputError(f"{where}: antal kan inte vara negativt ({cell!r})")
            if value != math.floor(value):
                raise CsvInputError(f"{where}: antal måste vara ett heltal ({cell!r})")
            counts.append(int(value))
        return counts


def parse_number(text: str) -> float:
    """Parse "1 234,5", "1234.5", "−3", "1.234,5" (the last separator is the decimal one)."""
    cleaned = text.strip().translate(_GROUPING).replace("\u2212", "-")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    # A strict pattern instead of float() alone: float accepts "nan", "inf" and "1_000".
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"inte ett tal: {text!r}")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(f"inte ett ändligt tal: {text!r}")
    return value


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: BOM-marked UTF-8/UTF-16, else UTF-8, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Excel's "CSV (semikolonavgränsad)" on Swedish Windows writes cp1252.
    return data.decode("cp1252"), "cp1252"


def _delimiter(first_line: str) -> str:
    for candidate in (";", "\t"):
        if candidate in first_line:
            return candidate
    return ","


def read_table(
    source: str | Path | bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, tuple[str, ...]] = DEFAULT_ALIASES,
    name: str | None = None,
) -> CsvTable:
    """Read a CSV file (path or bytes) that must have the `required` columns.

    Columns other than `required` and `optional` are ignored. Blank lines are skipped.
    """
    if isinstance(source, bytes):
        data, label = source, name or "indata"
    else:
        label = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise CsvInputError(f"kan inte läsa {label}: {describe_os_error(exc)}") from None
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError:
        raise CsvInputError(f"{label}: okänd teckenkodning (spara som UTF-8)") from None

    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise CsvInputError(f"{label}: filen är tom")
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    lookup = {alias.lower(): canon for canon, names in aliases.items() for alias in names}
    header: tuple[str, ...] | None = None
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = tuple(lookup.get(c.strip().lower(), c.strip().lower()) for c in row)
                duplicates = sorted({c for c in header if c and header.count(c) > 1})
                if duplicates:
                    raise CsvInputError(
                        f"{label} rad {reader.line_num}: kolumnen {duplicates[0]!r} finns två gånger"
                    )
                continue
            if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
                hint = (
                    " (decimalkomma i kommaseparerad fil? använd ; som avgränsare)"
                    if delimiter == ","
                    else ""
                )
                raise CsvInputError(
                    f"{label} rad {reader.line_num}: {len(row)} fält men rubrikraden har {len(header)}{hint}"
                )
            rows.append(tuple(row))
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise CsvInputError(f"{label} rad {reader.line_num}: felaktig CSV ({exc})") from None

    assert header is not None
    missing = [c for c in required if c not in header]
    if missing:
        expected = ", ".join(list(required) + [f"[{c}]" for c in optional])
        raise CsvInputError(f"{label}: kolumnen {missing[0]!r} saknas (förväntade {expected})")
    if not rows:
        raise CsvInputError(f"{label}: inga datarader efter rubrikraden")
    return CsvTable(
        source=label,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        rows=tuple(rows),
        line_numbers=tuple(lines),
    )
