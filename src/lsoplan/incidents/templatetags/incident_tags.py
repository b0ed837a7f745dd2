"""Formats for incident figures: response times as minutes and seconds, shares as per cent."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def minsec(seconds: float | None) -> str:
    """296.0 → "4 min 56 s" (the way a planner reads an insatstid)."""
    if seconds is None:
        return "–"
    total = round(float(seconds))
    minutes, rest = divmod(total, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


@register.filter
def percent(share: float | None, decimals: int = 1) -> str:
    """0.7115 → "71,2 %"."""
    if share is None:
        return "–"
    return f"{100 * share:.{decimals}f}".replace(".", ",") + "\u00a0%"


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def minutes_label(value: float) -> str:
    return f"{value:g}".replace(".", ",")
