"""axe-core on the Utvärdering and Lärande pages (no serious or critical WCAG 2.1 AA violation),
at desktop and phone widths, plus the closing rule as a planner meets it in the browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from lsoplan.accounts.services import create_user
from lsoplan.evaluation import services
from lsoplan.evaluation.models import Evaluation
from tests.browser.conftest import axe_violations, login
from tests.evaluation import helpers
from tests.factories import PASSWORD, SYSTEM, World, build_world


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """As the shared fixture, but bypassing the site's Content-Security-Policy: axe-core is injected
    as an inline script, which the policy (rightly) blocks. Drop this once tests/browser/conftest.py
    does the same."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def live_world(transactional_db: None) -> World:
    w = build_world("axe", ["0484", "0486"])
    # An administrator sees every form, including the cost parameters'.
    create_user(SYSTEM, username="axe-admin", organisation=w.org, role="administrator", password=PASSWORD)
    return w


def _pages(w: World) -> list[str]:
    v = w.version.pk
    survey = helpers.survey(w)
    evaluation = helpers.evaluation(w, surveys=[survey], why="Fler hembesök i utsatta områden.")
    action = helpers.action(w, evaluation=evaluation)
    analysis = helpers.analysis(w)
    closed = services.create_evaluation(SYSTEM, w.performance_goal, period_start=2027, period_end=2027)
    services.close_evaluation(SYSTEM, closed, assessment="kan_inte_bedomas", no_action_reason="För tidigt.")
    return [
        reverse("version_evaluation", kwargs={"pk": v}),
        reverse("evaluation_create", kwargs={"kind": "sakerhetsmal", "pk": w.safety_goal.pk}),
        reverse("evaluation_detail", kwargs={"pk": evaluation.pk}),
        reverse("evaluation_detail", kwargs={"pk": closed.pk}),
        reverse("evaluation_edit", kwargs={"pk": evaluation.pk}),
        reverse("version_learning", kwargs={"pk": v}),
        reverse("action_create", kwargs={"pk": v}) + "?kalla=egenkontroll&regel=HP-12&korning=5",
        reverse("action_edit", kwargs={"pk": action.pk}),
        reverse("survey_list", kwargs={"pk": v}),
        reverse("survey_detail", kwargs={"pk": v, "survey": survey.pk}),
        reverse("costbenefit_list", kwargs={"pk": v}),
        reverse("costbenefit_create", kwargs={"pk": v}),
        reverse("costbenefit_detail", kwargs={"pk": analysis.pk}),
        reverse("cost_parameters", kwargs={"pk": v}),
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_violations(page: Any, live_server: Any, live_world: World, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server.url, "axe-admin", PASSWORD)
    problems = {}
    for path in _pages(live_world):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        found = axe_violations(page)
        if found:
            problems[path] = found
    assert problems == {}


def test_closing_rule_in_the_browser(page: Any, live_server: Any, live_world: World) -> None:
    evaluation = helpers.evaluation(live_world)
    login(page, live_server.url, live_world.editor.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('evaluation_detail', kwargs={'pk': evaluation.pk})}")
    page.get_by_label("Samlad bedömning").select_option("inte_uppnatt")
    page.get_by_role("button", name="Avsluta utvärderingen").click()
    page.get_by_text("Koppla minst en förbättringsåtgärd till utvärderingen").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Ny förbättringsåtgärd").click()
    page.get_by_label("Åtgärd").fill("Riktade hembesök")
    page.get_by_label("Ansvarig").fill("Förebyggande")
    page.get_by_role("button", name="Spara åtgärden").click()
    page.get_by_role("heading", name="Förbättringsåtgärder").wait_for()
    page.get_by_label("Samlad bedömning").select_option("inte_uppnatt")
    page.get_by_role("button", name="Avsluta utvärderingen").click()
    page.get_by_role("heading", name="Utvärderingen är avslutad").wait_for()
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert evaluation.status == "avslutad"
