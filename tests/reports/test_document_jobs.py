"""Documents are made by background jobs: adoption and edits queue them, a download never renders
but serves the finished file or a page that waits for the job (issue 14.9)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends

from lsoplan.goals import services as goals
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports import charts, jobs
from lsoplan.reports.models import AdoptedArchive, DocumentJob, JobKind, JobStatus
from tests.factories import PASSWORD, SYSTEM, World

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2026, 6, 10)
WAITING = "Dokumentet skapas – sidan uppdateras automatiskt"


@pytest.fixture
def queue(settings: Any) -> Any:
    """A queue that keeps the jobs without running them (a worker that has not come round yet)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    return backend


@pytest.fixture
def no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any layout or chart drawing fails the test: what runs under it must not render."""

    def refuse(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("rendered inside the request")

    for name in ("render_pdf_with_pages", "render_docx", "render_xlsx"):
        monkeypatch.setattr(jobs, name, refuse)
    monkeypatch.setattr(charts, "_render_png", refuse)


def _client(world: World) -> Client:
    client = Client()
    assert client.login(username=world.editor.username, password=PASSWORD)
    return client


def _file(version: ProgrammeVersion, kind: str = "handlingsprogram", fmt: str = "pdf") -> str:
    return reverse("version_document_file", kwargs={"pk": version.pk, "kind": kind, "fmt": fmt})


def _adopt(world: World) -> ProgrammeVersion:
    return programmes.adopt(SYSTEM, world.version, body="kommunfullmaktige", date=DECIDED, paragraph="§ 12")


def _run_queued() -> None:
    """What the worker does: run every job still waiting in the queue."""
    for job in DocumentJob.objects.filter(status=JobStatus.QUEUED).order_by("pk"):
        # A failure is recorded on the job; the queue marks its task failed.
        with contextlib.suppress(Exception):
            jobs.render_documents.call(job.pk)


def test_adoption_returns_without_rendering_and_queues_the_archive(
    world: World, queue: Any, no_rendering: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        version = _adopt(world)
    assert not AdoptedArchive.objects.filter(version=version).exists()
    (job,) = DocumentJob.objects.filter(version=version)
    assert (job.kind, job.status) == (JobKind.ARCHIVE, JobStatus.QUEUED)
    assert [(r.task.name, r.args) for r in queue.results] == [("render_documents", [job.pk])]


def test_with_jobs_run_at_once_the_archive_exists_after_adoption(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        version = _adopt(world)
    assert bytes(AdoptedArchive.objects.get(version=version).pdf).startswith(b"%PDF-")
    assert DocumentJob.objects.get(version=version).status == JobStatus.DONE


def test_a_download_before_the_job_ran_shows_the_wait_page(
    world: World, queue: Any, no_rendering: None
) -> None:
    response = _client(world).get(_file(world.version))
    assert response.status_code == 202
    page = response.content.decode()
    assert WAITING in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Väntar i kön" in page
    assert DocumentJob.objects.filter(version=world.version, status=JobStatus.QUEUED).count() == 1


def test_waiting_downloads_queue_one_job(world: World, queue: Any, no_rendering: None) -> None:
    client = _client(world)
    for _ in range(3):
        assert client.get(_file(world.version)).status_code == 202
    assert DocumentJob.objects.filter(version=world.version).count() == 1
    assert len(queue.results) == 1


def test_after_the_job_ran_the_download_is_the_file_made_without_rendering(
    world: World, queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(world)
    client.get(_file(world.version))
    _run_queued()
    for name in ("render_pdf_with_pages", "render_docx", "render_xlsx"):
        monkeypatch.setattr(jobs, name, lambda *a, **k: pytest.fail("rendered inside the request"))
    response = client.get(_file(world.version))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_one_job_makes_every_format_of_the_programme(world: World, queue: Any) -> None:
    client = _client(world)
    client.get(_file(world.version, fmt="docx"))
    _run_queued()
    for fmt in ("docx", "pdf"):
        assert client.get(_file(world.version, fmt=fmt)).status_code == 200
    assert client.get(_file(world.version, "listor", "xlsx")).status_code == 200


def test_a_failed_job_shows_the_error_and_a_retry_button(
    world: World, queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(world)
    client.get(_file(world.version))
    monkeypatch.setattr(jobs, "render_pdf_with_pages", lambda document: 1 / 0)
    _run_queued()
    response = client.get(_file(world.version))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Dokumentet kunde inte skapas" in page
    assert "tekniskt fel" in page
    assert reverse("version_document_retry", args=[world.version.pk, "handlingsprogram", "pdf"]) in page
    assert "http-equiv" not in page  # no endless reloading of a failure
    assert DocumentJob.objects.filter(version=world.version).count() == 1  # not queued again by itself


def test_retry_queues_the_job_again(world: World, queue: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _client(world)
    client.get(_file(world.version))
    monkeypatch.setattr(jobs, "render_pdf_with_pages", lambda document: 1 / 0)
    _run_queued()
    again = reverse("version_document_retry", args=[world.version.pk, "handlingsprogram", "pdf"])
    response = client.post(again)
    assert response.status_code == 303
    assert response["Location"] == _file(world.version)
    assert list(
        DocumentJob.objects.filter(version=world.version).order_by("pk").values_list("status", flat=True)
    ) == [
        JobStatus.FAILED,
        JobStatus.QUEUED,
    ]
    assert len(queue.results) == 2


def test_a_follow_up_retry_keeps_its_year(world: World, queue: Any) -> None:
    url = reverse("version_document_retry", args=[world.version.pk, "uppfoljning", "pdf"])
    response = _client(world).post(url, {"ar": "2023"})
    assert response["Location"] == _file(world.version, "uppfoljning") + "?ar=2023"
    assert DocumentJob.objects.get(version=world.version).year == 2023


def test_a_draft_change_queues_one_job(
    world: World, queue: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):  # three saves in one go, as a planner typing and saving
            goals.update_goal(SYSTEM, world.safety_goal, text=f"Inga döda i bränder i bostad, utkast {n}.")
    (job,) = DocumentJob.objects.filter(version=world.version)
    assert (job.kind, job.status) == (JobKind.PROGRAMME, JobStatus.QUEUED)
    (result,) = queue.results
    assert result.task.run_after is not None  # waits a little, so that the next edits join it


def test_edits_while_a_job_waits_add_no_second_job(
    world: World, queue: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for n in range(2):  # two separate saves, each committed
        with django_capture_on_commit_callbacks(execute=True):
            goals.update_goal(SYSTEM, world.safety_goal, text=f"Inga döda i bränder i bostad, {n}.")
    assert DocumentJob.objects.filter(version=world.version).count() == 1


def test_an_edit_during_a_running_job_queues_the_next_one(
    world: World, queue: Any, django_capture_on_commit_callbacks: Any
) -> None:
    jobs.request(world.version, JobKind.PROGRAMME)
    DocumentJob.objects.update(status=JobStatus.RUNNING, started_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        goals.update_goal(SYSTEM, world.safety_goal, text="Inga döda i bränder i bostad.")
    statuses = DocumentJob.objects.filter(version=world.version).values_list("status", flat=True)
    assert sorted(statuses) == [JobStatus.RUNNING, JobStatus.QUEUED]


def test_jobs_run_at_once_render_nothing_ahead_of_an_edit(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        goals.update_goal(SYSTEM, world.safety_goal, text="Inga döda i bränder i bostad.")
    assert not DocumentJob.objects.exists()  # it would render inside the editing request


def test_a_job_whose_worker_stopped_counts_as_failed(world: World, queue: Any) -> None:
    jobs.request(world.version, JobKind.PROGRAMME)
    DocumentJob.objects.update(status=JobStatus.RUNNING, started_at=timezone.now() - dt.timedelta(hours=1))
    response = _client(world).get(_file(world.version))
    assert response.status_code == 503
    assert "avbröts" in response.content.decode()


def test_the_documents_page_says_the_archive_is_being_made(
    world: World, queue: Any, no_rendering: None
) -> None:
    version = _adopt(world)  # the adoption's own job is not run: its callback is never committed
    page = _client(world).get(reverse("version_documents", args=[version.pk])).content.decode()
    assert "Dokumenten skapas…" in page
    assert _file(version) not in page
    assert DocumentJob.objects.get(version=version).kind == JobKind.ARCHIVE


def test_the_documents_page_offers_the_archive_once_made(world: World, queue: Any) -> None:
    version = _adopt(world)
    client = _client(world)
    client.get(reverse("version_documents", args=[version.pk]))
    _run_queued()
    page = client.get(reverse("version_documents", args=[version.pk])).content.decode()
    assert "Dokumenten skapas…" not in page
    assert _file(version) in page


def test_an_adopted_download_is_the_archived_bytes(world: World) -> None:
    version = _adopt(world)
    response = _client(world).get(_file(version))
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert content == bytes(AdoptedArchive.objects.get(version=version).pdf)


def test_a_job_the_queue_gave_up_on_counts_as_failed(world: World, queue: Any) -> None:
    client = _client(world)
    client.get(_file(world.version))
    (result,) = queue.results
    object.__setattr__(result, "status", "FAILED")  # as the worker records a task that could not start
    response = client.get(_file(world.version))
    assert response.status_code == 503
    assert "kunde inte köras av bakgrundsprocessen" in response.content.decode()
