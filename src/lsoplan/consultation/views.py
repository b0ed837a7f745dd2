"""The planner's side of the remiss: parties and their links, responses per chapter and goal,
decisions (through the edit registry), attachments and the samrådsredogörelse."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lsoplan.accounts.access import get_for_user
from lsoplan.audit.services import FrozenVersionError
from lsoplan.consultation import report, selectors, services
from lsoplan.consultation.forms import PartyForm, PublicForm
from lsoplan.consultation.models import Party, Response
from lsoplan.lib import remiss
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports.render_pdf import PdfUnavailableError
from lsoplan.web.editing import redirect_303
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for

log = logging.getLogger(__name__)


def _page(request: HttpRequest, version: ProgrammeVersion, **extra: Any) -> HttpResponse:
    consultation = services.consultation_of(version)
    context = (
        version_context(request, version, "oversikt")
        | {
            "parties": selectors.parties(version),
            "groups": selectors.grouped(version),
            "undecided": selectors.undecided(version),
            "party_form": extra.pop("party_form", None) or PartyForm(),
            "public_form": PublicForm(initial={"public": bool(consultation and consultation.public)}),
            "public": bool(consultation and consultation.public),
            "is_open": services.is_open(version),
            "listed": report.common.consultation_parties(version),
            "valid_until": remiss.valid_until(version.consultation_to, settings.LSOPLAN_REMISS_GRACE_DAYS),
            "mail": services.mail_configured(),
        }
        | extra
    )
    status = 400 if context["party_form"].errors else 200
    return render(request, "consultation/planner.html", context, status=status)


def _back(version: ProgrammeVersion) -> HttpResponse:
    return redirect_303(reverse("consultation", kwargs={"pk": version.pk}))


def _refused(request: HttpRequest, version: ProgrammeVersion, exc: Exception) -> HttpResponse:
    text = str(exc) if isinstance(exc, FrozenVersionError) else exc.messages[0]  # type: ignore[attr-defined]
    messages.error(request, text)
    return _back(version)


@login_required
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, version_for(request, pk))


@login_required
@require_POST
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form = PartyForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        made = run_service(
            request,
            form,
            lambda: services.create_party(
                actor(request), version, name=d["name"], contact=d["contact"], email=d["email"]
            ),
        )
        if made is not None:
            messages.success(request, f"{made.name} är tillagd som remissinstans.")
            return _back(version)
    return _page(request, version, party_form=form)


@login_required
@require_POST
def parties_from_list(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    try:
        made = services.add_listed_parties(actor(request), version)
    except (ValidationError, FrozenVersionError) as exc:
        return _refused(request, version, exc)
    messages.success(request, f"{len(made)} remissinstanser är tillagda från remisslistan.")
    return _back(version)


@login_required
@require_POST
def links_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """New links: for one party (``part``), or for every party that has none. The secrets are
    shown on this answer only (and mailed when mail is configured); they are not kept."""
    version = version_for(request, pk)
    editable(request, version)
    chosen = request.POST.get("part", "").strip()
    if chosen:
        targets = [get_for_user(request.user, Party.objects.filter(version=version), pk=chosen)]
    else:
        targets = [p for p in selectors.parties(version) if not p.has_link]
    if not targets:
        messages.info(request, "Alla remissinstanser har redan en länk.")
        return _back(version)
    issued = []
    try:
        for party in targets:
            token = services.issue_link(actor(request), party)
            issued.append(
                (party, request.build_absolute_uri(reverse("remiss_party", kwargs={"token": token})))
            )
    except (ValidationError, FrozenVersionError) as exc:
        return _refused(request, version, exc)
    return _page(request, version, links=services.deliver(version, issued))


@login_required
@require_POST
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    party = get_for_user(request.user, Party.objects.select_related("version"), pk=pk)
    editable(request, party)
    try:
        services.revoke_link(actor(request), party)
    except (ValidationError, FrozenVersionError) as exc:
        return _refused(request, party.version, exc)
    messages.success(request, f"Länken till {party.name} är återkallad.")
    return _back(party.version)


@login_required
@require_POST
def public_set(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form = PublicForm(request.POST)
    public = form.is_valid() and form.cleaned_data["public"]
    try:
        services.set_public(actor(request), version, public=public)
    except (ValidationError, FrozenVersionError) as exc:
        return _refused(request, version, exc)
    messages.success(request, "Allmän remiss är öppen." if public else "Allmän remiss är stängd.")
    return _back(version)


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = get_for_user(request.user, Response.objects.all(), pk=pk)
    if not found.attachment:
        raise Http404
    ext = remiss.extension(found.attachment.name or "")
    content_type = remiss.ATTACHMENT_KINDS.get(ext, ("application/octet-stream", ""))[0]
    try:
        handle = found.attachment.open("rb")
    except OSError as exc:
        raise Http404 from exc
    # Always a download, never shown inline: the file came from outside.
    return FileResponse(
        handle, as_attachment=True, filename=f"remissvar-{found.pk}.{ext}", content_type=content_type
    )


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    version = version_for(request, pk)
    if fmt not in report.FORMATS:
        raise Http404
    try:
        content = report.produce(version, fmt)
    except PdfUnavailableError as exc:
        log.error("PDF rendering unavailable: %s", exc)
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=report.filename(version, fmt),
        content_type=report.FORMATS[fmt],
    )
