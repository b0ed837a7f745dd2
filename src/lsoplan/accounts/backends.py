"""Password login that finds an account by its canonical user name (``lib.usernames``).

Django's login form already NFKC-normalises the name, but its backend then looks the name up
exactly. This one looks up the one account whose canonical name equals the canonical input, so a
fullwidth or upper-case spelling reaches the same account — and, through ``ops.throttle``, the same
failure count. Accounts created before names were stored canonically keep working: an exact match
is tried first, and two old accounts whose names fold together are only reachable by exact spelling.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from lsoplan.lib.usernames import canonical_username


def find_user(name: str) -> Any | None:
    """The account the name means, or None (also when two old accounts fold to the same name)."""
    users = get_user_model()._default_manager
    exact = users.filter(username=name).first()
    if exact is not None:
        return exact
    canonical = canonical_username(name)
    if not canonical:
        return None
    # iexact narrows the search (ASCII case on SQLite); the comparison itself is the canonical one.
    candidates = {
        u.pk: u
        for u in users.filter(username__iexact=canonical) | users.filter(username=canonical)
        if canonical_username(u.get_username()) == canonical
    }
    return next(iter(candidates.values())) if len(candidates) == 1 else None


class CanonicalNameBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any | None:
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_user(str(username))
        if user is None:
            # Hash anyway, so the answer takes as long whether the account exists or not.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
