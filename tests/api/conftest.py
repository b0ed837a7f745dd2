from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_api_state(settings: LazySettings, tmp_path: Path) -> None:
    """Each test starts with empty rate-limit counters and its own upload folder."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def settings_for_api(settings: LazySettings) -> None:
    """No rate limit while a property-based run sends hundreds of requests."""
    settings.LSOPLAN_API_RATE = 1_000_000
