"""Rendered documents are kept by content: made once, remade whenever anything in them changes."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings

from lsoplan.audit.services import Actor
from lsoplan.goals.services import update_goal
from lsoplan.lib.report_model import Document, Paragraph, Section
from lsoplan.reports import cache
from lsoplan.reports.services import produce
from tests.factories import World
from tests.reports.helpers import open_docx

TODAY = dt.date(2026, 3, 2)


def _counting(content: bytes, calls: list[int]) -> object:
    def make() -> bytes:
        calls.append(1)
        return content

    return make


def test_the_same_key_is_made_once_and_then_read() -> None:
    calls: list[int] = []
    first = cache.stored("documents", "k1", "pdf", _counting(b"%PDF one", calls))  # type: ignore[arg-type]
    again = cache.stored("documents", "k1", "pdf", _counting(b"%PDF two", calls))  # type: ignore[arg-type]
    assert first == again == b"%PDF one"
    assert len(calls) == 1


def test_keys_follow_every_part_of_the_model() -> None:
    def doc(text: str, heading: str = "1 Inledning") -> Document:
        sections = [Section(heading, blocks=[Paragraph(text)])]
        return Document("Handlingsprogram", "2024–2027", "Kommunen", sections=sections)

    base = cache.key_of("pdf", doc("Text"))
    assert cache.key_of("pdf", doc("Text")) == base
    assert cache.key_of("docx", doc("Text")) != base
    assert cache.key_of("pdf", doc("Text.")) != base
    assert cache.key_of("pdf", doc("Text", "2 Inledning")) != base
    # Tagged lengths: neighbouring strings cannot run together into the same key.
    assert cache.key_of(("ab", "c")) != cache.key_of(("a", "bc"))
    assert cache.key_of(b"\x00") != cache.key_of("\x00")
    assert cache.key_of(1) != cache.key_of(1.0) != cache.key_of("1")


def test_a_second_worker_waits_for_the_first_instead_of_rendering_again() -> None:
    calls: list[int] = []
    results: list[bytes] = []

    def slow() -> bytes:
        calls.append(1)
        time.sleep(0.3)
        return b"laid out"

    threads = [
        threading.Thread(target=lambda: results.append(cache.stored("documents", "same", "pdf", slow)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [b"laid out"] * 3
    assert len(calls) == 1


def test_a_failed_render_stores_nothing(settings: LazySettings) -> None:
    def broken() -> bytes:
        raise RuntimeError("WeasyPrint saknas")

    with pytest.raises(RuntimeError):
        cache.stored("documents", "bad", "pdf", broken)
    stored = [p.name for p in (Path(settings.LSOPLAN_CACHE_DIR) / "documents").iterdir()]
    assert not [name for name in stored if not name.endswith(".lock")]
    assert cache.stored("documents", "bad", "pdf", lambda: b"ok now") == b"ok now"


def test_old_files_are_pruned(settings: LazySettings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP_FILES", 3)
    for n in range(5):
        cache.stored("charts", f"chart{n}", "png", lambda n=n: b"png %d" % n)  # type: ignore[misc]
        time.sleep(0.01)  # distinct modification times
    left = sorted(p.stem for p in (Path(settings.LSOPLAN_CACHE_DIR) / "charts").glob("*.png"))
    assert left == ["chart2", "chart3", "chart4"]


@pytest.mark.django_db
def test_a_document_is_remade_after_an_edit_and_not_before(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lsoplan.reports import jobs  # renders for produce() too: one set of cache keys

    renders: list[int] = []
    real = jobs.render_docx

    def counted(document: Document, pages: Any = None) -> bytes:
        renders.append(1)
        return real(document, pages)

    monkeypatch.setattr(jobs, "render_docx", counted)
    first = produce(world.version, "programme", "docx", today=TODAY).content
    assert produce(world.version, "programme", "docx", today=TODAY).content == first
    assert len(renders) == 1

    update_goal(Actor.of(world.editor), world.safety_goal, text="Ingen ska omkomma i bränder i bostäder.")
    changed = produce(world.version, "programme", "docx", today=TODAY).content
    assert len(renders) == 2
    text = "\n".join(p.text for p in open_docx(changed).paragraphs)
    text += "\n".join(c.text for t in open_docx(changed).tables for row in t.rows for c in row.cells)
    assert "Ingen ska omkomma i bränder i bostäder." in text
    # The printing date is on the title page, so another day is another document.
    produce(world.version, "programme", "docx", today=TODAY + dt.timedelta(days=1))
    assert len(renders) == 3
