"""Consultation URLs for the persona tests in tests/test_access.py.

The pages without login (a party's link, the public remiss) are in PUBLIC: their own tests
(``test_party_persona.py``) check that a link reaches only its own version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.consultation import helpers
from tests.factories import World


def _version(w: World) -> dict[str, Any]:
    helpers.on_remiss(w)
    return {"pk": w.version.pk}


ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "consultation": _version,
    "consultation_party_add": _version,
    "consultation_parties_from_list": _version,
    "consultation_links": _version,
    "consultation_public": _version,
    "consultation_report": lambda w: _version(w) | {"fmt": "docx"},
    "consultation_revoke": lambda w: {"pk": helpers.link(w)[0].pk},
    "consultation_attachment": lambda w: {"pk": helpers.with_attachment(w).pk},
    "remiss_party": lambda w: {"token": "x" * 43},
    "remiss_party_pdf": lambda w: {"token": "x" * 43},
    "remiss_public": lambda w: {"slug": w.org.slug},
    "remiss_public_pdf": lambda w: {"slug": w.org.slug},
}
POST_ONLY = {
    "consultation_party_add",
    "consultation_parties_from_list",
    "consultation_links",
    "consultation_public",
    "consultation_revoke",
}
PUBLIC = {"remiss_party", "remiss_party_pdf", "remiss_public", "remiss_public_pdf"}
