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

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from lsoplan.lib import targets as tk
from lsoplan.lib.followup import IndicatorSpec, indicator_status, nearest_population
from lsoplan.lib.stats import (
    ACHIEVED,
    ACHIEVED_NOT_ASSURED,
    ON_TRACK,
    TOO_LITTLE_DATA,
    GoalStatus,
    period_label,
    svformat,
)
from lsoplan.lib.verdict_direct import direct
from lsoplan.lib.verdict_model import (
    CODES,
    DIRECT_METHOD,
    NO_TARGET,
    NOT_ACHIEVED,
    OBSERVED_METHOD,
    STATUS_ORDER,
    Context,
    Point,
    Verdict,
    decimals_for,
    lower_first,
    make_verdict,
    not_begun,
    preliminary_years,
    rule_text,
)

__all__ = [
    "CODES",
    "DIRECT_METHOD",
    "NOT_ACHIEVED",
    "NO_TARGET",
    "OBSERVED_METHOD",
    "STATUS_ORDER",
    "Point",
    "Verdict",
    "decimals_for",
    "judge",
    "rule_text",
]


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
    ctx = Context(
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
        verdict = direct(ctx)
    else:
        verdict = _statistical(ctx)
    return _finish(ctx, verdict)


# --- shared wording --------------------------------------------------------------------------------


def _tail(ctx: Context, years: Sequence[int], preliminary: Sequence[int]) -> str:
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


def _finish(ctx: Context, v: Verdict) -> Verdict:
    return replace(v, sentence=v.sentence + _tail(ctx, v.years_used, preliminary_years(ctx, v.years_used)))


# --- statistical comparison (outcomes) ----------------------------------------------------------

_OPENERS = re.compile(r"^(På väg|Ingen säkerställd förändring|Försämring): ")


def _statistical(ctx: Context) -> Verdict:
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
        return not_begun(ctx, ctx.target(), ctx.baseline(), svformat.decimals_for(status.target))
    current = _current_years(ctx, status, cutoff)
    for y in current:  # registers the population note when a year's population is missing
        ctx.scaled(y, 1.0)
    finished = end < ctx.now and bool(current) and current[-1] == end
    if ctx.kind == tk.MEAN:
        finished = finished and current == list(range(start, end + 1))
    prelim = preliminary_years(ctx, current)
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
            sentence = f"På väg: {unfinished} är inte slut; hittills " + lower_first(_asmet(status))
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
    period = period_label(current)
    if status.data_kind != "counts":
        label = f"medelvärdet {period}"
    elif ctx.rates:
        label = f"antalet per 1 000 invånare och år {period} (sammanvägt)"
    else:
        label = f"genomsnittet per år {period} (sammanvägt)"
    return make_verdict(
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


def _current_years(ctx: Context, status: GoalStatus, cutoff: int) -> list[int]:
    from lsoplan.lib.followup import windows

    w = windows(
        ctx.spec,
        [(p.year, p.value) for p in ctx.points],
        cutoff,
        current_from=ctx.window[0] if ctx.kind == tk.MEAN else None,
    )
    return [y for y, _ in w.current]


def _asmet(status: GoalStatus) -> str:
    text = status.sentence
    if status.status == ACHIEVED:
        text = re.sub(r"^Målet \((.*?)\) är uppnått: ", r"målvärdet (\1) nås i siffrorna: ", text)
    return text
