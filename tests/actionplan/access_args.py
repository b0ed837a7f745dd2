"""URL arguments for the access tests (tests/test_access.py) of the action plan and adoption pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.factories import World

ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "version_actionplan": lambda w: {"pk": w.version.pk},
    "measure_status": lambda w: {"pk": w.measure.pk},
    "version_adoption_correct": lambda w: {"pk": w.version.pk},
}
ADMIN_ONLY = {"version_adoption_correct"}
