"""Exact Poisson intervals and the rate-ratio test, checked against independent references.

References used (each test names its own):
- R 4.x `poisson.test` documentation examples (package stats, ?poisson.test): printed output.
- Garwood (1936), Biometrika 28:437, table of exact 95 % limits for a Poisson mean.
- The chi-square formula for the exact limits, chi2(α/2; 2x)/2 and chi2(1−α/2; 2x+2)/2, evaluated
  with scipy.stats.chi2 (the library itself uses gamma quantiles from scipy.special).
- scipy.stats.binomtest (an independent implementation of R's binom.test) for the conditional test.
- statsmodels.stats.rates (confint_poisson "exact-c", test_poisson_2indep "exact-cond").
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import rates as sm_rates

from lsoplan.lib.stats.poisson import binomial_test, poisson_ci, rate_ratio_test


def test_r_poisson_test_10_over_2() -> None:
    # R: poisson.test(10, 2) -> 95 percent CI 2.397694 9.195178, rate 5.
    ci = poisson_ci(10, 2)
    assert ci.estimate == 5.0
    assert ci.lower == pytest.approx(2.397694, abs=1e-6)
    assert ci.upper == pytest.approx(9.195178, abs=1e-6)
    assert "Garwood" in ci.method


def test_r_poisson_test_documentation_smr_example() -> None:
    # R ?poisson.test, Welsh nickel workers: poisson.test(137, 24.19893)
    # -> 95 percent CI 4.753125 6.692709, event rate 5.661407.
    ci = poisson_ci(137, 24.19893)
    assert ci.estimate == pytest.approx(5.661407, abs=1e-6)
    assert ci.lower == pytest.approx(4.753125, abs=1e-6)
    assert ci.upper == pytest.approx(6.692709, abs=1e-6)


@pytest.mark.parametrize(
    ("count", "lower", "upper"),
    [
        # Garwood (1936) exact 95 % limits for the Poisson mean.
        (0, 0.0, 3.689),
        (1, 0.0253, 5.572),
        (2, 0.2422, 7.225),
        (5, 1.623, 11.67),
        (10, 4.795, 18.39),
        (20, 12.22, 30.89),
    ],
)
def test_garwood_table(count: int, lower: float, upper: float) -> None:
    ci = poisson_ci(count)
    assert ci.lower == pytest.approx(lower, rel=1e-3, abs=1e-4)
    assert ci.upper == pytest.approx(upper, rel=1e-3)


@pytest.mark.parametrize("count", [0, 1, 3, 6, 17, 250])
@pytest.mark.parametrize("level", [0.8, 0.95, 0.998])
def test_chi_square_formula_and_statsmodels(count: int, level: float) -> None:
    exposure = 3.5
    alpha = 1 - level
    expected_lower = 0.0 if count == 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2 / exposure
    expected_upper = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2 / exposure
    ci = poisson_ci(count, exposure, level)
    assert ci.lower == pytest.approx(expected_lower, rel=1e-9, abs=1e-12)
    assert ci.upper == pytest.approx(expected_upper, rel=1e-9)
    sm_lower, sm_upper = sm_rates.confint_poisson(count, exposure, method="exact-c", alpha=alpha)
    assert ci.lower == pytest.approx(float(sm_lower), rel=1e-8, abs=1e-12)
    assert ci.upper == pytest.approx(float(sm_upper), rel=1e-8)


def test_r_rate_ratio_documentation_example() -> None:
    # R ?poisson.test, eba1977: poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))
    # -> p-value = 0.07967, 95 percent CI 0.8584264 4.2772659, rate ratio 1.971488.
    r = rate_ratio_test(11, 800, 6 + 8 + 7, 1083 + 1050 + 878)
    assert r.rate_ratio == pytest.approx(1.971488, abs=1e-6)
    assert r.lower == pytest.approx(0.8584264, abs=1e-7)
    assert r.upper == pytest.approx(4.2772659, abs=1e-7)
    assert r.p_value == pytest.approx(0.07967, abs=1e-5)


def _binomtest_route(
    x1: int, t1: float, x2: int, t2: float, level: float = 0.95
) -> tuple[float, float, float]:
    """The conditional test rebuilt with scipy: x1 of x1+x2 with p = t1/(t1+t2)."""
    result = stats.binomtest(x1, x1 + x2, t1 / (t1 + t2))
    ci = result.proportion_ci(confidence_level=level, method="exact")

    def to_ratio(p: float) -> float:
        return math.inf if p >= 1 else p / (1 - p) * t2 / t1

    return result.pvalue, to_ratio(ci.low), to_ratio(ci.high)


@pytest.mark.parametrize(
    ("x1", "t1", "x2", "t2"),
    [
        (11, 800, 23, 3011),
        (6, 1, 2, 1),
        (30, 5, 9, 3),
        (0, 4, 7, 3),
        (5, 2.5, 0, 1.0),
        (120, 61.2, 98, 63.4),
        (1, 1, 1, 1),
    ],
)
def test_rate_ratio_against_scipy_binomtest(x1: int, t1: float, x2: int, t2: float) -> None:
    p_value, lower, upper = _binomtest_route(x1, t1, x2, t2)
    r = rate_ratio_test(x1, t1, x2, t2)
    assert r.p_value == pytest.approx(p_value, rel=1e-9, abs=1e-12)
    assert r.lower == pytest.approx(lower, rel=1e-9, abs=1e-12)
    if math.isinf(upper):
        assert math.isinf(r.upper)
    else:
        assert r.upper == pytest.approx(upper, rel=1e-9)


@pytest.mark.parametrize(("x1", "t1", "x2", "t2"), [(11, 800, 23, 3011), (30, 5, 9, 3), (4, 3, 30, 5)])
def test_rate_ratio_p_value_against_statsmodels_exact_cond(x1: int, t1: float, x2: int, t2: float) -> None:
    sm = sm_rates.test_poisson_2indep(x1, t1, x2, t2, method="exact-cond")
    assert rate_ratio_test(x1, t1, x2, t2).p_value == pytest.approx(float(sm.pvalue), rel=1e-9)


@pytest.mark.parametrize(("alternative", "sm_alternative"), [("less", "smaller"), ("greater", "larger")])
def test_one_sided_rate_ratio(alternative: str, sm_alternative: str) -> None:
    r = rate_ratio_test(4, 3, 30, 5, alternative=alternative)  # type: ignore[arg-type]
    sm = sm_rates.test_poisson_2indep(4, 3, 30, 5, method="exact-cond", alternative=sm_alternative)
    assert r.p_value == pytest.approx(float(sm.pvalue), rel=1e-9)
    scipy_ci = stats.binomtest(4, 34, 3 / 8, alternative=alternative).proportion_ci(method="exact")
    if alternative == "less":
        assert r.lower == 0.0
        assert r.upper == pytest.approx(scipy_ci.high / (1 - scipy_ci.high) * 5 / 3, rel=1e-9)
    else:
        assert r.upper == math.inf
        assert r.lower == pytest.approx(scipy_ci.low / (1 - scipy_ci.low) * 5 / 3, rel=1e-9)


def test_no_events_at_all_says_nothing() -> None:
    r = rate_ratio_test(0, 5, 0, 3)
    assert math.isnan(r.rate_ratio)
    assert (r.lower, r.upper, r.p_value) == (0.0, math.inf, 1.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 1.0), "heltal"),
        ((2.5, 1.0), "heltal"),
        ((3, 0.0), "> 0"),
        ((3, math.inf), "> 0"),
    ],
)
def test_poisson_ci_rejects_bad_input(args: tuple[float, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        poisson_ci(*args)  # type: ignore[arg-type]


def test_level_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="konfidensnivån"):
        poisson_ci(3, 1, level=95)


@given(
    x=st.integers(0, 60),
    extra=st.integers(0, 60),
    p=st.floats(0.01, 0.99),
)
def test_binomial_test_matches_scipy(x: int, extra: int, p: float) -> None:
    n = x + extra
    if n == 0:
        return
    ours = binomial_test(x, n, p)
    ref = stats.binomtest(x, n, p)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-7, abs=1e-12)


@settings(max_examples=60)
@given(n=st.integers(1, 3000), share=st.floats(0, 1), p=st.floats(0.001, 0.999))
def test_binomial_test_matches_scipy_for_large_totals(n: int, share: float, p: float) -> None:
    x = round(n * share)
    assert binomial_test(x, n, p).p_value == pytest.approx(
        stats.binomtest(x, n, p).pvalue, rel=1e-7, abs=1e-13
    )


@given(count=st.integers(0, 500), exposure=st.floats(0.1, 1e4), level=st.floats(0.5, 0.999))
def test_interval_contains_estimate(count: int, exposure: float, level: float) -> None:
    ci = poisson_ci(count, exposure, level)
    assert ci.lower <= ci.estimate <= ci.upper


@given(count=st.integers(0, 500), levels=st.lists(st.floats(0.5, 0.999), min_size=2, max_size=2, unique=True))
def test_interval_widens_with_level(count: int, levels: list[float]) -> None:
    low_level, high_level = sorted(levels)
    narrow = poisson_ci(count, 1.0, low_level)
    wide = poisson_ci(count, 1.0, high_level)
    assert wide.lower <= narrow.lower
    assert wide.upper >= narrow.upper


@given(count=st.integers(0, 500), level=st.floats(0.5, 0.999))
def test_bounds_increase_with_count(count: int, level: float) -> None:
    here = poisson_ci(count, 2.0, level)
    more = poisson_ci(count + 1, 2.0, level)
    assert more.lower > here.lower or (count == 0 and here.lower == 0)
    assert more.upper > here.upper


@given(
    x1=st.integers(0, 80),
    x2=st.integers(0, 80),
    t1=st.floats(0.5, 100),
    t2=st.floats(0.5, 100),
)
def test_swapping_the_groups_inverts_the_ratio(x1: int, x2: int, t1: float, t2: float) -> None:
    if x1 + x2 == 0:
        return
    a = rate_ratio_test(x1, t1, x2, t2)
    b = rate_ratio_test(x2, t2, x1, t1)
    assert a.p_value == pytest.approx(b.p_value, rel=1e-7, abs=1e-12)
    if a.lower > 0 and math.isfinite(b.upper):
        assert a.lower == pytest.approx(1 / b.upper, rel=1e-7)
    if math.isfinite(a.rate_ratio) and a.rate_ratio > 0:
        assert a.lower <= a.rate_ratio <= a.upper
