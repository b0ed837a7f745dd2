"""Stored indicator data judged by the plausibility rules (``lib.plausibility``).

Values entered before the rules existed, fetched from a public source or computed from incidents
are not refused after the fact: they are kept and shown, as a note on the indicator page and as a
data-quality finding in egenkontroll, so that someone can correct them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from lsoplan.goals.models import Indicator, Measurement
from lsoplan.lib import plausibility
from lsoplan.lib.plausibility import Issue, ValueKind

FIELD_LABELS = {
    "baseline_value": "Utgångsvärdet",
    "baseline_start": "Utgångsperioden",
    "baseline_end": "Utgångsperioden",
    "target_value": "Målvärdet",
    "target_year": "Målåret",
}


def _labelled(label: str, message: str) -> str:
    # "Målåret: Målåret 2035 ligger …" says the field twice.
    return message if message.startswith(label) else f"{label}: {message}"


def _kind(indicator: Indicator) -> ValueKind:
    return ValueKind(indicator.is_count, indicator.unit)


def indicator_notes(
    indicator: Indicator, measurements: Iterable[Measurement], today: dt.date | None = None
) -> list[tuple[str, str]]:
    """(severity, sentence) for the indicator's own fields and each value in force."""
    today = today or timezone.localdate()
    programme = indicator.version.programme
    issues = plausibility.check_indicator(
        _kind(indicator),
        direction=indicator.direction,
        baseline_value=indicator.baseline_value,
        baseline_start=indicator.baseline_start,
        baseline_end=indicator.baseline_end,
        target_value=indicator.target_value,
        target_year=indicator.target_year,
        target_reason=indicator.target_reason,
        period=(programme.period_start, programme.period_end),
        today=today,
    )
    notes: list[tuple[str, str]] = [
        (i.severity, _labelled(FIELD_LABELS.get(i.field, i.field), i.message)) for i in issues
    ]
    for m in measurements:
        if m.replaced_at is not None:
            continue  # history, kept as entered
        found: list[Issue] = plausibility.check_measurement(
            _kind(indicator), year=m.year, value=m.value, vintage=m.vintage, today=today
        )
        notes += [(i.severity, f"Mätvärdet för {m.year}: {i.message}") for i in found]
    return notes
