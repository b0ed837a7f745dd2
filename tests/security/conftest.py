"""The browser of tests/browser, and a page that, unlike theirs, does not bypass the
Content-Security-Policy (they inject axe-core as an inline script; this checks the policy)."""

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def csp_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
