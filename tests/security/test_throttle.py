"""Login throttling: repeated failures lock the name (per address) and the address, in Swedish."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from lsoplan.ops.models import LoginFailure
from lsoplan.ops.throttle import client_address
from tests.factories import PASSWORD, World


def _post(client: Client, username: str, password: str, address: str = "10.0.0.1") -> int:
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )
    if response.status_code == 429:
        assert "För många misslyckade inloggningsförsök" in response.content.decode()
    return response.status_code


@pytest.mark.django_db
@override_settings(LSOPLAN_LOGIN_MAX_FAILURES=3, LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS=10)
def test_a_name_is_locked_after_repeated_failures(world: World) -> None:
    client = Client()
    name = world.editor.username
    assert [_post(client, name, "fel-lösenord") for _ in range(3)] == [200, 200, 200]
    # Locked: even the right password is not checked now.
    assert _post(client, name, PASSWORD) == 429
    assert "_auth_user_id" not in client.session
    # The same name from another address, and another name from this one, are not locked.
    assert _post(Client(), name, PASSWORD, address="10.0.0.2") == 302
    assert _post(Client(), world.reader.username, PASSWORD) == 302
    # When the window has passed, the name can log in again, which clears its failures.
    LoginFailure.objects.update(at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert _post(client, name, PASSWORD) == 302
    assert not LoginFailure.objects.filter(username=name, address="10.0.0.1").exists()


@pytest.mark.django_db
@override_settings(LSOPLAN_LOGIN_MAX_FAILURES=100, LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS=5)
def test_an_address_trying_many_names_is_locked(world: World) -> None:
    client = Client()
    for n in range(5):
        assert _post(client, f"gissning{n}", "fel-lösenord") == 200
    assert _post(client, world.editor.username, PASSWORD) == 429
    assert _post(Client(), world.editor.username, PASSWORD, address="10.0.0.9") == 302


@pytest.mark.django_db
def test_names_are_counted_case_insensitively(world: World) -> None:
    with override_settings(LSOPLAN_LOGIN_MAX_FAILURES=2):
        client = Client()
        _post(client, "Alfa-Redaktor", "fel")
        _post(client, "alfa-redaktor ", "fel")
        assert _post(client, world.editor.username, PASSWORD) == 429


def test_client_address_trusts_only_our_own_proxies(rf: pytest.FixtureRequest) -> None:
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")  # type: ignore[attr-defined]
    with override_settings(LSOPLAN_PROXY_COUNT=0):
        assert client_address(request) == "127.0.0.1"
    with override_settings(LSOPLAN_PROXY_COUNT=1):
        # The proxy appended the address it saw; what the client wrote before it is not trusted.
        assert client_address(request) == "203.0.113.7"
