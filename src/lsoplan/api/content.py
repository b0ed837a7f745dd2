"""Programme content, read only: programmes, versions, risks, goals, indicators, measures.

Thin: each resource narrows a queryset to the token's organisation and the filters, and turns rows
into the schema's fields. The one write here, changing a measure, goes through the edit registry
(the web's form and service); reporting a measure's status is in ``followup_api``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router
from pydantic import Field

from lsoplan.api.auth import actor, get_object, require_write, scoped
from lsoplan.api.common import READ_ERRORS, WRITE_ERRORS, Id, Paging, VersionFilters, in_version, page, valid
from lsoplan.api.schemas import (
    IndicatorOut,
    MeasureChange,
    MeasureOut,
    MeasureStatus,
    Page,
    PerformanceGoalOut,
    ProgrammeOut,
    RiskOut,
    SafetyGoalOut,
    VersionOut,
    VersionStatus,
)
from lsoplan.conditions.models import Risk
from lsoplan.goals.models import Indicator, Measure, PerformanceGoal, SafetyGoal
from lsoplan.programmes.models import Programme, ProgrammeVersion
from lsoplan.web.editing import registry

router = Router(tags=["Program och innehåll"])


class ProgrammeFilters(Paging):
    year: int | None = Field(None, ge=1900, le=2100, description="Bara program vars period omfattar året.")


class VersionListFilters(Paging):
    programme: int | None = Field(None, ge=1, le=2**31 - 1, description="Bara detta programs versioner.")
    status: VersionStatus | None = Field(None, description="utkast, remiss, antagen eller ersatt.")


class MeasureFilters(VersionFilters):
    status: MeasureStatus | None = Field(None, description="planerad, pagaende, genomford eller installd.")
    year: int | None = Field(None, ge=1900, le=2100, description="Bara åtgärder som ska vara klara detta år.")


class IndicatorFilters(VersionFilters):
    year: int | None = Field(None, ge=1900, le=2100, description="Bara indikatorer med detta målår.")


def programme_out(p: Programme) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "created_at": p.created_at,
    }


def version_out(v: ProgrammeVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "programme": v.programme_id,
        "number": v.number,
        "status": v.status,
        "frozen": v.is_frozen,
        "based_on": v.based_on_id,
        "adopted_body": v.adopted_body,
        "adopted_on": v.adopted_on,
        "adopted_paragraph": v.adopted_paragraph,
        "adopted_registration": v.adopted_registration,
        "created_at": v.created_at,
    }


def risk_out(r: Risk) -> dict[str, Any]:
    return {
        "id": r.pk,
        "version": r.version_id,
        "lineage": str(r.lineage),
        "title": r.title,
        "event_type": r.event_type_id,
        "custom_type": r.custom_type,
        "description": r.description,
        "likelihood": r.likelihood,
        "consequence": r.consequence,
    }


def safety_goal_out(g: SafetyGoal) -> dict[str, Any]:
    return {
        "id": g.pk,
        "version": g.version_id,
        "lineage": str(g.lineage),
        "code": g.code,
        "text": g.text,
        "owner": g.owner,
        "national_goals": [n.pk for n in g.national_goals.all()],
        "risks": [r.pk for r in g.risks.all()],
    }


def performance_goal_out(g: PerformanceGoal) -> dict[str, Any]:
    return {
        "id": g.pk,
        "version": g.version_id,
        "lineage": str(g.lineage),
        "code": g.code,
        "text": g.text,
        "owner": g.owner,
        "safety_goals": [s.pk for s in g.safety_goals.all()],
    }


def indicator_out(i: Indicator) -> dict[str, Any]:
    goal = i.goal
    return {
        "id": i.pk,
        "version": i.version_id,
        "lineage": str(i.lineage),
        "series": str(i.series.key),
        "goal_kind": "sakerhetsmal" if i.safety_goal_id else "prestationsmal",
        "goal": goal.pk,
        "goal_code": goal.code,
        "name": i.name,
        "unit": i.unit,
        "direction": i.direction,
        "normalisation": i.normalisation,
        "is_count": i.is_count,
        "source": i.source,
        "baseline_value": i.baseline_value,
        "baseline_start": i.baseline_start,
        "baseline_end": i.baseline_end,
        "target_value": i.target_value,
        "target_year": i.target_year,
        "target_kind": i.target_kind,
        "target_window_start": i.target_window_start,
        "target_window_end": i.target_window_end,
        "target_reason": i.target_reason,
        "indicator_kind": i.indicator_kind,
    }


def measure_out(m: Measure) -> dict[str, Any]:
    return {
        "id": m.pk,
        "version": m.version_id,
        "lineage": str(m.lineage),
        "performance_goal": m.performance_goal_id,
        "text": m.text,
        "owner": m.owner,
        "status": m.status,
        "cost_once": int(m.cost_once) if m.cost_once is not None else None,
        "cost_yearly": int(m.cost_yearly) if m.cost_yearly is not None else None,
        "due_year": m.due_year,
        "due_date": m.due_date,
    }


@router.get("/programmes", response={200: Page[ProgrammeOut], **READ_ERRORS}, summary="Handlingsprogram")
def programmes(request: HttpRequest, filters: Query[ProgrammeFilters]) -> Any:
    qs = scoped(request, Programme.objects.all())
    if filters.year is not None:
        qs = qs.filter(period_start__lte=filters.year, period_end__gte=filters.year)
    return page(qs.order_by("-period_start", "id"), filters, programme_out)


@router.get("/programmes/{id}", response={200: ProgrammeOut, **READ_ERRORS}, summary="Ett handlingsprogram")
def programme(request: HttpRequest, id: Id) -> Any:
    return programme_out(get_object(request, Programme.objects.all(), id))


@router.get("/versions", response={200: Page[VersionOut], **READ_ERRORS}, summary="Programversioner")
def versions(request: HttpRequest, filters: Query[VersionListFilters]) -> Any:
    qs = scoped(request, ProgrammeVersion.objects.all())
    if filters.programme is not None:
        qs = qs.filter(programme_id=filters.programme)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return page(qs.order_by("programme_id", "number"), filters, version_out)


@router.get("/versions/{id}", response={200: VersionOut, **READ_ERRORS}, summary="En programversion")
def version(request: HttpRequest, id: Id) -> Any:
    return version_out(get_object(request, ProgrammeVersion.objects.all(), id))


@router.get("/risks", response={200: Page[RiskOut], **READ_ERRORS}, summary="Risker")
def risks(request: HttpRequest, filters: Query[VersionFilters]) -> Any:
    qs = in_version(scoped(request, Risk.objects.all()), filters)
    return page(qs.order_by("version_id", "order", "id"), filters, risk_out)


@router.get("/risks/{id}", response={200: RiskOut, **READ_ERRORS}, summary="En risk")
def risk(request: HttpRequest, id: Id) -> Any:
    return risk_out(get_object(request, Risk.objects.all(), id))


@router.get("/safety-goals", response={200: Page[SafetyGoalOut], **READ_ERRORS}, summary="Säkerhetsmål")
def safety_goals(request: HttpRequest, filters: Query[VersionFilters]) -> Any:
    qs = in_version(scoped(request, SafetyGoal.objects.all()), filters)
    qs = qs.prefetch_related("national_goals", "risks").order_by("version_id", "order", "id")
    return page(qs, filters, safety_goal_out)


@router.get("/safety-goals/{id}", response={200: SafetyGoalOut, **READ_ERRORS}, summary="Ett säkerhetsmål")
def safety_goal(request: HttpRequest, id: Id) -> Any:
    return safety_goal_out(get_object(request, SafetyGoal.objects.all(), id))


@router.get(
    "/performance-goals", response={200: Page[PerformanceGoalOut], **READ_ERRORS}, summary="Prestationsmål"
)
def performance_goals(request: HttpRequest, filters: Query[VersionFilters]) -> Any:
    qs = in_version(scoped(request, PerformanceGoal.objects.all()), filters)
    qs = qs.prefetch_related("safety_goals").order_by("version_id", "order", "id")
    return page(qs, filters, performance_goal_out)


@router.get(
    "/performance-goals/{id}", response={200: PerformanceGoalOut, **READ_ERRORS}, summary="Ett prestationsmål"
)
def performance_goal(request: HttpRequest, id: Id) -> Any:
    return performance_goal_out(get_object(request, PerformanceGoal.objects.all(), id))


_INDICATORS = Indicator.objects.select_related("series", "safety_goal", "performance_goal")


@router.get(
    "/indicators",
    response={200: Page[IndicatorOut], **READ_ERRORS},
    summary="Indikatorer med målets typ",
    description="Varje indikator med utgångsläge, målvärde och hur målet bedöms (target_kind, "
    "målperiod, utfall eller prestation), som målsidan visar dem.",
)
def indicators(request: HttpRequest, filters: Query[IndicatorFilters]) -> Any:
    qs = in_version(scoped(request, _INDICATORS.all()), filters)
    if filters.year is not None:
        qs = qs.filter(target_year=filters.year)
    return page(qs.order_by("version_id", "id"), filters, indicator_out)


@router.get("/indicators/{id}", response={200: IndicatorOut, **READ_ERRORS}, summary="En indikator")
def indicator(request: HttpRequest, id: Id) -> Any:
    return indicator_out(get_object(request, _INDICATORS.all(), id))


@router.get("/measures", response={200: Page[MeasureOut], **READ_ERRORS}, summary="Åtgärder med status")
def measures(request: HttpRequest, filters: Query[MeasureFilters]) -> Any:
    qs = in_version(scoped(request, Measure.objects.all()), filters)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year is not None:
        qs = qs.filter(Q(due_year=filters.year) | Q(due_date__year=filters.year))
    return page(qs.order_by("version_id", "id"), filters, measure_out)


@router.get("/measures/{id}", response={200: MeasureOut, **READ_ERRORS}, summary="En åtgärd")
def measure(request: HttpRequest, id: Id) -> Any:
    return measure_out(get_object(request, Measure.objects.all(), id))


@router.patch(
    "/measures/{id}",
    response={200: MeasureOut, **WRITE_ERRORS},
    summary="Ändra en åtgärd",
    description="Samma ändring som åtgärdens redigeringssida (samma kontroller, samma historik). "
    "En åtgärd i en antagen version kan inte ändras (409); rapportera status med /status i stället.",
)
def measure_update(request: HttpRequest, id: Id, payload: MeasureChange) -> Any:
    kind = registry()["measure"]
    measure = get_object(request, kind.queryset(), id)
    require_write(request, measure)
    fields = ("text", "owner", "cost_once", "cost_yearly", "status", "due_year", "due_date")
    current = {name: getattr(measure, name) for name in fields}
    sent = payload.dict(exclude_unset=True)
    data = {k: ("" if v is None else v) for k, v in (current | sent).items()}
    form = kind.form(data, **kind.form_kwargs(measure))
    assert kind.update is not None
    valid(form)  # the edit page's checks; 422 with the first error
    return measure_out(kind.update(actor(request), measure, **kind.data(form, measure)))
