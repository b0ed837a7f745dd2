"""``{% edit_links "risk" risk %}``: the Ändra and Ta bort links of any registered kind.

"Ta bort" is a plain link to the confirmation page (works without JavaScript); inside an element
with class ``item`` htmx fetches the same page and puts it in place of the item.
"""

from __future__ import annotations

from typing import Any

from django import template

from lsoplan.web.editing import registry

register = template.Library()


@register.inclusion_tag("web/_edit_links.html", takes_context=True)
def edit_links(context: Any, slug: str, obj: Any, name: str = "", inline: bool = False) -> dict[str, Any]:
    kind = registry()[slug]
    # The version is looked up only for programme content: a measurement (follow-up data, editable
    # on an adopted version too) would cost a query per table row for nothing.
    version = None
    if kind.frozen:
        # A row of the page's own version (most rows of a version page) needs no query for it.
        page_version = context.get("version")
        own = getattr(obj, "version_id", None)
        same = page_version is not None and own is not None and own == getattr(page_version, "pk", None)
        version = page_version if same else kind.version(obj)
    frozen = version is not None and version.is_frozen
    show = bool(context.get("can_edit")) and not frozen
    return {
        "show": show,
        "edit": kind.edit_url(obj) if show and kind.update is not None and kind.edit_route else "",
        "delete": kind.delete_url(obj) if show and kind.delete is not None and kind.delete_route else "",
        "edit_text": "Rätta" if slug == "measurement" else "Ändra",
        "name": name or str(obj),
        "inline": inline,
    }
