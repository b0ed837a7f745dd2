"""The readable API reference: rendered by lsoplan from the OpenAPI document, reachable from the UI."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.api.main import api

pytestmark = pytest.mark.django_db


def test_the_reference_lists_every_operation(anonymous: Client) -> None:
    page = anonymous.get(reverse("api_reference")).content.decode()
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert f"{method.upper()} {path}" in page
            assert operation["summary"] in page


def test_the_reference_loads_nothing_from_elsewhere(anonymous: Client) -> None:
    page = anonymous.get(reverse("api_reference")).content.decode()
    assert "cdn" not in page.lower() and 'src="http' not in page


def test_every_page_links_to_the_reference(editor: Client) -> None:
    page = editor.get(reverse("programme_list")).content.decode()
    assert f'href="{reverse("api_reference")}"' in page
    assert f'href="{reverse("api_tokens")}"' in page
