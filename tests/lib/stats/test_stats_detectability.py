"""Power of the exact conditional test, checked by seeded Monte Carlo and a large-count approximation.

The Monte Carlo route is independent of the library: it simulates both periods with numpy and
decides each simulated follow-up with scipy.stats.binom's tail probability, i.e. it runs the test
rather than summing its rejection region.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from lsoplan.lib.stats.detectability import (
    detectability_of_change,
    minimal_detectable_change,
    power_of_change,
)

SIMULATIONS = 20_000


def _simulated_power(rate: float, base_years: float, change: float, years: float, seed: int) -> float:
    rng = np.random.default_rng(seed)
    baseline = rng.poisson(rate * base_years, SIMULATIONS)
    followup = rng.poisson(rate * (1 + change) * years, SIMULATIONS)
    total = baseline + followup
    p0 = years / (base_years + years)
    # One-sided exact conditional test in the direction of the change.
    p_values = stats.binom.cdf(followup, total, p0) if change < 0 else stats.binom.sf(followup - 1, total, p0)
    p_values = np.where(total == 0, 1.0, p_values)
    return float(np.mean(p_values <= 0.05))


@pytest.mark.parametrize(
    ("rate", "base_years", "change", "years", "seed"),
    [
        (6, 5, -0.4, 3, 1),  # six residential fires a year, goal −40 %
        (6, 5, -0.2, 3, 2),
        (20, 3, 0.5, 2, 3),
        (2.5, 4, -0.7, 4, 4),
    ],
)
def test_power_matches_monte_carlo(
    rate: float, base_years: float, change: float, years: float, seed: int
) -> None:
    exact = power_of_change(rate, base_years, change, years)
    simulated = _simulated_power(rate, base_years, change, years, seed)
    # 20 000 draws: standard error at most 0.0036, so 0.015 is four standard errors.
    assert exact == pytest.approx(simulated, abs=0.015)


def test_large_counts_agree_with_the_log_rate_ratio_normal_approximation() -> None:
    # 171 building fires a year (Uppsala, 2024): Wald test on log(rate ratio), one-sided 5 %.
    rate, m, n, change = 171.0, 5.0, 3.0, -0.1
    se = math.sqrt(1 / (rate * m) + 1 / (rate * (1 + change) * n))
    approximate = stats.norm.cdf(abs(math.log(1 + change)) / se - stats.norm.ppf(0.95))
    assert power_of_change(rate, m, change, n) == pytest.approx(approximate, abs=0.02)


def test_minimal_detectable_change_is_the_threshold() -> None:
    mdc = minimal_detectable_change(6, 5, 3)
    assert mdc is not None and -1 < mdc < 0
    assert power_of_change(6, 5, mdc, 3) >= 0.8
    assert power_of_change(6, 5, mdc + 0.001, 3) < 0.8


def test_minimal_detectable_increase() -> None:
    mdc = minimal_detectable_change(6, 5, 3, direction="increase")
    assert mdc is not None and mdc > 0
    assert power_of_change(6, 5, mdc, 3) >= 0.8
    assert power_of_change(6, 5, mdc - 0.001, 3) < 0.8


def test_no_change_is_detectable_when_events_are_too_rare() -> None:
    result = detectability_of_change(0.3, 3, -0.5, 2)
    assert result.minimal_detectable_change is None
    assert result.power < 0.05


def test_the_exact_test_keeps_its_size() -> None:
    assert power_of_change(6, 5, -1e-9, 3) <= 0.05
    assert power_of_change(6, 5, 1e-9, 3) <= 0.05


def test_power_grows_with_the_change_and_with_follow_up() -> None:
    changes = [-0.1, -0.2, -0.4, -0.6, -0.8]
    powers = [power_of_change(6, 5, c, 3) for c in changes]
    assert powers == sorted(powers)
    assert power_of_change(6, 5, -0.4, 5) > power_of_change(6, 5, -0.4, 2)


def test_detectability_result_names_its_method() -> None:
    result = detectability_of_change(6, 5, -0.2, 3)
    assert result.expected_baseline_count == 30
    assert result.expected_followup_count == pytest.approx(14.4)
    assert 0 < result.power < 0.3
    assert result.minimal_detectable_change is not None and result.minimal_detectable_change < -0.2
    assert "villkorligt" in result.method


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((6, 5, 0.0, 3), "skilja sig från 0"),
        ((6, 5, -1.5, 3), "≥ −1"),
        ((0, 5, -0.2, 3), "> 0"),
        ((6, 0, -0.2, 3), "> 0"),
        ((6, 5, -0.2, -1), "> 0"),
    ],
)
def test_bad_input_is_refused(args: tuple[float, float, float, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        detectability_of_change(*args)


def test_alpha_must_be_below_one_half() -> None:
    with pytest.raises(ValueError, match="signifikansnivån"):
        detectability_of_change(6, 5, -0.2, 3, alpha=0.6)
