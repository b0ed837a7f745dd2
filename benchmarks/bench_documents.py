"""Benchmark the documents (issue 14.9: a download under 3 s, or the document made ahead).

1. Rendering, as the background job does it, per document: the model (cold: charts drawn by
   vl-convert; warm: charts from the cache, as after a text edit), then PDF (WeasyPrint), DOCX and
   the lists (XLSX). Wall-clock and processor seconds (the machine is shared, so the processor time
   is the steadier figure).
2. A whole job as the worker runs it: the draft programme (PDF + DOCX + lists) and the follow-up,
   each from an empty cache; the archive at adoption.
3. What a planner waits for, through the real view in-process (Django test client): the download
   while the job has not run (the wait page), the same download once it has (the file from the
   cache), an adopted version's download (the archive), and the adoption itself (queues the archive).

Run:  .venv/bin/python benchmarks/bench_documents.py
Uses a fresh LSOPLAN_HOME (SQLite) with the demo and the database queue (no worker: the jobs are run
here, in turn); prints the timings and writes benchmarks/RESULTS-documents.md.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "RESULTS-documents.md"
REPEAT = 5


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def _median(fn: Callable[[], Any], n: int = REPEAT) -> tuple[float, float]:
    runs = [_timed(fn)[:2] for _ in range(n)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def _row(label: str, wall: float, cpu: float) -> str:
    print(f"{wall:7.2f} {cpu:7.2f}  {label}", flush=True)
    return f"| {label} | {wall:.2f} | {cpu:.2f} |"


def _commit() -> str:
    try:
        command = ["git", "rev-parse", "--short", "HEAD"]
        out = subprocess.run(command, capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main() -> None:
    os.environ.setdefault("LSOPLAN_HOME", tempfile.mkdtemp(prefix="bench-docs-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lsoplan.settings")
    os.environ.pop("LSOPLAN_TASKS", None)  # the database queue, as in production
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    from django.test import Client
    from django.urls import reverse

    from lsoplan.audit.services import Actor
    from lsoplan.demo import DEMO_PASSWORD, load_demo
    from lsoplan.programmes import services as programmes
    from lsoplan.programmes.models import Programme
    from lsoplan.reports import cache, jobs
    from lsoplan.reports.followup_doc import build_followup
    from lsoplan.reports.models import AdoptedArchive, DocumentJob, JobKind, JobStatus
    from lsoplan.reports.programme_doc import build_programme
    from lsoplan.reports.render_docx import render_docx
    from lsoplan.reports.render_pdf import render_pdf
    from lsoplan.reports.selectors import pick_version
    from lsoplan.reports.services import default_year

    programme = Programme.objects.get(pk=load_demo().programme_id)
    draft = pick_version(programme, None, adopted_first=False)
    adopted = pick_version(programme, None, adopted_first=True)
    assert draft is not None and adopted is not None
    year = default_year()
    DocumentJob.objects.all().delete()  # the demo's own queued jobs: this script runs its own

    def run_queued() -> None:
        for job in DocumentJob.objects.filter(status=JobStatus.QUEUED).order_by("pk"):
            jobs.render_documents.call(job.pk)

    render: list[str] = []
    models: dict[str, Callable[[], Any]] = {
        "Handlingsprogram (utkast)": lambda: build_programme(draft),
        f"Uppföljning {year}": lambda: build_followup(adopted, year),
    }
    for name, build in models.items():
        cache.clear()
        wall, cpu, document = _timed(build)
        render.append(_row(f"{name}: modellen, kall (diagrammen ritas)", wall, cpu))
        render.append(_row(f"{name}: modellen, varm (diagrammen ur cachen)", *_median(build, 3)))
        render.append(_row(f"{name}: PDF (WeasyPrint)", *_median(lambda d=document: render_pdf(d), 2)))
        render.append(_row(f"{name}: DOCX", *_median(lambda d=document: render_docx(d), 2)))

    whole: list[str] = []
    cache.clear()
    jobs.request(draft, JobKind.PROGRAMME)
    label = "Jobb: handlingsprogrammet, utkast (PDF + DOCX + listor), tom cache"
    whole.append(_row(label, *_timed(run_queued)[:2]))
    cache.clear()
    jobs.request(adopted, JobKind.FOLLOWUP, year)
    whole.append(_row(f"Jobb: uppföljning {year} (PDF + DOCX + listor), tom cache", *_timed(run_queued)[:2]))
    AdoptedArchive.objects.filter(version=adopted).delete()
    cache.clear()
    jobs.request(adopted, JobKind.ARCHIVE)
    whole.append(_row("Jobb: arkivet vid antagandet (PDF + DOCX), tom cache", *_timed(run_queued)[:2]))

    client = Client()
    assert client.login(username="planerare", password=DEMO_PASSWORD)

    def get(url: str, expect: int) -> Callable[[], Any]:
        def call() -> Any:
            response = client.get(url)
            assert response.status_code == expect, (url, response.status_code)
            if expect == 200:
                b"".join(response.streaming_content)
            return response

        return call

    latency: list[str] = []
    for label, version, kind, query in (
        ("Handlingsprogram (utkast), PDF", draft, "handlingsprogram", ""),
        (f"Uppföljning {year}, PDF", adopted, "uppfoljning", f"?ar={year}"),
    ):
        url = reverse("version_document_file", args=[version.pk, kind, "pdf"]) + query
        client.get(url)  # queues the job if the document is not made yet
        run_queued()
        latency.append(_row(f"{label}: nedladdning, dokumentet klart", *_median(get(url, 200))))
        cache.clear(["documents"])  # as after an edit of the text: charts stay, the document is new
        DocumentJob.objects.all().delete()
        first = _timed(get(url, 202))[:2]
        latency.append(_row(f"{label}: första nedladdningen före jobbet (väntesidan)", *first))
        latency.append(_row(f"{label}: väntesidan laddas om medan jobbet väntar", *_median(get(url, 202))))
        run_queued()
        latency.append(_row(f"{label}: samma nedladdning när jobbet är klart", *_timed(get(url, 200))[:2]))
    url = reverse("version_document_file", args=[adopted.pk, "handlingsprogram", "pdf"])
    latency.append(_row("Antagen version, PDF: nedladdning ur arkivet", *_median(get(url, 200))))

    def adopt() -> None:
        programmes.adopt(
            Actor(None, "bench"), draft, body="forbundsdirektion", date=datetime.date.today(), paragraph="§ 1"
        )

    wall, cpu, _ = _timed(adopt)
    latency.append(_row("Antagandet (arkivet köas, ritas av arbetsprocessen)", wall, cpu))

    header = ["| vad | sekunder (vägg) | sekunder (processor) |", "|---|---:|---:|"]
    lines = [
        "# Documents: rendering and time to download",
        "",
        f"Measured {datetime.date.today().isoformat()} at commit {_commit()} on {platform.machine()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs shared with seven other engineers' "
        "work (load average "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
        + "), SQLite, the demo programme. `benchmarks/bench_documents.py`; medians of "
        f"{REPEAT} where repeated.",
        "",
        "## Rendering one document (what the background job spends)",
        "",
        *header,
        *render,
        "",
        "## A whole job, as the worker runs it",
        "",
        *header,
        *whole,
        "",
        "## What a planner waits for (the download view, in-process)",
        "",
        *header,
        *latency,
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
