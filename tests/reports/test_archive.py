"""Adopted means frozen: an adopted version's documents are archived with checksums, and every
download returns those bytes however the follow-up data grow afterwards."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError

from lsoplan.audit.models import AuditEntry
from lsoplan.goals import services as goals
from lsoplan.incidents.services import import_incidents
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports.archive import archive_adopted_version, frozen_data
from lsoplan.reports.models import AdoptedArchive
from lsoplan.reports.services import produce
from tests.factories import SYSTEM, World
from tests.reports.helpers import open_docx

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2026, 6, 10)
HEADER = "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;omrade;byggnadstyp\n"


def _incidents(world: World, *rows: str) -> None:
    data = (HEADER + "".join(r + "\n" for r in rows)).encode()
    outcome = import_incidents(SYSTEM, world.org, data, file_name="handelser.csv")
    assert outcome.ok, outcome.problems


def _adopt(world: World) -> ProgrammeVersion:
    version = programmes.send_to_consultation(
        SYSTEM,
        world.version,
        parties="Länsstyrelsen",
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 4, 1),
    )
    return programmes.adopt(SYSTEM, version, body="kommunfullmaktige", date=DECIDED, paragraph="§ 12")


def test_an_adopted_pdf_stays_byte_identical_after_new_measurements_and_incidents(world: World) -> None:
    _incidents(world, "A-1;0484;1;2025-03-05 14:22;2025-03-05 14:31;Centrum;")
    version = _adopt(world)
    before = produce(version, "programme", "pdf").content
    goals.record_measurement(SYSTEM, world.indicator.series, year=2021, value=19.0)
    _incidents(
        world,
        "A-2;0484;1;2026-06-09 10:00;2026-06-09 10:08;Centrum;",  # known before the decision
        "A-3;0484;2;2026-08-01 08:00;2026-08-01 08:12;Torshälla;",
    )
    after = produce(version, "programme", "pdf").content
    assert after == before
    archive = AdoptedArchive.objects.get(version=version)
    assert archive.pdf_sha256 == hashlib.sha256(after).hexdigest()


def test_an_adopted_docx_is_the_archived_docx(world: World) -> None:
    version = _adopt(world)
    content = produce(version, "programme", "docx").content
    archive = AdoptedArchive.objects.get(version=version)
    assert bytes(archive.docx) == content
    assert archive.docx_sha256 == hashlib.sha256(content).hexdigest()


def test_archived_statistics_stop_at_the_decision_date(world: World) -> None:
    _incidents(
        world,
        "A-1;0484;1;2026-06-10 23:30;2026-06-10 23:40;Centrum;",  # the evening of the decision day
        "A-2;0484;1;2026-06-11 00:10;2026-06-11 00:20;Centrum;",  # the day after
    )
    data = frozen_data(_adopt(world))
    assert data["as_of"] == "2026-06-10"
    assert [(r["year"], r["count"]) for r in data["incidents"]] == [(2026, 1)]


def test_the_archived_document_says_what_day_its_figures_are_from(world: World) -> None:
    version = _adopt(world)
    document = open_docx(produce(version, "programme", "docx").content)
    lines = [p.text for p in document.paragraphs[:20]]
    assert "Uppgifter per: 10 juni 2026" in lines
    assert not any(line.startswith("Utskrivet") for line in lines)


def test_archiving_writes_one_audit_entry_with_the_checksums(world: World) -> None:
    version = _adopt(world)
    archive = archive_adopted_version(version, SYSTEM)
    assert archive_adopted_version(version, SYSTEM).pk == archive.pk  # once, never again
    (entry,) = AuditEntry.objects.filter(model="reports.adoptedarchive")
    assert entry.changes["pdf_sha256"] == [None, archive.pdf_sha256]
    assert "pdf" not in entry.changes  # the bytes stay out of the audit trail


def test_a_draft_cannot_be_archived(world: World) -> None:
    with pytest.raises(ValidationError):
        archive_adopted_version(world.version, SYSTEM)


def test_adoption_archives_the_version_once_committed(
    world: World, django_capture_on_commit_callbacks: pytest.FixtureRequest
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        version = _adopt(world)
    archive = AdoptedArchive.objects.get(version=version)
    assert bytes(archive.pdf).startswith(b"%PDF-")
    assert archive.as_of == DECIDED


def test_a_follow_up_for_an_adopted_version_is_not_frozen(world: World) -> None:
    version = _adopt(world)
    before = produce(version, "followup", "docx", year=2021).content
    goals.record_measurement(SYSTEM, world.indicator.series, year=2021, value=19.0)
    after = produce(version, "followup", "docx", year=2021).content
    assert before != after
