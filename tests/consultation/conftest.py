from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_and_uploads(settings: LazySettings, tmp_path: Path) -> None:
    """Each test starts with no counted requests and its own upload folder."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "uploads"
