"""Goal status per indicator and period, in plain Swedish, with the numbers behind it.

A status combines two questions: is the target value met (point estimate), and is the change from
the baseline larger than chance would give (the "säkerställd" change MSB talks about)?

  uppnått                        target met, and the improvement from the baseline is statistically
                                 assured, or the whole interval for the current level meets the target
  försämring                     the level has changed for the worse beyond chance (even if the
                                 target is still met in the figures; the sentence then says so)
  uppnått men inte säkerställt   target met in the figures, but it may be chance
  på väg                         assured improvement, target not yet met
  ingen säkerställd förändring   target not met, no change beyond chance
  för lite data                  no baseline or no current data, or no events at all to compare

Counts use the exact conditional rate-ratio test (current vs baseline period) and the Garwood
interval for the current rate. Continuous values (response times, shares) use a pooled-variance t
comparison of the period means, the spread estimated from the yearly values themselves. A change
counts as assured when its two-sided interval at `level` excludes no change, so the sentence's
interval and the verdict always agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scipy import special

from lsoplan.lib.stats.poisson import Numbers, as_count, as_positive, check_level, poisson_ci, rate_ratio_test
from lsoplan.lib.stats.status_wording import (
    ACHIEVED,
    ACHIEVED_NOT_ASSURED,
    NO_ASSURED_CHANGE,
    ON_TRACK,
    STATUSES,
    TOO_LITTLE_DATA,
    WORSENED,
    Direction,
    Evidence,
    Wording,
    compose,
    period_label,
    signed_percent,
)

# The status names and period_label are part of this module's interface; they live in
# status_wording with the sentences that use them.
__all__ = [
    "ACHIEVED",
    "ACHIEVED_NOT_ASSURED",
    "NO_ASSURED_CHANGE",
    "ON_TRACK",
    "STATUSES",
    "TOO_LITTLE_DATA",
    "WORSENED",
    "DataKind",
    "Direction",
    "GoalStatus",
    "continuous_goal_status",
    "count_goal_status",
    "goal_status",
    "period_label",
]

DataKind = Literal["counts", "continuous"]


@dataclass(frozen=True)
class GoalStatus:
    status: str  # one of STATUSES
    sentence: str  # Swedish, with the numbers
    data_kind: DataKind
    direction: Direction
    target: float
    target_year: int | None
    year: int | None
    baseline_value: float | None  # rate (counts) or mean (continuous)
    current_value: float | None
    current_lower: float | None  # interval for the current level (None if not estimable)
    current_upper: float | None
    change: float | None  # counts: relative (current/baseline − 1); continuous: difference
    change_lower: float | None
    change_upper: float | None
    p_value: float | None  # two-sided test of no change
    target_met: bool | None  # by the point estimate
    improved: bool  # assured change in the good direction
    worsened: bool  # assured change in the bad direction
    deadline_reached: bool | None  # year >= target_year
    level: float
    method: str


def _check_direction(direction: str) -> Direction:
    if direction == "lower":
        return "lower"
    if direction == "higher":
        return "higher"
    raise ValueError(f"okänd riktning {direction!r}; ange lower (lägre är bättre) eller higher")


def _decide(ev: Evidence | None, target_met: bool | None, met_surely: bool) -> str:
    if ev is None or target_met is None:
        return TOO_LITTLE_DATA
    if target_met and (ev.improved or met_surely):
        return ACHIEVED
    if ev.worsened:
        return WORSENED
    if target_met:
        return ACHIEVED_NOT_ASSURED
    if ev.improved:
        return ON_TRACK
    return NO_ASSURED_CHANGE


def _deadline(year: int | None, target_year: int | None) -> bool | None:
    if year is None or target_year is None:
        return None
    return year >= target_year


def _too_little(
    kind: DataKind,
    direction: Direction,
    target: float,
    target_year: int | None,
    year: int | None,
    level: float,
    sentence: str,
    method: str,
    baseline: float | None = None,
    current: float | None = None,
) -> GoalStatus:
    return GoalStatus(
        status=TOO_LITTLE_DATA,
        sentence=sentence,
        data_kind=kind,
        direction=direction,
        target=target,
        target_year=target_year,
        year=year,
        baseline_value=baseline,
        current_value=current,
        current_lower=None,
        current_upper=None,
        change=None,
        change_lower=None,
        change_upper=None,
        p_value=None,
        target_met=None,
        improved=False,
        worsened=False,
        deadline_reached=_deadline(year, target_year),
        level=level,
        method=method,
    )


_COUNT_METHOD = (
    "Antal: exakt villkorligt test av kvoten mellan uppföljningsperiodens och basperiodens "
    "intensitet (som R:s poisson.test), Garwoods exakta intervall för nuvarande nivå; säkerställd "
    "när intervallet för kvoten utesluter 1. Antar Poissonfördelade händelser med konstant "
    "intensitet inom varje period."
)
_CONTINUOUS_METHOD = (
    "Kontinuerliga värden: jämförelse av periodmedelvärden med t-fördelning och sammanvägd "
    "standardavvikelse från årsvärdena; säkerställd när intervallet för skillnaden utesluter 0. "
    "Antar oberoende, ungefär normalfördelade årsvärden med samma spridning i båda perioderna."
)


def count_goal_status(
    direction: str,
    baseline_counts: Numbers,
    current_counts: Numbers,
    target: float,
    *,
    baseline_exposures: Numbers | None = None,
    current_exposures: Numbers | None = None,
    target_year: int | None = None,
    year: int | None = None,
    baseline_label: str = "",
    current_label: str = "",
    unit: str = "",
    level: float = 0.95,
) -> GoalStatus:
    """Status for a count indicator; the target is a rate per exposure unit (per year by default).

    Exposures default to 1 per period, so rates are events per period (year); pass population in
    thousands to get rates per 1 000 inhabitants.
    """
    dir_ = _check_direction(direction)
    level = check_level(level)
    target = float(target)
    if not math.isfinite(target) or target < 0:
        raise ValueError(f"målvärdet måste vara ett tal ≥ 0, inte {target!r}")
    xb, tb = _sum_counts(baseline_counts, baseline_exposures, "bas")
    xc, tc = _sum_counts(current_counts, current_exposures, "uppföljnings")
    args: tuple[DataKind, Direction, float, int | None, int | None, float] = (
        "counts",
        dir_,
        target,
        target_year,
        year,
        level,
    )
    if tb == 0 or tc == 0:
        missing = "basperioden" if tb == 0 else "uppföljningsperioden"
        return _too_little(*args, f"Det finns inga mätvärden för {missing}.", _COUNT_METHOD)
    if xb + xc == 0:
        return _too_little(
            *args,
            "Inga händelser alls under bas- eller uppföljningsperioden; en förändring går inte att bedöma.",
            _COUNT_METHOD,
            baseline=0.0,
            current=0.0,
        )
    test = rate_ratio_test(xc, tc, xb, tb, level)
    ci = poisson_ci(xc, tc, level)
    lower_is_better = dir_ == "lower"
    improved = test.upper < 1 if lower_is_better else test.lower > 1
    worsened = test.lower > 1 if lower_is_better else test.upper < 1
    ev = Evidence(
        baseline=xb / tb,
        current=xc / tc,
        current_ci=(ci.lower, ci.upper),
        change=test.rate_ratio - 1 if math.isfinite(test.rate_ratio) else math.inf,
        change_ci=(test.lower - 1, test.upper - 1),
        p_value=test.p_value,
        improved=improved,
        worsened=worsened,
    )
    met = ev.current <= target if lower_is_better else ev.current >= target
    met_surely = ci.upper <= target if lower_is_better else ci.lower >= target
    words = Wording(dir_, target, target_year, unit, level, max(ev.baseline, ev.current), ev.current)
    if xb == 0:
        # No percentage can be given from zero; name the starting point instead.
        change_text = "från noll händelser i basperioden"
    else:
        assert ev.change is not None and ev.change_ci is not None
        low, high = (signed_percent(v, with_unit=False) for v in ev.change_ci)
        change_text = f"({signed_percent(ev.change)}, {words.interval(low, high, '%')})"
    return _finish(
        ev, met, met_surely, words, change_text, baseline_label, current_label, "", args, _COUNT_METHOD
    )


def _sum_counts(counts: Numbers, exposures: Numbers | None, which: str) -> tuple[int, float]:
    if exposures is not None and len(exposures) != len(counts):
        raise ValueError(f"{which}periodens antal och exponeringar är olika många")
    total = sum(as_count(c, f"antal i {which}perioden") for c in counts)
    if exposures is None:
        return total, float(len(counts))
    return total, float(sum(as_positive(e, f"exponering i {which}perioden") for e in exposures))


def _finish(
    ev: Evidence,
    met: bool,
    met_surely: bool,
    words: Wording,
    change_text: str,
    baseline_label: str,
    current_label: str,
    no_noise_note: str,
    args: tuple[DataKind, Direction, float, int | None, int | None, float],
    method: str,
) -> GoalStatus:
    kind, dir_, target, target_year, year, level = args
    status = _decide(ev, met, met_surely)
    deadline = _deadline(year, target_year)
    sentence = compose(
        status, ev, words, change_text, baseline_label, current_label, deadline, met, no_noise_note
    )
    return GoalStatus(
        status=status,
        sentence=sentence,
        data_kind=kind,
        direction=dir_,
        target=target,
        target_year=target_year,
        year=year,
        baseline_value=ev.baseline,
        current_value=ev.current,
        current_lower=ev.current_ci[0] if ev.current_ci else None,
        current_upper=ev.current_ci[1] if ev.current_ci else None,
        change=ev.change,
        change_lower=ev.change_ci[0] if ev.change_ci else None,
        change_upper=ev.change_ci[1] if ev.change_ci else None,
        p_value=ev.p_value,
        target_met=met,
        improved=ev.improved,
        worsened=ev.worsened,
        deadline_reached=deadline,
        level=level,
        method=method,
    )


def continuous_goal_status(
    direction: str,
    baseline_values: Numbers,
    current_values: Numbers,
    target: float,
    *,
    target_year: int | None = None,
    year: int | None = None,
    baseline_label: str = "",
    current_label: str = "",
    unit: str = "",
    level: float = 0.95,
) -> GoalStatus:
    """Status for a measured value (minutes, per cent, kronor): one value per year in each period."""
    dir_ = _check_direction(direction)
    level = check_level(level)
    target = float(target)
    if not math.isfinite(target):
        raise ValueError(f"målvärdet måste vara ett ändligt tal, inte {target!r}")
    # Plain Python: the series are a handful of yearly values, where numpy's overhead dominates.
    base = [float(v) for v in baseline_values]
    cur = [float(v) for v in current_values]
    if not all(math.isfinite(v) for v in base + cur):
        raise ValueError("mätvärdena måste vara ändliga tal")
    args: tuple[DataKind, Direction, float, int | None, int | None, float] = (
        "continuous",
        dir_,
        target,
        target_year,
        year,
        level,
    )
    if not base or not cur:
        missing = "basperioden" if not base else "uppföljningsperioden"
        return _too_little(*args, f"Det finns inga mätvärden för {missing}.", _CONTINUOUS_METHOD)
    n_b, n_c = len(base), len(cur)
    mean_b, mean_c = math.fsum(base) / n_b, math.fsum(cur) / n_c
    diff = mean_c - mean_b
    ss = math.fsum((v - mean_b) ** 2 for v in base) + math.fsum((v - mean_c) ** 2 for v in cur)
    df = n_b + n_c - 2
    lower_is_better = dir_ == "lower"
    words = Wording(dir_, target, target_year, unit, level, max(abs(mean_b), abs(mean_c)), mean_c)
    met = mean_c <= target if lower_is_better else mean_c >= target
    if df >= 1 and ss > 0:
        s = math.sqrt(ss / df)
        crit = float(special.stdtrit(df, 0.5 + level / 2))
        se_diff = s * math.sqrt(1 / n_b + 1 / n_c)
        half_cur = crit * s / math.sqrt(n_c)
        diff_low, diff_high = diff - crit * se_diff, diff + crit * se_diff
        change_ci: tuple[float, float] | None = (diff_low, diff_high)
        p_value: float | None = float(2 * special.stdtr(df, -abs(diff) / se_diff))
        improved = diff_high < 0 if lower_is_better else diff_low > 0
        worsened = diff_low > 0 if lower_is_better else diff_high < 0
        current_ci: tuple[float, float] | None = (mean_c - half_cur, mean_c + half_cur)
        met_surely = (mean_c + half_cur <= target) if lower_is_better else (mean_c - half_cur >= target)
        low, high = words.signed(diff_low, with_unit=False), words.signed(diff_high, with_unit=False)
        change_text = f"({words.signed(diff)}, {words.interval(low, high, words.change_unit)})"
        note = ""
    else:
        # One value per period (or identical values): the year-to-year spread is unknown, so no
        # change can be assured either way; the verdict rests on the figures alone.
        change_ci, p_value, current_ci = None, None, None
        improved = worsened = met_surely = False
        change_text = f"({words.signed(diff)})"
        note = (
            " Slumpvariationen kan inte bedömas med ett värde per period; ange fler år i bas- "
            "eller uppföljningsperioden."
        )
    ev = Evidence(
        baseline=mean_b,
        current=mean_c,
        current_ci=current_ci,
        change=diff,
        change_ci=change_ci,
        p_value=p_value,
        improved=improved,
        worsened=worsened,
    )
    return _finish(
        ev, met, met_surely, words, change_text, baseline_label, current_label, note, args, _CONTINUOUS_METHOD
    )


def goal_status(
    data_kind: str,
    direction: str,
    baseline: Numbers,
    current: Numbers,
    target: float,
    *,
    baseline_exposures: Numbers | None = None,
    current_exposures: Numbers | None = None,
    target_year: int | None = None,
    year: int | None = None,
    baseline_label: str = "",
    current_label: str = "",
    unit: str = "",
    level: float = 0.95,
) -> GoalStatus:
    """One entry point: `data_kind` "counts" (Poisson) or "continuous"."""
    if data_kind == "counts":
        return count_goal_status(
            direction,
            baseline,
            current,
            target,
            baseline_exposures=baseline_exposures,
            current_exposures=current_exposures,
            target_year=target_year,
            year=year,
            baseline_label=baseline_label,
            current_label=current_label,
            unit=unit,
            level=level,
        )
    if data_kind == "continuous":
        if baseline_exposures is not None or current_exposures is not None:
            raise ValueError("exponering gäller bara antal, inte kontinuerliga värden")
        return continuous_goal_status(
            direction,
            baseline,
            current,
            target,
            target_year=target_year,
            year=year,
            baseline_label=baseline_label,
            current_label=current_label,
            unit=unit,
            level=level,
        )
    raise ValueError(f"okänd datatyp {data_kind!r}; ange counts eller continuous")
