"""Dokument URLs for the persona tests in tests/test_access.py (version_documents is listed there)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.factories import World

ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "version_documents": lambda w: {"pk": w.version.pk},
    # The Excel lists: the quickest file to build, so the persona tests stay fast.
    "version_document_file": lambda w: {"pk": w.version.pk, "kind": "listor", "fmt": "xlsx"},
    "version_diff": lambda w: {"pk": w.version.pk},
    "version_document_retry": lambda w: {"pk": w.version.pk, "kind": "listor", "fmt": "xlsx"},
}
POST_ONLY = {"version_document_retry"}
