"""Long lists shown a page at a time (``?sida=N``), with a Swedish pager (``web/_pager.html``)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50
PARAM = "sida"


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> Page[Any]:
    """The requested page of ``items``; a page number that is not one gives the nearest page."""
    # get_page answers a non-number with the first page and a number past the end with the last.
    return Paginator(items, per_page).get_page(request.GET.get(PARAM))
