"""Programme URLs for the persona tests in tests/test_access.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lsoplan.programmes.models import Chapter
from tests.factories import World

ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "chapter_preview": lambda w: {"pk": Chapter.objects.filter(version=w.version).first().pk},  # type: ignore[union-attr]
}
POST_ONLY = {"chapter_preview"}
