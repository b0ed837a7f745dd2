"""Medborgarundersökningar: import of survey results and their tables with margins of error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lsoplan.accounts.access import get_for_user
from lsoplan.evaluation import selectors, services
from lsoplan.evaluation.forms import SurveyImportForm
from lsoplan.evaluation.models import Survey
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for


@login_required
def survey_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's surveys, and (for editors) the import form."""
    version = version_for(request, pk)
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        editable(request, version)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            survey = run_service(
                request,
                form,
                lambda: services.import_survey(
                    actor(request),
                    version.organisation,
                    name=form.cleaned_data["name"] or "",
                    year=form.cleaned_data["year"] or 0,
                    source=form.cleaned_data["source"] or "",
                    data=upload.read(services.MAX_SURVEY_BYTES + 1),
                    file_name=upload.name or "",
                ),
            )
            if survey is not None:
                messages.success(request, f"{survey.answers.count()} svarsrader importerade.")
                return redirect("survey_detail", pk=version.pk, survey=survey.pk)
    context = version_context(request, version, "utvardering") | {
        "form": form,
        "surveys": Survey.objects.filter(organisation=version.organisation),
    }
    return render(request, "evaluation/surveys.html", context, status=400 if form.errors else 200)


@login_required
def survey_detail(request: HttpRequest, pk: int, survey: int) -> HttpResponse:
    version = version_for(request, pk)
    found = get_for_user(request.user, Survey.objects.filter(organisation=version.organisation), pk=survey)
    context = version_context(request, version, "utvardering") | {
        "survey": found,
        "table": selectors.survey_table(found),
        "used_in": found.evaluations.select_related("programme_version"),
    }
    return render(request, "evaluation/survey_detail.html", context)
