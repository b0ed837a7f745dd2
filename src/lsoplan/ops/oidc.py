"""Single sign-on with OpenID Connect: who the user is, and which organisations and roles they get.

The identity provider is the authority for its users: at every login the user's memberships are set
to exactly what the claims grant, so removing someone from a group in Entra ID removes their access
here at their next login. A login whose claims grant nothing is refused with a Swedish message.

Claims → grants: each value of the groups claim (``LSOPLAN_OIDC_GROUPS_CLAIM``, default ``groups``;
Entra sends group object ids there, or app roles in ``roles``) is looked up in the role map
(``LSOPLAN_OIDC_ROLE_MAP``), which maps it to one or more ``"slug:role"``. With
``LSOPLAN_OIDC_DIRECT_ROLES`` a value that already reads ``"slug:role"`` is taken as it is. Several
grants for one organisation give the highest role.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jwt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from lsoplan.accounts.models import ROLE_RANK, Membership, Organisation, Role
from lsoplan.audit import services as audit
from lsoplan.audit.services import Actor

log = logging.getLogger(__name__)

GRANT = re.compile(r"^(?P<slug>[-a-zA-Z0-9_]+):(?P<role>lasare|redaktor|administrator)$")
SSO_ACTOR = Actor(None, "inloggning (SSO)")
NO_ACCESS = (
    "Inloggningen via din organisation lyckades, men ditt konto har ingen behörighet i lsoplan. "
    "Be din administratör att lägga till dig i rätt grupp."
)
LOCAL_ACCOUNT = (
    "Det finns redan ett lokalt konto med samma användarnamn. Logga in med lösenord, eller be "
    "administratören ta bort lösenordet från det lokala kontot."
)
FAILED = "Inloggningen via din organisation misslyckades. Försök igen eller kontakta din administratör."


def parse_role_map(text: str) -> dict[str, list[str]]:
    """The role map as claim value → list of "slug:role"; a bad map stops the server from starting."""
    if text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    try:
        raw = json.loads(text or "{}")
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"LSOPLAN_OIDC_ROLE_MAP är inte giltig JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise ImproperlyConfigured("LSOPLAN_OIDC_ROLE_MAP ska vara ett JSON-objekt.")
    result: dict[str, list[str]] = {}
    for key, value in raw.items():
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) and GRANT.match(v) for v in values):
            raise ImproperlyConfigured(
                f'LSOPLAN_OIDC_ROLE_MAP: värdet för "{key}" ska vara "slug:roll" eller en lista av '
                "sådana, med rollen lasare, redaktor eller administrator."
            )
        result[str(key)] = list(values)
    return result


def _role_rank(role: str) -> int:
    return ROLE_RANK[Role(role)]


def _claim_values(claims: Mapping[str, Any], name: str) -> list[str]:
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


def grants_from_claims(
    claims: Mapping[str, Any], *, groups_claim: str, role_map: Mapping[str, list[str]], direct: bool
) -> dict[str, str]:
    """Organisation slug → the highest role the claims grant there."""
    grants: dict[str, str] = {}
    for value in _claim_values(claims, groups_claim):
        targets = list(role_map.get(value, []))
        if direct and GRANT.match(value):
            targets.append(value)
        for target in targets:
            slug, role = target.split(":", 1)
            if slug not in grants or _role_rank(role) > _role_rank(grants[slug]):
                grants[slug] = role
    return grants


@transaction.atomic
def sync_memberships(user: Any, grants: Mapping[str, str], actor: Actor = SSO_ACTOR) -> None:
    """Make the user's memberships exactly ``grants``; every change goes to the audit trail."""
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=list(grants))}
    unknown = sorted(set(grants) - set(organisations))
    if unknown:
        log.warning("SSO: okända organisationer i rollmappningen: %s", ", ".join(unknown))
    current = {
        m.organisation.slug: m for m in Membership.objects.filter(user=user).select_related("organisation")
    }
    for slug, membership in current.items():
        if slug not in organisations:
            audit.record(actor, membership, "delete", {"user": [user.get_username(), None]})
            membership.delete()
    for slug, org in organisations.items():
        role = grants[slug]
        found = current.get(slug)
        if found is None:
            created = Membership.objects.create(user=user, organisation=org, role=role)
            audit.record(
                actor, created, "create", {"user": [None, user.get_username()], "role": [None, role]}
            )
        elif found.role != role:
            audit.record(actor, found, "update", {"role": [found.role, role]})
            found.role = role
            found.save(update_fields=["role"])


class OIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, with lsoplan's user names and claim → role mapping."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set by lsoplan.ops.oidc_settings only when single sign-on is configured.
        self.username_claim: str = getattr(settings, "LSOPLAN_OIDC_USERNAME_CLAIM", "sub")
        self.groups_claim: str = getattr(settings, "LSOPLAN_OIDC_GROUPS_CLAIM", "groups")
        self.role_map = parse_role_map(getattr(settings, "LSOPLAN_OIDC_ROLE_MAP", "{}"))
        self.direct: bool = getattr(settings, "LSOPLAN_OIDC_DIRECT_ROLES", False)

    def _message(self, text: str) -> None:
        request = getattr(self, "request", None)
        if request is not None and hasattr(request, "_messages"):
            messages.error(request, text)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """Signature and nonce (the library), then audience, issuer and expiry, which it leaves out."""
        try:
            payload: dict[str, Any] = super().verify_token(token, **kwargs)
        except jwt.InvalidTokenError as exc:  # the library lets expired tokens through as a 500
            raise SuspiciousOperation(f"ID-token är ogiltig: {exc}") from exc
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID-token är utfärdad för en annan klient")
        issuer = getattr(settings, "LSOPLAN_OIDC_ISSUER", None)
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID-token kommer från en annan utfärdare")
        if "exp" not in payload:  # PyJWT checks exp only when it is present
            raise SuspiciousOperation("ID-token saknar giltighetstid")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The verified ID token's claims, plus the userinfo endpoint's when one is configured."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            extra = super().get_userinfo(access_token, id_token, payload)
            # OpenID Connect Core 5.3.2: userinfo for another subject must not be used.
            if extra.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo gäller en annan användare än ID-token")
            claims.update(extra)
        return claims

    def username_from(self, claims: Mapping[str, Any]) -> str:
        return str(claims.get(self.username_claim, "")).strip()[:150]

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(self.username_from(claims))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return get_user_model().objects.filter(username=self.username_from(claims))

    def create_user(self, claims: dict[str, Any]) -> Any:
        user = get_user_model()(username=self.username_from(claims))
        user.set_unusable_password()  # SSO users never log in with a password here
        self._copy_names(user, claims)
        user.save()
        return user

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        self._copy_names(user, claims)
        user.save(update_fields=["first_name", "last_name", "email"])
        return user

    @staticmethod
    def _copy_names(user: Any, claims: Mapping[str, Any]) -> None:
        user.first_name = str(claims.get("given_name", ""))[:150]
        user.last_name = str(claims.get("family_name", ""))[:150]
        user.email = str(claims.get("email", ""))[:254]

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            self._message(FAILED)
            raise SuspiciousOperation(f"ID-token saknar anspråket {self.username_claim}")
        grants = grants_from_claims(
            claims, groups_claim=self.groups_claim, role_map=self.role_map, direct=self.direct
        )
        known = set(Organisation.objects.filter(slug__in=list(grants)).values_list("slug", flat=True))
        if not known:
            self._message(NO_ACCESS)
            raise SuspiciousOperation("SSO-inloggning utan någon organisation")
        users = list(self.filter_users_by_claims(claims))
        if users and users[0].has_usable_password():
            # A local account of the same name: taking it over through a claim would let whoever
            # controls that claim value at the provider act as the local user.
            self._message(LOCAL_ACCOUNT)
            raise SuspiciousOperation("SSO-användarnamnet tillhör ett lokalt konto")
        with transaction.atomic():
            user = self.update_user(users[0], claims) if users else self.create_user(claims)
            sync_memberships(user, {slug: grants[slug] for slug in known})
        return user
