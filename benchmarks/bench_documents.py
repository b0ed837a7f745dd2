"""Benchmark the first download of each document on the demo (issue 14.9: under 3 s, or made ahead).

1. The draft programme as PDF with an empty document and chart cache (what the first "Ladda ner"
   after an edit costs), then the same download again (from the cache).
2. The adopted programme as PDF: archiving (rendered once at adoption) and a download afterwards
   (the archived bytes from the database).
3. The yearly follow-up as PDF, cold and warm.

Run:  .venv/bin/python benchmarks/bench_documents.py
Uses a fresh LSOPLAN_HOME (SQLite) with the demo; prints the timings and writes
benchmarks/RESULTS-documents.md.
"""

from __future__ import annotations

import datetime
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS-documents.md"


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    os.environ.setdefault("LSOPLAN_HOME", tempfile.mkdtemp(prefix="bench-docs-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lsoplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from lsoplan.audit.services import Actor
    from lsoplan.demo import load_demo
    from lsoplan.programmes.models import Programme
    from lsoplan.reports import cache
    from lsoplan.reports.archive import archive_adopted_version
    from lsoplan.reports.models import AdoptedArchive
    from lsoplan.reports.selectors import pick_version
    from lsoplan.reports.services import default_year, produce

    programme = Programme.objects.get(pk=load_demo().programme_id)
    draft = pick_version(programme, None, adopted_first=False)
    adopted = pick_version(programme, None, adopted_first=True)
    assert draft is not None and adopted is not None
    year = default_year()
    rows: list[tuple[str, float]] = []

    cache.clear()
    rows.append(
        ("Utkast, PDF, första nedladdningen (tom cache)", _timed(lambda: produce(draft, "programme", "pdf")))
    )
    rows.append(("Utkast, PDF, andra nedladdningen", _timed(lambda: produce(draft, "programme", "pdf"))))
    AdoptedArchive.objects.filter(version=adopted).delete()
    cache.clear()
    rows.append(
        (
            "Antagen version: arkivering vid antagandet (PDF + DOCX)",
            _timed(lambda: archive_adopted_version(adopted, Actor(None, "bench"))),
        )
    )
    rows.append(("Antagen version, PDF, nedladdning", _timed(lambda: produce(adopted, "programme", "pdf"))))
    cache.clear()
    rows.append(
        (
            f"Uppföljning {year}, PDF, första (tom cache)",
            _timed(lambda: produce(adopted, "followup", "pdf", year=year)),
        )
    )
    rows.append(
        (f"Uppföljning {year}, PDF, andra", _timed(lambda: produce(adopted, "followup", "pdf", year=year)))
    )

    for label, seconds in rows:
        print(f"{seconds:7.2f} s  {label}")
    lines = [
        "# Documents: time to the first download",
        "",
        f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, "
        f"Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs (shared with other work), SQLite, the demo programme. "
        "`benchmarks/bench_documents.py`.",
        "",
        "| what | seconds |",
        "|---|---:|",
        *[f"| {label} | {seconds:.2f} |" for label, seconds in rows],
        "",
        "Target (issue 14.9): a planner's download under 3 s, or the document made ahead. An adopted",
        "version is rendered once at adoption and every download returns the archived bytes; a",
        "draft's PDF is rendered on the first download after a change and then served from the cache.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
