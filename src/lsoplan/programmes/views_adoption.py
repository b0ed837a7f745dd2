"""Adoption as a guarded decision: the failing egenkontroll requirements first, an explicit
confirmation, and later an administratör's audited correction of the decision record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lsoplan.accounts.access import membership, require_role
from lsoplan.accounts.models import Role
from lsoplan.checks.selectors import live_evaluation
from lsoplan.consultation.selectors import undecided
from lsoplan.lib.compliance import Finding
from lsoplan.programmes import services
from lsoplan.programmes.forms import AdoptForm, AdoptionCorrectionForm
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for

# Requirements that adopting the version itself fulfils: listing them as reasons to hesitate
# would only confuse ("the programme is not adopted").
FIXED_BY_ADOPTION = frozenset({"lso-giltighet"})


def failing_requirements(version: ProgrammeVersion) -> list[Finding]:
    """The egenkontroll requirements (severity krav) that fail for the version as it stands."""
    return [
        f
        for f in live_evaluation(version).findings
        if f.required_failure and f.rule_id not in FIXED_BY_ADOPTION
    ]


def can_administer(user: Any, version: ProgrammeVersion) -> bool:
    found = membership(user, version.organisation_id)
    return found is not None and found.allows(Role.ADMINISTRATOR)


@login_required
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    failures = failing_requirements(version) if not version.is_frozen else []
    form = AdoptForm(request.POST or None, version=version, failures=len(failures))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            request,
            form,
            lambda: services.adopt(
                actor(request),
                version,
                body=d["body"],
                date=d["date"],
                paragraph=d["paragraph"],
                registration=d["registration"],
                acknowledged=sorted({f.rule_id for f in failures}),
            ),
        )
        if done is not None:
            messages.success(
                request,
                f"Version {version.number} är antagen och låst. Dokumenten arkiveras i bakgrunden "
                "och finns under Dokument när de är klara.",
            )
            return redirect("version_overview", pk=version.pk)
    context = version_context(request, version, "oversikt") | {
        "form": form,
        "title": "Anta versionen",
        "failures": failures,
        # Remiss responses without a decision: a warning, not a block (the council decides).
        "undecided": undecided(version) if not version.is_frozen else [],
    }
    return render(request, "programmes/adopt_form.html", context, status=400 if form.errors else 200)


@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    require_role(request.user, version, Role.ADMINISTRATOR)
    initial = AdoptionCorrectionForm.initial_for(version)
    form = AdoptionCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            request,
            form,
            lambda: services.correct_adoption(
                actor(request),
                version,
                body=d["body"],
                date=d["date"],
                paragraph=d["paragraph"],
                registration=d["registration"],
                reason=d["reason"],
            ),
        )
        if done is not None:
            messages.success(
                request, "Beslutsuppgifterna är rättade. De tidigare uppgifterna finns kvar i historiken."
            )
            return redirect("version_overview", pk=version.pk)
    context = version_context(request, version, "oversikt") | {
        "form": form,
        "title": "Rätta beslutsuppgifterna",
        "corrections": version.adoption_corrections.select_related("corrected_by"),
    }
    return render(request, "programmes/adoption_correct.html", context, status=400 if form.errors else 200)
