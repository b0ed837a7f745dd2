"""Kostnad och nytta: analyses per measure or goal, and the versioned valuation parameters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lsoplan.accounts.access import get_for_user, membership, require_role
from lsoplan.accounts.models import Organisation, Role
from lsoplan.evaluation import selectors, services
from lsoplan.evaluation.forms import CostBenefitForm, CostParameterForm, subject_for
from lsoplan.evaluation.models import CostBenefitAnalysis, CostParameterSet
from lsoplan.lib import costbenefit
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for


@login_required
def costbenefit_list(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    current, params = selectors.parameters_in_use(version.organisation)
    context = version_context(request, version, "utvardering") | {
        "analyses": CostBenefitAnalysis.objects.filter(programme_version=version),
        "params": params,
        "param_rows": selectors.parameter_rows(params),
        "current": current,
    }
    return render(request, "evaluation/costbenefit_list.html", context)


@login_required
def costbenefit_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    _, params = selectors.parameters_in_use(version.organisation)
    initial = {}
    # ?gäller=atgard:12 preselects the subject when linked from a measure or a goal.
    if request.GET.get("galler"):
        initial["subject"] = request.GET["galler"]
    form = CostBenefitForm(
        request.POST or None, version=version, default_rate=params.discount_rate.value, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        subject = subject_for(version, form.cleaned_data["subject"])
        if subject is None:
            form.add_error("subject", "Välj ett mål eller en åtgärd i den här versionen.")
        else:
            data = form.service_fields()
            analysis = run_service(
                request, form, lambda: services.create_analysis(actor(request), version, subject, **data)
            )
            if analysis is not None:
                messages.success(request, "Kalkylen är sparad.")
                return redirect("costbenefit_detail", pk=analysis.pk)
    context = version_context(request, version, "utvardering") | {
        "form": form,
        "params": params,
        "param_rows": selectors.parameter_rows(params),
    }
    return render(request, "evaluation/costbenefit_form.html", context, status=400 if form.errors else 200)


@login_required
def costbenefit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = get_for_user(
        request.user,
        CostBenefitAnalysis.objects.select_related("programme_version__programme", "parameter_set"),
        pk=pk,
    )
    params = costbenefit.parse_parameter_set(analysis.parameter_set.params)
    context = version_context(request, analysis.programme_version, "utvardering") | {
        "analysis": analysis,
        "result": analysis.result,
        "scenarios": [
            (costbenefit.SCENARIO_LABELS[k], analysis.result["scenarios"][k]) for k in costbenefit.SCENARIOS
        ],
        "params": params,
        "param_rows": selectors.parameter_rows(params),
    }
    return render(request, "evaluation/costbenefit_detail.html", context)


@login_required
def cost_parameters(request: HttpRequest, pk: int) -> HttpResponse:
    """Every member sees the parameters and their versions; an administratör can save a new one."""
    version = version_for(request, pk)
    org = version.organisation
    current, params = selectors.parameters_in_use(org)
    reference = selectors.reference_parameters()
    form = CostParameterForm(request.POST or None, current=params)
    if request.method == "POST":
        require_role(request.user, org, Role.ADMINISTRATOR)
        if "adopt_reference" in request.POST:
            try:
                services.adopt_reference_parameters(actor(request), org)
                messages.success(request, f"Referensversionen {reference['version']} används nu.")
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            return redirect("cost_parameters", pk=version.pk)
        if form.is_valid():
            note = form.cleaned_data["note"] or ""
            saved = run_service(
                request,
                form,
                lambda: services.save_parameter_set(actor(request), org, form.params(), note=note),
            )
            if saved is not None:
                messages.success(request, f"Parametrarna är sparade som version {saved.parameter_version}.")
                return redirect("cost_parameters", pk=version.pk)
    versions = CostParameterSet.objects.filter(organisation=org)
    context = version_context(request, version, "utvardering") | {
        "params": params,
        "param_rows": selectors.parameter_rows(params),
        "current": current,
        "versions": versions,
        "reference_version": str(reference["version"]),
        "reference_in_use": versions.filter(parameter_version=str(reference["version"])).exists()
        or current is None,
        "form": form,
        "is_admin": _is_admin(request, org),
    }
    return render(request, "evaluation/cost_parameters.html", context, status=400 if form.errors else 200)


def _is_admin(request: HttpRequest, org: Organisation) -> bool:
    found = membership(request.user, org.pk)
    return found is not None and found.allows(Role.ADMINISTRATOR)
