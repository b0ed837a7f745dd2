"""The Swedish wording of a goal status: one sentence that gives the verdict and the numbers.

Kept apart from the decision logic in `status.py` so that wording can be reviewed (and later
translated) without touching the statistics.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lsoplan.lib.stats import svformat

Direction = Literal["lower", "higher"]

ACHIEVED = "uppnått"
ACHIEVED_NOT_ASSURED = "uppnått men inte säkerställt"
ON_TRACK = "på väg"
NO_ASSURED_CHANGE = "ingen säkerställd förändring"
WORSENED = "försämring"
TOO_LITTLE_DATA = "för lite data"
STATUSES = (ACHIEVED, ACHIEVED_NOT_ASSURED, ON_TRACK, NO_ASSURED_CHANGE, WORSENED, TOO_LITTLE_DATA)


@dataclass(frozen=True)
class Evidence:
    """What the test found; the input to both the verdict and the sentence."""

    baseline: float
    current: float
    current_ci: tuple[float, float] | None
    change: float | None
    change_ci: tuple[float, float] | None
    p_value: float | None
    improved: bool
    worsened: bool


def period_label(periods: Sequence[int | str]) -> str:
    """Label a set of years: 2015–2019 when consecutive, "2015, 2017" otherwise, "" for none."""
    if not periods:
        return ""
    try:
        years = sorted(int(p) for p in periods)
    except (TypeError, ValueError):
        return ", ".join(str(p) for p in periods)
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def signed_percent(fraction: float, with_unit: bool = True) -> str:
    """−0.61 -> "−61 %", 0.2 -> "+20 %"; a change that rounds to 0 gets no sign."""
    if not math.isfinite(fraction):
        return "+∞" if fraction > 0 else "–"
    text = svformat.percent(abs(fraction)) if with_unit else svformat.number(abs(fraction) * 100, 0)
    return ("\u2212" if fraction < 0 else "+") + text if round(fraction * 100) != 0 else text


class Wording:
    """Shared wording: the target phrase, the interval name and one precision for all amounts."""

    def __init__(
        self,
        direction: Direction,
        target: float,
        target_year: int | None,
        unit: str,
        level: float,
        reference: float,
        current: float | None = None,
    ):
        self.direction = direction
        self.unit = unit.strip()
        # A difference between two percentages is in percentage points, not per cent.
        self.change_unit = "procentenheter" if self.unit == "%" else self.unit
        self.decimals = svformat.decimals_for(max(abs(reference), abs(target)))
        if current is not None and math.isfinite(current) and math.isfinite(target):
            # 99,97 against 100 must not read "100 … ännu inte nått": add decimals until the
            # rounded figures compare as the real ones do.
            truth = (current > target) - (current < target)
            while self.decimals < 6:
                a, b = round(current, self.decimals), round(target, self.decimals)
                if (a > b) - (a < b) == truth:
                    break
                self.decimals += 1
        self.ci = f"{svformat.percent(level, 0 if round(level * 100, 6).is_integer() else 1)} KI"
        bound = "högst" if direction == "lower" else "minst"
        by_year = f" till {target_year}" if target_year is not None else ""
        self.target_plain = f"{bound} {self.amount(target)}{by_year}"
        self.target = f"målvärdet ({self.target_plain})"

    def amount(self, value: float, unit: str | None = None) -> str:
        return f"{svformat.number(value, self.decimals)} {self.unit if unit is None else unit}".strip()

    def signed(self, value: float, with_unit: bool = True) -> str:
        sign = "\u2212" if value < 0 else "+"
        unit = self.change_unit if with_unit else ""
        decimals = self.decimals
        # An interval end such as −0,04 must not show as "−0,0" (or "0,0", which would contradict
        # a change called assured): show the decimals it needs.
        while value != 0 and round(abs(value), decimals) == 0 and decimals < 6:
            decimals += 1
        if value == 0:
            return self.amount(0.0, unit)
        return sign + f"{svformat.number(abs(value), decimals)} {unit}".strip()

    def interval(self, low: str, high: str, unit: str) -> str:
        # A no-break space keeps "%" with its number, as elsewhere in the sentences.
        space = "\u00a0" if unit == "%" else " "
        return f"{self.ci} {low} till {high}{space + unit if unit else ''}"

    def levels(self, ev: Evidence, base_label: str, cur_label: str) -> str:
        cur = self.amount(ev.current) + (f" {cur_label}" if cur_label else "")
        base = self.amount(ev.baseline) + (f" {base_label}" if base_label else "")
        return f"{cur} mot {base}"


def compose(
    status: str,
    ev: Evidence,
    words: Wording,
    change_text: str,
    base_label: str,
    cur_label: str,
    deadline_reached: bool | None,
    met: bool,
    no_noise_note: str,
) -> str:
    levels = words.levels(ev, base_label, cur_label)
    better = "minskningen" if words.direction == "lower" else "ökningen"
    worse = "ökningen" if words.direction == "lower" else "minskningen"
    if status == ACHIEVED:
        if ev.improved:
            why = f"{better.capitalize()} {change_text} är statistiskt säkerställd."
        else:
            assert ev.current_ci is not None
            low, high = (words.amount(v, "") for v in ev.current_ci)
            span = f"{low}–{high} {words.unit}".strip()
            why = f"Hela {words.ci} för nuvarande nivå, {span}, ligger inom målvärdet."
            if ev.worsened:
                # Met with margin, yet moving the wrong way: worth saying before it turns.
                why += f" Men {worse} {change_text} sedan basperioden är statistiskt säkerställd."
        return f"Målet ({words.target_plain}) är uppnått: {levels}. {why}"
    if status == WORSENED:
        still = f" {words.target.capitalize()} {'nås ändå i siffrorna' if met else 'är inte nått'}."
        return f"Försämring: {levels}. {worse.capitalize()} {change_text} är statistiskt säkerställd.{still}"
    if status == ACHIEVED_NOT_ASSURED:
        return (
            f"{words.target.capitalize()} nås i siffrorna: {levels}. Förändringen {change_text} är inte "
            f"statistiskt säkerställd och kan vara slump.{no_noise_note}"
        )
    deadline = ""
    if deadline_reached:
        deadline = " Målåret är nått utan att målvärdet uppfyllts."
    if status == ON_TRACK:
        return (
            f"På väg: {levels}. {better.capitalize()} {change_text} är statistiskt säkerställd, "
            f"men {words.target} är ännu inte nått.{deadline}"
        )
    return (
        f"Ingen säkerställd förändring: {levels}. Skillnaden {change_text} kan vara slump, och "
        f"{words.target} är inte nått.{deadline}{no_noise_note}"
    )
