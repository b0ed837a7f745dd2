"""When a measure is late (försenad): computed from status and due date, at the year boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from lsoplan.lib.actionplan import is_overdue


def test_a_measure_due_this_year_is_not_late_on_new_years_eve() -> None:
    assert not is_overdue("pagaende", 2026, None, dt.date(2026, 12, 31))


def test_a_measure_due_last_year_is_late_on_new_years_day() -> None:
    assert is_overdue("pagaende", 2026, None, dt.date(2027, 1, 1))


def test_a_measure_is_not_late_on_its_due_date() -> None:
    assert not is_overdue("planerad", None, dt.date(2026, 6, 30), dt.date(2026, 6, 30))


def test_a_measure_is_late_the_day_after_its_due_date() -> None:
    assert is_overdue("planerad", None, dt.date(2026, 6, 30), dt.date(2026, 7, 1))


def test_a_due_date_takes_precedence_over_the_due_year() -> None:
    assert is_overdue("planerad", 2027, dt.date(2026, 6, 30), dt.date(2026, 7, 1))


@pytest.mark.parametrize("status", ["genomford", "installd"])
def test_a_finished_or_cancelled_measure_is_never_late(status: str) -> None:
    assert not is_overdue(status, 2020, None, dt.date(2027, 1, 1))


def test_a_measure_without_a_due_date_is_never_late() -> None:
    assert not is_overdue("planerad", None, None, dt.date(2030, 1, 1))
