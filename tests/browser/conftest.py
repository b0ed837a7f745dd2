"""Browser-test helpers for this folder; the fixtures live in tests/browser_support.py."""

from __future__ import annotations

from tests.browser_support import AXE, CHROMIUM, axe_violations, login

__all__ = ["AXE", "CHROMIUM", "axe_violations", "login"]
