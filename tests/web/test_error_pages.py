"""Error pages are Swedish and in the site layout, with DEBUG off (as in production)."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.test import Client, RequestFactory
from django.urls import reverse

from lsoplan import urls
from lsoplan.web.views import server_error
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings: LazySettings) -> None:
    settings.DEBUG = False


def test_missing_page_is_swedish_in_the_layout(editor: Client) -> None:
    response = editor.get("/finns-inte/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Sidan finns inte" in page and 'class="site"' in page and "Not Found" not in page


def test_another_organisations_object_reads_as_missing_in_swedish(world: World, outsider: Client) -> None:
    response = outsider.get(reverse("risk_detail", kwargs={"pk": world.risk.pk}))
    assert response.status_code == 404 and "Sidan finns inte" in response.content.decode()


def test_reader_refused_sees_swedish_reason(world: World, reader: Client) -> None:
    response = reader.get(reverse("risk_edit", kwargs={"pk": world.risk.pk}))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Åtkomst nekad" in page and "Din roll tillåter inte ändringar." in page and "Forbidden" not in page


def test_server_error_page_is_swedish_without_a_database_lookup() -> None:
    request = RequestFactory().get("/")
    response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500 and "Något gick fel" in page and 'lang="sv"' in page


def test_the_url_configuration_names_the_swedish_handlers() -> None:
    assert urls.handler404 == "lsoplan.web.views.page_not_found"
    assert urls.handler500 == "lsoplan.web.views.server_error"
    assert urls.handler403 == "lsoplan.web.views.permission_denied"


def test_csrf_failure_is_swedish(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in page and "CSRF verification failed" not in page
