"""Incident imports through the API: a job, all or nothing, the web import's list of problems."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile

from lsoplan.api.models import IncidentImportJob
from lsoplan.incidents.models import ImportBatch, Incident
from tests.api.support import api, new_token
from tests.factories import World

pytestmark = pytest.mark.django_db

GOOD = (
    "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;omrade\n"
    "A-1;0484;1;2024-03-05 14:22;2024-03-05 14:31;Centrum\n"
    "A-2;0484;2;2024-04-01 08:00;2024-04-01 08:12;Torshälla\n"
).encode()
# The second row names a municipality outside the organisation: the whole file is refused.
BAD = GOOD.replace(b"A-2;0484", b"A-2;0180")


def _send(world: World, data: bytes, name: str = "handelser.csv") -> dict:
    client = api(new_token(world.editor, world, "write", name="Insatssystem"))
    response = client.upload("/api/v1/incident-imports", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 202, response.content
    return client.get(f"/api/v1/incident-imports/{response.json()['id']}").json()


def test_an_incident_file_is_imported_as_a_job(world: World) -> None:
    job = _send(world, GOOD)
    assert job["status"] == "done"
    assert job["result"]["incidents"] == 2
    batch = ImportBatch.objects.get(pk=job["result"]["batch"])
    assert (batch.organisation_id, batch.imported_by_label) == (world.org.pk, "api:Insatssystem")


def test_a_file_with_an_error_is_refused_whole_with_the_problems(world: World) -> None:
    job = _send(world, BAD)
    assert job["status"] == "rejected"
    assert not Incident.objects.filter(organisation=world.org).exists()
    problems = [p for p in job["result"]["problems"] if p["severity"] == "error"]
    assert problems and problems[0]["row"] == 3


def test_a_file_that_is_not_csv_is_refused_before_any_job(world: World) -> None:
    client = api(new_token(world.editor, world, "write"))
    response = client.upload("/api/v1/incident-imports", {"file": SimpleUploadedFile("h.pdf", b"%PDF-1.7")})
    assert response.status_code == 422
    assert response.json()["field"] == "file"
    assert not IncidentImportJob.objects.exists()


def test_a_queued_job_waits_for_the_worker(world: World, settings: LazySettings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client = api(new_token(world.editor, world, "write"))
    response = client.upload("/api/v1/incident-imports", {"file": SimpleUploadedFile("h.csv", GOOD)})
    assert response.json()["status"] == "queued"
    assert not Incident.objects.filter(organisation=world.org).exists()
