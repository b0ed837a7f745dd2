"""Plausibility rules for indicator values, targets and costs: one set, used everywhere.

The web forms (``goals.forms``), the programme-file import (``programmes.exchange_import``) and the
data-quality finding in egenkontroll all ask these functions, so the same input is accepted or
refused in the same words wherever it is entered. Each problem names the field it concerns by the
name both the form and the programme file use (``value``, ``target_value`` …); the caller adds the
JSON path or puts the message on the form field.

An error refuses the input. A warning (``Issue.warning``) is shown but does not stop anything: a
target year outside the programme period can be deliberate.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from lsoplan.lib.swedish import sv_number

FIRST_MEASUREMENT_YEAR = 1990
TARGET_YEARS = (2000, 2100)
# Units that mean "a share in per cent". "procentenheter" is a difference and may be negative.
_PERCENT_UNITS = re.compile(r"^\s*(%|procent|andel\s*\(?%\)?|andel i procent)\s*$", re.IGNORECASE)
_COUNT_UNITS = frozenset({"antal", "st", "st.", "stycken", "antal händelser"})

Severity = Literal["fel", "varning"]


@dataclass(frozen=True)
class Issue:
    """One problem: the field it concerns, the Swedish sentence, and whether it refuses the input."""

    field: str
    message: str
    severity: Severity = "fel"

    @property
    def warning(self) -> bool:
        return self.severity == "varning"


@dataclass(frozen=True)
class ValueKind:
    """What an indicator's values are, as far as plausibility is concerned."""

    is_count: bool = False
    unit: str = ""

    @property
    def counts(self) -> bool:
        """Counted events or deliveries: whole, non-negative numbers."""
        return self.is_count or self.unit.strip().lower() in _COUNT_UNITS

    @property
    def percent(self) -> bool:
        return bool(_PERCENT_UNITS.match(self.unit))

    @classmethod
    def strictest(cls, kinds: Iterable[ValueKind]) -> ValueKind:
        """A series shared by several indicators is held to all of their rules."""
        found = list(kinds)
        unit = next((k.unit for k in found if k.percent), found[0].unit if found else "")
        return cls(any(k.counts for k in found), unit)


def errors(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if not i.warning]


def warnings(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.warning]


# --- the single rules -----------------------------------------------------------------------------


def _level(field: str, value: float | None, kind: ValueKind, *, whole: bool) -> list[Issue]:
    """A count or share: not negative, shares at most 100, measured counts whole."""
    if value is None:
        return []
    if not math.isfinite(value):
        return [Issue(field, "Ange ett ändligt tal.")]
    if kind.percent and not 0 <= value <= 100:
        return [Issue(field, "En andel i procent ska ligga mellan 0 och 100.")]
    if kind.counts:
        if value < 0:
            return [Issue(field, "Ett antal kan inte vara negativt.")]
        # A baseline or target may be a mean of counts (24,5 per år); a measured count may not.
        if whole and not float(value).is_integer():
            return [Issue(field, "Ett antal ska vara ett heltal.")]
    return []


def measurement_year(year: int, today: dt.date) -> list[Issue]:
    last = today.year + 1
    if not FIRST_MEASUREMENT_YEAR <= year <= last:
        return [Issue("year", f"Ange ett år mellan {FIRST_MEASUREMENT_YEAR} och {last}.")]
    return []


def check_measurement(
    kind: ValueKind, *, year: int | None, value: float | None, vintage: str, today: dt.date
) -> list[Issue]:
    """One measured value for one year."""
    issues = _level("value", value, kind, whole=True)
    if year is None:
        return issues
    issues += measurement_year(year, today)
    # A year is final only once it has ended; until then the value can only be preliminary.
    if vintage == "slutlig" and year >= today.year:
        issues.append(
            Issue(
                "vintage",
                f"År {year} är inte slut ännu, så värdet kan inte vara slutligt. Ange det som preliminärt.",
            )
        )
    return issues


def check_indicator(
    kind: ValueKind,
    *,
    direction: str,
    baseline_value: float | None,
    baseline_start: int | None,
    baseline_end: int | None,
    target_value: float | None,
    target_year: int | None,
    target_reason: str = "",
    period: tuple[int, int] | None = None,
    today: dt.date,
) -> list[Issue]:
    """An indicator's baseline and target; ``period`` is the programme's first and last year."""
    issues = _level("baseline_value", baseline_value, kind, whole=False)
    issues += _level("target_value", target_value, kind, whole=False)
    for field, year in (("baseline_start", baseline_start), ("baseline_end", baseline_end)):
        if year is not None and not FIRST_MEASUREMENT_YEAR <= year <= today.year:
            issues.append(
                Issue(field, f"Utgångsperioden ska ligga mellan {FIRST_MEASUREMENT_YEAR} och {today.year}.")
            )
    if baseline_start is not None and baseline_end is not None and baseline_end < baseline_start:
        issues.append(Issue("baseline_end", "Utgångsperiodens slut kan inte ligga före dess början."))
    low, high = TARGET_YEARS
    if target_year is not None:
        if not low <= target_year <= high:
            issues.append(Issue("target_year", f"Ange ett målår mellan {low} och {high}."))
        elif period is not None and not period[0] <= target_year <= period[1]:
            issues.append(
                Issue(
                    "target_year",
                    f"Målåret {target_year} ligger utanför programperioden {period[0]}–{period[1]}; "
                    "målet följs då upp under ett annat program.",
                    "varning",
                )
            )
    issues += _direction(direction, baseline_value, target_value, target_reason)
    return issues


def _direction(direction: str, baseline: float | None, target: float | None, reason: str) -> list[Issue]:
    """A target on the wrong side of the baseline needs a stated reason."""
    if baseline is None or target is None or reason.strip():
        return []
    if direction == "lower" and target > baseline:
        side, better = "högre", "lägre"
    elif direction == "higher" and target < baseline:
        side, better = "lägre", "högre"
    else:
        return []
    return [
        Issue(
            "target_value",
            f"Målvärdet {sv_number(target)} är {side} än utgångsvärdet {sv_number(baseline)}, fast {better} "
            "är bättre. Ändra riktning eller målvärde, eller skriv en motivering om målet är avsiktligt.",
        )
    ]


def check_cost(field: str, value: Decimal | int | float | None) -> list[Issue]:
    """A cost in whole kronor, not negative (a saving is written as text, not as a negative cost)."""
    if value is None:
        return []
    if value < 0:
        return [Issue(field, "En kostnad kan inte vara negativ.")]
    if value != int(value):
        return [Issue(field, "Ange kostnaden i hela kronor.")]
    return []


# --- reading numbers as planners type them ---------------------------------------------------------

_GROUPED = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+([,.]\d+)?$")


def ungroup(text: str) -> str:
    """'150 000' → '150000', '1 234,5' → '1234,5'; anything else is returned stripped, unchanged.

    Only digits in groups of three are joined, so that '12 3' stays an error rather than 123.
    """
    text = text.strip().replace("\u2212", "-")
    if _GROUPED.match(text):
        return re.sub(r"[ \u00a0\u202f]", "", text)
    return text
