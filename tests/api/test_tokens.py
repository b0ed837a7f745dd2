"""API tokens: stored hashed, made by a user for themselves (shown once), revoked with confirmation,
never more than the user's role or organisation; and `lsoplan token create`."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.accounts.models import Membership
from lsoplan.accounts.services import add_member, deactivate_member
from lsoplan.api.models import ApiToken
from lsoplan.api.tokens import digest
from lsoplan.audit.models import AuditEntry
from lsoplan.cli import main
from tests.api.support import api, new_token
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"lsop_[A-Za-z0-9_-]{43}")


def test_a_token_is_stored_only_as_its_hash(world: World) -> None:
    secret = new_token(world.editor, world)
    row = ApiToken.objects.get()
    assert row.digest == digest(secret) and secret not in str(ApiToken.objects.values().get())
    assert secret.startswith(row.prefix)


def test_the_web_page_shows_a_new_token_once(world: World, editor: Client) -> None:
    body = {"organisation": world.org.pk, "name": "Stratsys", "scope": "read", "expires_days": 30}
    response = editor.post(reverse("api_tokens"), body)
    (secret,) = set(TOKEN.findall(response.content.decode()))  # the token and the curl example
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert secret not in editor.get(reverse("api_tokens")).content.decode()
    assert api(secret).get("/api/v1/programmes").status_code == 200


def test_a_reader_cannot_make_a_write_token(world: World, reader: Client) -> None:
    body = {"organisation": world.org.pk, "name": "X", "scope": "write"}
    response = reader.post(reverse("api_tokens"), body)
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_user_cannot_make_a_token_for_an_organisation_they_are_not_in(
    world: World, other_world: World, editor: Client
) -> None:
    body = {"organisation": other_world.org.pk, "name": "X", "scope": "read"}
    assert editor.post(reverse("api_tokens"), body).status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_asks_first(world: World, editor: Client) -> None:
    secret = new_token(world.editor, world)
    token = ApiToken.objects.get()
    assert editor.get(reverse("api_token_revoke", kwargs={"pk": token.pk})).status_code == 200
    assert api(secret).get("/api/v1/programmes").status_code == 200


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(world: World, editor: Client) -> None:
    secret = new_token(world.editor, world)
    token = ApiToken.objects.get()
    editor.post(reverse("api_token_revoke", kwargs={"pk": token.pk}))
    assert api(secret).get("/api/v1/programmes").status_code == 401
    assert AuditEntry.objects.filter(model="api.apitoken", action="update", object_id=str(token.pk)).exists()


def test_another_users_token_cannot_be_revoked(world: World, reader: Client) -> None:
    secret = new_token(world.editor, world)
    token = ApiToken.objects.get()
    assert reader.post(reverse("api_token_revoke", kwargs={"pk": token.pk})).status_code == 404
    assert api(secret).get("/api/v1/programmes").status_code == 200


def test_a_deactivated_members_token_is_refused(world: World) -> None:
    secret = new_token(world.editor, world, "write")
    deactivate_member(SYSTEM, Membership.objects.get(user=world.editor, organisation=world.org))
    response = api(secret).get("/api/v1/programmes")
    assert response.status_code == 401 and response.json()["code"] == "nyckel_ogiltig"


def test_a_token_reaches_only_its_own_organisation(world: World, other_world: World) -> None:
    add_member(SYSTEM, world.editor, other_world.org, "redaktor")  # the user is in both
    client = api(new_token(world.editor, world))
    assert client.get(f"/api/v1/programmes/{other_world.programme.pk}").status_code == 404
    assert [p["id"] for p in client.get("/api/v1/programmes").json()["items"]] == [world.programme.pk]


def test_cli_prints_the_token_as_its_last_line(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["token", "create", "--org", world.org.slug, "--user", world.editor.username, "--scope", "write"]
    assert main([*argv, "--expires", "90", "--name", "Stratsys"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert TOKEN.fullmatch(last)
    token = ApiToken.objects.get(digest=digest(last))
    assert (token.name, token.scope, token.user_id) == ("Stratsys", "write", world.editor.pk)
    assert token.expires_at is not None


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["--org", "finns-inte", "--user", "alfa-redaktor", "--scope", "read"], 2, "finns-inte"),
        (["--org", "alfa", "--user", "ingen", "--scope", "read"], 2, "ingen"),
        (["--org", "alfa", "--user", "alfa-redaktor", "--scope", "admin"], 2, "admin"),
        (["--org", "alfa", "--user", "alfa-redaktor", "--scope", "read", "--expires", "0"], 2, "--expires"),
        (["--org", "alfa", "--user", "alfa-lasare", "--scope", "write"], 1, "läsare"),
        (["--org", "beta", "--user", "alfa-redaktor", "--scope", "read"], 1, "medlem"),
    ],
)
def test_cli_refuses_in_one_line(
    world: World,
    other_world: World,
    argv: list[str],
    code: int,
    fragment: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["token", "create", *argv]) == code
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and fragment in err
    assert not ApiToken.objects.exists()
