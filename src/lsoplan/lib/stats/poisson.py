"""Exact intervals and tests for event counts (Poisson).

Everything here works on the count scale with an exposure (years, thousands of inhabitants, ...)
and is exact in the Garwood / Clopper-Pearson sense: the intervals are conservative, which is what
a planner needs when a municipality has six residential fires a year. The conditional two-sample
test and its interval reproduce R's `poisson.test(c(x1, x2), c(t1, t2))`.

The special functions (`gammaincinv`, `betaincinv`, `bdtr`) are used instead of `scipy.stats`
distribution objects because the goal-status page calls these hundreds of times per request and the
frozen-distribution machinery costs tens of microseconds per call.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import special

# What the public functions of this package accept for a series: a list, tuple or numpy array.
Numbers = Sequence[float] | np.ndarray

Alternative = Literal["two-sided", "less", "greater"]

# R's binom.test treats probabilities within this relative tolerance of the observed one as "equally
# extreme"; without it, rounding in the pmf would decide whether a mirror-image outcome counts.
_R_REL_ERR = 1 + 1e-7


@dataclass(frozen=True)
class PoissonInterval:
    """An exact confidence interval for a Poisson rate (count per unit of exposure)."""

    count: int
    exposure: float
    estimate: float
    lower: float
    upper: float
    level: float
    method: str


@dataclass(frozen=True)
class BinomialTest:
    """Exact binomial test of x successes in n trials against a proportion p0."""

    successes: int
    trials: int
    null_proportion: float
    estimate: float
    lower: float
    upper: float
    p_value: float
    level: float
    alternative: Alternative
    method: str


@dataclass(frozen=True)
class RateRatioTest:
    """Exact conditional comparison of two Poisson rates; the ratio is rate 1 / rate 2."""

    count1: int
    exposure1: float
    count2: int
    exposure2: float
    rate1: float
    rate2: float
    rate_ratio: float
    lower: float
    upper: float
    p_value: float
    level: float
    alternative: Alternative
    null_ratio: float
    method: str


def as_count(value: float, name: str = "antal") -> int:
    """Return `value` as a non-negative int, refusing fractions, negatives and non-numbers."""
    if isinstance(value, bool):
        raise ValueError(f"{name} måste vara ett heltal ≥ 0, inte {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} måste vara ett heltal ≥ 0, inte {value!r}") from exc
    if not math.isfinite(number) or number < 0 or number != math.floor(number):
        raise ValueError(f"{name} måste vara ett heltal ≥ 0, inte {value!r}")
    return int(number)


def as_positive(value: float, name: str = "exponering") -> float:
    """Return `value` as a finite float > 0 (exposures, sizes, rates used as divisors)."""
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} måste vara ett tal > 0, inte {value!r}") from exc
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} måste vara ett tal > 0, inte {value!r}")
    return number


def check_level(level: float) -> float:
    level = float(level)
    if not 0 < level < 1:
        raise ValueError(f"konfidensnivån måste ligga mellan 0 och 1, inte {level!r}")
    return level


def _check_alternative(alternative: str) -> Alternative:
    if alternative == "two-sided":
        return "two-sided"
    if alternative == "less":
        return "less"
    if alternative == "greater":
        return "greater"
    raise ValueError(f"okänt alternativ {alternative!r}; ange two-sided, less eller greater")


def garwood_bounds(count: int, level: float) -> tuple[float, float]:
    """Exact two-sided bounds for a Poisson mean given one observed count.

    The bounds are gamma quantiles (equivalently chi-square/2), each tail holding (1-level)/2. For
    a zero count the lower bound is 0 but the upper bound still uses the half tail, as R does.
    """
    tail = (1 - level) / 2
    lower = 0.0 if count == 0 else float(special.gammaincinv(count, tail))
    upper = float(special.gammaincinv(count + 1, 1 - tail))
    return lower, upper


def poisson_ci(count: int, exposure: float = 1.0, level: float = 0.95) -> PoissonInterval:
    """Exact (Garwood) interval for the rate count/exposure, as R's `poisson.test(count, exposure)`."""
    count = as_count(count)
    exposure = as_positive(exposure)
    level = check_level(level)
    lower, upper = garwood_bounds(count, level)
    return PoissonInterval(
        count=count,
        exposure=exposure,
        estimate=count / exposure,
        lower=lower / exposure,
        upper=upper / exposure,
        level=level,
        method=(
            "Exakt Poissonintervall (Garwood, gammakvantiler); antar oberoende händelser "
            "med konstant intensitet under exponeringen."
        ),
    )


def _binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Bin(n, p), with the empty and full ranges handled explicitly."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return float(special.bdtr(k, n, p))


def _binom_sf(k: int, n: int, p: float) -> float:
    """P(X > k) for X ~ Bin(n, p)."""
    if k < 0:
        return 1.0
    if k >= n:
        return 0.0
    return float(special.bdtrc(k, n, p))


def _log_pmf(k: int, n: int, p: float) -> float:
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def _two_sided_p(x: int, n: int, p: float) -> float:
    """Two-sided p-value of R's binom.test: sum the outcomes no more likely than the observed one.

    R counts how many outcomes on the far side of the mean are at most as likely as x and takes
    that tail with the (accurate) cdf. The pmf is monotone on the far side (the mode lies between
    floor(np) and ceil(np)), so the count is found by bisection instead of evaluating all n + 1
    probabilities, which matters for the hundreds of calls behind one follow-up page.
    """
    mean = n * p
    if x == mean:
        return 1.0
    threshold = _log_pmf(x, n, p) + math.log(_R_REL_ERR)
    if x < mean:
        # Far side [ceil(mean), n], pmf non-increasing: find the first k with pmf(k) <= threshold.
        low, high = math.ceil(mean), n + 1
        while low < high:
            mid = (low + high) // 2
            if _log_pmf(mid, n, p) <= threshold:
                high = mid
            else:
                low = mid + 1
        y = n + 1 - low
        value = _binom_cdf(x, n, p) + _binom_sf(n - y, n, p)
    else:
        # Far side [0, floor(mean)], pmf non-decreasing: find the last k with pmf(k) <= threshold.
        low, high = -1, math.floor(mean)
        while low < high:
            mid = (low + high + 1) // 2
            if _log_pmf(mid, n, p) <= threshold:
                low = mid
            else:
                high = mid - 1
        y = low + 1
        value = _binom_cdf(y - 1, n, p) + _binom_sf(x - 1, n, p)
    return min(1.0, value)


def clopper_pearson(
    x: int, n: int, level: float = 0.95, alternative: Alternative = "two-sided"
) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for a binomial proportion, via beta quantiles."""
    if n == 0:
        return 0.0, 1.0
    if alternative == "two-sided":
        tail = (1 - level) / 2
        lower = 0.0 if x == 0 else float(special.betaincinv(x, n - x + 1, tail))
        upper = 1.0 if x == n else float(special.betaincinv(x + 1, n - x, 1 - tail))
        return lower, upper
    if alternative == "less":
        return 0.0, (1.0 if x == n else float(special.betaincinv(x + 1, n - x, level)))
    return (0.0 if x == 0 else float(special.betaincinv(x, n - x + 1, 1 - level))), 1.0


def binomial_test(
    x: int,
    n: int,
    p: float = 0.5,
    level: float = 0.95,
    alternative: Alternative = "two-sided",
) -> BinomialTest:
    """Exact binomial test with Clopper-Pearson interval, following R's `binom.test`."""
    x = as_count(x, "antal lyckade")
    n = as_count(n, "antal försök")
    if x > n:
        raise ValueError(f"antal lyckade ({x}) kan inte vara större än antal försök ({n})")
    if not 0 < p < 1:
        raise ValueError(f"nollhypotesens andel måste ligga strikt mellan 0 och 1, inte {p!r}")
    level = check_level(level)
    alternative = _check_alternative(alternative)
    if n == 0:
        p_value = 1.0
    elif alternative == "less":
        p_value = _binom_cdf(x, n, p)
    elif alternative == "greater":
        p_value = _binom_sf(x - 1, n, p)
    else:
        p_value = _two_sided_p(x, n, p)
    lower, upper = clopper_pearson(x, n, level, alternative)
    return BinomialTest(
        successes=x,
        trials=n,
        null_proportion=p,
        estimate=x / n if n else math.nan,
        lower=lower,
        upper=upper,
        p_value=p_value,
        level=level,
        alternative=alternative,
        method="Exakt binomialtest med Clopper-Pearson-intervall (som R:s binom.test).",
    )


def _proportion_to_ratio(proportion: float, exposure1: float, exposure2: float) -> float:
    """Map P(event is in sample 1) back to the rate ratio: p/(1-p) * t2/t1."""
    if proportion >= 1:
        return math.inf
    return proportion / (1 - proportion) * exposure2 / exposure1


def rate_ratio_test(
    count1: int,
    exposure1: float,
    count2: int,
    exposure2: float,
    level: float = 0.95,
    alternative: Alternative = "two-sided",
    null_ratio: float = 1.0,
) -> RateRatioTest:
    """Compare rate 1 = count1/exposure1 with rate 2 = count2/exposure2 exactly.

    Given the total n = x1 + x2, x1 is binomial with p = r*t1/(r*t1 + t2) under the hypothesis
    rate1/rate2 = r, so the binomial test and its Clopper-Pearson interval carry over to the ratio.
    This is R's `poisson.test(c(x1, x2), c(t1, t2), r = null_ratio)`.
    """
    count1 = as_count(count1, "antal 1")
    count2 = as_count(count2, "antal 2")
    exposure1 = as_positive(exposure1, "exponering 1")
    exposure2 = as_positive(exposure2, "exponering 2")
    null_ratio = as_positive(null_ratio, "kvot under nollhypotesen")
    level = check_level(level)
    alternative = _check_alternative(alternative)
    total = count1 + count2
    rate1 = count1 / exposure1
    rate2 = count2 / exposure2
    if total == 0:
        # No events at all: the data say nothing about the ratio.
        ratio, lower, upper, p_value = math.nan, 0.0, math.inf, 1.0
    else:
        p0 = null_ratio * exposure1 / (null_ratio * exposure1 + exposure2)
        test = binomial_test(count1, total, p0, level, alternative)
        ratio = math.inf if count2 == 0 else rate1 / rate2
        lower = _proportion_to_ratio(test.lower, exposure1, exposure2)
        upper = _proportion_to_ratio(test.upper, exposure1, exposure2)
        p_value = test.p_value
    return RateRatioTest(
        count1=count1,
        exposure1=exposure1,
        count2=count2,
        exposure2=exposure2,
        rate1=rate1,
        rate2=rate2,
        rate_ratio=ratio,
        lower=lower,
        upper=upper,
        p_value=p_value,
        level=level,
        alternative=alternative,
        null_ratio=null_ratio,
        method=(
            "Exakt villkorligt test av två Poissonintensiteter (binomialtest på antal 1 av "
            "totalen, Clopper-Pearson-intervall; som R:s poisson.test); antar oberoende "
            "händelser med konstant intensitet inom varje period."
        ),
    )
