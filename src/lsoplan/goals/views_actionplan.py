"""Handlingsplan: the programme's measures with status and follow-up, and a measure's status report."""

from __future__ import annotations

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from lsoplan.accounts.access import get_for_user
from lsoplan.goals import actionplan
from lsoplan.goals.models import Measure, MeasureStatus, PerformanceGoal
from lsoplan.lib.actionplan import OVERDUE, OVERDUE_LABEL
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=MeasureStatus.choices)
    year = forms.IntegerField(label="Gäller år", help_text="Året som lägesbeskrivningen gäller.")
    note = forms.CharField(
        label="Lägesbeskrivning",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Vad har gjorts, vad återstår, varför en försening.",
    )


@login_required
def action_plan(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    filters = actionplan.Filters.from_query(request.GET)
    every = functools.cache(lambda: actionplan.measures(version))
    # Callables: the filters and the table are a page part kept per data version, day (what is
    # late) and query.
    context = version_context(request, version, "mal") | {
        "rows": functools.cache(lambda: actionplan.rows(version, filters)),
        "filters": filters,
        "query": request.GET.urlencode(),
        "today": timezone.localdate().isoformat(),
        "total": lambda: len(every()),
        "status_choices": [*MeasureStatus.choices, (OVERDUE, OVERDUE_LABEL)],
        "owners": lambda: sorted({m.owner for m in every() if m.owner}),
        "years": lambda: sorted({y for m in every() if (y := m.due_date.year if m.due_date else m.due_year)}),
        "goals": PerformanceGoal.objects.filter(version=version),
    }
    return render(request, "goals/action_plan.html", context)


@login_required
def measure_status(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_for_user(
        request.user, Measure.objects.select_related("version__programme", "performance_goal"), pk=pk
    )
    editable(request, measure)
    initial = {"status": measure.status, "year": timezone.localdate().year}
    form = ProgressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            request,
            form,
            lambda: actionplan.report_progress(
                actor(request), measure, year=d["year"], status=d["status"], note=d["note"]
            ),
        )
        if done is not None:
            messages.success(request, f"Status för åtgärden är sparad: {done.get_status_display().lower()}.")
            return redirect("version_actionplan", pk=measure.version_id)
    context = version_context(request, measure.version, "mal") | {
        "form": form,
        "measure": measure,
        "progress": actionplan.progress_of([measure]).get(measure.lineage, []),
    }
    return render(request, "goals/measure_status.html", context, status=400 if form.errors else 200)
