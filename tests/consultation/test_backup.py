"""A backup keeps the remiss: parties, responses with their decisions and linked changes, and the
attachments under the upload folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.management import call_command

from lsoplan.consultation import services
from lsoplan.consultation.models import Response
from lsoplan.ops.backup import write_backup
from lsoplan.ops.restore import restore_archive
from tests.consultation import helpers
from tests.factories import SYSTEM, build_world


@pytest.mark.django_db(transaction=True)
def test_responses_decisions_and_attachments_come_back(tmp_path: Path, settings: LazySettings) -> None:
    world = build_world("alfa", ["0484"])
    r = helpers.with_attachment(world)
    services.decide(SYSTEM, r, decision="inte", motivation="Nej.", changed_chapters=[world.chapter])
    stored = Path(settings.MEDIA_ROOT) / r.attachment.name
    archive = tmp_path / "allt.zip"
    write_backup(archive)
    stored.unlink()
    call_command("flush", interactive=False, verbosity=0)

    restore_archive(archive)
    back = Response.objects.get()
    assert (back.decision, back.motivation, back.party.name) == ("inte", "Nej.", "Länsstyrelsen i Gävleborg")
    assert [c.pk for c in back.changed_chapters.all()] == [world.chapter.pk]
    assert stored.read_bytes() == helpers.PDF_BYTES
