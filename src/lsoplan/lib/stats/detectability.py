"""Can a goal such as "−20 % residential fires by 2027" be told apart from chance?

The follow-up compares N follow-up years with M baseline years using the one-sided exact
conditional test (the rate-ratio test in `poisson.py`). Both periods are random: the baseline
average is itself an estimate from few events, which is exactly why small municipalities struggle.
Power is computed exactly by summing over the total count n = x_baseline + x_followup:

    power = Σ_n P(total = n) · P(x_followup in the rejection region | n)

where, given n, x_followup ~ Bin(n, p) with p = share of the expected events falling in follow-up.
The rejection region for each n is the binomial tail with size ≤ alpha under equal rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from scipy import special

from lsoplan.lib.stats import svformat
from lsoplan.lib.stats.poisson import as_positive

Direction = Literal["decrease", "increase"]

# Relative changes are searched a little finer than they are reported (0.01 percentage points).
_TOLERANCE = 1e-5
_REPORTED_DECIMALS = 4
_MAX_INCREASE = 1000.0


@dataclass(frozen=True)
class Detectability:
    baseline_rate: float  # expected events per year in the baseline
    baseline_years: float
    change: float  # relative change, e.g. -0.2 for a 20 % decrease
    followup_years: float
    alpha: float
    target_power: float
    expected_baseline_count: float
    expected_followup_count: float
    power: float
    minimal_detectable_change: float | None  # same direction as `change`; None if unreachable
    method: str


class _PowerCalculator:
    """Caches the rejection regions, which depend only on the period lengths and alpha.

    The critical value moves by at most one when the total grows by one (Bin(n+1, p) lies between
    Bin(n, p) and Bin(n, p) + 1), so the whole table is built in one pass with one cdf call per n.
    For a decrease it holds the largest k with P(X ≤ k) ≤ alpha (−1 when none); for an increase the
    smallest k with P(X ≥ k) ≤ alpha (n + 1 when none); X ~ Bin(n, p0) under equal rates.
    """

    def __init__(self, baseline_years: float, followup_years: float, alpha: float, direction: Direction):
        self.p0 = followup_years / (baseline_years + followup_years)
        self.alpha = alpha
        self.direction: Direction = direction
        self._table: list[int] = [-1 if direction == "decrease" else 1]

    def critical(self, n_max: int) -> np.ndarray:
        table = self._table
        while len(table) <= n_max:
            n = len(table)
            k = table[-1]
            if self.direction == "decrease":
                if k + 1 <= n and special.bdtr(k + 1, n, self.p0) <= self.alpha:
                    k += 1
            elif k <= n and special.bdtrc(k - 1, n, self.p0) > self.alpha:
                k += 1
            table.append(k)
        return np.asarray(table[: n_max + 1], dtype=float)

    def power(self, mean_baseline: float, mean_followup: float) -> float:
        total_mean = mean_baseline + mean_followup
        if total_mean <= 0:
            return 0.0
        upper_n = int(total_mean + 12 * math.sqrt(total_mean) + 20)
        n = np.arange(upper_n + 1, dtype=float)
        # Poisson pmf of the total via logs, for the whole range at once.
        weights = np.exp(n * math.log(total_mean) - total_mean - special.gammaln(n + 1))
        p1 = mean_followup / total_mean
        crit = self.critical(upper_n)
        # Decrease: reject when x_followup <= crit; increase: when x_followup >= crit.
        decrease = self.direction == "decrease"
        reject = _bdtr_safe(crit, n, p1) if decrease else _bdtrc_safe(crit - 1, n, p1)
        return float(np.clip(np.sum(weights * reject), 0.0, 1.0))


def _bdtr_safe(k: np.ndarray, n: np.ndarray, p: float) -> np.ndarray:
    if p <= 0:
        return np.where(k >= 0, 1.0, 0.0)
    if p >= 1:
        return np.where(k >= n, 1.0, 0.0)
    kk = np.clip(k, 0, n)
    return np.where(k < 0, 0.0, special.bdtr(kk, n.astype(np.int64), p))


def _bdtrc_safe(k: np.ndarray, n: np.ndarray, p: float) -> np.ndarray:
    """P(X > k)."""
    if p <= 0:
        return np.where(k < 0, 1.0, 0.0)
    if p >= 1:
        return np.where(k < n, 1.0, 0.0)
    kk = np.clip(k, 0, n)
    return np.where(k < 0, 1.0, np.where(k >= n, 0.0, special.bdtrc(kk, n.astype(np.int64), p)))


def _validate(
    baseline_rate: float, baseline_years: float, followup_years: float, alpha: float, power: float
) -> tuple[float, float, float, float, float]:
    rate = as_positive(baseline_rate, "basnivå (händelser per år)")
    m = as_positive(baseline_years, "antal basår")
    n = as_positive(followup_years, "antal uppföljningsår")
    if not 0 < alpha < 0.5:
        raise ValueError(f"signifikansnivån måste ligga mellan 0 och 0,5, inte {alpha!r}")
    if not 0 < power < 1:
        raise ValueError(f"styrkan måste ligga mellan 0 och 1, inte {power!r}")
    return rate, m, n, alpha, power


def power_of_change(
    baseline_rate: float,
    baseline_years: float,
    change: float,
    followup_years: float,
    alpha: float = 0.05,
) -> float:
    """Probability that the one-sided exact test detects a relative change `change` (≠ 0, ≥ −1)."""
    rate, m, n, alpha, _ = _validate(baseline_rate, baseline_years, followup_years, alpha, 0.5)
    direction = _direction(change)
    calc = _PowerCalculator(m, n, alpha, direction)
    return calc.power(rate * m, rate * (1 + change) * n)


def _direction(change: float) -> Direction:
    if not math.isfinite(change) or change < -1:
        raise ValueError(f"förändringen måste vara ett tal ≥ −1 (−100 %), inte {change!r}")
    if change == 0:
        raise ValueError("förändringen måste skilja sig från 0")
    return "decrease" if change < 0 else "increase"


def minimal_detectable_change(
    baseline_rate: float,
    baseline_years: float,
    followup_years: float,
    direction: Direction = "decrease",
    alpha: float = 0.05,
    power: float = 0.8,
) -> float | None:
    """Smallest relative change (signed) detected with at least `power`; None if none is.

    Power grows monotonically with the size of the change here: for each total the rejection region
    is a binomial tail and the follow-up share p moves away from p0 as the change grows, and the
    regions are nested in x_followup, so bisection on |change| is valid.
    """
    rate, m, n, alpha, power = _validate(baseline_rate, baseline_years, followup_years, alpha, power)
    if direction not in ("decrease", "increase"):
        raise ValueError(f"okänd riktning {direction!r}")
    calc = _PowerCalculator(m, n, alpha, direction)
    sign = -1.0 if direction == "decrease" else 1.0

    def power_at(size: float) -> float:
        return calc.power(rate * m, rate * (1 + sign * size) * n)

    if direction == "decrease":
        low, high = 0.0, 1.0
        if power_at(high) < power:
            return None  # even the disappearance of all events would not be shown in time
    else:
        low, high = 0.0, 1.0
        while power_at(high) < power:
            low, high = high, high * 2
            if high > _MAX_INCREASE:
                return None
    while high - low > _TOLERANCE:
        mid = (low + high) / 2
        if power_at(mid) >= power:
            high = mid
        else:
            low = mid
    # Round away from zero so the reported change still has at least the requested power.
    scale = 10**_REPORTED_DECIMALS
    return sign * min(math.ceil(high * scale) / scale, 1.0 if direction == "decrease" else math.inf)


# Pages ask the same question on every request (goal pages, SMART, follow-up); the answer depends
# only on these numbers, and each computation sums exact binomial tails, so it is worth keeping.
@lru_cache(maxsize=4096)
def detectability_of_change(
    baseline_rate: float,
    baseline_years: float,
    change: float,
    followup_years: float,
    alpha: float = 0.05,
    target_power: float = 0.8,
) -> Detectability:
    """Power for the planned change and the smallest change in the same direction with `target_power`."""
    rate, m, n, alpha, target_power = _validate(
        baseline_rate, baseline_years, followup_years, alpha, target_power
    )
    direction = _direction(change)
    achieved = power_of_change(rate, m, change, n, alpha)
    mdc = minimal_detectable_change(rate, m, n, direction, alpha, target_power)
    return Detectability(
        baseline_rate=rate,
        baseline_years=m,
        change=change,
        followup_years=n,
        alpha=alpha,
        target_power=target_power,
        expected_baseline_count=rate * m,
        expected_followup_count=rate * (1 + change) * n,
        power=achieved,
        minimal_detectable_change=mdc,
        method=(
            "Exakt styrka för ensidigt villkorligt test av två Poissonintensiteter (basperiod mot "
            f"uppföljningsperiod, α = {svformat.decimal(alpha)}); summerar över totalantalet med binomialt "
            "förkastelseområde. Antar Poissonfördelade händelser och konstant intensitet inom "
            "varje period; basperiodens slumpvariation ingår."
        ),
    )
