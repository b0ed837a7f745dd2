"""Shewhart control charts (c, u, individuals) with the Nelson / Western Electric run rules.

A control chart answers "is this year's value unusual given how the series normally varies?",
which is the follow-up question for monthly or yearly incident counts. Limits are computed from a
phase I window (the first N points: the reference period) and applied to every point, so a goal
period can be judged against the baseline years.

Rule numbers follow Nelson (1984):
  1  one point beyond 3σ
  2  `run_length` points in a row on the same side of the centre (Nelson 9; Western Electric 8)
  3  six points in a row steadily increasing or decreasing
  4  fourteen points in a row alternating up and down
  5  two of three points in a row beyond 2σ on the same side
  6  four of five points in a row beyond 1σ on the same side
  7  fifteen points in a row within 1σ
  8  eight points in a row beyond 1σ, on both sides
The default set is 1, 2, 3, 5, 6. Rules 4, 7 and 8 detect stratification and mixing, which are rare
causes in incident data and add false alarms, so they must be asked for.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from lsoplan.lib.stats.poisson import Numbers, as_count, as_positive

Period = int | float | str
ChartType = Literal["c", "u", "i"]

DEFAULT_RULES: tuple[int, ...] = (1, 2, 3, 5, 6)

RULE_DESCRIPTIONS: dict[int, str] = {
    1: "en punkt utanför 3σ-gränsen",
    2: "{run} punkter i rad på samma sida om centrallinjen",
    3: "sex punkter i rad som stadigt ökar eller minskar",
    4: "fjorton punkter i rad som växelvis går upp och ner",
    5: "två av tre punkter i rad utanför 2σ på samma sida",
    6: "fyra av fem punkter i rad utanför 1σ på samma sida",
    7: "femton punkter i rad inom 1σ",
    8: "åtta punkter i rad utanför 1σ, på båda sidor",
}

# d2 for moving ranges of two consecutive points: E[|X1 - X2|] = 1.128 σ for normal data.
D2_MOVING_RANGE = 1.128


@dataclass(frozen=True)
class Signal:
    """A point that completes a rule pattern; `index` is 0-based, `period` the caller's label."""

    index: int
    period: Period
    rule: int
    description: str


@dataclass(frozen=True)
class ControlChart:
    chart: ChartType
    periods: tuple[Period, ...]
    values: tuple[float, ...]  # the plotted statistic: count, count/size or value
    center: float
    sigma: tuple[float, ...]  # one σ per point (varies with size on the u-chart)
    lcl: tuple[float, ...]
    ucl: tuple[float, ...]
    phase1: int
    rules: tuple[int, ...]
    signals: tuple[Signal, ...]
    method: str


def _phase1(n: int, phase1: int | None, minimum: int) -> int:
    if n < minimum:
        raise ValueError(f"diagrammet kräver minst {minimum} punkter, fick {n}")
    if phase1 is None:
        return n
    if not minimum <= phase1 <= n:
        raise ValueError(f"fas I måste omfatta {minimum}–{n} punkter, inte {phase1}")
    return phase1


def _periods(periods: Sequence[Period] | None, n: int) -> tuple[Period, ...]:
    if periods is None:
        return tuple(range(1, n + 1))
    if len(periods) != n:
        raise ValueError(f"{len(periods)} perioder men {n} värden")
    return tuple(periods)


def _rules(rules: Sequence[int] | None) -> tuple[int, ...]:
    chosen = tuple(DEFAULT_RULES if rules is None else sorted(set(rules)))
    unknown = [r for r in chosen if r not in RULE_DESCRIPTIONS]
    if unknown:
        raise ValueError(f"okända regler: {unknown}; välj bland 1–8")
    return chosen


def _z_scores(values: np.ndarray, center: float, sigma: np.ndarray) -> np.ndarray:
    # With σ = 0 (a phase I of only zeros) any non-zero point is infinitely far out; equality is 0.
    diff = values - center
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sigma > 0, diff / np.where(sigma > 0, sigma, 1.0), np.sign(diff) * np.inf)
    return np.where(diff == 0, 0.0, z)


def _k_of_m(beyond: np.ndarray, k: int, m: int, i: int) -> bool:
    """True when point i is beyond and at least k of the m points ending at i are beyond."""
    if i + 1 < m or not beyond[i]:
        return False
    return int(beyond[i - m + 1 : i + 1].sum()) >= k


def find_signals(
    values: Numbers,
    center: float,
    sigma: Numbers,
    lcl: Numbers,
    ucl: Numbers,
    periods: Sequence[Period] | None = None,
    rules: Sequence[int] | None = None,
    run_length: int = 9,
) -> tuple[Signal, ...]:
    """Apply the run rules; each point is reported once per rule it completes."""
    x = np.asarray(values, dtype=float)
    s = np.asarray(sigma, dtype=float)
    lo = np.asarray(lcl, dtype=float)
    hi = np.asarray(ucl, dtype=float)
    labels = _periods(periods, len(x))
    chosen = _rules(rules)
    if run_length < 2:
        raise ValueError(f"regel 2 kräver minst 2 punkter i rad, inte {run_length}")
    z = _z_scores(x, center, s)
    side = np.sign(x - center)
    step = np.sign(np.diff(x))
    found: list[Signal] = []

    def add(i: int, rule: int) -> None:
        text = RULE_DESCRIPTIONS[rule].format(run=run_length)
        found.append(Signal(index=i, period=labels[i], rule=rule, description=text))

    for i in range(len(x)):
        if 1 in chosen and (x[i] > hi[i] or x[i] < lo[i]):
            add(i, 1)
        if 2 in chosen and i + 1 >= run_length:
            window = side[i - run_length + 1 : i + 1]
            if abs(int(window.sum())) == run_length:
                add(i, 2)
        if 3 in chosen and i >= 5:
            steps = step[i - 5 : i]
            if abs(int(steps.sum())) == 5:
                add(i, 3)
        if 4 in chosen and i >= 13:
            steps = step[i - 13 : i]
            if np.all(steps != 0) and np.all(steps[1:] * steps[:-1] < 0):
                add(i, 4)
        if 5 in chosen and (_k_of_m(z > 2, 2, 3, i) or _k_of_m(z < -2, 2, 3, i)):
            add(i, 5)
        if 6 in chosen and (_k_of_m(z > 1, 4, 5, i) or _k_of_m(z < -1, 4, 5, i)):
            add(i, 6)
        if 7 in chosen and i >= 14 and np.all(np.abs(z[i - 14 : i + 1]) < 1):
            add(i, 7)
        if 8 in chosen and i >= 7:
            window_z = z[i - 7 : i + 1]
            if np.all(np.abs(window_z) > 1) and (window_z > 0).any() and (window_z < 0).any():
                add(i, 8)
    return tuple(found)


def _build(
    chart: ChartType,
    values: np.ndarray,
    center: float,
    sigma: np.ndarray,
    floor_at_zero: bool,
    periods: Sequence[Period] | None,
    phase1: int,
    rules: Sequence[int] | None,
    run_length: int,
    method: str,
) -> ControlChart:
    lcl = center - 3 * sigma
    if floor_at_zero:
        # Counts cannot be negative; a negative lower limit would only suggest a test that can't fire.
        lcl = np.maximum(lcl, 0.0)
    ucl = center + 3 * sigma
    labels = _periods(periods, len(values))
    chosen = _rules(rules)
    signals = find_signals(values, center, sigma, lcl, ucl, labels, chosen, run_length)
    return ControlChart(
        chart=chart,
        periods=labels,
        values=tuple(float(v) for v in values),
        center=center,
        sigma=tuple(float(s) for s in sigma),
        lcl=tuple(float(v) for v in lcl),
        ucl=tuple(float(v) for v in ucl),
        phase1=phase1,
        rules=chosen,
        signals=signals,
        method=method,
    )


def c_chart(
    counts: Numbers,
    periods: Sequence[Period] | None = None,
    phase1: int | None = None,
    rules: Sequence[int] | None = None,
    run_length: int = 9,
) -> ControlChart:
    """c-chart: centre c̄ (phase I mean), limits c̄ ± 3√c̄, lower limit floored at 0."""
    y = np.array([as_count(c) for c in counts], dtype=float)
    n1 = _phase1(len(y), phase1, 1)
    center = float(y[:n1].mean())
    sigma = np.full(len(y), math.sqrt(center))
    method = (
        f"c-diagram: centrallinje = medel av de {n1} första punkterna, gränser c̄ ± 3√c̄ (nedre "
        "gräns minst 0). Antar Poissonfördelade antal med lika stor exponering per punkt."
    )
    return _build("c", y, center, sigma, True, periods, n1, rules, run_length, method)


def u_chart(
    counts: Numbers,
    sizes: Numbers,
    periods: Sequence[Period] | None = None,
    phase1: int | None = None,
    rules: Sequence[int] | None = None,
    run_length: int = 9,
) -> ControlChart:
    """u-chart: rate per unit size, ū = Σc/Σn over phase I, limits ū ± 3√(ū/nᵢ) per point."""
    if len(counts) != len(sizes):
        raise ValueError(f"{len(counts)} antal men {len(sizes)} storlekar")
    y = np.array([as_count(c) for c in counts], dtype=float)
    n = np.array([as_positive(s, "storlek") for s in sizes], dtype=float)
    n1 = _phase1(len(y), phase1, 1)
    center = float(y[:n1].sum() / n[:n1].sum())
    sigma = np.sqrt(center / n)
    method = (
        f"u-diagram: ū = summa antal / summa storlek för de {n1} första punkterna, gränser "
        "ū ± 3√(ū/n) per punkt (nedre gräns minst 0). Antar Poissonfördelade antal."
    )
    return _build("u", y / n, center, sigma, True, periods, n1, rules, run_length, method)


def individuals_chart(
    values: Numbers,
    periods: Sequence[Period] | None = None,
    phase1: int | None = None,
    rules: Sequence[int] | None = None,
    run_length: int = 9,
) -> ControlChart:
    """Individuals (XmR) chart: σ estimated as mean moving range / 1.128 over phase I."""
    x = np.array([float(v) for v in values], dtype=float)
    if not np.all(np.isfinite(x)):
        raise ValueError("värdena måste vara ändliga tal")
    n1 = _phase1(len(x), phase1, 2)
    center = float(x[:n1].mean())
    moving_range = float(np.abs(np.diff(x[:n1])).mean())
    sigma = np.full(len(x), moving_range / D2_MOVING_RANGE)
    method = (
        f"Individdiagram (XmR): centrallinje = medel av de {n1} första punkterna, σ = "
        "medelvärdet av glidande variationsvidd / 1,128. Antar ungefär normalfördelade, "
        "oberoende värden."
    )
    return _build("i", x, center, sigma, False, periods, n1, rules, run_length, method)


def control_chart(
    chart: ChartType,
    values: Numbers,
    sizes: Numbers | None = None,
    periods: Sequence[Period] | None = None,
    phase1: int | None = None,
    rules: Sequence[int] | None = None,
    run_length: int = 9,
) -> ControlChart:
    """Dispatch on chart type: "c" (counts), "u" (counts with sizes) or "i" (continuous values)."""
    if chart == "c":
        return c_chart(values, periods, phase1, rules, run_length)
    if chart == "u":
        if sizes is None:
            raise ValueError("u-diagrammet kräver en storlek (exponering) per punkt")
        return u_chart(values, sizes, periods, phase1, rules, run_length)
    if chart == "i":
        return individuals_chart(values, periods, phase1, rules, run_length)
    raise ValueError(f"okänd diagramtyp {chart!r}; välj c, u eller i")
