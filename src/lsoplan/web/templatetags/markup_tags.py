"""``{{ text|formatted }}``: a planner's formatted text (lib.markup) as HTML.

lib.markup builds the HTML from escaped pieces only (raw HTML in the text stays visible as text,
links only to http, https and mailto), so the result is marked safe here and nowhere else.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from lsoplan.lib import markup

register = template.Library()


@register.filter
def formatted(text: str | None, heading_level: int = 3) -> SafeString:
    """``heading_level`` is the HTML level of the text's sub-headings; 0 prints them as bold lines."""
    html = markup.to_html(text or "", heading_level=heading_level or None)
    return mark_safe(html)
