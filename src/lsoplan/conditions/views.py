"""Förutsättningar: the risk matrix, the risk list, risk pages, vulnerabilities, capabilities."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lsoplan.accounts.access import get_for_user
from lsoplan.conditions import services
from lsoplan.conditions.forms import CapabilityForm, RiskForm, VulnerabilityForm
from lsoplan.conditions.models import Capability, Risk
from lsoplan.lib.goalchain import RiskNode, is_high
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reference.lso import risk_matrix
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for


def _matrix(version: ProgrammeVersion, risks: list[Risk]) -> dict[str, Any]:
    n_l, n_c = len(version.likelihood_labels), len(version.consequence_labels)
    _, ref = risk_matrix()
    counts: dict[tuple[int, int], int] = {}
    for r in risks:
        counts[(r.likelihood, r.consequence)] = counts.get((r.likelihood, r.consequence), 0) + 1
    rows = []
    for lik in range(n_l, 0, -1):
        cells = []
        for con in range(1, n_c + 1):
            high = is_high(RiskNode(0, "", lik, con), (n_l, n_c), ref.high_share)
            medium = lik * con >= ref.high_share * n_l * n_c / 2
            cells.append(
                {
                    "l": lik,
                    "c": con,
                    "n": counts.get((lik, con), 0),
                    "level": "hog" if high else "medel" if medium else "lag",
                }
            )
        rows.append({"label": version.likelihood_labels[lik - 1], "l": lik, "cells": cells})
    return {"rows": rows, "consequence_labels": version.consequence_labels}


@login_required
def conditions(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)

    @functools.cache
    def risks() -> list[Risk]:
        return list(
            Risk.objects.filter(version=version)
            .select_related("event_type")
            .prefetch_related("safety_goals", "vulnerabilities")
        )

    capabilities = Capability.objects.filter(version=version).select_related("risk")
    # Callables and a lazy queryset: the page part that shows them is usually in the cache.
    context = version_context(request, version, "forutsattningar") | {
        "risks": risks,
        "matrix": lambda: _matrix(version, risks()),
        "capabilities": capabilities,
    }
    return render(request, "conditions/conditions.html", context)


@login_required
def matrix_cell(request: HttpRequest, pk: int, likelihood: int, consequence: int) -> HttpResponse:
    version = version_for(request, pk)
    risks = Risk.objects.filter(version=version, likelihood=likelihood, consequence=consequence)
    context = {"risks": risks, "likelihood": likelihood, "consequence": consequence, "version": version}
    return render(request, "conditions/_matrix_cell.html", context)


@login_required
def risk_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form = RiskForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        risk = run_service(request, form, lambda: services.create_risk(actor(request), version, **data))
        if risk is not None:
            messages.success(request, f"Risken '{risk.title}' är sparad.")
            return redirect("risk_detail", pk=risk.pk)
    context = version_context(request, version, "forutsattningar") | {"form": form}
    return render(request, "conditions/risk_form.html", context, status=400 if form.errors else 200)


def _risk(request: HttpRequest, pk: int) -> Risk:
    return get_for_user(request.user, Risk.objects.select_related("version__programme", "event_type"), pk=pk)


@login_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = _risk(request, pk)
    context = version_context(request, risk.version, "forutsattningar") | {
        "risk": risk,
        "vulnerability_form": VulnerabilityForm(),
        "likelihood_label": risk.version.likelihood_labels[risk.likelihood - 1],
        "consequence_label": risk.version.consequence_labels[risk.consequence - 1],
    }
    return render(request, "conditions/risk_detail.html", context)


@login_required
@require_POST
def vulnerability_add(request: HttpRequest, pk: int) -> HttpResponse:
    risk = _risk(request, pk)
    editable(request, risk)
    form = VulnerabilityForm(request.POST)
    if form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.add_vulnerability(actor(request), risk, form.cleaned_data["description"]),
        )
        if done is not None:
            messages.success(request, "Sårbarheten är sparad.")
            return redirect("risk_detail", pk=risk.pk)
    for error in form.errors.values():
        messages.error(request, str(error[0]))
    return redirect("risk_detail", pk=risk.pk)


@login_required
def capability_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form = CapabilityForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        done = run_service(request, form, lambda: services.add_capability(actor(request), version, **data))
        if done is not None:
            messages.success(request, "Förmågan är sparad.")
            return redirect("version_conditions", pk=version.pk)
    context = version_context(request, version, "forutsattningar") | {"form": form}
    return render(request, "conditions/capability_form.html", context, status=400 if form.errors else 200)
