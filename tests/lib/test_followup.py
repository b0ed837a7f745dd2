"""Window choice, rate conversion, detectability wording and chart data of lib.followup."""

from __future__ import annotations

import pytest
from scipy.stats import chi2

from lsoplan.lib.followup import IndicatorSpec, chart_points, detectability, indicator_status, windows
from lsoplan.lib.stats import detectability_of_change, goal_status

SERIES = [
    (2016, 26.0),
    (2017, 24.0),
    (2018, 25.0),
    (2019, 25.0),
    (2020, 23.0),
    (2021, 18.0),
    (2022, 16.0),
    (2023, 15.0),
]
SPEC = IndicatorSpec("lower", True, False, "antal", 25.0, 2016, 2019, 20.0, 2026)


def test_windows_use_the_baseline_period_and_the_last_three_years() -> None:
    w = windows(SPEC, SERIES)
    assert [y for y, _ in w.baseline] == [2016, 2017, 2018, 2019]
    assert [y for y, _ in w.current] == [2021, 2022, 2023]
    assert [y for y, _ in windows(SPEC, SERIES, year=2021).current] == [2020, 2021]


def test_windows_without_a_baseline_period_take_the_first_three_years() -> None:
    spec = IndicatorSpec("lower", True, False, "antal", target_value=10.0)
    w = windows(spec, SERIES)
    assert [y for y, _ in w.baseline] == [2016, 2017, 2018]


def test_status_equals_the_statistics_module_on_the_chosen_windows() -> None:
    got = indicator_status(SPEC, SERIES)
    assert got is not None
    direct = goal_status(
        "counts",
        "lower",
        [26, 24, 25, 25],
        [18, 16, 15],
        20.0,
        target_year=2026,
        year=2023,
        baseline_label="2016–2019",
        current_label="2021–2023",
        unit="per år",
    )
    assert got == direct
    assert got.status == "uppnått"  # 16.3/yr against 25/yr is a significant fall below the target 20


def test_per_1000_turns_counts_and_target_into_rates() -> None:
    spec = IndicatorSpec("lower", True, True, "antal", None, 2016, 2019, 20.0, 2026)
    population = {2016: 50_000.0, 2020: 50_000.0}
    got = indicator_status(spec, SERIES, population=population)
    assert got is not None
    assert got.target == pytest.approx(20.0 / 50.0)
    assert got.current_value == pytest.approx((18 + 16 + 15) / 3 / 50.0)


def test_shares_are_judged_as_continuous_values() -> None:
    spec = IndicatorSpec("higher", False, False, "%", 88.0, 2016, 2018, 95.0, 2026)
    got = indicator_status(spec, [(2016, 88.0), (2017, 89.0), (2018, 87.5), (2024, 90.0), (2025, 90.5)])
    assert got is not None and got.data_kind == "continuous"


def test_no_target_no_status() -> None:
    assert indicator_status(IndicatorSpec("lower", True, False, "antal"), SERIES) is None


def test_detectability_for_a_small_municipality() -> None:
    # Six residential fires a year: a 20 % fall over 4 years cannot be established.
    spec = IndicatorSpec("lower", True, False, "antal", None, 2016, 2019, 4.8, 2023)
    series = [(2016, 6.0), (2017, 5.0), (2018, 7.0), (2019, 6.0)]
    note = detectability(spec, series)
    assert note is not None and not note.detectable
    assert note.result == detectability_of_change(6.0, 4, 4.8 / 6.0 - 1, 4)
    assert "inte säkerställas" in note.sentence and "20 %" in note.sentence


def test_detectability_for_a_large_change_in_many_events() -> None:
    spec = IndicatorSpec("lower", True, False, "antal", None, 2016, 2019, 150.0, 2026)
    note = detectability(spec, [(2016, 300.0), (2017, 310.0), (2018, 290.0), (2019, 300.0)])
    assert note is not None and note.detectable and "kan en minskning på 50 % säkerställas" in note.sentence


def test_chart_interval_is_the_exact_poisson_interval() -> None:
    pts = chart_points(SPEC, SERIES)
    first = pts[0]
    # Garwood: [chi2(α/2, 2x)/2, chi2(1−α/2, 2x+2)/2], computed here independently.
    assert first.lower == pytest.approx(chi2.ppf(0.025, 52) / 2)
    assert first.upper == pytest.approx(chi2.ppf(0.975, 54) / 2)
    # c-chart limits from the four baseline years: 25 ± 3·5.
    assert first.ucl == pytest.approx(40.0) and first.lcl == pytest.approx(10.0)
