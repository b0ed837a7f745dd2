"""URL arguments for the persona tests in tests/test_access.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.factories import World

ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "indicator_kolada": lambda w: {"pk": w.indicator.pk},
    "version_publicdata": lambda w: {"pk": w.version.pk},
}
