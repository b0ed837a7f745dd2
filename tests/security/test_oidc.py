"""Single sign-on: the whole code flow against a fake provider (no network). The ID token is signed
with a key made here; the token endpoint is replaced by a function that hands it out."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from lsoplan.accounts.models import Membership
from lsoplan.audit.models import AuditEntry
from lsoplan.ops.oidc import OIDCBackend, grants_from_claims, parse_role_map
from lsoplan.ops.oidc_settings import oidc_settings
from tests.factories import World

CLIENT_ID = "lsoplan-test"
ISSUER = "https://login.example.test/tenant/v2.0"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
ROLE_MAP = {"grupp-alfa-redaktorer": "alfa:redaktor", "grupp-alla": ["alfa:lasare", "beta:lasare"]}


@pytest.fixture
def sso(settings: Any) -> Iterator[None]:
    env = {
        "LSOPLAN_OIDC_CLIENT_ID": CLIENT_ID,
        "LSOPLAN_OIDC_CLIENT_SECRET": "hemligt",
        "LSOPLAN_OIDC_AUTHORIZATION_ENDPOINT": "https://login.example.test/authorize",
        "LSOPLAN_OIDC_TOKEN_ENDPOINT": "https://login.example.test/token",
        "LSOPLAN_OIDC_SIGN_KEY": PUBLIC_PEM,
        "LSOPLAN_OIDC_ISSUER": ISSUER,
        "LSOPLAN_OIDC_ROLE_MAP": json.dumps(ROLE_MAP),
        "LSOPLAN_OIDC_DIRECT_ROLES": "1",
    }
    for name, value in oidc_settings(env).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "lsoplan.ops.oidc.OIDCBackend"]
    settings.ROOT_URLCONF = "tests.security.oidc_urls"
    yield


def _token(nonce: str, **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": nonce, **claims}
    return jwt.encode(payload, KEY, algorithm="RS256")


def _log_in(monkeypatch: pytest.MonkeyPatch, client: Client, **claims: Any) -> Any:
    """The browser's round trip: to the provider and back with a code; returns the callback's answer."""
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["client_id"] == [CLIENT_ID] and "code_challenge" in query  # PKCE
    nonce, state = query["nonce"][0], query["state"][0]
    token = claims.pop("token", None) or _token(nonce, **claims)
    monkeypatch.setattr(
        OIDCBackend, "get_token", lambda self, payload: {"id_token": token, "access_token": "a"}
    )
    return client.get("/oidc/callback/", {"code": "kod", "state": state}, follow=True)


@pytest.mark.django_db
def test_first_login_creates_the_user_with_mapped_roles(
    sso: None, world: World, other_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    response = _log_in(
        monkeypatch, client, sub="anna-123", given_name="Anna", email="anna@kommun.se",
        groups=["grupp-alfa-redaktorer", "grupp-alla", "okand-grupp"],
    )  # fmt: skip
    assert response.status_code == 200
    assert client.session["_auth_user_id"]
    roles = dict(
        Membership.objects.filter(user__username="anna-123").values_list("organisation__slug", "role")
    )
    # The highest role wins in alfa; beta comes from the group for everyone.
    assert roles == {"alfa": "redaktor", "beta": "lasare"}
    member = Membership.objects.get(user__username="anna-123", organisation__slug="alfa")
    assert member.user.email == "anna@kommun.se" and not member.user.has_usable_password()
    assert AuditEntry.objects.filter(actor_label="inloggning (SSO)", model="accounts.membership").count() == 2


@pytest.mark.django_db
def test_roles_follow_the_provider_at_every_login(
    sso: None, world: World, other_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _log_in(monkeypatch, Client(), sub="bo", groups=["grupp-alla"])
    _log_in(monkeypatch, Client(), sub="bo", groups=["alfa:administrator"])  # a direct role value
    roles = dict(Membership.objects.filter(user__username="bo").values_list("organisation__slug", "role"))
    assert roles == {"alfa": "administrator"}


@pytest.mark.django_db
def test_no_mapped_organisation_means_no_login(
    sso: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    response = _log_in(monkeypatch, client, sub="cilla", groups=["okand-grupp", "finnsinte:redaktor"])
    assert "_auth_user_id" not in client.session
    assert "ingen behörighet i lsoplan" in response.content.decode()


@pytest.mark.django_db
def test_a_local_account_cannot_be_taken_over(
    sso: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    response = _log_in(monkeypatch, client, sub=world.editor.username, groups=["grupp-alla"])
    assert "_auth_user_id" not in client.session
    assert "lokalt konto" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [{"aud": "en-annan-klient"}, {"iss": "https://annan.example.test"}, {"exp": int(time.time()) - 10}],
)
def test_tokens_for_others_or_expired_are_refused(
    sso: None, world: World, monkeypatch: pytest.MonkeyPatch, change: dict[str, Any]
) -> None:
    client = Client()
    start = client.get("/oidc/authenticate/")
    query = parse_qs(urlparse(start["Location"]).query)
    token = jwt.encode(
        {"iss": ISSUER, "aud": CLIENT_ID, "exp": int(time.time()) + 300, "nonce": query["nonce"][0],
         "sub": "dan", "groups": ["grupp-alla"], **change},
        KEY, algorithm="RS256",
    )  # fmt: skip
    monkeypatch.setattr(
        OIDCBackend, "get_token", lambda self, payload: {"id_token": token, "access_token": "a"}
    )
    client.get("/oidc/callback/", {"code": "kod", "state": query["state"][0]})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_token_signed_with_another_key_is_refused(
    sso: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    start = client.get("/oidc/authenticate/")
    query = parse_qs(urlparse(start["Location"]).query)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(
        {"iss": ISSUER, "aud": CLIENT_ID, "exp": int(time.time()) + 300, "nonce": query["nonce"][0],
         "sub": "eva", "groups": ["grupp-alla"]},
        other, algorithm="RS256",
    )  # fmt: skip
    monkeypatch.setattr(
        OIDCBackend, "get_token", lambda self, payload: {"id_token": token, "access_token": "a"}
    )
    client.get("/oidc/callback/", {"code": "kod", "state": query["state"][0]})
    assert "_auth_user_id" not in client.session


def test_grants_from_claims() -> None:
    role_map = parse_role_map(json.dumps(ROLE_MAP))
    claims = {"roles": ["grupp-alla", "beta:redaktor"]}
    assert grants_from_claims(claims, groups_claim="roles", role_map=role_map, direct=False) == {
        "alfa": "lasare",
        "beta": "lasare",
    }
    assert grants_from_claims(claims, groups_claim="roles", role_map=role_map, direct=True) == {
        "alfa": "lasare",
        "beta": "redaktor",
    }
    assert grants_from_claims({"groups": "grupp-alfa-redaktorer"}, groups_claim="groups", role_map=role_map,
                              direct=False) == {"alfa": "redaktor"}  # fmt: skip


@pytest.mark.parametrize("bad", ["inte json", "[1, 2]", '{"g": "alfa:chef"}', '{"g": ["alfa"]}'])
def test_a_bad_role_map_stops_the_server(bad: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="LSOPLAN_OIDC_ROLE_MAP"):
        parse_role_map(bad)


def test_entra_tenant_fills_in_the_endpoints() -> None:
    values = oidc_settings(
        {"LSOPLAN_OIDC_CLIENT_ID": "x", "LSOPLAN_OIDC_ENTRA_TENANT": "kommun.onmicrosoft.com"}
    )
    base = "https://login.microsoftonline.com/kommun.onmicrosoft.com"
    assert values["OIDC_OP_AUTHORIZATION_ENDPOINT"] == f"{base}/oauth2/v2.0/authorize"
    assert values["OIDC_OP_JWKS_ENDPOINT"] == f"{base}/discovery/v2.0/keys"
    assert values["LSOPLAN_OIDC_ISSUER"] == f"{base}/v2.0"
    assert values["OIDC_RP_SIGN_ALGO"] == "RS256"


@override_settings(LSOPLAN_OIDC_ENABLED=False)
def test_sso_is_off_unless_configured() -> None:
    from django.conf import settings

    assert "lsoplan.ops.oidc.OIDCBackend" not in settings.AUTHENTICATION_BACKENDS
