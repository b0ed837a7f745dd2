"""Public statistics for the organisation's municipalities, each value with its provenance."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import Field

from lsoplan.api.auth import token_of
from lsoplan.api.common import READ_ERRORS, Paging, page
from lsoplan.api.schemas import ONE_LINE, Page, PublicValueOut
from lsoplan.publicdata.models import PublicValue
from lsoplan.publicdata.services import organisation_codes

router = Router(tags=["Offentlig statistik"])


class StatisticsFilters(Paging):
    year: int | None = Field(None, ge=1900, le=2100, description="Bara värden för detta år.")
    source: Literal["kolada", "mcf", "scb"] | None = Field(None, description="Utgivaren.")
    dataset: str | None = Field(
        None, max_length=120, pattern=ONE_LINE, description="Nyckeltal eller tabell, t.ex. N07415."
    )
    municipality: str | None = Field(
        None, max_length=12, pattern=ONE_LINE, description="Kommunkod (en av organisationens)."
    )
    history: bool = Field(False, description="true: även värden som utgivaren sedan har reviderat.")


def value_out(v: PublicValue) -> dict[str, Any]:
    return {
        "source": v.source,
        "dataset": v.dataset,
        "municipality": v.municipality,
        "period": v.period,
        "dimension": v.dimension,
        "value": v.value,
        "publisher_status": v.status,
        "vintage": v.vintage,
        "url": v.url,
        "retrieved_at": v.retrieved_at,
        "checked_at": v.checked_at,
        "offline": v.offline,
        "replaced_at": v.replaced_at,
        "citation": v.citation,
    }


@router.get(
    "/public-statistics",
    response={200: Page[PublicValueOut], **READ_ERRORS},
    summary="Offentlig statistik med källa",
    description="Hämtade värden (Kolada, MSB/MCF, SCB) för organisationens kommuner: utgivare, "
    "tabell, när värdet hämtades och kontrollerades, utgivarens status och adress. Ett reviderat "
    "värde finns kvar med replaced_at (history=true).",
)
def public_statistics(request: HttpRequest, filters: Query[StatisticsFilters]) -> Any:
    codes = organisation_codes(token_of(request).organisation)
    qs = PublicValue.objects.filter(municipality__in=codes)
    if filters.municipality:
        qs = qs.filter(municipality=filters.municipality)
    if filters.year is not None:
        qs = qs.filter(period=filters.year)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.dataset:
        qs = qs.filter(dataset=filters.dataset)
    if not filters.history:
        qs = qs.filter(replaced_at__isnull=True)
    order = ("source", "dataset", "municipality", "dimension", "period", "retrieved_at", "id")
    return page(qs.order_by(*order), filters, value_out)
