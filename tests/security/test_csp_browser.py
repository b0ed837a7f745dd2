"""Every page in a real browser: not one Content-Security-Policy violation, and the charts still
draw. Violations are caught by the page's own securitypolicyviolation event (which also fires when
the policy is only reported, LSOPLAN_CSP_ENFORCE=0)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser.conftest import login
from tests.factories import PASSWORD, World, build_world
from tests.test_access import ARGS, POST_ONLY, PUBLIC

pytestmark = pytest.mark.browser

LISTEN = """document.addEventListener('securitypolicyviolation', e => {
  (window.__csp = window.__csp || []).push([e.violatedDirective, e.blockedURI, e.sourceFile || '']);
});"""
INTERPRETER = Path(settings.BASE_DIR) / "web" / "static" / "vendor" / "vega-interpreter.min.js"


@pytest.fixture
def live_world(transactional_db: None) -> World:
    return build_world("csp", ["0484", "0486"])


def test_no_page_violates_the_policy(csp_page: Any, live_server: Any, live_world: World) -> None:
    page = csp_page
    page.add_init_script(LISTEN)
    names = sorted(n for n in ARGS if n not in PUBLIC and n not in POST_ONLY)
    urls = {n: reverse(n, kwargs=ARGS[n](live_world) if ARGS[n] else None) for n in names}  # type: ignore[misc]
    login(page, live_server.url, live_world.editor.username, PASSWORD)
    violations: dict[str, list[Any]] = {}
    for name, url in urls.items():
        head = page.request.get(f"{live_server.url}{url}")
        if "text/html" not in head.headers.get("content-type", ""):
            continue  # a download (xlsx, docx, csv): no page to run scripts in
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        if found := page.evaluate("window.__csp || []"):
            violations[name] = found
        if name == "version_followup":
            page.wait_for_function("document.querySelectorAll('[data-spec] svg').length > 0")
            charts = page.evaluate("document.querySelectorAll('[data-spec]').length")
            drawn = page.evaluate("document.querySelectorAll('[data-spec] svg').length")
            assert drawn == charts, "a chart did not draw"
            page.wait_for_timeout(500)  # violation events are delivered asynchronously
            violations[name] = page.evaluate("window.__csp || []")  # the charts' own, if any
    violations = {n: v for n, v in violations.items() if v}
    # Until vega's interpreter is vendored (see settings.py), vega-embed inserts its own styles.
    pending = {n: v for n, v in violations.items() if all("vega-embed" in x[2] for x in v)}
    assert {n: v for n, v in violations.items() if n not in pending} == {}
    if pending and not INTERPRETER.exists():
        pytest.xfail(f"vega-embed styles, fixed with the vendored vega-interpreter: {pending}")
    assert pending == {}


def test_demo_charts_draw_within_the_policy(csp_page: Any, live_server: Any, transactional_db: None) -> None:
    """The demo's follow-up page: ten years of values, every kind of chart the app draws."""
    from lsoplan.demo import load_demo
    from lsoplan.programmes.models import ProgrammeVersion

    info = load_demo()
    version = ProgrammeVersion.objects.get(organisation__slug=info.org_slug, status="antagen")
    page = csp_page
    page.add_init_script(LISTEN)
    login(page, live_server.url, "planerare", info.password)
    page.goto(f"{live_server.url}{reverse('version_followup', kwargs={'pk': version.pk})}")
    page.wait_for_function("document.querySelectorAll('[data-spec] svg').length > 0")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    charts = page.evaluate("document.querySelectorAll('[data-spec]').length")
    assert page.evaluate("document.querySelectorAll('[data-spec] svg').length") == charts
    found = page.evaluate("window.__csp || []")
    # The watch itself works: an inline style, as injected content would add, is reported.
    page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'p {}'")
    page.wait_for_function(f"(window.__csp || []).length > {len(found)}")
    if found and all("vega-embed" in x[2] for x in found) and not INTERPRETER.exists():
        pytest.xfail(f"vega-embed styles, fixed with the vendored vega-interpreter: {found}")
    assert found == []
