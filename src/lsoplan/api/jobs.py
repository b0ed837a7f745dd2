"""The incident import as a job: takes the job's id, re-fetches it and calls the same service as
the web import (all or nothing, the same list of problems). Run by ``lsoplan worker``."""

from __future__ import annotations

from typing import Any

from django.db import OperationalError
from django.utils import timezone
from django_tasks import task

from lsoplan.api.models import IncidentImportJob, JobStatus
from lsoplan.audit.services import Actor
from lsoplan.incidents import mappings, uploads
from lsoplan.incidents.services import import_incidents
from lsoplan.lib.incidents import MappingError


def _finish(job_id: int, status: str, message: str = "", result: dict[str, Any] | None = None) -> None:
    IncidentImportJob.objects.filter(pk=job_id).update(
        status=status, message=message[:500], result=result or {}, finished_at=timezone.now()
    )


@task()
def run_incident_import(job_id: int) -> str:
    job = IncidentImportJob.objects.select_related("organisation", "token__user").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job.status  # run twice (a worker restarted): the first run decides
    IncidentImportJob.objects.filter(pk=job_id).update(status=JobStatus.RUNNING)
    organisation = job.organisation
    stored = uploads.load(organisation, job.upload)
    if stored is None:
        _finish(
            job_id, JobStatus.FAILED, "Filen finns inte längre (den sparas i 30 minuter). Skicka den igen."
        )
        return JobStatus.FAILED
    actor = Actor(job.token.user if job.token else None, job.actor_label)
    try:
        outcome = import_incidents(
            actor,
            organisation,
            stored.read(organisation),
            file_name=stored.file_name,
            mapping=mappings.shipped(job.mapping) if job.mapping else None,
        )
    except MappingError as exc:
        _finish(job_id, JobStatus.REJECTED, f"Mappningen kunde inte läsas: {exc}")
        return JobStatus.REJECTED
    except OperationalError as exc:  # SQLite: another import holds the database
        if "locked" not in str(exc):
            raise
        _finish(
            job_id, JobStatus.FAILED, "En annan import pågick. Ingenting har importerats; skicka filen igen."
        )
        return JobStatus.FAILED
    if outcome.ok:
        uploads.discard(organisation, job.upload)
        message = (
            f"{outcome.n_incidents} händelser importerade ({outcome.created} nya, "
            f"{outcome.updated} uppdaterade)."
        )
        _finish(job_id, JobStatus.DONE, message, outcome.summary())
        return JobStatus.DONE
    _finish(job_id, JobStatus.REJECTED, "Filen innehåller fel och har inte importerats.", outcome.summary())
    return JobStatus.REJECTED
