"""The plausibility rules on their own: one behaviour per test, hand-picked values at the edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lsoplan.lib.plausibility import (
    ValueKind,
    check_cost,
    check_indicator,
    check_measurement,
    errors,
    ungroup,
    warnings,
)

TODAY = dt.date(2026, 6, 15)
COUNT = ValueKind(is_count=True, unit="antal")
PERCENT = ValueKind(unit="%")
PLAIN = ValueKind(unit="minuter")


def measurement(kind: ValueKind, value: float, year: int = 2024, vintage: str = "slutlig") -> list[str]:
    return [
        f"{i.field}: {i.message}"
        for i in check_measurement(kind, year=year, value=value, vintage=vintage, today=TODAY)
    ]


def indicator(**fields: object) -> list[tuple[str, str, str]]:
    base: dict[str, object] = {
        "direction": "lower",
        "baseline_value": 60.0,
        "baseline_start": 2016,
        "baseline_end": 2019,
        "target_value": 40.0,
        "target_year": 2030,
        "period": (2027, 2030),
        "today": TODAY,
    }
    kind = fields.pop("kind", PLAIN)
    issues = check_indicator(kind, **(base | fields))  # type: ignore[arg-type]
    return [(i.field, i.severity, i.message) for i in issues]


def test_a_negative_count_is_refused() -> None:
    assert measurement(COUNT, -3) == ["value: Ett antal kan inte vara negativt."]


def test_a_fractional_count_is_refused() -> None:
    assert measurement(COUNT, 55.5) == ["value: Ett antal ska vara ett heltal."]


def test_a_whole_count_written_as_a_float_is_accepted() -> None:
    assert measurement(COUNT, 55.0) == []


def test_the_unit_antal_makes_a_count_even_without_is_count() -> None:
    assert measurement(ValueKind(unit=" Antal "), 2.5) == ["value: Ett antal ska vara ett heltal."]


@pytest.mark.parametrize("value", [-0.1, 100.01])
def test_a_share_outside_0_to_100_is_refused(value: float) -> None:
    assert measurement(PERCENT, value) == ["value: En andel i procent ska ligga mellan 0 och 100."]


@pytest.mark.parametrize("value", [0.0, 99.97, 100.0])
def test_a_share_at_the_edges_is_accepted(value: float) -> None:
    assert measurement(PERCENT, value) == []


def test_a_plain_value_may_be_negative_and_fractional() -> None:
    assert measurement(PLAIN, -2.5) == []


def test_a_final_value_for_the_current_year_is_refused() -> None:
    assert measurement(PLAIN, 1, year=2026) == [
        "vintage: År 2026 är inte slut ännu, så värdet kan inte vara slutligt. Ange det som preliminärt."
    ]


def test_a_preliminary_value_for_the_current_year_is_accepted() -> None:
    assert measurement(PLAIN, 1, year=2026, vintage="preliminar") == []


def test_a_final_value_for_last_year_is_accepted_on_new_years_day() -> None:
    found = check_measurement(PLAIN, year=2025, value=1, vintage="slutlig", today=dt.date(2026, 1, 1))
    assert found == []


def test_a_final_value_for_the_year_is_refused_on_new_years_eve() -> None:
    found = check_measurement(PLAIN, year=2026, value=1, vintage="slutlig", today=dt.date(2026, 12, 31))
    assert [i.field for i in found] == ["vintage"]


@pytest.mark.parametrize(("year", "ok"), [(1989, False), (1990, True), (2027, True), (2028, False)])
def test_measurement_years_run_from_1990_to_next_year(year: int, ok: bool) -> None:
    found = measurement(PLAIN, 1, year=year, vintage="preliminar")
    assert (found == []) is ok
    if not ok:
        assert found == ["year: Ange ett år mellan 1990 och 2027."]


def test_a_consistent_indicator_has_no_issues() -> None:
    assert indicator() == []


def test_lower_is_better_with_target_above_baseline_is_refused() -> None:
    assert indicator(target_value=80.0) == [
        (
            "target_value",
            "fel",
            "Målvärdet 80 är högre än utgångsvärdet 60, fast lägre är bättre. Ändra riktning eller "
            "målvärde, eller skriv en motivering om målet är avsiktligt.",
        )
    ]


def test_higher_is_better_with_target_below_baseline_is_refused() -> None:
    found = indicator(direction="higher", baseline_value=95.0, target_value=90.5)
    assert [f[2].split(",")[0] for f in found] == ["Målvärdet 90"]
    assert "lägre än utgångsvärdet 95" in found[0][2]


def test_a_target_equal_to_the_baseline_is_accepted() -> None:
    assert indicator(target_value=60.0) == []


def test_a_reason_accepts_a_target_on_the_wrong_side() -> None:
    assert indicator(target_value=80.0, target_reason="Registreringen blir fullständig 2027.") == []


def test_a_blank_reason_is_no_reason() -> None:
    assert [f[0] for f in indicator(target_value=80.0, target_reason="  ")] == ["target_value"]


def test_a_target_year_after_the_period_is_a_warning_only() -> None:
    found = check_indicator(
        PLAIN,
        direction="lower",
        baseline_value=None,
        baseline_start=None,
        baseline_end=None,
        target_value=None,
        target_year=2035,
        period=(2027, 2030),
        today=TODAY,
    )
    assert errors(found) == []
    assert [w.message for w in warnings(found)] == [
        "Målåret 2035 ligger utanför programperioden 2027–2030; målet följs då upp under ett annat program."
    ]


@pytest.mark.parametrize("year", [2027, 2030])
def test_a_target_year_inside_or_at_the_end_of_the_period_gives_no_warning(year: int) -> None:
    assert indicator(target_year=year) == []


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_target_year_outside_2000_to_2100_is_refused(year: int) -> None:
    assert indicator(target_year=year) == [("target_year", "fel", "Ange ett målår mellan 2000 och 2100.")]


def test_a_baseline_period_in_the_future_is_refused() -> None:
    assert [f[0] for f in indicator(baseline_start=2026, baseline_end=2027)] == ["baseline_end"]


def test_a_baseline_period_ending_before_it_starts_is_refused() -> None:
    assert indicator(baseline_start=2019, baseline_end=2016) == [
        ("baseline_end", "fel", "Utgångsperiodens slut kan inte ligga före dess början.")
    ]


def test_a_count_baseline_may_be_a_mean() -> None:
    assert indicator(kind=COUNT, baseline_value=24.5, target_value=20.0) == []


def test_a_negative_count_target_is_refused() -> None:
    found = indicator(kind=COUNT, baseline_value=24.5, target_value=-1.0)
    assert found == [("target_value", "fel", "Ett antal kan inte vara negativt.")]


def test_a_percent_target_above_100_is_refused() -> None:
    found = indicator(kind=PERCENT, direction="higher", baseline_value=90.0, target_value=101.0)
    assert found == [("target_value", "fel", "En andel i procent ska ligga mellan 0 och 100.")]


def test_a_cost_in_whole_kronor_is_accepted() -> None:
    assert check_cost("cost_once", Decimal("150000")) == []


def test_a_negative_cost_is_refused() -> None:
    assert [i.message for i in check_cost("cost_once", -1)] == ["En kostnad kan inte vara negativ."]


def test_a_cost_with_oren_is_refused() -> None:
    assert [i.message for i in check_cost("cost_yearly", Decimal("10.5"))] == [
        "Ange kostnaden i hela kronor."
    ]


def test_the_strictest_kind_of_a_shared_series_counts_and_keeps_the_percent_unit() -> None:
    kind = ValueKind.strictest([ValueKind(unit="%"), ValueKind(is_count=True, unit="st")])
    assert kind.counts and kind.percent


@pytest.mark.parametrize(
    ("text", "expected"),
    [("150 000", "150000"), ("1\u00a0234,5", "1234,5"), ("−3", "-3"), ("12 3", "12 3"), ("22,5", "22,5")],
)
def test_ungroup_joins_only_groups_of_three(text: str, expected: str) -> None:
    assert ungroup(text) == expected
