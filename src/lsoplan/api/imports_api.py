"""Incident imports through the API: send a file, the import runs as a job, poll its status."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from lsoplan.api.auth import actor, get_object, require_write, scoped, token_of
from lsoplan.api.common import READ_ERRORS, WRITE_ERRORS, Id, Paging, page
from lsoplan.api.followup_api import valid
from lsoplan.api.jobs import run_incident_import
from lsoplan.api.models import IncidentImportJob
from lsoplan.api.schemas import ImportJobOut, Page
from lsoplan.audit import services as audit
from lsoplan.incidents import uploads
from lsoplan.incidents.forms import UploadForm

router = Router(tags=["Händelser"])


def job_out(job: IncidentImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "file_name": job.file_name,
        "mapping": job.mapping,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "message": job.message,
        "result": job.result or None,
    }


@router.post(
    "/incident-imports",
    response={202: ImportJobOut, **WRITE_ERRORS},
    summary="Importera händelser",
    description="Skicka en fil (multipart, fältet file; mapping för andra system) i samma format som "
    "webbimporten. Importen körs som ett jobb: fråga efter dess status med GET /incident-imports/{id}. "
    "Allt eller inget: en fil med fel importeras inte, och result.problems listar felen. "
    f"Högst {settings.LSOPLAN_UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
)
def import_create(request: HttpRequest, file: File[UploadedFile], mapping: Form[str] = "") -> Any:
    token = token_of(request)
    require_write(request, token.organisation)
    form = UploadForm({"mapping": mapping}, {"file": file})
    data = valid(form)
    stored = uploads.store(
        token.organisation,
        data["data"],
        file_name="".join(c for c in (data["file"].name or "") if c.isprintable()) or "fil",
        mapping=data["mapping"] or "",
        uploaded_by=request.user.get_username(),
    )
    who = actor(request)
    job = audit.create(
        who,
        IncidentImportJob,
        organisation=token.organisation,
        token=token,
        actor_label=who.label[:150],
        file_name=stored.file_name,
        upload=stored.token,
        mapping=stored.mapping,
        created_at=timezone.now(),
    )
    # The job row is committed (audit.create is its own transaction), so a worker finds it.
    run_incident_import.enqueue(job.pk)
    job.refresh_from_db()
    return Status(202, job_out(job))


@router.get(
    "/incident-imports", response={200: Page[ImportJobOut], **READ_ERRORS}, summary="Importer via API"
)
def imports(request: HttpRequest, filters: Query[Paging]) -> Any:
    return page(scoped(request, IncidentImportJob.objects.order_by("-created_at", "-id")), filters, job_out)


@router.get(
    "/incident-imports/{id}", response={200: ImportJobOut, **READ_ERRORS}, summary="En imports status"
)
def import_status(request: HttpRequest, id: Id) -> Any:
    return job_out(get_object(request, IncidentImportJob.objects.all(), id))
