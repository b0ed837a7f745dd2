"""Shared pieces of the resources: id parameters, list filters, pagination, the error responses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from django import forms
from django.db.models import QuerySet
from ninja import Path, Schema
from pydantic import Field

from lsoplan.api.errors import ApiError
from lsoplan.api.schemas import MAX_ID, Error

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="Objektets id.")]

MAX_PAGE_SIZE = 500

# Documented on every operation, so a client (and schemathesis) knows each answer's shape.
READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: Error, 429: Error}
WRITE_ERRORS: dict[int, Any] = READ_ERRORS | {400: Error, 403: Error, 409: Error, 413: Error}


class Paging(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Sidnummer, från 1.")
    page_size: int = Field(
        50, ge=1, le=MAX_PAGE_SIZE, description=f"Poster per sida (högst {MAX_PAGE_SIZE})."
    )


class VersionFilters(Paging):
    programme: int | None = Field(
        None, ge=1, le=MAX_ID, description="Bara innehåll i detta programs versioner."
    )
    version: int | None = Field(None, ge=1, le=MAX_ID, description="Bara innehåll i denna version.")


def page(
    items: QuerySet[Any] | Sequence[Any], paging: Paging, convert: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    start = (paging.page - 1) * paging.page_size
    count = items.count() if isinstance(items, QuerySet) else len(items)
    chunk = items[start : start + paging.page_size]
    return {
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "items": [convert(x) for x in chunk],
    }


def in_version(queryset: QuerySet[Any], filters: VersionFilters) -> QuerySet[Any]:
    if filters.programme is not None:
        queryset = queryset.filter(version__programme_id=filters.programme)
    if filters.version is not None:
        queryset = queryset.filter(version_id=filters.version)
    return queryset


def valid(form: forms.BaseForm) -> dict[str, Any]:
    """The web form's cleaned data, or its first error as a 422."""
    if form.is_valid():
        return dict(form.cleaned_data)
    field, errors = next(iter(form.errors.items()))
    raise ApiError(422, "ogiltigt_varde", str(errors[0]), None if field == "__all__" else field)
