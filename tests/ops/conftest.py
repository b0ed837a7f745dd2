"""Every backup test signs with its own key file, never the developer's LSOPLAN_HOME key."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def backup_key_file(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path_factory.mktemp("nyckel") / "backup_key"
    monkeypatch.setenv("LSOPLAN_BACKUP_KEY_FILE", str(path))
    monkeypatch.delenv("LSOPLAN_BACKUP_KEY", raising=False)
    return path
