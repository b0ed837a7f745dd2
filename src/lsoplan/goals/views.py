"""Mål: the goal chain, goal pages, indicators and measurements, and the SMART list."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from lsoplan.accounts.access import get_for_user
from lsoplan.audit import dataversion
from lsoplan.followup.selectors import followup_cards, indicator_followups
from lsoplan.goals import selectors, services
from lsoplan.goals.forms import (
    IndicatorForm,
    MeasureForm,
    MeasurementForm,
    PerformanceGoalForm,
    SafetyGoalForm,
)
from lsoplan.goals.forms_grid import PasteForm, YearGrid, grid_years
from lsoplan.goals.models import Indicator, Measurement, PerformanceGoal, SafetyGoal
from lsoplan.goals.quality import indicator_notes
from lsoplan.goals.selectors import KIND_PERFORMANCE, KIND_SAFETY
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for

FORMS: dict[str, type[SafetyGoalForm] | type[PerformanceGoalForm]] = {
    KIND_SAFETY: SafetyGoalForm,
    KIND_PERFORMANCE: PerformanceGoalForm,
}
LABELS = {KIND_SAFETY: "säkerhetsmål", KIND_PERFORMANCE: "prestationsmål"}


def _goal(request: HttpRequest, kind: str, pk: int) -> SafetyGoal | PerformanceGoal:
    if kind not in FORMS:
        raise Http404
    if kind == KIND_SAFETY:
        return get_for_user(request.user, SafetyGoal.objects.select_related("version__programme"), pk=pk)
    return get_for_user(request.user, PerformanceGoal.objects.select_related("version__programme"), pk=pk)


def _status(form: Any) -> int:
    return 400 if form.errors else 200


@login_required
def goal_chain(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    # The tree is the same for every reader until the next write (the key carries the data
    # version; the day, since SMART and gap checks may read today's date): rendered once.
    chain_html = dataversion.cached(
        version.organisation_id,
        "goal-chain-html",
        (version.pk, dt.date.today()),
        lambda: render_to_string("goals/_chain_body.html", selectors.goal_tree(version)),
        scope=version.pk,
    )
    context = version_context(request, version, "mal") | {"chain_html": chain_html}
    return render(request, "goals/chain.html", context)


@login_required
def smart_list(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)

    def rows() -> list[tuple[str, SafetyGoal | PerformanceGoal, Any]]:
        # Only what the table shows and what a SMART check reads: the goal tree's prefetches
        # (risks, measures, national goals) would cost five queries for nothing.
        sgs = list(SafetyGoal.objects.filter(version=version).prefetch_related("indicators"))
        pgs = list(PerformanceGoal.objects.filter(version=version).prefetch_related("indicators"))
        results = selectors.smart_results([*sgs, *pgs])
        made: list[tuple[str, SafetyGoal | PerformanceGoal, Any]] = [
            (KIND_SAFETY, g, results[(KIND_SAFETY, g.pk)]) for g in sgs
        ]
        return made + [(KIND_PERFORMANCE, g, results[(KIND_PERFORMANCE, g.pk)]) for g in pgs]

    # Read only when the table (a page part kept per data version and day) is not in the cache.
    context = version_context(request, version, "mal") | {"rows": rows, "today": dt.date.today().isoformat()}
    return render(request, "goals/smart_list.html", context)


def _create_goal(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form_class = FORMS[kind]
    form = form_class(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        create = services.create_safety_goal if kind == KIND_SAFETY else services.create_performance_goal
        goal = run_service(request, form, lambda: create(actor(request), version, **data))
        if goal is not None:
            messages.success(request, f"{LABELS[kind].capitalize()} sparat.")
            return redirect("goal_detail", kind=kind, pk=goal.pk)
    context = version_context(request, version, "mal") | {"form": form, "kind": kind, "label": LABELS[kind]}
    return render(request, "goals/goal_form.html", context, status=_status(form))


@login_required
def safety_goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _create_goal(request, pk, KIND_SAFETY)


@login_required
def performance_goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _create_goal(request, pk, KIND_PERFORMANCE)


@login_required
def goal_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    goal = _goal(request, kind, pk)
    version = goal.version
    # Callables: the goal's facts, SMART result, gaps and indicators are a page part kept per data
    # version and day (SMART and the verdicts read the date).
    context = version_context(request, version, "mal") | {
        "goal": goal,
        "kind": kind,
        "label": LABELS[kind],
        "today": dt.date.today().isoformat(),
        "smart": functools.cache(lambda: selectors.smart_results([goal])[(kind, goal.pk)]),
        "gaps": functools.cache(lambda: selectors.chain_report(version).for_object(kind, goal.pk)),
        "cards": functools.cache(
            lambda: followup_cards(
                version, goal.indicators.select_related("series", "safety_goal", "performance_goal")
            )
        ),
        "linked_performance": goal.performance_goals.all() if isinstance(goal, SafetyGoal) else None,
        "measure_form": MeasureForm() if kind == KIND_PERFORMANCE else None,
        "history_model": goal._meta.label_lower,
    }
    return render(request, "goals/goal_detail.html", context)


@login_required
@require_POST
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, KIND_PERFORMANCE, pk)
    assert isinstance(goal, PerformanceGoal)
    editable(request, goal)
    form = MeasureForm(request.POST)
    if form.is_valid():
        done = run_service(
            request, form, lambda: services.create_measure(actor(request), goal, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, "Åtgärden är sparad.")
            return redirect("goal_detail", kind=KIND_PERFORMANCE, pk=goal.pk)
    context = version_context(request, goal.version, "mal") | {"form": form, "goal": goal}
    return render(request, "goals/measure_form.html", context, status=400)


@login_required
def indicator_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    goal = _goal(request, kind, pk)
    editable(request, goal)
    programme = goal.version.programme
    form = IndicatorForm(request.POST or None, period=(programme.period_start, programme.period_end))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        indicator = run_service(
            request, form, lambda: services.create_indicator(actor(request), goal, **data)
        )
        if indicator is not None:
            messages.success(request, "Indikatorn är sparad. Lägg in mätvärden nedan.")
            return redirect("indicator_detail", pk=indicator.pk)
    context = version_context(request, goal.version, "mal") | {"form": form, "goal": goal, "kind": kind}
    return render(request, "goals/indicator_form.html", context, status=_status(form))


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_for_user(
        request.user, Indicator.objects.select_related("version__programme", "series"), pk=pk
    )
    form = MeasurementForm(request.POST or None, indicator=indicator)
    if request.method == "POST":
        # Measurements are follow-up data: they may be entered while the version is adopted.
        editable(request, indicator)
        if form.is_valid():
            d = form.cleaned_data
            done = run_service(
                request,
                form,
                lambda: services.record_measurement(
                    actor(request),
                    indicator.series,
                    year=d["year"],
                    value=d["value"],
                    vintage=d["vintage"],
                    note=d["note"],
                ),
            )
            if done is not None:
                messages.success(request, f"Mätvärdet för {d['year']} är sparat.")
                return redirect("indicator_detail", pk=indicator.pk)
    goal = indicator.goal

    @functools.cache
    def measurements() -> list[Measurement]:
        rows = indicator.series.measurements.select_related("entered_by").order_by("year", "entered_at")
        return list(rows)

    # Callables: the facts, the verdict and the table are a page part kept per data version and day.
    context = version_context(request, indicator.version, "mal") | {
        "indicator": indicator,
        "goal": goal,
        "kind": selectors.goal_kind(goal),
        "form": form,
        "today": dt.date.today().isoformat(),
        "measurements": measurements,
        "quality_notes": functools.cache(lambda: indicator_notes(indicator, measurements())),
        "followup": functools.cache(
            lambda: indicator_followups(indicator.version, indicators=[indicator])[0]
        ),
        # A replaced row whose year still has a value was corrected; otherwise it was removed.
        "current_years": functools.cache(lambda: {m.year for m in measurements() if m.replaced_at is None}),
    }
    return render(request, "goals/indicator_detail.html", context, status=_status(form))


@login_required
def measurement_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """Several years in one form, or a paste from Excel; both save all rows or none."""
    indicator = get_for_user(
        request.user, Indicator.objects.select_related("version__programme", "series"), pk=pk
    )
    if indicator.source == "incidents":
        messages.error(request, "Värdena beräknas från händelserna och kan inte skrivas in för hand.")
        return redirect("indicator_detail", pk=indicator.pk)
    current = {m.year: m for m in services.current_measurements(indicator.series)}
    version = indicator.version
    first = indicator.baseline_start or version.programme.period_start - 4
    last = max(version.programme.period_end, timezone.localdate().year)
    years = grid_years(min(first, last), last, list(current))
    initial = [
        {
            "year": y,
            "value": current[y].value if y in current else None,
            "vintage": current[y].vintage if y in current else "slutlig",
            "note": current[y].note if y in current else "",
        }
        for y in years
    ]
    action = request.POST.get("action") if request.method == "POST" else None
    grid = YearGrid(request.POST if action == "grid" else None, initial=initial, prefix="ar")
    paste = PasteForm(request.POST if action == "paste" else None)
    problems: list[str] = []
    if action:
        editable(request, indicator)
        rows: list[dict[str, Any]] | None = None
        if action == "grid" and grid.is_valid():
            rows = [r for f in grid.forms if (r := f.row()) is not None]
        elif action == "paste" and paste.is_valid():
            rows = paste.cleaned_data["rows"]
        if rows is not None:
            try:
                changed = services.record_measurements(actor(request), indicator.series, rows)
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(
                    request, f"{changed} mätvärden är sparade." if changed != 1 else "1 mätvärde är sparat."
                )
                return redirect("indicator_detail", pk=indicator.pk)
    failed = bool(problems or (action == "grid" and grid.errors and any(grid.errors)) or paste.errors)
    context = version_context(request, version, "mal") | {
        "indicator": indicator,
        "grid": grid,
        "rows": list(zip(years, grid.forms, strict=False)),
        "paste": paste,
        "problems": problems,
    }
    return render(request, "goals/measurement_grid.html", context, status=400 if failed else 200)
