"""From an indicator's yearly series to the statistical test, a detectability note and chart data.

The verdict shown to users is ``lib.verdicts.judge``, which applies the goal's own rule (every
year, level, mean, total, change; outcome or own output) and calls ``indicator_status`` below for
the statistical test of outcomes.

Decides which years form the baseline and the current period, turns counts into rates when the
indicator is normalised per 1 000 inhabitants, and hands the numbers to ``lib.stats``. Kept free
of Django so that the choices below can be tested on plain numbers.

Choices (documented because they change verdicts):
- Baseline: the indicator's baseline period when given, else the first three measured years.
- Current period: the last (up to) three measured years after the baseline, pooled, because a
  municipality's yearly counts are small and one year alone is mostly noise.
- Counts are judged with Poisson methods; other indicators (shares, minutes) as continuous values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lsoplan.lib.smart_text import format_number
from lsoplan.lib.stats import (
    ControlChart,
    Detectability,
    GoalStatus,
    c_chart,
    detectability_of_change,
    goal_status,
    individuals_chart,
    period_label,
    poisson_ci,
    u_chart,
)

CURRENT_YEARS = 3
DEFAULT_BASELINE_YEARS = 3


@dataclass(frozen=True)
class IndicatorSpec:
    direction: str  # "lower" | "higher"
    is_count: bool
    per_1000: bool
    unit: str
    baseline_value: float | None = None
    baseline_start: int | None = None
    baseline_end: int | None = None
    target_value: float | None = None
    target_year: int | None = None
    # How the target is judged (lib.targets); the defaults are the behaviour before target kinds.
    target_kind: str = "level"
    window_start: int | None = None
    window_end: int | None = None
    indicator_kind: str = "utfall"


Series = Sequence[tuple[int, float]]


@dataclass(frozen=True)
class Windows:
    baseline: tuple[tuple[int, float], ...]
    current: tuple[tuple[int, float], ...]


def windows(
    spec: IndicatorSpec, series: Series, year: int | None = None, *, current_from: int | None = None
) -> Windows:
    """Baseline and current period; ``current_from`` makes the current period every measured year
    from then on (a target over a window) instead of the last three."""
    points = sorted((y, v) for y, v in series if year is None or y <= year)
    if spec.baseline_start is not None:
        end = spec.baseline_end if spec.baseline_end is not None else spec.baseline_start
        baseline = [(y, v) for y, v in points if spec.baseline_start <= y <= end]
        after = [(y, v) for y, v in points if y > end]
    else:
        n = min(DEFAULT_BASELINE_YEARS, max(len(points) - 1, 0))
        baseline, after = points[:n], points[n:]
    if current_from is not None:
        return Windows(tuple(baseline), tuple((y, v) for y, v in after if y >= current_from))
    return Windows(tuple(baseline), tuple(after[-CURRENT_YEARS:]))


def nearest_population(population: Mapping[int, float], year: int) -> tuple[float, int]:
    """The year's population, or the nearest year's (the later one on a tie): value and year used."""
    if year in population:
        return population[year], year
    used = min(population, key=lambda y: (abs(y - year), -y))
    return population[used], used


def _is_counts(spec: IndicatorSpec, values: Sequence[float]) -> bool:
    return spec.is_count and all(v >= 0 and float(v).is_integer() for v in values)


def _exposures(
    spec: IndicatorSpec, years: Sequence[int], population: Mapping[int, float] | None
) -> list[float] | None:
    if not spec.per_1000 or not population:
        return None
    return [nearest_population(population, y)[0] / 1000.0 for y in years]


def indicator_status(
    spec: IndicatorSpec,
    series: Series,
    *,
    population: Mapping[int, float] | None = None,
    year: int | None = None,
    current_from: int | None = None,
) -> GoalStatus | None:
    """The statistical verdict, or None when the indicator has no target to judge against.

    This is the outcome test alone; ``lib.verdicts.judge`` applies the goal's own rule around it.
    """
    if spec.target_value is None:
        return None
    w = windows(spec, series, year, current_from=current_from)
    baseline = list(w.baseline)
    if not baseline and spec.baseline_value is not None and spec.baseline_start is not None:
        baseline = [(spec.baseline_start, spec.baseline_value)]
    values = [v for _, v in baseline] + [v for _, v in w.current]
    counts = _is_counts(spec, values)
    b_years, c_years = [y for y, _ in baseline], [y for y, _ in w.current]
    b_exp, c_exp = _exposures(spec, b_years, population), _exposures(spec, c_years, population)
    target = spec.target_value
    unit = spec.unit
    if counts and b_exp is not None and c_exp is not None and population:
        # The target is stored in the series' own unit (events per year); judge it as a rate.
        target_pop = nearest_population(population, spec.target_year or max(population))[0]
        target = target / (target_pop / 1000.0)
        unit = "per 1 000 invånare och år"
    elif counts:
        unit = "per år"
    return goal_status(
        "counts" if counts else "continuous",
        spec.direction,
        [int(v) if counts else v for _, v in baseline],
        [int(v) if counts else v for _, v in w.current],
        target,
        baseline_exposures=b_exp if counts else None,
        current_exposures=c_exp if counts else None,
        target_year=spec.target_year,
        year=c_years[-1] if c_years else year,
        baseline_label=period_label(b_years),
        current_label=period_label(c_years),
        unit=unit,
    )


@dataclass(frozen=True)
class DetectabilityNote:
    result: Detectability
    detectable: bool
    sentence: str


def detectability(spec: IndicatorSpec, series: Series) -> DetectabilityNote | None:
    """Can the targeted change in a count be established by the target year at all?"""
    if not spec.is_count or spec.target_value is None or spec.target_year is None:
        return None
    w = windows(spec, series)
    baseline = [v for _, v in w.baseline]
    if not baseline and spec.baseline_value is not None:
        baseline = [spec.baseline_value]
    if not baseline or sum(baseline) <= 0:
        return None
    mean = sum(baseline) / len(baseline)
    change = spec.target_value / mean - 1.0
    if change == 0 or (change > 0) != (spec.direction == "higher"):
        return None
    last_base = (
        w.baseline[-1][0] if w.baseline else (spec.baseline_end or spec.baseline_start or spec.target_year)
    )
    years = max(spec.target_year - last_base, 1)
    result = detectability_of_change(mean, len(baseline), change, years)
    word = "minskning" if change < 0 else "ökning"
    head = (
        f"Med i genomsnitt {format_number(mean)} händelser per år i utgångsläget och {years} års uppföljning "
        f"till {spec.target_year}"
    )
    pct = format_number(abs(change) * 100, 0)
    power = format_number(result.power * 100, 0)
    if result.power >= 0.8:
        return DetectabilityNote(
            result, True, f"{head} kan en {word} på {pct} % säkerställas statistiskt (styrka {power} %)."
        )
    mdc = result.minimal_detectable_change
    tail = (
        f" Den minsta {word} som kan säkerställas är {format_number(abs(mdc) * 100, 0)} %."
        if mdc is not None
        else f" Ingen {word} kan säkerställas inom perioden."
    )
    return DetectabilityNote(
        result,
        False,
        f"{head} kan en {word} på {pct} % inte säkerställas (styrka {power} %).{tail} Överväg att slå ihop "
        "flera år, kommuner eller händelsetyper, att följa en indikator med fler händelser, eller att "
        "formulera målet som ett prestationsmål.",
    )


@dataclass(frozen=True)
class ChartPoint:
    year: int
    value: float
    lower: float | None
    upper: float | None
    lcl: float | None
    ucl: float | None
    signal: str | None


def chart_points(
    spec: IndicatorSpec, series: Series, population: Mapping[int, float] | None = None
) -> list[ChartPoint]:
    """Per year: the value (a rate when normalised), its 95 % interval for counts, control limits."""
    points = sorted(series)
    if not points:
        return []
    years = [y for y, _ in points]
    values = [v for _, v in points]
    counts = _is_counts(spec, values)
    exposure = _exposures(spec, years, population) if counts else None
    w = windows(spec, series)
    phase1 = max(len(w.baseline), 2) if len(points) >= 2 else None
    chart: ControlChart | None = None
    if len(points) >= 2:
        if counts and exposure:
            chart = u_chart([int(v) for v in values], exposure, years, phase1=phase1)
        elif counts:
            chart = c_chart([int(v) for v in values], years, phase1=phase1)
        else:
            chart = individuals_chart(values, years, phase1=phase1)
    signals = {s.index: s.description for s in chart.signals} if chart else {}
    out = []
    for i, (year, value) in enumerate(points):
        scale = exposure[i] if exposure else 1.0
        lower = upper = None
        if counts:
            ci = poisson_ci(int(value))
            lower, upper = ci.lower / scale, ci.upper / scale
        out.append(
            ChartPoint(
                year,
                value / scale,
                lower,
                upper,
                float(chart.lcl[i]) if chart else None,
                float(chart.ucl[i]) if chart else None,
                signals.get(i),
            )
        )
    return out
