"""Dokument: download the programme, the follow-up report and the lists; compare two versions."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lsoplan.accounts.access import get_for_user
from lsoplan.audit import dataversion
from lsoplan.lib import versiondiff
from lsoplan.programmes.models import ProgrammeVersion, VersionStatus
from lsoplan.reports import jobs, selectors, services
from lsoplan.reports.models import AdoptedArchive, DocumentJob, JobStatus
from lsoplan.web.viewutils import version_context, version_for

# The wait page reloads itself this often (meta refresh: no JavaScript needed).
REFRESH_SECONDS = 3
# Queued longer than this: probably no worker runs; the page says so.
SLOW = dt.timedelta(minutes=2)
LABELS = {
    "handlingsprogram": "Handlingsprogrammet som {fmt}",
    "uppfoljning": "Uppföljningsrapporten för {year} som {fmt}",
    "listor": "Listorna som {fmt}",
}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}
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
    # An adopted version whose archive the worker is still making (or failed to make); first, so
    # that the archive below is read after a job that ran at once.
    archive_job = jobs.archive_state(version, request.user)
    context = version_context(request, version, "dokument") | {
        "years": _years(version),
        "default_year": services.default_year(),
        "adopted": adopted,
        "others": selectors.other_versions(version),
        "advisories": services.advisories(version),
        "archive": AdoptedArchive.objects.filter(version=version)
        .only("as_of", "pdf_sha256", "docx_sha256")
        .first(),
        "archive_job": archive_job,
        "refresh_seconds": REFRESH_SECONDS,
    }
    return render(request, "reports/documents.html", context)


def _year(version: ProgrammeVersion, kind: str, raw: str) -> int | None:
    """The follow-up's year from the query (last complete year when absent); None for the others."""
    if DOCUMENTS[kind][0] != services.FOLLOWUP:
        return None
    raw = raw.strip()
    try:
        year = int(raw) if raw else services.default_year()
    except ValueError:
        raise ValidationError("Året måste anges med fyra siffror, t.ex. 2025.") from None
    try:
        return services.check_year(year)
    except ValidationError as exc:
        raise ValidationError(exc.messages[0]) from None


@login_required
def download(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponseBase:
    """The file when it is made; else a page that waits for the job making it. Never renders."""
    version = version_for(request, pk)
    if kind not in DOCUMENTS or fmt not in DOCUMENTS[kind][1]:
        raise Http404
    try:
        year = _year(version, kind, request.GET.get("ar", ""))
    except ValidationError as exc:
        return HttpResponse(exc.messages[0], status=400, content_type="text/plain; charset=utf-8")
    found = jobs.fetch(version, DOCUMENTS[kind][0], fmt, year, user=request.user)
    if isinstance(found, bytes):
        return FileResponse(
            io.BytesIO(found),
            as_attachment=True,
            filename=services.filename(version, DOCUMENTS[kind][0], fmt, year),
            content_type=services.FORMATS[fmt],
        )
    return _waiting(request, version, kind, fmt, year, found)


def _waiting(
    request: HttpRequest, version: ProgrammeVersion, kind: str, fmt: str, year: int | None, job: DocumentJob
) -> HttpResponse:
    failed = job.status == JobStatus.FAILED
    context = version_context(request, version, "dokument") | {
        "job": job,
        "failed": failed,
        "kind": kind,
        "fmt": fmt,
        "year": year,
        "label": LABELS[kind].format(fmt=FORMAT_LABELS[fmt], year=year),
        "again": reverse("version_document_retry", args=[version.pk, kind, fmt]),
        "slow": job.status == JobStatus.QUEUED and timezone.now() - job.enqueued_at > SLOW,
        "refresh_seconds": REFRESH_SECONDS,
    }
    response = render(request, "reports/wait.html", context, status=503 if failed else 202)
    if not failed:
        response["Retry-After"] = str(REFRESH_SECONDS)
    return response


@login_required
@require_POST
def retry(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponseBase:
    """A failed rendering, asked for again; back to the download, which waits for it."""
    version = version_for(request, pk)
    if kind not in DOCUMENTS or fmt not in DOCUMENTS[kind][1]:
        raise Http404
    try:
        year = _year(version, kind, request.POST.get("ar", ""))
    except ValidationError as exc:
        return HttpResponse(exc.messages[0], status=400, content_type="text/plain; charset=utf-8")
    jobs.retry(version, DOCUMENTS[kind][0], year, user=request.user)
    target = reverse("version_document_file", args=[version.pk, kind, fmt])
    return HttpResponseRedirect(target + (f"?ar={year}" if year else ""), status=303)


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
