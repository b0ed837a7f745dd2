from __future__ import annotations

from django import template

from lsoplan.lib.swedish import sv_number

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


@register.filter(name="sv_number")
def sv_number_filter(value: float | int | None, decimals: int | None = None) -> str:
    """Swedish number format: '1 234,5' with a non-breaking space between thousands."""
    return sv_number(value, decimals)
