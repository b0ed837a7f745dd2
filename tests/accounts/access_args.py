"""People-page URLs for the persona tests in tests/test_access.py (administrators only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lsoplan.accounts.models import Membership
from tests.factories import World


def _reader(w: World) -> dict[str, Any]:
    return {"slug": w.org.slug, "pk": Membership.objects.get(user=w.reader, organisation=w.org).pk}


ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "people": lambda w: {"slug": w.org.slug},
    "person_add": lambda w: {"slug": w.org.slug},
    "person_role": _reader,
    "person_deactivate": _reader,
    "person_reactivate": _reader,
}
POST_ONLY = {"person_role", "person_reactivate"}
# A redaktör is a member but not an administratör: these answer 403 to the persona tests' member.
ADMIN_ONLY = {"people", "person_add", "person_deactivate"}
