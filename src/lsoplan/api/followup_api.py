"""Follow-up through the API: measurements (read, enter, correct, withdraw), a measure's status,
and the verdicts. Writes use the web's forms (the same plausibility rules) and services (the same
correction history and audit trail); verdicts are ``lsoplan followup``'s objects.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import Field

from lsoplan.api.auth import actor, get_object, require_write, scoped
from lsoplan.api.common import READ_ERRORS, WRITE_ERRORS, Id, Paging, page, valid
from lsoplan.api.errors import ApiError
from lsoplan.api.schemas import (
    MAX_ID,
    CorrectionIn,
    FollowupOut,
    MeasurementIn,
    MeasurementOut,
    MeasureStatusIn,
    Page,
    ProgressOut,
)
from lsoplan.commands.followup import rows as followup_rows
from lsoplan.goals import actionplan, services
from lsoplan.goals.forms import MeasurementForm
from lsoplan.goals.models import Indicator, Measure, Measurement, MeasureProgress
from lsoplan.programmes.models import Programme, ProgrammeVersion
from lsoplan.reports.selectors import pick_version
from lsoplan.web.editing import registry

router = Router(tags=["Uppföljning"])


class MeasurementFilters(Paging):
    indicator: int | None = Field(None, ge=1, le=MAX_ID, description="Bara denna indikators mätserie.")
    programme: int | None = Field(
        None, ge=1, le=MAX_ID, description="Bara serier med en indikator i programmet."
    )
    version: int | None = Field(
        None, ge=1, le=MAX_ID, description="Bara serier med en indikator i versionen."
    )
    year: int | None = Field(None, ge=1900, le=2100, description="Bara värden för detta år.")
    history: bool = Field(False, description="true: även rättade och borttagna värden (replaced_at satt).")


class FollowupFilters(Paging):
    programme: int | None = Field(
        None, ge=1, le=MAX_ID, description="Programmet; bedöms i den antagna versionen (annars den aktuella)."
    )
    version: int | None = Field(
        None, ge=1, le=MAX_ID, description="Versionen att bedöma (i stället för programme)."
    )
    year: int | None = Field(None, ge=1990, le=2100, description="Bedöm med mätvärden till och med detta år.")


def measurement_out(m: Measurement) -> dict[str, Any]:
    return {
        "id": m.pk,
        "series": str(m.series.key),
        "year": m.year,
        "value": m.value,
        "vintage": m.vintage,
        "source": m.source,
        "source_ref": m.source_ref,
        "note": m.note,
        "entered_by": m.entered_by.get_username() if m.entered_by else None,
        "entered_at": m.entered_at,
        "replaced_at": m.replaced_at,
        "current": m.replaced_at is None,
    }


def progress_out(p: MeasureProgress) -> dict[str, Any]:
    return {
        "id": p.pk,
        "measure": p.measure_id,
        "year": p.year,
        "status": p.status,
        "note": p.note,
        "entered_at": p.entered_at,
    }


_MEASUREMENTS = Measurement.objects.select_related("series", "entered_by")


@router.get(
    "/measurements",
    response={200: Page[MeasurementOut], **READ_ERRORS},
    summary="Mätvärden",
    description="Gällande värden per mätserie och år; med history=true även de rättade och borttagna.",
)
def measurements(request: HttpRequest, filters: Query[MeasurementFilters]) -> Any:
    qs = scoped(request, _MEASUREMENTS.all())
    if filters.indicator is not None:
        indicator = scoped(request, Indicator.objects.filter(pk=filters.indicator)).first()
        qs = qs.filter(series_id=indicator.series_id if indicator else None)
    if filters.programme is not None or filters.version is not None:
        series = scoped(request, Indicator.objects.all())
        if filters.programme is not None:
            series = series.filter(version__programme_id=filters.programme)
        if filters.version is not None:
            series = series.filter(version_id=filters.version)
        qs = qs.filter(series_id__in=series.values("series_id"))
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if not filters.history:
        qs = qs.filter(replaced_at__isnull=True)
    return page(qs.order_by("series_id", "year", "entered_at", "id"), filters, measurement_out)


@router.get("/measurements/{id}", response={200: MeasurementOut, **READ_ERRORS}, summary="Ett mätvärde")
def measurement(request: HttpRequest, id: Id) -> Any:
    return measurement_out(get_object(request, _MEASUREMENTS.all(), id))


@router.post(
    "/indicators/{id}/measurements",
    response={201: MeasurementOut, **WRITE_ERRORS},
    summary="Ange ett mätvärde",
    description="Ett värde för ett år i indikatorns mätserie, med samma rimlighetskontroller som "
    "webbsidan. Finns redan ett värde för året rättas det: det gamla står kvar i historiken.",
)
def measurement_create(request: HttpRequest, id: Id, payload: MeasurementIn) -> Any:
    indicator = get_object(request, Indicator.objects.select_related("series", "version"), id)
    require_write(request, indicator)
    data = valid(MeasurementForm(payload.dict(), indicator=indicator))
    saved = services.record_measurement(
        actor(request),
        indicator.series,
        year=data["year"],
        value=data["value"],
        vintage=data["vintage"],
        note=data["note"],
    )
    return Status(201, measurement_out(saved))


@router.post(
    "/measurements/{id}/correction",
    response={201: MeasurementOut, **WRITE_ERRORS},
    summary="Rätta ett mätvärde",
    description="Ett nytt värde för samma år; det gamla får replaced_at och står kvar i historiken.",
)
def measurement_correct(request: HttpRequest, id: Id, payload: CorrectionIn) -> Any:
    kind = registry()["measurement"]
    current = get_object(request, _MEASUREMENTS.all(), id)
    require_write(request, current)
    if current.replaced_at is not None:
        raise ApiError(422, "redan_rattat", "Värdet har redan rättats. Rätta det senaste värdet för året.")
    data = valid(kind.form({"year": current.year, **payload.dict()}, **kind.form_kwargs(current)))
    assert kind.update is not None
    return Status(201, measurement_out(kind.update(actor(request), current, **data)))


@router.delete(
    "/measurements/{id}",
    response={200: MeasurementOut, **WRITE_ERRORS},
    summary="Ta bort ett mätvärde",
    description="Värdet markeras som borttaget (replaced_at) men raden och vem som angav den finns kvar.",
)
def measurement_withdraw(request: HttpRequest, id: Id) -> Any:
    current = get_object(request, _MEASUREMENTS.all(), id)
    require_write(request, current)
    if current.replaced_at is not None:
        raise ApiError(422, "redan_rattat", "Värdet är redan borttaget eller rättat.")
    return measurement_out(services.withdraw_measurement(actor(request), current))


@router.post(
    "/measures/{id}/status",
    response={201: ProgressOut, **WRITE_ERRORS},
    summary="Rapportera en åtgärds status",
    description="En lägesrapport för ett år; åtgärden får den nya statusen (som i handlingsplanen).",
)
def measure_status(request: HttpRequest, id: Id, payload: MeasureStatusIn) -> Any:
    measure = get_object(request, Measure.objects.select_related("version"), id)
    require_write(request, measure)
    progress = actionplan.report_progress(
        actor(request), measure, year=payload.year, status=payload.status, note=payload.note
    )
    return Status(201, progress_out(progress))


def _version_to_judge(request: HttpRequest, filters: FollowupFilters) -> ProgrammeVersion:
    if filters.version is not None:
        return get_object(
            request, ProgrammeVersion.objects.select_related("programme", "organisation"), filters.version
        )
    if filters.programme is None:
        raise ApiError(422, "ogiltigt_varde", "Ange programme eller version.", "programme")
    programme = get_object(request, Programme.objects.all(), filters.programme)
    chosen = pick_version(programme, None, adopted_first=True)
    if chosen is None:
        raise ApiError(404, "finns_inte", "Programmet har ingen version.", "programme")
    return chosen


@router.get(
    "/followup",
    response={200: Page[FollowupOut], **READ_ERRORS},
    summary="Uppföljningens bedömningar",
    description="En post per indikator: samma objekt som `lsoplan followup --format json` och samma "
    "bedömning som uppföljningssidan (verdict: uppnatt, uppnatt_ej_sakerstallt, pa_vag, "
    "ingen_sakerstalld_forandring, forsamring, ej_uppnatt, for_lite_data, inget_malvarde).",
)
def followup(request: HttpRequest, filters: Query[FollowupFilters]) -> Any:
    version = _version_to_judge(request, filters)
    if filters.year is not None and filters.year > dt.date.today().year:
        raise ApiError(422, "ogiltigt_varde", "Året får inte ligga i framtiden.", "year")
    return page(followup_rows(version, filters.year), filters, lambda row: row)
