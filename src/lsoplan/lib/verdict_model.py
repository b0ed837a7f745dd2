"""The verdict's data and the helpers its rules share (see ``lib.verdicts`` for the rules)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lsoplan.lib import targets as tk
from lsoplan.lib.followup import IndicatorSpec, nearest_population
from lsoplan.lib.stats import (
    ACHIEVED,
    ACHIEVED_NOT_ASSURED,
    NO_ASSURED_CHANGE,
    ON_TRACK,
    TOO_LITTLE_DATA,
    WORSENED,
    GoalStatus,
    svformat,
)

NOT_ACHIEVED = "ej uppnått"
NO_TARGET = "inget målvärde"
CODES: dict[str, str] = {
    ACHIEVED: "uppnatt",
    ACHIEVED_NOT_ASSURED: "uppnatt_ej_sakerstallt",
    ON_TRACK: "pa_vag",
    NO_ASSURED_CHANGE: "ingen_sakerstalld_forandring",
    WORSENED: "forsamring",
    NOT_ACHIEVED: "ej_uppnatt",
    TOO_LITTLE_DATA: "for_lite_data",
    NO_TARGET: "inget_malvarde",
}
STATUS_ORDER = (
    ACHIEVED,
    ACHIEVED_NOT_ASSURED,
    ON_TRACK,
    NO_ASSURED_CHANGE,
    WORSENED,
    NOT_ACHIEVED,
    TOO_LITTLE_DATA,
    NO_TARGET,
)

DIRECT_METHOD = (
    "Direkt jämförelse: organisationens egna insatser räknas exakt, så värdena jämförs direkt med "
    "målvärdet enligt målets regel, utan signifikanstest."
)
OBSERVED_METHOD = (
    "Direkt jämförelse av de observerade värdena med målvärdet, eftersom målet gäller varje år "
    "eller summan över perioden; slumpen kan ge enstaka år över eller under."
)


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    preliminary: bool = False


@dataclass(frozen=True)
class Verdict:
    status: str  # one of STATUS_ORDER
    sentence: str
    method: str
    target_kind: str
    indicator_kind: str
    years_used: tuple[int, ...]
    failing_years: tuple[int, ...]
    value: float | None  # the value the verdict rests on, in ``unit``
    value_label: str  # what that value is ("medelvärdet 2023–2025", "värdet 2024")
    baseline: float | None
    target: float | None  # in ``unit``
    ci_low: float | None
    ci_high: float | None
    preliminary: bool
    unit: str
    year: int | None  # the last year used
    decimals: int  # enough to show value and target without contradicting the verdict
    stats: GoalStatus | None = None

    @property
    def code(self) -> str:
        return CODES[self.status]

    @property
    def baseline_value(self) -> float | None:
        return self.baseline

    def shown(self, value: float | None) -> str:
        return svformat.number(value, self.decimals) if value is not None else "–"


def rule_text(kind: str, window: tuple[int, int] | None) -> str:
    label = tk.window_label(*window) if window else ""
    return {
        tk.LEVEL: f"nivån målåret {label}",
        tk.EVERY_YEAR: f"varje år {label} för sig",
        tk.MEAN: f"medelvärdet {label}",
        tk.TOTAL: f"summan {label}",
        tk.RELATIVE_CHANGE: f"förändringen mot utgångsläget till {label}",
        tk.ABSOLUTE_CHANGE: f"förändringen mot utgångsläget till {label}",
    }.get(kind, label)


def decimals_for(value: float | None, target: float | None, base: int) -> int:
    """The fewest decimals (from ``base``) at which value and target compare as they really do.

    99,97 against 100 must not show as "100 … ännu inte nått": a rounded figure never contradicts
    the verdict.
    """
    if value is None or target is None or not math.isfinite(value) or not math.isfinite(target):
        return base
    truth = (value > target) - (value < target)
    for d in range(base, 7):
        a, b = round(value, d), round(target, d)
        if (a > b) - (a < b) == truth:
            return d
    return 6


def meets(value: float, target: float, direction: str) -> bool:
    eps = 1e-9 * max(1.0, abs(target))
    return value <= target + eps if direction == "lower" else value >= target - eps


@dataclass
class Context:
    spec: IndicatorSpec
    kind: str
    ikind: str
    window: tuple[int, int]
    now: int  # the first year that is not complete
    points: list[Point]  # complete years only, up to the cut-off
    left_out: list[int]  # years with a value that are not complete
    population: Mapping[int, float] | None
    pop_note: str = ""

    @property
    def by_year(self) -> dict[int, Point]:
        return {p.year: p for p in self.points}

    @property
    def rates(self) -> bool:
        return bool(self.spec.per_1000 and self.spec.is_count and self.population)

    @property
    def unit(self) -> str:
        # "450 antal" reads wrongly; a count needs no unit word beside it.
        unit = "per 1 000 invånare" if self.rates else (self.spec.unit or "")
        return "" if unit.strip().lower() == "antal" else unit

    def scaled(self, year: int, value: float) -> float:
        if not self.rates:
            return value
        assert self.population is not None
        pop, used = nearest_population(self.population, year)
        if used != year and not self.pop_note:
            self.pop_note = (
                f" Folkmängden för {year} saknas; närmaste år med uppgift ({used}) används för "
                "omräkningen per 1 000 invånare."
            )
        return value / (pop / 1000.0)

    def target(self) -> float:
        spec = self.spec
        assert spec.target_value is not None
        year = self.window[1]
        target = spec.target_value
        if self.rates and self.kind == tk.RELATIVE_CHANGE and spec.baseline_value:
            base = self.baseline()
            if base is not None:
                return base * spec.target_value / spec.baseline_value
        if self.rates:
            return self.scaled(year, target)
        return target

    def baseline(self) -> float | None:
        spec = self.spec
        if spec.baseline_start is not None:
            end = spec.baseline_end if spec.baseline_end is not None else spec.baseline_start
            base = [p for p in self.points if spec.baseline_start <= p.year <= end]
            if base:
                return sum(self.scaled(p.year, p.value) for p in base) / len(base)
        if spec.baseline_value is None:
            return None
        return self.scaled(spec.baseline_start or self.window[1], spec.baseline_value)


def preliminary_years(ctx: Context, years: Sequence[int]) -> list[int]:
    by = ctx.by_year
    return [y for y in years if y in by and by[y].preliminary]


def bound(direction: str) -> str:
    return "högst" if direction == "lower" else "minst"


def make_verdict(
    ctx: Context,
    status: str,
    sentence: str,
    *,
    years: Sequence[int],
    value: float | None,
    label: str,
    target: float | None,
    failing: Sequence[int] = (),
    method: str | None = None,
    stats: GoalStatus | None = None,
    ci: tuple[float | None, float | None] = (None, None),
    baseline: float | None = None,
    decimals: int = 0,
    preliminary: bool | None = None,
) -> Verdict:
    return Verdict(
        status=status,
        sentence=sentence,
        method=method or (DIRECT_METHOD if ctx.ikind == tk.OUTPUT else OBSERVED_METHOD),
        target_kind=ctx.kind,
        indicator_kind=ctx.ikind,
        years_used=tuple(years),
        failing_years=tuple(failing),
        value=value,
        value_label=label,
        baseline=baseline,
        target=target,
        ci_low=ci[0],
        ci_high=ci[1],
        preliminary=bool(preliminary_years(ctx, years)) if preliminary is None else preliminary,
        unit=ctx.unit,
        year=max(years) if years else None,
        decimals=decimals,
        stats=stats,
    )


def not_begun(ctx: Context, target: float, base: float | None, dec: int) -> Verdict:
    start, end = ctx.window
    latest = ctx.points[-1] if ctx.points else None
    if start != end:
        what = f"målperioden {tk.window_label(start, end)} har inte börjat"
    else:
        what = f"målåret {end} är inte slut"
    if latest is None:
        return make_verdict(
            ctx,
            TOO_LITTLE_DATA,
            f"Kan inte bedömas: {what} och det finns inga mätvärden.",
            years=[],
            value=None,
            label="",
            target=target,
            baseline=base,
            decimals=dec,
        )
    value = ctx.scaled(latest.year, latest.value)
    d = decimals_for(value, target, dec)
    shown = f"{svformat.number(value, d)} {ctx.unit}".strip()
    goal = f"{bound(ctx.spec.direction)} {svformat.number(target, d)} {ctx.unit}".strip()
    if meets(value, target, ctx.spec.direction):
        status, text = (
            ON_TRACK,
            f"På väg: {upper_first(what)}, men senaste värdet ({latest.year}: {shown}) når redan "
            f"målvärdet ({goal}).",
        )
    else:
        status = TOO_LITTLE_DATA
        text = f"Inte bedömt än: {what}. Senaste värdet ({latest.year}: {shown}) når inte målvärdet ({goal})."
    return make_verdict(
        ctx,
        status,
        text,
        years=[latest.year],
        value=value,
        label=f"värdet {latest.year}",
        target=target,
        baseline=base,
        decimals=d,
    )


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
