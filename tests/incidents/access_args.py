"""The incident pages for tests/test_access.py (member, other organisation, anonymous)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lsoplan.audit.services import Actor
from lsoplan.incidents import uploads
from lsoplan.incidents.services import import_incidents
from tests.factories import World

SMALL_FILE = (
    "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;omrade\n"
    "A-1;0484;1;2024-03-05 14:22;2024-03-05 14:31;Centrum\n"
    "A-2;0484;2;2024-04-01 08:00;2024-04-01 08:12;Torshälla\n"
).encode()


def _token(w: World) -> str:
    return uploads.store(w.org, SMALL_FILE, file_name="handelser.csv", mapping="", uploaded_by="test").token


def _batch(w: World) -> int:
    outcome = import_incidents(Actor(None, "test"), w.org, SMALL_FILE, file_name="handelser.csv")
    assert outcome.batch is not None
    return outcome.batch.pk


ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "version_incidents": lambda w: {"pk": w.version.pk},
    "incident_upload": lambda w: {"pk": w.version.pk},
    "incident_preview": lambda w: {"pk": w.version.pk, "token": _token(w)},
    "incident_history": lambda w: {"pk": w.version.pk},
    "incident_undo": lambda w: {"pk": w.version.pk, "batch": _batch(w)},
    "incident_indicator": lambda w: {"pk": w.indicator.pk},
}
POST_ONLY: set[str] = set()  # undo: GET is its confirmation page
