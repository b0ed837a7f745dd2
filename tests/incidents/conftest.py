from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def _own_upload_folder(settings: LazySettings, tmp_path: Path) -> None:
    """Each test keeps its uploads apart, so a stored file cannot leak into the next test."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
