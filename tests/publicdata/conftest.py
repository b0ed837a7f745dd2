"""Public-data tests run offline: recorded responses only, never the network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings

from lsoplan.lib.publicdata.http import RecordedTransport
from lsoplan.publicdata.services import FIXTURES, Clients, build_clients


@pytest.fixture(autouse=True)
def _offline(settings: LazySettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.LSOPLAN_PUBLICDATA_OFFLINE = True
    settings.HOME = tmp_path
    monkeypatch.setenv("LSOPLAN_HOME", str(tmp_path))  # renewed peer files land here, not in ~


def recordings(*overrides: tuple[str, str, Any, Any]) -> RecordedTransport:
    """The shipped recordings, with some answers replaced: (method, url, body, response).

    A response given as ``str`` is sent as raw text (a broken answer).
    """
    rec = RecordedTransport(FIXTURES)
    for method, url, body, response in overrides:
        if isinstance(response, str):
            rec.add(method, url, body, None, text=response)
        else:
            rec.add(method, url, body, response)
    return rec


def live(*overrides: tuple[str, str, Any, Any]) -> Clients:
    """Clients that behave as if online (values not marked offline), answering from recordings."""
    return build_clients(offline=False, use_cache=False, transport=recordings(*overrides))


@pytest.fixture
def clients() -> Clients:
    return build_clients(offline=True, transport=recordings())
