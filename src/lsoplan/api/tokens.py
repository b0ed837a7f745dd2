"""Creating, revoking and recognising API tokens. Only the SHA-256 of a token is stored.

A token is ``lsop_`` plus 43 random URL-safe characters (256 bits): a hash without salt or
stretching is enough for a secret that long, and it lets a request find its token with one indexed
lookup. The first characters are kept in clear (``prefix``) so the owner can tell tokens apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lsoplan.accounts.access import membership
from lsoplan.accounts.models import Organisation, Role
from lsoplan.api.models import ApiToken, Scope
from lsoplan.audit import services as audit
from lsoplan.audit.services import Actor

TOKEN_PREFIX = "lsop_"
VISIBLE = 12  # "lsop_" and the first seven random characters
MAX_EXPIRY_DAYS = 3650
NAME_MAX = 80


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def _clean_name(name: str | None) -> str:
    name = (name or "").strip() or "API-nyckel"
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"Namnet får vara högst {NAME_MAX} tecken."})
    if any(ord(c) < 32 for c in name):
        raise ValidationError({"name": "Namnet får inte innehålla styrtecken."})
    return name


@transaction.atomic
def create_token(
    actor: Actor,
    *,
    organisation: Organisation,
    user: Any,
    scope: str,
    name: str | None = None,
    expires_days: int | None = None,
) -> NewToken:
    """A new token for ``user`` in ``organisation``; the secret is in the result and nowhere else."""
    found = membership(user, organisation.pk)
    if found is None:
        raise ValidationError(f"{user.get_username()} är inte aktiv medlem i {organisation.name}.")
    if scope not in Scope.values:
        raise ValidationError({"scope": "Behörigheten ska vara read eller write."})
    if scope == Scope.WRITE and not found.allows(Role.REDAKTOR):
        raise ValidationError(
            {"scope": "En läsare kan inte få en nyckel som skriver; välj behörigheten read."}
        )
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise ValidationError({"expires_days": f"Giltighetstiden ska vara 1–{MAX_EXPIRY_DAYS} dagar."})
    now = timezone.now()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = audit.create(
        actor,
        ApiToken,
        organisation=organisation,
        user=user,
        name=_clean_name(name),
        prefix=secret[:VISIBLE],
        digest=digest(secret),
        scope=scope,
        created_at=now,
        expires_at=now + dt.timedelta(days=expires_days) if expires_days else None,
    )
    return NewToken(token, secret)


def revoke_token(actor: Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        raise ValidationError("Nyckeln är redan återkallad.")
    return audit.update(actor, token, revoked_at=timezone.now())


def find(secret: str) -> ApiToken | None:
    """The token a request presents, whatever its state (the caller says why it is refused)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return ApiToken.objects.select_related("organisation", "user").filter(digest=digest(secret)).first()


def tokens_of(user: Any) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).select_related("organisation"))


def mark_used(token: ApiToken) -> None:
    """At most one write a minute per token, so reading through the API stays a read."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
