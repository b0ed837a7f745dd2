"""Public-page URLs for the persona tests in tests/test_access.py: no login ("anonymous public")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.factories import World


def _slug(w: World) -> dict[str, Any]:
    return {"slug": w.org.slug}


ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "public_home": _slug,
    "public_programme": _slug,
    "public_programme_pdf": _slug,
    "public_goals": _slug,
    "public_followup_pdf": _slug,
    "public_statistics": _slug,
    "public_comment": _slug,
    "public_comment_thanks": _slug,
    "public_privacy": _slug,
    "public_open_programme": _slug,
    "public_open_goals": _slug,
}
PUBLIC = set(ARGS)
