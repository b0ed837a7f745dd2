"""Pages without login: a remiss party's link, and the public remiss of an organisation.

A link reaches exactly one party's version: the party is found by the digest of the secret in the
URL, and every page reads that party's version and nothing else. No page here links to the
planners' pages. Every request is throttled per address; an unknown link answers 404, a revoked or
expired one 410, each with a Swedish page saying so.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_protect

from lsoplan.audit.services import FrozenVersionError
from lsoplan.consultation import selectors, services, throttle
from lsoplan.consultation.forms import PublicResponseForm, ResponseForm
from lsoplan.consultation.models import Party
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports import services as reports
from lsoplan.reports.programme_doc import build_programme
from lsoplan.reports.render_pdf import PdfUnavailableError, document_context

log = logging.getLogger(__name__)

STATE_PAGES = {
    selectors.REVOKED: (
        410,
        "Länken är återkallad",
        "Den här remisslänken har återkallats och kan inte längre användas. Kontakta den som "
        "skickade remissen om ni behöver en ny länk.",
    ),
    selectors.EXPIRED: (
        410,
        "Länken har gått ut",
        "Remisstiden är slut och länken gäller inte längre. Kontakta den som skickade remissen om "
        "ni ändå vill lämna synpunkter.",
    ),
    selectors.CLOSED: (
        410,
        "Remissen är avslutad",
        "Utkastet är inte längre ute på remiss, och inga fler svar tas emot genom den här länken.",
    ),
}
UNKNOWN = (
    404,
    "Länken finns inte",
    "Vi hittar ingen remiss för den här länken. Kontrollera att hela länken kom med när den "
    "kopierades, eller kontakta den som skickade remissen.",
)


def _notice(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    response = render(request, "consultation/notice.html", {"title": title, "text": text}, status=status)
    add_never_cache_headers(response)
    return response


def _too_many(request: HttpRequest) -> HttpResponse:
    return _notice(request, 429, "För många förfrågningar", throttle.TOO_MANY)


def _party(request: HttpRequest, token: str) -> Party | HttpResponse:
    party = selectors.party_by_token(token)
    if party is None:
        return _notice(request, *UNKNOWN)
    state = selectors.link_state(party)
    if state != selectors.OK:
        return _notice(request, *STATE_PAGES[state])
    return party


def _draft(version: ProgrammeVersion) -> dict[str, Any]:
    return document_context(build_programme(version))


def _upload(request: HttpRequest) -> services.Upload | None:
    f = request.FILES.get("attachment")
    if f is None:
        return None
    # Read at most one byte more than allowed: enough to say it is too big, no more into memory.
    content = f.read(settings.LSOPLAN_REMISS_ATTACHMENT_MAX_BYTES + 1)
    return services.Upload(f.name or "bilaga", content)


def _submit(request: HttpRequest, form: ResponseForm, version: ProgrammeVersion, party: Party | None) -> bool:
    actor = services.party_actor(party) if party is not None else services.PUBLIC_ACTOR
    try:
        services.submit_response(
            actor,
            version,
            party=party,
            text=form.cleaned_data["text"],
            author=form.cleaned_data.get("author", ""),
            upload=_upload(request),
            **form.target(),
        )
    except FrozenVersionError:
        form.add_error(None, services.CLOSED)
        return False
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors[0].messages[0])
        else:
            form.add_error(None, exc.messages[0])
        return False
    return True


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)  # a link's page is nobody else's: never in a shared cache
    return response


@csrf_protect
def party_page(request: HttpRequest, token: str) -> HttpResponse:
    if not throttle.allow(request, "post" if request.method == "POST" else "view"):
        return _too_many(request)
    found = _party(request, token)
    if isinstance(found, HttpResponse):
        return found
    party, version = found, found.version
    form = ResponseForm(request.POST or None, request.FILES or None, version=version)
    sent = False
    if request.method == "POST" and form.is_valid():
        sent = _submit(request, form, version, party)
        if sent:
            form = ResponseForm(version=version)
    context = _draft(version) | {
        "party": party,
        "draft": version,
        "form": form,
        "sent": sent,
        "mine": list(party.responses.select_related("chapter", "safety_goal", "performance_goal")),
        "pdf_url": request.path + "utkast.pdf",
    }
    return _page(request, "consultation/party.html", context, status=400 if form.errors else 200)


def _pdf(version: ProgrammeVersion) -> HttpResponseBase:
    try:
        produced = reports.produce(version, reports.PROGRAMME, "pdf")
    except PdfUnavailableError as exc:
        log.error("PDF rendering unavailable: %s", exc)
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return FileResponse(
        io.BytesIO(produced.content),
        as_attachment=True,
        filename=produced.filename,
        content_type="application/pdf",
    )


def party_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    if not throttle.allow(request, "view"):
        return _too_many(request)
    found = _party(request, token)
    if isinstance(found, HttpResponse):
        return found
    return _pdf(found.version)


def _public_version(slug: str) -> ProgrammeVersion:
    version = selectors.public_remiss(slug)
    if version is None:
        raise Http404
    return version


@csrf_protect
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    if not throttle.allow(request, "post" if request.method == "POST" else "view"):
        return _too_many(request)
    version = _public_version(slug)
    form = PublicResponseForm(request.POST or None, request.FILES or None, version=version)
    sent = False
    if request.method == "POST" and form.is_valid():
        # A robot filled in the hidden field: answer as if it went well, keep nothing.
        sent = True if form.cleaned_data.get("website") else _submit(request, form, version, None)
        if sent:
            form = PublicResponseForm(version=version)
    context = _draft(version) | {
        "draft": version,
        "form": form,
        "sent": sent,
        "pdf_url": request.path + "utkast.pdf",
    }
    return _page(request, "consultation/public.html", context, status=400 if form.errors else 200)


def public_pdf(request: HttpRequest, slug: str) -> HttpResponseBase:
    if not throttle.allow(request, "view"):
        return _too_many(request)
    return _pdf(_public_version(slug))
