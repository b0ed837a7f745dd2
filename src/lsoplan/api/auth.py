"""Bearer tokens: who is calling, for which organisation, and how often.

``TokenAuth`` sets ``request.user`` to the token's user, so the same ``get_for_user``/
``require_role`` checks as the web views apply; every lookup is further narrowed to the token's
organisation (a user in two organisations holds one token per organisation). The user's role is
read at request time: a write token of someone who has since become läsare writes nothing.
"""

from __future__ import annotations

import time
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from ninja.security import HttpBearer

from lsoplan.accounts.access import get_for_user, membership, require_role
from lsoplan.accounts.models import Role
from lsoplan.api import tokens
from lsoplan.api.errors import ApiError
from lsoplan.api.models import ApiToken, Scope
from lsoplan.audit.services import Actor

M = TypeVar("M", bound=models.Model)


def _rate() -> tuple[int, int]:
    return int(getattr(settings, "LSOPLAN_API_RATE", 120)), int(
        getattr(settings, "LSOPLAN_API_RATE_SECONDS", 60)
    )


def throttle(token: ApiToken) -> None:
    """A fixed window per token in the cache; the answer says when the window ends."""
    limit, seconds = _rate()
    now = time.time()
    window = int(now // seconds)
    key = f"lsoplan:api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    if count > limit:
        wait = max(1, int((window + 1) * seconds - now) + 1)
        raise ApiError(
            429,
            "for_manga_anrop",
            f"För många anrop med den här API-nyckeln (högst {limit} på {seconds} sekunder). "
            f"Försök igen om {wait} sekunder.",
            headers={"Retry-After": str(wait)},
        )


class TokenAuth(HttpBearer):
    openapi_description = "En API-nyckel skapad under Konto → API-nycklar eller med `lsoplan token create`."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = tokens.find(token.strip())
        if found is None:
            raise ApiError(401, "nyckel_ogiltig", "API-nyckeln är okänd.")
        if found.revoked_at is not None:
            raise ApiError(401, "nyckel_aterkallad", "API-nyckeln är återkallad.")
        if found.is_expired:
            raise ApiError(401, "nyckel_utgangen", "API-nyckeln har gått ut. Skapa en ny.")
        if not found.user.is_active or membership(found.user, found.organisation_id) is None:
            raise ApiError(
                401, "nyckel_ogiltig", "Nyckelns ägare är inte längre aktiv medlem i organisationen."
            )
        throttle(found)
        request.user = found.user
        tokens.mark_used(found)
        return found


def token_of(request: HttpRequest) -> ApiToken:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return token


def scoped(request: HttpRequest, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    return queryset.filter(organisation_id=token_of(request).organisation_id)


def get_object(request: HttpRequest, queryset: models.QuerySet[M], pk: Any) -> M:
    """One object of the token's organisation; 404 for anything else (as the web views)."""
    return get_for_user(request.user, scoped(request, queryset), pk=pk)


def require_write(request: HttpRequest, obj: Any) -> None:
    """A write token and, today, a role that may edit (403 either way)."""
    if token_of(request).scope != Scope.WRITE:
        raise ApiError(403, "endast_lasning", "API-nyckeln får bara läsa (behörigheten read).")
    try:
        require_role(request.user, obj, Role.REDAKTOR)
    except PermissionDenied:
        raise ApiError(
            403, "behorighet_saknas", "Din roll i organisationen (läsare) tillåter inte ändringar."
        ) from None


def actor(request: HttpRequest) -> Actor:
    """Writes through the API are audited as ``api:<token name>``, with the token's user."""
    return Actor(request.user, f"api:{token_of(request).name}")
