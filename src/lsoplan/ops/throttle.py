"""Login throttling: after repeated failures, further attempts are refused for a while.

Two limits, both over a sliding window (settings ``LSOPLAN_LOGIN_*``): failures for one user name
from one address (guessing one account's password), and failures from one address whatever the
name (trying many accounts). A locked attempt is answered before any password is checked, with
HTTP 429 and a Swedish message, so a guesser learns nothing and costs no Argon2 hashing.

Counts live in the database (``LoginFailure``), so all gunicorn workers and all servers behind a
load balancer share them. Single sign-on logins are the identity provider's business.

Names are counted by their canonical form (NFKC, case-folded: ``lib.usernames``), the same form the
login backend looks accounts up by, so ``ｇranne`` and ``Granne`` add to ``granne``'s failures.

Counting is atomic without locks: an attempt is *recorded first* (as a failure) and only then
counted, and it goes on to the password check only if the count, its own row included, is within
the limit. Of N concurrent attempts the k-th row to be committed sees at least k rows, so no more
than the limit ever reach the password check, however many arrive at once (checking first and
recording afterwards let 7 of 24 concurrent attempts through a limit of 5). A refused attempt
removes its row again, so being locked out does not extend the lock; a successful login clears
the name's rows.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import signals
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from lsoplan.lib.usernames import canonical_username
from lsoplan.ops.models import LoginFailure

LOCKED_MESSAGE = (
    "För många misslyckade inloggningsförsök. Vänta {minutes} minuter och försök igen, "
    "eller kontakta din administratör om du har glömt lösenordet."
)


def client_address(request: HttpRequest) -> str:
    """The client's address: the peer, or the entry the nearest trusted proxy added.

    Only the last ``LSOPLAN_PROXY_COUNT`` entries of X-Forwarded-For were written by our own
    proxies; anything before them is whatever the client sent and must not be trusted.
    """
    hops = settings.LSOPLAN_PROXY_COUNT
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops][:45]
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


# Set on a request whose attempt the middleware has already recorded.
_RECORDED = "_lsoplan_login_attempt_recorded"


def _normalise(username: Any) -> str:
    return canonical_username(username)


def _since() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LSOPLAN_LOGIN_WINDOW_SECONDS)


def is_locked(username: str, address: str) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_since(), address=address)
    if recent.count() >= settings.LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS:
        return True
    return recent.filter(username=_normalise(username)).count() >= settings.LSOPLAN_LOGIN_MAX_FAILURES


def record_failure(username: str, address: str) -> None:
    LoginFailure.objects.filter(at__lt=_since()).delete()
    LoginFailure.objects.create(username=_normalise(username), address=address, at=timezone.now())


def admit(username: str, address: str) -> bool:
    """Record one attempt before its password is checked; False (and nothing kept) when locked.

    Each statement commits on its own (autocommit), so every concurrent attempt counts the rows
    of all attempts committed before its count, its own included.
    """
    if connection.vendor == "sqlite":
        # SQLite writes one at a time anyway; within a process, take turns here rather than have
        # a thread fail with "database table is locked" (a shared-cache database, as in tests,
        # does not wait for the busy timeout). Between processes SQLite's own file lock serialises.
        with _SQLITE_TURN:
            return _admit(username, address)
    return _admit(username, address)


_SQLITE_TURN = threading.Lock()


def _admit(username: str, address: str) -> bool:
    since = _since()
    LoginFailure.objects.filter(at__lt=since).delete()
    name = _normalise(username)
    row = LoginFailure.objects.create(username=name, address=address, at=timezone.now())
    recent = LoginFailure.objects.filter(at__gte=since, address=address)
    if (
        recent.count() > settings.LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS
        or recent.filter(username=name).count() > settings.LSOPLAN_LOGIN_MAX_FAILURES
    ):
        row.delete()
        return False
    return True


def clear_failures(username: str, address: str) -> None:
    LoginFailure.objects.filter(username=_normalise(username), address=address).delete()


def _on_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    # Without a request (a script calling authenticate()) there is no address to hold to account;
    # a login POST through the middleware was recorded before its password was checked.
    if request is not None and not getattr(request, _RECORDED, False):
        record_failure(credentials.get("username", ""), client_address(request))


def _on_login(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    if request is not None:
        clear_failures(user.get_username(), client_address(request))


def connect_signals() -> None:
    signals.user_login_failed.connect(_on_failure, dispatch_uid="lsoplan-throttle-failure")
    signals.user_logged_in.connect(_on_login, dispatch_uid="lsoplan-throttle-login")


class LoginThrottleMiddleware:
    """Answers a login POST from a locked name or address itself, before the password is checked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._login_path: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._login_path is None:
            self._login_path = reverse(settings.LOGIN_URL)
        if request.method == "POST" and request.path == self._login_path:
            username = request.POST.get("username", "")
            if not admit(username, client_address(request)):
                return self.locked(request, username)
            setattr(request, _RECORDED, True)
        return self.get_response(request)

    @staticmethod
    def locked(request: HttpRequest, username: str) -> HttpResponse:
        minutes = max(1, round(settings.LSOPLAN_LOGIN_WINDOW_SECONDS / 60))
        messages.error(request, LOCKED_MESSAGE.format(minutes=minutes))
        form = AuthenticationForm(request, initial={"username": username})
        context = {"form": form, "next": request.POST.get("next", "")}
        return render(request, "web/login.html", context, status=429)
