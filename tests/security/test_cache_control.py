"""Logged-in pages and downloads are never stored by a cache; public static files still are."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, World


@pytest.fixture
def editor(world: World) -> Client:
    client = Client()
    assert client.login(username=world.editor.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_an_authenticated_page_is_private_and_not_stored(editor: Client, world: World) -> None:
    response = editor.get(reverse("version_goals", kwargs={"pk": world.version.pk}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_an_authenticated_redirect_is_private_and_not_stored(editor: Client) -> None:
    assert editor.get(reverse("home"))["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_a_document_download_is_private_and_not_stored(editor: Client, world: World) -> None:
    url = reverse("version_document_file", kwargs={"pk": world.version.pk, "kind": "listor", "fmt": "xlsx"})
    response = editor.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"


def test_a_static_file_keeps_its_own_cache_lifetime(client: Client) -> None:
    response = client.get("/static/lsoplan/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
