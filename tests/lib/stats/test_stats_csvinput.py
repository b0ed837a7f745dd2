"""The CSV reader: Swedish Excel exports, encodings, and error messages naming row and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lsoplan.lib.stats.csvinput import CsvInputError, parse_number, read_table


def test_swedish_excel_export_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "bränder.csv"
    path.write_bytes("År;Antal;Exponering\r\n2019;6;11,2\r\n2020;4;11,3\r\n".encode("cp1252"))
    table = read_table(path, required=("period", "count"), optional=("exposure",))
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.number_column("period") == [2019, 2020]
    assert table.count_column("count") == [6, 4]
    assert table.number_column("exposure", positive=True) == [11.2, 11.3]


def test_utf8_with_bom_and_blank_lines() -> None:
    data = "\ufeffperiod,count\n\n2019,6\n2020,4\n\n".encode()
    table = read_table(data, required=("period", "count"), name="x.csv")
    assert table.encoding == "utf-8-sig"
    assert table.count_column("count") == [6, 4]
    assert table.line_numbers == (3, 4)


def test_tab_separated_and_extra_columns_ignored() -> None:
    table = read_table(
        b"unit\tcount\texposure\tnote\nAle\t3\t31,5\tx\n", required=("unit", "count", "exposure")
    )
    assert table.text_column("unit") == ["Ale"]
    assert table.number_column("exposure") == [31.5]


def test_quoted_decimal_comma_in_comma_separated_file() -> None:
    table = read_table(b'unit,count,exposure\nAle,3,"31,5"\n', required=("unit", "count", "exposure"))
    assert table.number_column("exposure") == [31.5]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"period;value\n2019;6\n", "kolumnen 'count' saknas"),
        (b"period;count\n2019;6\n2020;x\n", "rad 3, kolumn 'count': 'x' är inte ett tal"),
        (b"period;count\n2019;-2\n", "rad 2, kolumn 'count': antal kan inte vara negativt"),
        (b"period;count\n2019;2,5\n", "rad 2, kolumn 'count': antal måste vara ett heltal"),
        (b"period;count\n2019;\n", "rad 2, kolumn 'count': värde saknas"),
        (b"period,count\n2019,2,5\n", "rad 2: 3 fält men rubrikraden har 2 (decimalkomma"),
        (b"", "filen är tom"),
        (b"period;count\n", "inga datarader"),
        (b"period;count;antal\n2019;1;2\n", "finns två gånger"),
    ],
)
def test_errors_name_the_row_and_column(data: bytes, message: str) -> None:
    with pytest.raises(CsvInputError, match=re.escape(message)):
        table = read_table(data, required=("period", "count"), name="f.csv")
        table.count_column("count")


def test_exposure_must_be_positive() -> None:
    table = read_table(b"unit;count;exposure\nA;1;0\n", required=("unit", "count", "exposure"), name="f.csv")
    with pytest.raises(CsvInputError, match="rad 2, kolumn 'exposure': '0' måste vara större än 0"):
        table.number_column("exposure", positive=True)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(CsvInputError, match="kan inte läsa"):
        read_table(tmp_path / "saknas.csv", required=("period",))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12.0),
        ("12,5", 12.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("\u22123,5", -3.5),
        ("-0.25", -0.25),
        ("1e3", 1000.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "nan", "inf", "1_000", "1,2,3", "--1"])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@given(st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: round(x, 4)))
def test_parse_number_round_trips_swedish_format(value: float) -> None:
    text = f"{value:.4f}".replace(".", ",")
    assert parse_number(text) == pytest.approx(value, abs=1e-9)
