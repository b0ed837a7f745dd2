"""Capability-over-area URLs for the persona tests in tests/test_access.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.factories import World

ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "version_capability": lambda w: {"pk": w.version.pk},
    "station_create": lambda w: {"pk": w.version.pk},
    "areas_upload": lambda w: {"pk": w.version.pk},
}
