"""A published organisation with an adopted programme, an archived PDF and planted markers: text
that must never reach a public page (a draft chapter, a measurement's internal note, user names)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lsoplan.accounts.services import set_publication
from lsoplan.goals import services as goals
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import Chapter, ProgrammeVersion
from lsoplan.public.models import CitizenView
from lsoplan.reports.models import AdoptedArchive
from tests.factories import SYSTEM, World

DRAFT_MARKER = "UTKASTMARKOR-7731"
NOTE_MARKER = "INTERNANTECKNING-5512"
ADOPTED_TEXT = "Det antagna programmets inledning."
ARCHIVED_PDF = b"%PDF-1.7\n% arkiverad av kommunfullmaktige\n%%EOF\n"


def adopt_and_publish(world: World, *, publish: bool = True, archive: bool = True) -> ProgrammeVersion:
    """Adopt ``world.version`` (chapter text, a measurement note), archive fake PDF bytes, publish,
    and start a new draft with the draft marker in its first chapter."""
    programmes.update_chapter(SYSTEM, world.chapter, text=ADOPTED_TEXT)
    goals.record_measurement(SYSTEM, world.indicator.series, year=2021, value=22.0, note=NOTE_MARKER)
    version = programmes.adopt(
        SYSTEM, world.version, body="kommunfullmaktige", date=dt.date(2026, 11, 10), paragraph="§ 45"
    )
    if archive:
        AdoptedArchive.objects.create(
            organisation=world.org,
            version=version,
            as_of=dt.date(2026, 11, 10),
            pdf=ARCHIVED_PDF,
            pdf_sha256="0" * 64,
            docx=b"docx",
            docx_sha256="0" * 64,
            data={},
            data_sha256="0" * 64,
            created_at=timezone.now(),
        )
    if publish:
        set_publication(SYSTEM, world.org, published=True)
    draft = programmes.new_draft(SYSTEM, version)
    chapter = Chapter.objects.filter(version=draft).order_by("order", "id").first()
    assert chapter is not None
    programmes.update_chapter(SYSTEM, chapter, text=DRAFT_MARKER)
    return version


def citizen_view(world: World) -> CitizenView:
    """One citizen's view in the world's organisation (the registry sample); the same on each call."""
    found = CitizenView.objects.filter(organisation=world.org).first()
    if found is not None:
        return found
    return CitizenView.objects.create(
        organisation=world.org, text="Fler hembesök, tack.", rating=4, received_at=timezone.now()
    )
