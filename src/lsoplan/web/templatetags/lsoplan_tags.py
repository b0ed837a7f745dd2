from __future__ import annotations

from django import template

register = template.Library()

SMART_LABELS = {
    "specifikt": "Specifikt",
    "matbart": "Mätbart",
    "accepterat": "Accepterat",
    "realistiskt": "Realistiskt",
    "tidsatt": "Tidsatt",
}
STATUS_LABELS = {"ok": "Uppfyllt", "brist": "Brist", "okant": "Kan inte bedömas"}


@register.filter
def smart_label(name: str) -> str:
    return SMART_LABELS.get(name, name)


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@register.filter
def sv_number(value: float | int | None, decimals: int = 1) -> str:
    """Swedish number format: '1 234,5' with a non-breaking space between thousands."""
    if value is None:
        return "–"
    text = (
        f"{value:,.{decimals}f}"
        if isinstance(value, float) and not float(value).is_integer()
        else f"{value:,.0f}"
    )
    return text.replace(",", "\u00a0").replace(".", ",")
