"""Look-alike user names: one canonical name (NFKC, case-folded) at login, throttling and creation.

Decision: a spelling that NFKC folds to the real name (fullwidth ``ａｌｆａ``, upper case) *is* that
name, so it reaches the same account and the same failure count: with the right password and no
lock it logs in as that account, as Django's own login form (which applies NFKC) already intended.
A look-alike that NFKC does not fold (Cyrillic ``а``) is another name: it matches no account.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from lsoplan.accounts.services import create_user
from lsoplan.lib.usernames import canonical_username
from lsoplan.ops.models import LoginFailure
from tests.factories import PASSWORD, SYSTEM, World

FULLWIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "abcdefghijklmnopqrstuvwxyz-"})


def _post(client: Client, username: str, password: str) -> int:
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1"
    )
    return response.status_code


def test_fullwidth_and_upper_case_spellings_have_the_same_canonical_name() -> None:
    assert canonical_username("ａｌｆａ-REDAKTOR") == canonical_username("alfa-redaktor") == "alfa-redaktor"
    assert canonical_username("ｇranne") == "granne"


def test_a_cyrillic_look_alike_is_another_name() -> None:
    assert canonical_username("gr\u0430nne") != "granne"


@pytest.mark.django_db
@override_settings(LSOPLAN_LOGIN_MAX_FAILURES=5)
def test_a_fullwidth_spelling_is_locked_with_the_real_name(world: World) -> None:
    client = Client()
    name = world.editor.username
    for _ in range(5):
        assert _post(client, name, "fel-lösenord") == 200
    # A single fullwidth letter used to open a fresh count and have the password checked.
    assert _post(client, "ａ" + name[1:], PASSWORD) == 429
    assert _post(client, name.translate(FULLWIDTH), PASSWORD) == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(LSOPLAN_LOGIN_MAX_FAILURES=5)
def test_failures_under_look_alike_spellings_add_to_one_count(world: World) -> None:
    client = Client()
    name = world.editor.username
    spellings = [name, name.upper(), name.translate(FULLWIDTH), "ａ" + name[1:], f" {name} "]
    for spelling in spellings:
        assert _post(client, spelling, "fel-lösenord") == 200
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {name}
    assert _post(client, name, PASSWORD) == 429


@pytest.mark.django_db
def test_the_fullwidth_name_with_the_right_password_is_the_same_account(world: World) -> None:
    client = Client()
    assert _post(client, world.editor.username.translate(FULLWIDTH), PASSWORD) == 302
    assert client.session["_auth_user_id"] == str(world.editor.pk)


@pytest.mark.django_db
def test_a_cyrillic_look_alike_with_the_right_password_does_not_log_in(world: World) -> None:
    client = Client()
    assert _post(client, world.editor.username.replace("a", "\u0430"), PASSWORD) == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_new_account_is_stored_under_its_canonical_name(world: World) -> None:
    user = create_user(SYSTEM, username="ＡＮＮＡ", organisation=world.org, role="lasare")
    assert user.username == "anna"


@pytest.mark.django_db
def test_creating_a_look_alike_of_an_existing_name_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="upptaget"):
        create_user(
            SYSTEM, username=world.editor.username.translate(FULLWIDTH), organisation=world.org, role="lasare"
        )


@pytest.mark.django_db
def test_an_account_created_with_upper_case_before_still_logs_in(world: World) -> None:
    from django.contrib.auth.models import User

    User.objects.create_user("Gammal-Användare", password=PASSWORD)
    assert _post(Client(), "Gammal-Användare", PASSWORD) == 302
    assert _post(Client(), "gammal-användare", PASSWORD) == 302
