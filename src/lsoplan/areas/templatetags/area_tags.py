"""Table rows for the map page built in one pass: a 1 km grid over a county has thousands of cells,
and a template loop with four filters per cell cost most of the page's time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from lsoplan.incidents.templatetags.incident_tags import minsec, percent
from lsoplan.lib.swedish import sv_number

register = template.Library()


@register.simple_tag
def cell_rows(cells: Iterable[Mapping[str, Any]]) -> SafeString:
    """One <tr> per cell: corner, incidents, per year, median, P90 and each share within.

    Plain f-strings, not format_html: every value is a number put through lsoplan's own number
    formats (digits, spaces, a comma, "min", "s", "%"), so there is nothing to escape, and escaping
    thousands of cells cost most of the page's time (benchmarks/RESULTS-geo.md).
    """
    lines = []
    for c in cells:
        shares = "".join(f"<td>{percent(s)}</td>" for s in c["share_within"].values())
        per_year = sv_number(float(c["per_year"]), 1) if c.get("per_year") is not None else "–"
        lines.append(
            f'<tr><th scope="row">{int(c["x"])}</th><td>{int(c["y"])}</td><td>{sv_number(int(c["n"]))}</td>'
            f"<td>{per_year}</td><td>{minsec(c['median_s'])}</td><td>{minsec(c['p90_s'])}</td>{shares}</tr>"
        )
    return mark_safe("\n".join(lines))


@register.simple_tag
def heat_rows(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """One <tr> per weekday with the median insatstid of each of its 24 hours."""

    def row(r: Mapping[str, Any]) -> tuple[Any, ...]:
        cells = "".join(f"<td>{minsec(c['median_s']) if c else '–'}</td>" for c in r["cells"])
        return r["day"], SafeString(cells)

    return format_html_join("\n", '<tr><th scope="row">{}</th>{}</tr>', (row(r) for r in rows))
