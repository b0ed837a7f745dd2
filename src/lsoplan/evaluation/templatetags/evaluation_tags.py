"""Swedish formats for the evaluation pages: shares, percentage points and kronor."""

from __future__ import annotations

from django import template

register = template.Library()

NBSP = "\u00a0"


def _sv(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")


@register.filter
def percent(value: float | None, decimals: int = 1) -> str:
    """A share 0–1 as '45,3 %'."""
    if value is None:
        return "–"
    return f"{_sv(float(value) * 100, decimals)}{NBSP}%"


@register.filter
def points(value: float | None, decimals: int = 1) -> str:
    """A difference of shares as '4,1 procentenheter'."""
    if value is None:
        return "–"
    return f"{_sv(float(value) * 100, decimals)} procentenheter"


@register.filter
def kr(value: float | None) -> str:
    """Whole kronor with Swedish grouping: '1 234 567 kr'."""
    if value is None:
        return "–"
    return f"{_sv(round(float(value)), 0)}{NBSP}kr"


@register.filter
def decimal(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return "–"
    return _sv(float(value), decimals)
