"""Pasted year values: Swedish numbers, named errors, nothing partial."""

from __future__ import annotations

import pytest

from lsoplan.lib.yearpaste import PasteError, parse_year_values, swedish_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("150 000", 150000.0),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1\u2009234,5", 1234.5),
        ("1\u202f234,5", 1234.5),
        ("−3", -3.0),
        ("0,25", 0.25),
    ],
)
def test_swedish_numbers_are_read(text: str, expected: float) -> None:
    assert swedish_number(text) == expected


@pytest.mark.parametrize("text", ["", "tolv", "1,2,3", "nan", "inf", "12 kr"])
def test_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        swedish_number(text)


def test_tab_separated_lines_from_excel_are_read() -> None:
    rows = parse_year_values("2021\t1 234,5\n2022\t1 300\tpreliminär\n")
    assert [(r.year, r.value, r.vintage) for r in rows] == [
        (2021, 1234.5, None),
        (2022, 1300.0, "preliminar"),
    ]


def test_windows_line_ends_and_blank_lines_are_ignored() -> None:
    rows = parse_year_values("2021\t5\r\n\r\n2022\t6\r\n")
    assert [r.line for r in rows] == [1, 3]


def test_errors_name_line_and_column_and_nothing_is_returned() -> None:
    with pytest.raises(PasteError) as caught:
        parse_year_values("2021\t5\n20x2\t6\n2023\tsex\n")
    assert caught.value.problems == [
        "Rad 2, kolumn 1: ”20x2” är inget årtal.",
        "Rad 3, kolumn 2: ”sex” är inget tal.",
    ]


def test_a_year_twice_is_refused_with_both_lines() -> None:
    with pytest.raises(PasteError) as caught:
        parse_year_values("2021\t5\n2021\t6\n")
    assert caught.value.problems == ["Rad 2, kolumn 1: året 2021 finns redan på rad 1."]


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(PasteError) as caught:
        parse_year_values("2021\t5\tkanske\n")
    assert "Rad 1, kolumn 3" in caught.value.problems[0]


def test_empty_paste_is_refused() -> None:
    with pytest.raises(PasteError):
        parse_year_values("\n\n")
