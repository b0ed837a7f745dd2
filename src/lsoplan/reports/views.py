"""Dokument: download the programme, the follow-up report and the lists; compare two versions."""

from __future__ import annotations

import io
import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from lsoplan.accounts.access import get_for_user
from lsoplan.audit import dataversion
from lsoplan.lib import versiondiff
from lsoplan.programmes.models import ProgrammeVersion, VersionStatus
from lsoplan.reports import selectors, services
from lsoplan.reports.models import AdoptedArchive
from lsoplan.reports.render_pdf import PdfUnavailableError
from lsoplan.web.viewutils import version_context, version_for

log = logging.getLogger(__name__)

# URL word → (document kind, formats offered)
DOCUMENTS = {
    "handlingsprogram": (services.PROGRAMME, ("docx", "pdf")),
    "uppfoljning": (services.FOLLOWUP, ("docx", "pdf", "xlsx")),
    "listor": (services.PROGRAMME, ("xlsx",)),
}


def _years(version: ProgrammeVersion) -> list[int]:
    """Years a follow-up report can be made for: measured years up to last year, newest first."""
    latest = services.default_year()
    years = [y for y in selectors.measured_years(selectors.indicators(version)) if y <= latest]
    return sorted(set(years) | {latest}, reverse=True)


@login_required
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    adopted = version.programme.versions.filter(status=VersionStatus.ANTAGEN).first()
    context = version_context(request, version, "dokument") | {
        "years": _years(version),
        "default_year": services.default_year(),
        "adopted": adopted,
        "others": selectors.other_versions(version),
        "advisories": services.advisories(version),
        "archive": AdoptedArchive.objects.filter(version=version)
        .only("as_of", "pdf_sha256", "docx_sha256")
        .first(),
    }
    return render(request, "reports/documents.html", context)


@login_required
def download(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponseBase:
    version = version_for(request, pk)
    if kind not in DOCUMENTS or fmt not in DOCUMENTS[kind][1]:
        raise Http404
    year = None
    if DOCUMENTS[kind][0] == services.FOLLOWUP:
        raw = request.GET.get("ar", "").strip()
        try:
            year = int(raw) if raw else None
        except ValueError:
            return HttpResponse(
                "Året måste anges med fyra siffror, t.ex. 2025.", status=400, content_type="text/plain"
            )
    try:
        produced = services.produce(version, DOCUMENTS[kind][0], fmt, year=year)
    except ValidationError as exc:
        return HttpResponse(exc.messages[0], status=400, content_type="text/plain; charset=utf-8")
    except PdfUnavailableError as exc:
        log.error("PDF rendering unavailable: %s", exc)
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return FileResponse(
        io.BytesIO(produced.content),
        as_attachment=True,
        filename=produced.filename,
        content_type=produced.content_type,
    )


@login_required
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    other: ProgrammeVersion | None = version.based_on
    chosen = request.GET.get("med", "").strip()
    if chosen:
        # Only versions of the same programme, and only in the user's organisations (else 404).
        same_programme = ProgrammeVersion.objects.filter(programme=version.programme).exclude(pk=version.pk)
        other = get_for_user(request.user, same_programme.select_related("programme"), pk=chosen)
    result = None
    old = new = None
    if other is not None:
        old, new = (other, version) if other.number < version.number else (version, other)
        # Computed once per data version: both versions belong to the same organisation.
        result = dataversion.cached(
            version.organisation_id,
            "diff",
            (old.pk, new.pk),
            lambda: versiondiff.diff_versions(selectors.version_records(old), selectors.version_records(new)),
        )
    context = version_context(request, version, "dokument") | {
        "other": other,
        "old": old,
        "new": new,
        "diff": result,
        "counts": result.counts() if result else None,
        "others": selectors.other_versions(version),
    }
    return render(request, "reports/diff.html", context)
