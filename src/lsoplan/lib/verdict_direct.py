"""Direct comparison with the target: own output, and every-year or total targets of any kind.

No significance test: what the organisation did is counted exactly, and an every-year or total
target is about the observed values themselves.
"""

from __future__ import annotations

import math

from lsoplan.lib import targets as tk
from lsoplan.lib.stats import (
    ACHIEVED,
    NO_ASSURED_CHANGE,
    ON_TRACK,
    TOO_LITTLE_DATA,
    WORSENED,
    period_label,
    svformat,
)
from lsoplan.lib.verdict_model import (
    NOT_ACHIEVED,
    Context,
    Verdict,
    bound,
    decimals_for,
    make_verdict,
    meets,
    not_begun,
    preliminary_years,
)


def direct(ctx: Context) -> Verdict:
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

    wl = tk.window_label(start, end)

    if not done and ctx.kind in tk.WINDOW_KINDS:
        return not_begun(ctx, target, base, dec0)

    if ctx.kind == tk.TOTAL:
        return judge_total(ctx, values, window, missing, target, base, dec0)

    if ctx.kind == tk.EVERY_YEAR:
        failing = [y for y in have if not meets(values[y], target, direction)]
        if failing:
            worst = min(failing, key=lambda y: values[y] if direction == "higher" else -values[y])
            d = max(decimals_for(values[y], target, dec0) for y in failing)
            details = ", ".join(f"{y}: {amount(values[y], d)}" for y in failing)
            sentence = (
                f"Ej uppnått: målet är {bound(direction)} {amount(target, d)} varje år {wl}, och "
                f"{period_label(failing)} nåddes det inte ({details})."
            )
            return make_verdict(
                ctx,
                NOT_ACHIEVED,
                sentence,
                years=have,
                value=values[worst],
                label=f"värdet {worst} (sämsta året som missade målet)",
                failing=failing,
                # A miss in a final year stands whatever the preliminary years turn out to be.
                preliminary=all(by[y].preliminary for y in failing),
                decimals=d,
                target=target,
                baseline=base,
            )
        if missing:
            return make_verdict(
                ctx,
                TOO_LITTLE_DATA,
                f"Kan inte bedömas: målet gäller varje år {wl}, men värde saknas för "
                f"{period_label(missing)}.",
                years=have,
                value=None,
                label="",
                decimals=dec0,
                target=target,
                baseline=base,
            )
        worst = min(have, key=lambda y: values[y] if direction == "higher" else -values[y])
        d = decimals_for(values[worst], target, dec0)
        listing = ", ".join(f"{y}: {amount(values[y], d)}" for y in have)
        finished = end < ctx.now
        prelim = preliminary_years(ctx, have)
        head = f"målvärdet ({bound(direction)} {amount(target, d)}) nåddes varje år {period_label(have)}"
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
        return make_verdict(
            ctx,
            status,
            sentence,
            years=have,
            value=values[worst],
            label=f"värdet {worst} (sämsta året)",
            decimals=d,
            target=target,
            baseline=base,
        )

    # Level, change or mean over the window, compared directly (own output).
    if ctx.kind == tk.MEAN:
        if not have:
            return not_begun(ctx, target, base, dec0)
        value = sum(values.values()) / len(values)
        label = f"medelvärdet {period_label(have)}"
        used = have
        finished = end < ctx.now and not missing
        if end < ctx.now and missing:
            return make_verdict(
                ctx,
                TOO_LITTLE_DATA,
                f"Kan inte bedömas: målet gäller medelvärdet {wl}, men värde saknas för "
                f"{period_label(missing)}.",
                years=have,
                value=value,
                label=label,
                target=target,
                baseline=base,
                decimals=decimals_for(value, target, dec0),
            )
    else:
        years_before = [p.year for p in ctx.points if p.year <= end]
        if not years_before:
            return not_begun(ctx, target, base, dec0)
        last = years_before[-1]
        value = ctx.scaled(last, by[last].value)
        label = f"värdet {last}"
        used = [last]
        finished = last == end
    d = decimals_for(value, target, dec0)
    met = meets(value, target, direction)
    when = f"i genomsnitt {wl}" if ctx.kind == tk.MEAN else f"till {end}"
    target_phrase = f"målvärdet ({bound(direction)} {amount(target, d)} {when})"
    prelim = preliminary_years(ctx, used)
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
        return make_verdict(
            ctx,
            TOO_LITTLE_DATA,
            f"Kan inte bedömas: målåret {end} är slut men saknar värde; senaste värdet är "
            f"{amount(value, d)} ({used[-1]}).",
            years=used,
            value=value,
            label=label,
            decimals=d,
            target=target,
            baseline=base,
        )
    elif met:
        status = ON_TRACK
        left = f"målperioden {wl}" if ctx.kind == tk.MEAN else f"målåret {end}"
        text = (
            f"På väg: {label} är {amount(value, d)} och når redan {target_phrase}, men {left} är inte slut."
        )
    else:
        status, text = _unmet_before_deadline(value, base, direction)
        compare = ""
        if base is not None:
            compare = f" mot utgångsläget {amount(base, decimals_for(base, value, d))}"
        text += f"{label} är {amount(value, d)}{compare}; {target_phrase} är ännu inte nått."
    return make_verdict(
        ctx, status, text, years=used, value=value, label=label, decimals=d, target=target, baseline=base
    )


def _unmet_before_deadline(value: float, base: float | None, direction: str) -> tuple[str, str]:
    """Not yet at the target and time remains: compared with the baseline, directly."""
    if base is None or math.isclose(value, base):
        return (
            NO_ASSURED_CHANGE,
            "Ingen förändring mot utgångsläget: " if base is not None else "Inte nått ännu: ",
        )
    better = value < base if direction == "lower" else value > base
    return (ON_TRACK, "På väg: ") if better else (WORSENED, "Försämring: ")


def judge_total(
    ctx: Context,
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
    goal = f"{bound(direction)} {svformat.number(target, d)} {ctx.unit} sammanlagt {start}–{end}".strip()
    finished = end < ctx.now and not missing
    prelim = preliminary_years(ctx, have)
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
    return make_verdict(
        ctx, status, text, years=have, value=total, label=label, target=target, baseline=base, decimals=d
    )
