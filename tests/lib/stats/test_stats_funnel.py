"""Funnel limits and empirical-Bayes shrinkage against independent routes.

- Limits: Spiegelhalter (2005), Stat Med 24:1185, appendix A.1.1 (interpolated Poisson quantile),
  recomputed here with scipy.stats.poisson; for large expected counts they must approach the normal
  limits θ ± z·√(θ/ρ).
- Shrinkage: the gamma-Poisson marginal is the NB2 negative binomial with log(exposure) offset, so
  statsmodels' NegativeBinomial (intercept only) fitted by ML gives the same prior mean exp(β0) and
  shape 1/α.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from lsoplan.lib.stats.funnel import funnel_curve, funnel_data, funnel_limits


def _spiegelhalter(expected: float, p: float) -> float:
    y = stats.poisson.ppf(p, expected)
    cdf_y = stats.poisson.cdf(y, expected)
    cdf_prev = stats.poisson.cdf(y - 1, expected)
    return max(0.0, y - (cdf_y - p) / (cdf_y - cdf_prev))


@pytest.mark.parametrize("exposure", [0.5, 2.3, 10.0, 47.0, 250.0])
@pytest.mark.parametrize("level", [0.95, 0.998])
def test_limits_follow_spiegelhalter_interpolation(exposure: float, level: float) -> None:
    target = 0.55
    lower, upper = funnel_limits(target, [exposure], level)
    tail = (1 - level) / 2
    assert lower[0] == pytest.approx(_spiegelhalter(target * exposure, tail) / exposure, abs=1e-12)
    assert upper[0] == pytest.approx(_spiegelhalter(target * exposure, 1 - tail) / exposure, rel=1e-12)


def test_limits_approach_normal_for_large_exposure() -> None:
    target, exposure = 0.5, 40_000.0
    lower, upper = funnel_limits(target, [exposure], 0.95)
    half_width = 1.959964 * math.sqrt(target / exposure)
    assert lower[0] == pytest.approx(target - half_width, rel=2e-3)
    assert upper[0] == pytest.approx(target + half_width, rel=2e-3)


def test_flags_against_a_national_rate() -> None:
    units = ["Ale", "Borås", "Dorotea", "Eda", "Falun"]
    counts = [12, 300, 1, 40, 62]
    exposure = [31.0, 115.0, 2.3, 8.4, 60.0]  # thousands of inhabitants; national rate 1 per 1 000
    result = funnel_data(units, counts, exposure, target_rate=1.0)
    by_unit = {u.unit: u for u in result.units}
    assert by_unit["Borås"].outside_998 == "above"
    assert by_unit["Eda"].outside_998 == "above"
    assert by_unit["Ale"].outside_998 == "below"
    assert by_unit["Dorotea"].outside_95 is None  # one event in a small municipality is just noise
    assert by_unit["Falun"].outside_95 is None
    for u in result.units:
        assert u.rate == pytest.approx(u.count / u.exposure)
        assert u.expected == pytest.approx(result.target_rate * u.exposure)
        assert u.lower_998 <= u.lower_95 <= u.upper_95 <= u.upper_998


def test_pooled_target_by_default() -> None:
    result = funnel_data(["a", "b", "c"], [5, 6, 20], [10.0, 12.0, 30.0])
    assert result.target_source == "pooled"
    assert result.target_rate == pytest.approx(31 / 52)


def test_given_target_is_used() -> None:
    result = funnel_data(["a", "b", "c"], [5, 6, 7], [10.0, 10.0, 10.0], target_rate=0.3)
    assert result.target_rate == 0.3
    assert result.target_source == "given"
    assert "angiven nivå" in result.method


def test_shrinkage_matches_statsmodels_negative_binomial() -> None:
    rng = np.random.default_rng(7)
    exposure = rng.lognormal(2.5, 1.0, 120)
    rates = rng.gamma(3.0, 0.6 / 3.0, 120)
    counts = rng.poisson(rates * exposure)
    result = funnel_data([str(i) for i in range(120)], counts, exposure)
    assert result.shrinkage_method == "marginal-ml"
    ref = sm.NegativeBinomial(counts, np.ones((120, 1)), offset=np.log(exposure), loglike_method="nb2").fit(
        disp=0
    )
    prior_mean = math.exp(ref.params[0])
    shape = 1 / ref.params[1]
    assert result.prior_mean == pytest.approx(prior_mean, rel=1e-4)
    assert result.prior_shape == pytest.approx(shape, rel=1e-3)
    for u in result.units[:10]:
        expected = (u.count + shape) / (u.exposure + shape / prior_mean)
        assert u.shrunken_rate == pytest.approx(expected, rel=1e-3)
        assert u.shrunken_lower < u.shrunken_rate < u.shrunken_upper


def test_no_extra_variation_shrinks_everything_to_the_pooled_rate() -> None:
    result = funnel_data(["a", "b", "c", "d"], [10, 10, 10, 10], [10.0, 10.0, 10.0, 10.0])
    assert math.isinf(result.prior_shape)
    assert {u.shrunken_rate for u in result.units} == {1.0}


def test_curve_is_monotone_funnel() -> None:
    curve = funnel_curve(0.5, 1.0, 1000.0, points=30)
    widths = [hi - lo for lo, hi in zip(curve.lower_95, curve.upper_95, strict=True)]
    assert widths[0] > widths[-1]
    assert curve.exposures[0] == pytest.approx(1.0)
    assert curve.exposures[-1] == pytest.approx(1000.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((["a"], [1, 2], [1.0]), "lika många"),
        (([], [], []), "inga enheter"),
        ((["a", "b"], [0, 0], [1.0, 2.0]), "inga händelser"),
        ((["a"], [-1], [1.0]), "heltal"),
        ((["a"], [1], [0.0]), "> 0"),
    ],
)
def test_bad_input_is_refused(args: tuple[list[str], list[int], list[float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        funnel_data(*args)


@settings(max_examples=30, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(0, 60), st.floats(0.5, 200.0)),
        min_size=3,
        max_size=25,
    )
)
def test_shrunken_rate_lies_between_own_rate_and_prior_mean(data: list[tuple[int, float]]) -> None:
    counts = [c for c, _ in data]
    exposure = [e for _, e in data]
    if sum(counts) == 0:
        return
    result = funnel_data([str(i) for i in range(len(data))], counts, exposure)
    for u in result.units:
        low, high = sorted((u.rate, result.prior_mean))
        assert low - 1e-9 <= u.shrunken_rate <= high + 1e-9
