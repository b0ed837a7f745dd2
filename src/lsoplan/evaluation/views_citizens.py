"""Synpunkter från allmänheten: the planner's list of what citizens wrote on the public page.

The entries belong to the organisation (like the surveys); they are categorised, linked to an
evaluation and deleted through the edit registry (``evaluation.editing``, kind ``citizen_view``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lsoplan.evaluation.forms_citizens import CitizenViewFilterForm
from lsoplan.public.models import CitizenView
from lsoplan.web.viewutils import version_context, version_for


@login_required
def citizen_view_list(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    org = version.organisation
    form = CitizenViewFilterForm(request.GET or None)
    entries = CitizenView.objects.filter(organisation=org).select_related("evaluation")
    category = form.cleaned_data.get("category") if form.is_valid() else None
    if category not in (None, "alla"):
        entries = entries.filter(category=category)
    context = version_context(request, version, "utvardering") | {
        "entries": entries[:500],
        "filter_form": form,
        "organisation": org,
    }
    return render(request, "evaluation/citizen_views.html", context)
