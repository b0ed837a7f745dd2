"""Start, programme list and the per-object history."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader

from lsoplan.accounts.access import get_for_user, organisations_of, require_role
from lsoplan.accounts.models import Organisation, Role
from lsoplan.audit import selectors as history_selectors
from lsoplan.programmes import services as programme_services
from lsoplan.programmes.models import Programme
from lsoplan.web.forms import ProgrammeForm
from lsoplan.web.pagination import paginate
from lsoplan.web.viewutils import actor, run_service


@login_required
def home(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.filter(organisation__in=organisations_of(request.user))
    if programmes.count() == 1:
        version = programme_services.current_version(programmes.get())
        return redirect("version_overview", pk=version.pk)
    return redirect("programme_list")


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    orgs = organisations_of(request.user)
    programmes = Programme.objects.filter(organisation__in=orgs).select_related("organisation")
    rows = [(p, programme_services.current_version(p)) for p in programmes.prefetch_related("versions")]
    administered = orgs.filter(
        memberships__user_id=cast(int, request.user.pk), memberships__role=Role.ADMINISTRATOR
    )
    context = {"rows": rows, "organisations": orgs, "administered": administered}
    return render(request, "web/programme_list.html", context)


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    # One filter() call, so that user and role are matched on the same membership row.
    orgs = Organisation.objects.filter(
        memberships__user_id=cast(int, request.user.pk),
        memberships__role__in=[Role.REDAKTOR, Role.ADMINISTRATOR],
        memberships__active=True,
    )
    form = ProgrammeForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["organisation"]
        require_role(request.user, org)
        programme = run_service(
            request,
            form,
            lambda: programme_services.create_programme(
                actor(request),
                org,
                title=form.cleaned_data["title"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            ),
        )
        if programme is not None:
            return redirect("version_overview", pk=programme_services.current_version(programme).pk)
    return render(request, "web/programme_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_for_user(request.user, Programme.objects.all(), pk=pk)
    return redirect("version_overview", pk=programme_services.current_version(programme).pk)


@login_required
def object_history(request: HttpRequest, model: str, object_id: str) -> HttpResponse:
    found = history_selectors.object_history(request.user, model, object_id)
    if found is None:
        raise Http404
    label, entries = found
    page = paginate(request, entries)
    return render(request, "web/history.html", {"object": label, "entries": page.object_list, "page": page})


# --- Error pages: Swedish, in the site layout ------------------------------------------------

ERRORS = {
    400: ("Felaktig begäran", "Sidan kunde inte visas eftersom begäran var felaktig."),
    403: ("Åtkomst nekad", "Du har inte behörighet att göra det här."),
    404: ("Sidan finns inte", "Sidan du söker finns inte, eller så har du inte tillgång till den."),
    500: ("Något gick fel", "Ett oväntat fel inträffade. Felet är registrerat; försök igen om en stund."),
}


def _error(request: HttpRequest, status: int, detail: str = "") -> HttpResponse:
    title, text = ERRORS[status]
    context = {"status": status, "title": title, "text": text, "detail": detail}
    return render(request, "web/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Our own refusals carry a Swedish sentence ("Din roll tillåter inte ändringar."); Django's own
    # carry none or English, which is not shown.
    detail = str(exception) if exception is not None and _is_swedish(str(exception)) else ""
    return _error(request, 403, detail)


def _is_swedish(text: str) -> bool:
    return bool(text) and any(ch in text for ch in "åäöÅÄÖ")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors or the user: the database may be what failed."""
    title, text = ERRORS[500]
    html = loader.get_template("web/error.html").render(
        {"status": 500, "title": title, "text": text, "base_template": "web/base.html"}
    )
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    title = "Formuläret kunde inte skickas"
    text = (
        "Sidan var för gammal eller kakor är avstängda i webbläsaren. Gå tillbaka, ladda om sidan "
        "och försök igen."
    )
    context = {"status": 403, "title": title, "text": text, "detail": ""}
    return render(request, "web/error.html", context, status=403)
