"""Trend of a yearly series, used by the SMART check to judge whether a target is realistic.

Split out of `lsoplan.lib.smart` to keep modules small; `smart` re-exports what callers used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from lsoplan.lib.smart_text import format_percent as _pct

# How much faster than its own trend a goal may ask a value to move (5 % a year, on top of the
# uncertainty of the trend) before the goal is called unrealistic. A policy choice of lsoplan, not a
# published norm: it is generous on purpose, because measures can bend a trend and we only want to
# flag goals that no plausible programme could reach.
EXTRA_CHANGE_PER_YEAR = 0.05
MIN_HISTORY = 3
# Two-sided 95 % quantiles of Student's t for 1–30 degrees of freedom (standard table values; a
# test checks them against scipy). Kept here so that the check needs no scipy at start-up.
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
         2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
         2.052, 2.048, 2.045, 2.042)  # fmt: skip


def t975(df: int) -> float:
    return _T975[df - 1] if df <= len(_T975) else 2.0


@dataclass(frozen=True)
class Trend:
    """Least-squares trend of a series, on the log scale when every value is positive.

    On the log scale the slope is a relative change per year, which is how planners think about
    "minska med 20 %"; series with zeros (deaths in a small municipality) stay on the linear scale.
    """

    log: bool
    slope: float
    intercept: float
    resid_sd: float
    n: int
    x_mean: float
    sxx: float
    level: float  # mean of the values, to express linear changes in per cent

    def f(self, value: float) -> float:
        return math.log(value) if self.log else value

    def inverse(self, value: float) -> float:
        return math.exp(min(value, 700.0)) if self.log else value  # 700: stay below float overflow

    def at(self, year: float) -> float:
        return self.intercept + self.slope * year

    def band(self, year: float) -> float:
        """Half-width of the 95 % confidence band of the trend line in that year."""
        spread = math.sqrt(1 / self.n + (year - self.x_mean) * (year - self.x_mean) / self.sxx)
        return t975(self.n - 2) * self.resid_sd * spread

    def rate(self, delta: float, years: float) -> float:
        """A change on the fitted scale over some years, as a relative change per year."""
        return math.expm1(min(delta / years, 700.0)) if self.log else delta / years / self.level

    @property
    def yearly(self) -> float:
        return self.rate(self.slope, 1)

    @property
    def noise(self) -> float:
        return self.resid_sd if self.log else self.resid_sd / self.level


def fit_trend(history: Sequence[tuple[int, float]], *, target: float | None = None) -> Trend | None:
    """Fit the trend of at least three yearly values; None when it cannot be expressed in per cent."""
    if len(history) < MIN_HISTORY:
        return None
    values = [v for _, v in history]
    use_log = all(v > 0 for v in values) and (target is None or target > 0)
    level = sum(values) / len(values)
    if not use_log and level <= 0:
        return None
    xs = [float(y) for y, _ in history]
    ys = [math.log(v) if use_log else v for v in values]
    n, x_mean, y_mean = len(xs), sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - x_mean) * (x - x_mean) for x in xs)
    slope = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = y_mean - slope * x_mean
    # Products, not ** 2: float ** raises on overflow where * gives inf, and odd input must not raise.
    residuals = [y - intercept - slope * x for x, y in zip(xs, ys, strict=True)]
    rss = sum(r * r for r in residuals)
    return Trend(use_log, slope, intercept, math.sqrt(rss / (n - 2)), n, x_mean, sxx, level)


def change_phrase(rate: float) -> str:
    if abs(rate) < 0.005:
        return "ingen förändring"
    return f"en {'minskning' if rate < 0 else 'ökning'} med i genomsnitt {_pct(rate)}"


def trend_phrase(trend: Trend, first: int, last: int) -> str:
    if abs(trend.yearly) < 0.01:
        movement = "låg värdet i stort sett still"
    else:
        verb = "minskade" if trend.yearly < 0 else "ökade"
        movement = f"{verb} värdet med i genomsnitt {_pct(trend.yearly)} per år"
    return f"under {first}–{last} {movement} (variation kring trenden ±{_pct(trend.noise)})"
