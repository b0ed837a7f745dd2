"""The follow-up verdict of one indicator, by the rule its goal states (``lib.targets``).

Rules (each verdict's sentence names the rule and the years it rests on):

- Only complete years count: a value for the current year or a later one is left out and the
  sentence says so. With ``year`` given (a yearly report), years after it do not exist yet.
- Nothing is *uppnått* before every year it rests on is complete and has a final value; a
  preliminary value is marked and can at most give *på väg*.
- *Every year*: a finished year of the window that missed the target makes it *ej uppnått*, and the
  failing years are named. Met every year so far, window not over: *på väg*.
- Own output (``prestation``) is counted exactly, so values are compared directly with the target:
  no significance test, no interval.
- Outcomes (``utfall``) keep the statistical verdicts of ``lib.stats.status`` (exact tests for
  counts, t intervals otherwise) on the period the rule names; before the target year a met target
  is *på väg*, and a finished target that missed is *ej uppnått*.
- Per 1 000 inhabitants uses each year's population, the nearest year's where it is missing (said).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from lsoplan.lib import targets as tk
from lsoplan.lib.followup import IndicatorSpec, indicator_status, nearest_population
from lsoplan.lib.stats import (
    ACHIEVED,
    ACHIEVED_NOT_ASSURED,
    NO_ASSURED_CHANGE,
    ON_TRACK,
    TOO_LITTLE_DATA,
    WORSENED,
    GoalStatus,
    period_label,
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


def _met(value: float, target: float, direction: str) -> bool:
    eps = 1e-9 * max(1.0, abs(target))
    return value <= target + eps if direction == "lower" else value >= target - eps


@dataclass
class _Context:
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


def judge(
    spec: IndicatorSpec,
    points: Sequence[Point],
    *,
    today_year: int,
    population: Mapping[int, float] | None = None,
    year: int | None = None,
) -> Verdict | None:
    """The verdict for ``spec`` on ``points`` as known in ``today_year``; None without a target."""
    if spec.target_value is None:
        return None
    kind = spec.target_kind or tk.LEVEL
    end = spec.window_end or spec.target_year
    start = spec.window_start if kind in tk.WINDOW_KINDS and spec.window_start else end
    now = today_year if year is None else min(today_year, year + 1)
    pts = sorted((p for p in points if year is None or p.year <= year), key=lambda p: p.year)
    if end is None:  # no target year: judge the latest complete year as a level
        complete = [p.year for p in pts if p.year < now]
        end = start = complete[-1] if complete else now - 1
        kind = tk.LEVEL if kind in tk.WINDOW_KINDS else kind
    ctx = _Context(
        spec,
        kind,
        spec.indicator_kind or tk.OUTCOME,
        (start or end, end),
        now,
        [p for p in pts if p.year < now],
        [p.year for p in pts if p.year >= now],
        population,
    )
    if kind in (tk.EVERY_YEAR, tk.TOTAL) or ctx.ikind == tk.OUTPUT:
        verdict = _direct(ctx)
    else:
        verdict = _statistical(ctx)
    return _finish(ctx, verdict)


# --- shared wording ------------------------------------------------------------------------------


def _tail(ctx: _Context, years: Sequence[int], preliminary: Sequence[int]) -> str:
    rule = rule_text(ctx.kind, ctx.window)
    text = f" Bedömt enligt målets regel, {rule}"
    text += f", på värdena för {period_label(list(years))}." if years else "."
    if preliminary:
        many = len(preliminary) > 1
        text += (
            f" {'Värdena' if many else 'Värdet'} för {period_label(list(preliminary))} "
            f"är {'preliminära' if many else 'preliminärt'} och kan ändras."
        )
    if ctx.left_out:
        many = len(ctx.left_out) > 1
        text += (
            f" {'Värdena' if many else 'Värdet'} för {period_label(ctx.left_out)} räknas inte: "
            f"{'åren' if many else 'året'} är inte slut."
        )
    return text + ctx.pop_note


def _finish(ctx: _Context, v: Verdict) -> Verdict:
    return replace(v, sentence=v.sentence + _tail(ctx, v.years_used, _prelim(ctx, v.years_used)))


def _prelim(ctx: _Context, years: Sequence[int]) -> list[int]:
    by = ctx.by_year
    return [y for y in years if y in by and by[y].preliminary]


def _bound(direction: str) -> str:
    return "högst" if direction == "lower" else "minst"


def _verdict(
    ctx: _Context,
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
        preliminary=bool(_prelim(ctx, years)),
        unit=ctx.unit,
        year=max(years) if years else None,
        decimals=decimals,
        stats=stats,
    )


# --- direct comparison (own output; every-year and total targets) -------------------------------


def _direct(ctx: _Context) -> Verdict:
    direction = ctx.spec.direction
    target = ctx.target()
    base = ctx.baseline()
    by = ctx.by_year
    start, end = ctx.window
    window = list(range(start, end + 1))
    done = [y for y in window if y < ctx.now]
    have = [y for y in done if y in by]
    missing = [y for y in done if y not in by]
    values = {y: ctx.scaled(y, by[y].value) for y in have}
    dec0 = svformat.decimals_for(max(abs(target), *(abs(v) for v in values.values()), 0.0))

    def amount(value: float, d: int) -> str:
        return f"{svformat.number(value, d)} {ctx.unit}".strip()

    common = {"target": target, "baseline": base}
    wl = tk.window_label(start, end)

    if not done and ctx.kind in tk.WINDOW_KINDS:
        return _not_begun(ctx, target, base, dec0)

    if ctx.kind == tk.TOTAL:
        return _total(ctx, values, window, missing, target, base, dec0)

    if ctx.kind == tk.EVERY_YEAR:
        failing = [y for y in have if not _met(values[y], target, direction)]
        if failing:
            worst = min(failing, key=lambda y: values[y] if direction == "higher" else -values[y])
            d = max(decimals_for(values[y], target, dec0) for y in failing)
            details = ", ".join(f"{y}: {amount(values[y], d)}" for y in failing)
            sentence = (
                f"Ej uppnått: målet är {_bound(direction)} {amount(target, d)} varje år {wl}, och "
                f"{period_label(failing)} nåddes det inte ({details})."
            )
            return _verdict(
                ctx,
                NOT_ACHIEVED,
                sentence,
                years=have,
                value=values[worst],
                label=f"värdet {worst} (sämsta året som missade målet)",
                failing=failing,
                decimals=d,
                **common,
            )
        if missing:
            return _verdict(
                ctx,
                TOO_LITTLE_DATA,
                f"Kan inte bedömas: målet gäller varje år {wl}, men värde saknas för "
                f"{period_label(missing)}.",
                years=have,
                value=None,
                label="",
                decimals=dec0,
                **common,
            )
        worst = min(have, key=lambda y: values[y] if direction == "higher" else -values[y])
        d = decimals_for(values[worst], target, dec0)
        listing = ", ".join(f"{y}: {amount(values[y], d)}" for y in have)
        finished = end < ctx.now
        prelim = _prelim(ctx, have)
        head = f"målvärdet ({_bound(direction)} {amount(target, d)}) nåddes varje år {period_label(have)}"
        head += f" ({listing})"
        if finished and not prelim:
            sentence = f"Uppnått: {head}."
            status = ACHIEVED
        elif finished:
            sentence = (
                f"På väg: {head}, men {period_label(prelim)} bygger på preliminära värden; målet är "
                "uppnått först när de är slutliga."
            )
            status = ON_TRACK
        else:
            rest = period_label([y for y in window if y >= ctx.now])
            sentence = f"På väg: {head}; {rest} återstår innan målet kan bedömas som uppnått."
            status = ON_TRACK
        return _verdict(
            ctx,
            status,
            sentence,
            years=have,
            value=values[worst],
            label=f"värdet {worst} (sämsta året)",
            decimals=d,
            **common,
        )

    # Level, change or mean over the window, compared directly (own output).
    if ctx.kind == tk.MEAN:
        if not have:
            return _not_begun(ctx, target, base, dec0)
        value = sum(values.values()) / len(values)
        label = f"medelvärdet {period_label(have)}"
        used = have
        finished = end < ctx.now and not missing
    else:
        years_before = [p.year for p in ctx.points if p.year <= end]
        if not years_before:
            return _not_begun(ctx, target, base, dec0)
        last = years_before[-1]
        value = ctx.scaled(last, by[last].value)
        label = f"värdet {last}"
        used = [last]
        finished = last == end
    d = decimals_for(value, target, dec0)
    met = _met(value, target, direction)
    when = f"i genomsnitt {wl}" if ctx.kind == tk.MEAN else f"till {end}"
    target_phrase = f"målvärdet ({_bound(direction)} {amount(target, d)} {when})"
    prelim = _prelim(ctx, used)
    if finished:
        if met and not prelim:
            status, text = ACHIEVED, f"Uppnått: {label} är {amount(value, d)}, och {target_phrase} är nått."
        elif met:
            status = ON_TRACK
            text = (
                f"På väg: {label} är {amount(value, d)} och når {target_phrase}, men värdet är "
                "preliminärt; målet är uppnått först när det är slutligt."
            )
        else:
            status, text = (
                NOT_ACHIEVED,
                f"Ej uppnått: {label} är {amount(value, d)}, och {target_phrase} nåddes inte.",
            )
    elif end < ctx.now and ctx.kind != tk.MEAN:
        return _verdict(
            ctx,
            TOO_LITTLE_DATA,
            f"Kan inte bedömas: målåret {end} är slut men saknar värde; senaste värdet är "
            f"{amount(value, d)} ({used[-1]}).",
            years=used,
            value=value,
            label=label,
            decimals=d,
            **common,
        )
    elif met:
        status = ON_TRACK
        text = f"På väg: {label} är {amount(value, d)} och når redan {target_phrase}, men {end} är inte slut."
    else:
        status, text = _unmet_before_deadline(value, base, direction)
        compare = ""
        if base is not None:
            compare = f" mot utgångsläget {amount(base, decimals_for(base, value, d))}"
        text += f"{label} är {amount(value, d)}{compare}; {target_phrase} är ännu inte nått."
    return _verdict(ctx, status, text, years=used, value=value, label=label, decimals=d, **common)


def _unmet_before_deadline(value: float, base: float | None, direction: str) -> tuple[str, str]:
    """Not yet at the target and time remains: compared with the baseline, directly."""
    if base is None or math.isclose(value, base):
        return (
            NO_ASSURED_CHANGE,
            "Ingen förändring mot utgångsläget: " if base is not None else "Inte nått ännu: ",
        )
    better = value < base if direction == "lower" else value > base
    return (ON_TRACK, "På väg: ") if better else (WORSENED, "Försämring: ")


def _not_begun(ctx: _Context, target: float, base: float | None, dec: int) -> Verdict:
    start, end = ctx.window
    latest = ctx.points[-1] if ctx.points else None
    if start != end:
        what = f"målperioden {tk.window_label(start, end)} har inte börjat"
    else:
        what = f"målåret {end} är inte slut"
    if latest is None:
        return _verdict(
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
    goal = f"{_bound(ctx.spec.direction)} {svformat.number(target, d)} {ctx.unit}".strip()
    if _met(value, target, ctx.spec.direction):
        status, text = (
            ON_TRACK,
            f"På väg: {_upper_first(what)}, men senaste värdet ({latest.year}: {shown}) når redan "
            f"målvärdet ({goal}).",
        )
    else:
        status = TOO_LITTLE_DATA
        text = f"Inte bedömt än: {what}. Senaste värdet ({latest.year}: {shown}) når inte målvärdet ({goal})."
    return _verdict(
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


def _total(
    ctx: _Context,
    values: dict[int, float],
    window: list[int],
    missing: list[int],
    target: float,
    base: float | None,
    dec: int,
) -> Verdict:
    direction = ctx.spec.direction
    have = sorted(values)
    total = sum(values.values())
    d = decimals_for(total, target, dec)
    start, end = ctx.window
    label = f"summan {period_label(have)}" if have else "summan"
    shown = f"{svformat.number(total, d)} {ctx.unit}".strip()
    goal = f"{_bound(direction)} {svformat.number(target, d)} {ctx.unit} sammanlagt {start}–{end}".strip()
    finished = end < ctx.now and not missing
    prelim = _prelim(ctx, have)
    reached = total >= target if direction == "higher" else total <= target
    if direction == "lower" and not reached:
        status, text = NOT_ACHIEVED, f"Ej uppnått: {label} är redan {shown}, över målvärdet ({goal})."
    elif reached and (direction == "higher" or finished):
        status = ON_TRACK if prelim else ACHIEVED
        text = f"{'På väg' if prelim else 'Uppnått'}: {label} är {shown} och når målvärdet ({goal})."
        if prelim:
            text += " Summan bygger på preliminära värden; målet är uppnått först när de är slutliga."
    elif finished:
        status, text = NOT_ACHIEVED, f"Ej uppnått: {label} blev {shown}, under målvärdet ({goal})."
    else:
        left = [y for y in window if y not in values]
        pace = total / len(have) * len(window) if have else 0.0
        on_pace = pace >= target if direction == "higher" else pace <= target
        status = ON_TRACK if on_pace else NO_ASSURED_CHANGE
        text = (
            f"{'På väg' if on_pace else 'Inte i takt'}: {label} är {shown} av målvärdet ({goal}); "
            f"{period_label(left)} återstår, och i samma takt blir summan "
            f"{svformat.number(pace, d)} {ctx.unit}.".replace("  ", " ")
        )
    return _verdict(
        ctx, status, text, years=have, value=total, label=label, target=target, baseline=base, decimals=d
    )


# --- statistical comparison (outcomes) ----------------------------------------------------------

_OPENERS = re.compile(r"^(På väg|Ingen säkerställd förändring|Försämring): ")


def _statistical(ctx: _Context) -> Verdict:
    spec = ctx.spec
    start, end = ctx.window
    cutoff = min(end, ctx.now - 1)
    series = [(p.year, p.value) for p in ctx.points]
    target_value = spec.target_value
    if ctx.rates and ctx.kind == tk.RELATIVE_CHANGE and ctx.population:
        # Halving a rate means halving it per inhabitant, whatever the population did meanwhile.
        target_rate = ctx.target()
        target_value = target_rate * nearest_population(ctx.population, end)[0] / 1000.0
    spec2 = replace(spec, target_value=target_value, target_year=end)
    status = indicator_status(
        spec2,
        series,
        population=ctx.population if ctx.rates else None,
        year=cutoff,
        current_from=start if ctx.kind == tk.MEAN else None,
    )
    if status is None:  # pragma: no cover - target_value is set
        raise AssertionError
    if not any(p.year <= cutoff for p in ctx.points):
        return _not_begun(ctx, ctx.target(), ctx.baseline(), svformat.decimals_for(status.target))
    current = _current_years(ctx, status, cutoff)
    for y in current:  # registers the population note when a year's population is missing
        ctx.scaled(y, 1.0)
    finished = end < ctx.now and bool(current) and current[-1] == end
    if ctx.kind == tk.MEAN:
        finished = finished and current == list(range(start, end + 1))
    prelim = _prelim(ctx, current)
    s = status.status
    d = decimals_for(
        status.current_value,
        status.target,
        svformat.decimals_for(max(abs(status.target), abs(status.current_value or 0))),
    )
    sentence = status.sentence
    if s == TOO_LITTLE_DATA:
        pass
    elif s in (ACHIEVED, ACHIEVED_NOT_ASSURED):
        if not finished:
            s = ON_TRACK
            unfinished = (
                f"målperioden {tk.window_label(start, end)}" if ctx.kind == tk.MEAN else f"målåret {end}"
            )
            sentence = f"På väg: {unfinished} är inte slut; hittills " + _lower_first(_as_met(status))
        elif prelim:
            s = ON_TRACK
            sentence = (
                "På väg: målvärdet nås, men uppgifterna är delvis preliminära; målet är uppnått först när "
                "de är slutliga. " + status.sentence
            )
    elif finished and not status.target_met:
        s = NOT_ACHIEVED
        over = f"målperioden {tk.window_label(start, end)}" if ctx.kind == tk.MEAN else f"målåret {end}"
        sentence = f"Ej uppnått: {over} är slut och målvärdet nåddes inte. " + _OPENERS.sub(
            "", status.sentence
        )
    label = ("intensiteten" if status.data_kind == "counts" else "medelvärdet") + f" {period_label(current)}"
    if status.data_kind == "counts":
        label += " (sammanvägt, per år)" if not ctx.rates else " (sammanvägt)"
    return _verdict(
        ctx,
        s,
        sentence,
        years=current,
        value=status.current_value,
        label=label,
        target=status.target,
        baseline=status.baseline_value,
        method=status.method,
        stats=status,
        ci=(status.current_lower, status.current_upper),
        decimals=d,
    )


def _current_years(ctx: _Context, status: GoalStatus, cutoff: int) -> list[int]:
    from lsoplan.lib.followup import windows

    w = windows(
        ctx.spec,
        [(p.year, p.value) for p in ctx.points],
        cutoff,
        current_from=ctx.window[0] if ctx.kind == tk.MEAN else None,
    )
    return [y for y, _ in w.current]


def _as_met(status: GoalStatus) -> str:
    text = status.sentence
    if status.status == ACHIEVED:
        text = re.sub(r"^Målet \((.*?)\) är uppnått: ", r"målvärdet (\1) nås i siffrorna: ", text)
    return text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
