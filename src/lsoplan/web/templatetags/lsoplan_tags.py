from __future__ import annotations

import functools
from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from lsoplan.lib.compliance import load_rules
from lsoplan.lib.followup import ChartPoint
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


def _span(low: float | None, high: float | None) -> str:
    return "–" if low is None or high is None else f"{sv_number(low, 2)}–{sv_number(high, 2)}"


@register.simple_tag
def chart_point_rows(points: Iterable[ChartPoint]) -> SafeString:
    """The table alternative to a follow-up chart, one <tr> per year.

    Built in Python rather than with template tags: the follow-up page has one such table per
    indicator, and this is most of the page's rendering time otherwise.
    """
    return format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (p.year, sv_number(p.value, 2), _span(p.lower, p.upper), _span(p.lcl, p.ucl), p.signal or "")
            for p in points
        ),
    )


@functools.cache
def _rule_titles() -> dict[str, str]:
    return {rule.id: rule.title for rule in load_rules().rules}


@register.filter
def rule_title(rule_id: str) -> str:
    """An egenkontroll rule by its title, not its id (``lso-3-3-ordning``)."""
    # An id the rules do not know was typed by a planner (a reference of their own): shown as is.
    return _rule_titles().get(str(rule_id), f"regel {rule_id}")
