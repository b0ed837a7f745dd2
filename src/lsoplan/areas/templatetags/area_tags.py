"""Table rows for the map page built in one pass: a 1 km grid over a county has thousands of cells,
and a template loop with four filters per cell cost most of the page's time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from lsoplan.incidents.templatetags.incident_tags import minsec, percent
from lsoplan.lib.swedish import sv_number

register = template.Library()


@register.simple_tag
def cell_rows(cells: Iterable[Mapping[str, Any]]) -> SafeString:
    """One <tr> per cell: corner, incidents, per year, median, P90 and each share within."""

    def row(c: Mapping[str, Any]) -> tuple[Any, ...]:
        shares = "".join(f"<td>{percent(s)}</td>" for s in c["share_within"].values())
        per_year = sv_number(c["per_year"], 1) if c.get("per_year") is not None else "–"
        return (
            c["x"],
            c["y"],
            sv_number(c["n"]),
            per_year,
            minsec(c["median_s"]),
            minsec(c["p90_s"]),
            SafeString(shares),
        )

    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>',
        (row(c) for c in cells),
    )


@register.simple_tag
def heat_rows(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """One <tr> per weekday with the median insatstid of each of its 24 hours."""

    def row(r: Mapping[str, Any]) -> tuple[Any, ...]:
        cells = "".join(f"<td>{minsec(c['median_s']) if c else '–'}</td>" for c in r["cells"])
        return r["day"], SafeString(cells)

    return format_html_join("\n", '<tr><th scope="row">{}</th>{}</tr>', (row(r) for r in rows))
