"""Documents made ahead, in the background: the job that renders them and what a download finds.

Laying out a programme takes WeasyPrint seconds (`benchmarks/RESULTS-documents.md`), far too long
for a web request. So a queued job (`lsoplan worker`) renders a version's documents into the
content cache (`reports.cache`): at adoption the archive (`reports.archive`), after an edit of a
draft its programme (PDF, DOCX, lists), and on request a follow-up report for one year. A download
never renders: it builds the document model with the charts taken from the cache alone
(`charts.cached_only`, a few hundred milliseconds), looks the file up by its content key and either
serves it or answers with the job that is making it (`DocumentJob`: queued, running, failed).

At most one job per (version, kind, year) waits in the queue: a job renders whatever the content
is when it runs, so a second one asked for meanwhile would only repeat it. An edit's job waits a
few seconds (``LSOPLAN_DOCUMENT_DELAY``) so that a burst of edits gives one rendering.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.exceptions import TaskResultDoesNotExist

from lsoplan.audit.models import AuditEntry
from lsoplan.audit.services import Actor
from lsoplan.programmes.models import ProgrammeVersion, VersionStatus
from lsoplan.reports import cache, charts
from lsoplan.reports.archive import archive_adopted_version, is_archivable
from lsoplan.reports.followup_doc import build_followup
from lsoplan.reports.lists import sheets
from lsoplan.reports.models import AdoptedArchive, DocumentJob, JobKind, JobStatus
from lsoplan.reports.programme_doc import build_programme
from lsoplan.reports.render_docx import render_docx
from lsoplan.reports.render_pdf import PdfUnavailableError, render_pdf_with_pages
from lsoplan.reports.render_xlsx import render_xlsx

log = logging.getLogger(__name__)
# A job still "running" after this long lost its worker (killed, machine restarted): it failed.
STALE_AFTER = dt.timedelta(minutes=30)
DRAFTS = (VersionStatus.UTKAST, VersionStatus.REMISS)


@dataclass(frozen=True)
class Contents:
    """What a version's document of one kind consists of now: per format the file's cache key and
    how to make it, and one content key over them all."""

    key: str
    files: dict[str, tuple[str, Callable[[], bytes]]]


def contents(
    version: ProgrammeVersion, kind: str, year: int | None, today: dt.date | None = None
) -> Contents:
    """The cache keys are those `services.produce` uses, so the command line and the jobs share files."""
    files: dict[str, tuple[str, Callable[[], bytes]]] = {}
    if not (kind == JobKind.PROGRAMME and is_archivable(version)):  # an adopted one is archived
        if kind == JobKind.FOLLOWUP:
            if year is None:
                raise ValueError("a follow-up report is about a year")
            document = build_followup(version, year, today)
        else:
            document = build_programme(version, today)
        pages: dict[str, int] = {}

        def make_pdf() -> bytes:
            pdf, found = render_pdf_with_pages(document)
            pages.update(found)
            return pdf

        def make_docx() -> bytes:
            # Word's table of contents shows the PDF's page numbers before its fields are updated;
            # when the PDF came from the cache, its layout is run once more for them.
            # Without Pango on this server, Word numbers the contents when it updates its fields.
            if not pages:
                with contextlib.suppress(PdfUnavailableError):
                    pages.update(render_pdf_with_pages(document)[1])
            return render_docx(document, pages)

        files["pdf"] = (cache.key_of("pdf", document), make_pdf)
        files["docx"] = (cache.key_of("docx", document), make_docx)
    tables = sheets(version, year if kind == JobKind.FOLLOWUP else None)
    title = f"{version.programme.title}, version {version.number}"
    author = version.organisation.name
    files["xlsx"] = (
        cache.key_of("xlsx", tables, title, author),
        lambda: render_xlsx(tables, title=title, author=author),
    )
    return Contents(cache.key_of(*(key for key, _ in files.values())), files)


def _failure_text(exc: BaseException) -> str:
    if isinstance(exc, PdfUnavailableError):
        return str(exc)[:300]
    if not isinstance(exc, Exception):
        return "Jobbet avbröts innan dokumentet var klart (arbetsprocessen stoppades). Försök igen."
    return (
        "Dokumentet kunde inte skapas på grund av ett tekniskt fel. Försök igen; "
        "händer det igen, kontakta den som förvaltar lsoplan."
    )


@task()
def render_documents(job_id: int) -> str:
    """Render what the job asks for into the content cache (or the archive); its key on success."""
    claimed = DocumentJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # run already (a retry of the queue's own), or removed with its version
        return ""
    related = ("version__programme", "version__organisation", "requested_by")
    job = DocumentJob.objects.select_related(*related).get(pk=job_id)
    version = job.version
    try:
        if job.kind == JobKind.ARCHIVE:
            actor = Actor.of(job.requested_by)
            key = archive_adopted_version(version, actor).pdf_sha256
        else:
            made = contents(version, job.kind, job.year or None)
            for fmt, (file_key, make) in made.files.items():
                cache.stored("documents", file_key, fmt, make)
            key = made.key
    except BaseException as exc:  # also a stopped worker (SIGTERM, Ctrl+C): never left "running"
        log.exception("document job %s (%s, version %s) failed", job_id, job.kind, version.pk)
        DocumentJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=_failure_text(exc), finished_at=timezone.now()
        )
        raise
    DocumentJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, content_key=key, finished_at=timezone.now()
    )
    return key


def request(
    version: ProgrammeVersion,
    kind: str,
    year: int | None = None,
    *,
    content_key: str = "",
    user: Any = None,
    delay: float = 0,
) -> DocumentJob:
    """Queue a rendering, or return the one already waiting for the same version, kind and year."""
    waiting = DocumentJob.objects.filter(version=version, kind=kind, year=year or 0, status=JobStatus.QUEUED)
    found = waiting.first()
    if found is not None:
        return found
    job_task = render_documents
    if delay and job_task.get_backend().supports_defer:
        job_task = job_task.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    try:
        # The job's row and the queue's row are written together (the database queue), so a
        # worker never finds a task without its job, and a rolled-back request leaves neither.
        with transaction.atomic():
            job = DocumentJob.objects.create(
                organisation_id=version.organisation_id,
                version=version,
                kind=kind,
                year=year or 0,
                content_key=content_key,
                requested_by=user if getattr(user, "is_authenticated", False) else None,
                enqueued_at=timezone.now(),
            )
            result = job_task.enqueue(job.pk)
            DocumentJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    except IntegrityError:  # another request queued the same one meanwhile
        return waiting.get()
    job.refresh_from_db()  # the immediate backend (tests, scripts) has run it already
    return job


def request_archive(version: ProgrammeVersion, actor: Actor) -> DocumentJob:
    """At adoption: the archive is made by the worker, the adoption request returns at once."""
    return request(version, JobKind.ARCHIVE, user=actor.user)


def latest(version: ProgrammeVersion, kind: str, year: int | None = None) -> DocumentJob | None:
    job = (
        DocumentJob.objects.filter(version=version, kind=kind, year=year or 0)
        .order_by("-enqueued_at", "-pk")
        .first()
    )
    if job is not None and job.status == JobStatus.QUEUED and _lost_in_queue(job):
        DocumentJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED,
            error="Jobbet kunde inte köras av bakgrundsprocessen. Försök igen.",
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
    started = job.started_at if job is not None and job.status == JobStatus.RUNNING else None
    if job is not None and started is not None and timezone.now() - started > STALE_AFTER:
        DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            error="Jobbet avbröts innan dokumentet var klart (arbetsprocessen stoppades).",
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
    return job


def _lost_in_queue(job: DocumentJob) -> bool:
    """The queue ended the job's task (or lost it) before the job itself began: it will not run."""
    if not job.task_id:
        return False
    try:
        result = render_documents.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return True
    except Exception:  # a queue that cannot look results up (or a task renamed): keep waiting
        return False
    return bool(result.status == TaskResultStatus.FAILED)


def _active(job: DocumentJob | None) -> bool:
    return job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING)


def archived(version: ProgrammeVersion, fmt: str) -> bytes | None:
    archive = AdoptedArchive.objects.filter(version=version).only(fmt).first()
    return None if archive is None else bytes(getattr(archive, fmt))


def archive_state(version: ProgrammeVersion, user: Any = None) -> DocumentJob | None:
    """For an adopted version without its archive: the job making it (queued now if none is)."""
    if not is_archivable(version) or AdoptedArchive.objects.filter(version=version).exists():
        return None
    job = latest(version, JobKind.ARCHIVE)
    if job is None or job.status == JobStatus.DONE:
        job = request(version, JobKind.ARCHIVE, user=user)
    return None if job.status == JobStatus.DONE else job


def fetch(
    version: ProgrammeVersion, kind: str, fmt: str, year: int | None = None, *, user: Any = None
) -> bytes | DocumentJob:
    """The finished file, or the job that is making it (queued, running, or failed). Never renders."""
    if kind == JobKind.PROGRAMME and fmt in ("pdf", "docx") and is_archivable(version):
        content = archived(version, fmt)  # what was adopted, byte for byte
        if content is not None:
            return content
        job = archive_state(version, user)  # None: the archive exists now (made at once)
        content = archived(version, fmt) if job is None else None
        if content is not None:
            return content
        return job or request(version, JobKind.ARCHIVE, user=user)
    job = latest(version, kind, year)
    if _active(job):
        assert job is not None
        return job
    content, key = _cached(version, kind, fmt, year)
    if content is not None:
        return content
    if job is not None and job.status == JobStatus.FAILED and (not key or job.content_key in ("", key)):
        return job  # failed on this very content: the planner decides to try again
    job = request(version, kind, year, content_key=key, user=user)
    if job.status == JobStatus.DONE:  # run at once (the immediate backend)
        content, _ = _cached(version, kind, fmt, year)
        if content is not None:
            return content
    return job


def _cached(version: ProgrammeVersion, kind: str, fmt: str, year: int | None) -> tuple[bytes | None, str]:
    """(the file for the current content if the cache has it, the content key or "" if unknown)."""
    with charts.cached_only() as missing:
        now = contents(version, kind, year)
    if missing:  # a chart is not drawn yet, so neither is the document
        return None, ""
    return cache.peek("documents", now.files[fmt][0], fmt), now.key


def retry(version: ProgrammeVersion, kind: str, year: int | None = None, *, user: Any = None) -> DocumentJob:
    job_kind = JobKind.ARCHIVE if kind == JobKind.PROGRAMME and is_archivable(version) else kind
    return request(version, job_kind, year, user=user)


def queue_programme(programme_id: int) -> list[DocumentJob]:
    """Every document a planner of this programme is likely to open first: the adopted version's
    archive and its follow-up for last year, each draft's programme (the demo queues these)."""
    from lsoplan.reports.services import default_year

    queued = []
    versions = ProgrammeVersion.objects.filter(programme_id=programme_id).select_related(
        "programme", "organisation"
    )
    for version in versions:
        if version.status in DRAFTS:
            queued.append(request(version, JobKind.PROGRAMME))
        elif version.status == VersionStatus.ANTAGEN:
            if not AdoptedArchive.objects.filter(version=version).exists():
                queued.append(request(version, JobKind.ARCHIVE))
            queued.append(request(version, JobKind.FOLLOWUP, default_year()))
    return queued


# --- on change: a draft's programme is made again in the background --------------------------------


def ahead_of_time() -> bool:
    """Only a queue that can wait renders ahead: the immediate backend (tests, one-off scripts) would
    render inside the request that wrote, which is what the queue is there to avoid."""
    return (
        bool(getattr(settings, "LSOPLAN_DOCUMENTS_AHEAD", True)) and task_backends["default"].supports_defer
    )


def drafts_changed(organisation_id: int, version_id: int | None) -> list[DocumentJob]:
    """Queue the programme of the changed draft (or, for organisation-wide data such as incidents and
    measurements, of every draft of the organisation)."""
    versions = ProgrammeVersion.objects.filter(organisation_id=organisation_id, status__in=DRAFTS)
    if version_id is not None:
        versions = versions.filter(pk=version_id)
    delay = float(getattr(settings, "LSOPLAN_DOCUMENT_DELAY", 5))
    return [
        request(v, JobKind.PROGRAMME, delay=delay)
        for v in versions.select_related("programme", "organisation")
    ]


def _on_audit_entry(sender: Any, instance: AuditEntry, created: bool, **kwargs: Any) -> None:
    """Every write leaves an audit entry: after its transaction, the affected drafts are queued once."""
    if not created or not ahead_of_time():
        return
    marker = (instance.organisation_id, instance.version_id)
    connection = transaction.get_connection()
    # One callback per draft per transaction (the demo loader writes thousands of entries in one).
    if any(getattr(call, "document_marker", None) == marker for _, call, _ in connection.run_on_commit):
        return

    def queue() -> None:
        drafts_changed(*marker)

    queue.document_marker = marker  # type: ignore[attr-defined]
    transaction.on_commit(queue, robust=True)


def connect() -> None:
    post_save.connect(_on_audit_entry, sender=AuditEntry, dispatch_uid="reports.jobs.audit")
