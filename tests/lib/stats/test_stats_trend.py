"""Poisson trend checked against statsmodels GLMs fitted independently here (raw, uncentred periods).

The library centres the period and reports the intercept for the period as given; the reference
fits use the periods directly, so agreement also checks that back-transformation.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.discrete.discrete_model import NegativeBinomial

from lsoplan.lib.stats.trend import poisson_trend

YEARS = list(range(2010, 2024))
# Residential fires in a small municipality, slowly falling; Poisson-like spread.
FIRES = [9, 7, 8, 6, 7, 5, 6, 4, 6, 5, 3, 4, 5, 3]
POPULATION = [11.2, 11.3, 11.3, 11.4, 11.6, 11.7, 11.9, 12.0, 12.0, 12.1, 12.3, 12.4, 12.4, 12.5]
# Alternating quiet and bad years: far more spread than Poisson.
LUMPY = [3, 15, 4, 18, 2, 14, 5, 20, 3, 16]


def _reference(periods: list[int], counts: list[int], exposure: list[float] | None = None):  # type: ignore[no-untyped-def]
    x = sm.add_constant(np.asarray(periods, dtype=float))
    offset = None if exposure is None else np.log(np.asarray(exposure))
    return sm.GLM(np.asarray(counts), x, family=sm.families.Poisson(), offset=offset)


def test_poisson_trend_matches_statsmodels_glm_with_offset() -> None:
    ref = _reference(YEARS, FIRES, POPULATION).fit()
    result = poisson_trend(YEARS, FIRES, POPULATION)
    assert result.model == "poisson"
    assert result.slope == pytest.approx(ref.params[1], rel=1e-6)
    assert result.intercept == pytest.approx(ref.params[0], rel=1e-6)
    low, high = np.exp(ref.conf_int(alpha=0.05)[1])
    assert result.lower == pytest.approx(low, rel=1e-6)
    assert result.upper == pytest.approx(high, rel=1e-6)
    assert result.p_value == pytest.approx(ref.pvalues[1], rel=1e-5)
    assert result.deviance == pytest.approx(ref.deviance, rel=1e-6)
    assert result.df_resid == 12
    assert result.dispersion == pytest.approx(ref.pearson_chi2 / 12, rel=1e-6)
    assert result.overdispersion_p_value == pytest.approx(stats.chi2.sf(ref.pearson_chi2, 12), rel=1e-6)
    assert result.rate_ratio_per_period == pytest.approx(math.exp(ref.params[1]))


def test_without_exposure_rates_are_per_period() -> None:
    ref = _reference(YEARS, FIRES).fit()
    result = poisson_trend(YEARS, FIRES)
    assert result.slope == pytest.approx(ref.params[1], rel=1e-6)
    # "Period as given": the intercept reproduces the fitted mean at any period.
    fitted_2015 = math.exp(result.intercept + result.slope * 2015)
    assert fitted_2015 == pytest.approx(ref.predict(np.array([[1.0, 2015.0]]))[0], rel=1e-6)


def test_overdispersion_switches_to_quasi_poisson_like_statsmodels_scale_x2() -> None:
    periods = list(range(2014, 2024))
    ref = _reference(periods, LUMPY).fit(scale="X2", use_t=True)
    result = poisson_trend(periods, LUMPY)
    assert result.model == "quasi-poisson"
    assert result.dispersion == pytest.approx(ref.scale, rel=1e-6)
    low, high = np.exp(ref.conf_int(alpha=0.05)[1])
    assert result.lower == pytest.approx(low, rel=1e-6)
    assert result.upper == pytest.approx(high, rel=1e-6)
    assert result.p_value == pytest.approx(ref.pvalues[1], rel=1e-5)
    assert "Överspridning" in result.reason and "Quasi-Poisson" in result.reason


def test_negative_binomial_on_request_matches_statsmodels_ml() -> None:
    periods = list(range(2014, 2024))
    x = sm.add_constant(np.asarray(periods, dtype=float) - 2000)
    ref = NegativeBinomial(np.asarray(LUMPY), x, loglike_method="nb2").fit(disp=0, maxiter=500)
    result = poisson_trend(periods, LUMPY, overdispersed_model="negative-binomial")
    assert result.model == "negative-binomial"
    assert result.nb_alpha == pytest.approx(ref.params[2], rel=1e-3)
    assert result.slope == pytest.approx(ref.params[1], rel=1e-3)
    assert "NB2" in result.method


def test_poisson_kept_when_spread_is_poisson_like() -> None:
    result = poisson_trend(YEARS, FIRES)
    assert result.model == "poisson"
    assert "behölls" in result.reason


@pytest.mark.parametrize(
    ("periods", "counts", "message"),
    [
        ([2020, 2021], [3, 4], "minst 3"),
        ([2020, 2020, 2020], [3, 4, 5], "två olika"),
        ([2020, 2021, 2022], [0, 0, 0], "inga händelser"),
        ([2020, 2021, 2022], [1, -1, 2], "heltal"),
        ([2020, 2021, 2022], [1, 2], "perioder"),
        ([2020, 2021, 2022, 2023], [0, 0, 0, 9], "konvergerade inte"),
    ],
)
def test_bad_series_are_refused(periods: list[int], counts: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        poisson_trend(periods, counts)
