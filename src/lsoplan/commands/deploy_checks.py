"""What `lsoplan check-deploy` refuses: a weak production configuration, one Swedish line each.

Django's deployment checks run as well; those lsoplan checks itself (with a message that names
the environment variable to change) are left out, and the rest are said in Swedish where the
wording is known. The limits are listed in docs/operator-guide.md ("Vad check-deploy underkänner").
"""

from __future__ import annotations

import os
from typing import Any

# A working day with margin; the default is 8 hours (LSOPLAN_SESSION_SECONDS).
MAX_SESSION_SECONDS = 12 * 3600
# Above these the login throttle no longer slows a password guesser down in practice.
MAX_LOGIN_FAILURES = 100
MAX_LOGIN_FAILURES_PER_ADDRESS = 1000
MIN_LOGIN_WINDOW_SECONDS = 60
# Django's own rule for a key it calls strong enough (security.W009).
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE = 5

# Django checks that lsoplan's own lines below report with the variable to change.
_COVERED = frozenset(
    {
        "security.W009",  # SECRET_KEY
        "security.W010",  # SESSION_COOKIE_SECURE (W010–W012: how sessions are installed)
        "security.W011",
        "security.W012",
        "security.W013",  # SESSION_COOKIE_HTTPONLY (W013–W015, likewise)
        "security.W014",
        "security.W015",
        "security.W016",  # CSRF_COOKIE_SECURE
        "security.W018",  # DEBUG
        "security.W020",  # ALLOWED_HOSTS
    }
)
_SWEDISH = {
    "async.E001": "miljövariabeln DJANGO_ALLOW_ASYNC_UNSAFE är satt; ta bort den i drift",
    "security.W003": "CsrfViewMiddleware saknas i MIDDLEWARE",
    "security.E023": "SECURE_REFERRER_POLICY har ett ogiltigt värde",
    "security.E024": "SECURE_CROSS_ORIGIN_OPENER_POLICY har ett ogiltigt värde",
    "security.W001": "SecurityMiddleware saknas i MIDDLEWARE",
    "security.W002": "XFrameOptionsMiddleware saknas i MIDDLEWARE",
    "security.W004": "HSTS är av; sätt LSOPLAN_HSTS_SECONDS (t.ex. 31536000)",
    "security.W005": "HSTS gäller inte underdomäner (LSOPLAN_HSTS_INCLUDE_SUBDOMAINS)",
    "security.W006": "SECURE_CONTENT_TYPE_NOSNIFF är av",
    "security.W008": "HTTP omdirigeras inte till HTTPS (LSOPLAN_SSL_REDIRECT)",
    "security.W019": "X_FRAME_OPTIONS är inte DENY",
    "security.W021": "HSTS preload är av (LSOPLAN_HSTS_PRELOAD)",
    "security.W022": "Referrer-Policy saknas",
    "security.W024": "Cross-Origin-Opener-Policy är ogiltig",
    "security.W025": "en nyckel i SECRET_KEY_FALLBACKS är för svag",
}


def _django_problems() -> list[str]:
    from django.core import checks

    problems = []
    for message in checks.run_checks(include_deployment_checks=True):
        if message.level < checks.WARNING or message.is_silenced() or message.id in _COVERED:
            continue
        problems.append(f"{message.id}: {_SWEDISH.get(message.id or '', message.msg)}")
    return problems


def _secret_key_problem(key: str, from_environment: bool) -> str | None:
    if not from_environment:
        return "lsoplan: SECRET_KEY kommer inte från miljön"
    if (
        len(key) < MIN_SECRET_KEY_LENGTH
        or len(set(key)) < MIN_SECRET_KEY_UNIQUE
        or key.startswith("django-insecure-")
    ):
        return (
            f"lsoplan: SECRET_KEY är för kort eller för enkel (minst {MIN_SECRET_KEY_LENGTH} "
            "slumpmässiga tecken)"
        )
    return None


def _hosts_problems(hosts: list[str]) -> list[str]:
    problems = []
    if not set(hosts) - {"127.0.0.1", "localhost", "::1"}:
        problems.append("lsoplan: ALLOWED_HOSTS innehåller bara lokala namn; ange serverns namn")
    if "*" in hosts:
        problems.append("lsoplan: ALLOWED_HOSTS får inte vara *")
    return problems


def _cookie_problems(s: Any) -> list[str]:
    problems = []
    if not s.SESSION_COOKIE_SECURE:
        problems.append("lsoplan: sessionskakan skickas även utan HTTPS (LSOPLAN_SECURE_COOKIES)")
    if not s.CSRF_COOKIE_SECURE:
        problems.append("lsoplan: CSRF-kakan skickas även utan HTTPS (LSOPLAN_SECURE_COOKIES)")
    if not s.SESSION_COOKIE_HTTPONLY:
        problems.append("lsoplan: sessionskakan kan läsas av skript (SESSION_COOKIE_HTTPONLY)")
    if s.SESSION_COOKIE_AGE > MAX_SESSION_SECONDS:
        hours = s.SESSION_COOKIE_AGE / 3600
        problems.append(
            f"lsoplan: en inloggning varar {hours:.4g} timmar; högst {MAX_SESSION_SECONDS // 3600} "
            "(LSOPLAN_SESSION_SECONDS)"
        )
    return problems


def _csp_problem(s: Any) -> str | None:
    if not getattr(s, "CONTENT_SECURITY_POLICY", None):
        return "lsoplan: innehållspolicyn (CSP) bara rapporterar och skyddar inte; sätt LSOPLAN_CSP_ENFORCE=1"
    return None


def _throttle_problems(s: Any) -> list[str]:
    problems = []
    per_name = s.LSOPLAN_LOGIN_MAX_FAILURES
    per_address = s.LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS
    window = s.LSOPLAN_LOGIN_WINDOW_SECONDS
    if not 1 <= per_name <= MAX_LOGIN_FAILURES:
        problems.append(
            f"lsoplan: LSOPLAN_LOGIN_MAX_FAILURES är {per_name}; ange 1–{MAX_LOGIN_FAILURES} "
            "misslyckade inloggningar per användarnamn"
        )
    if not 1 <= per_address <= MAX_LOGIN_FAILURES_PER_ADDRESS:
        problems.append(
            f"lsoplan: LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS är {per_address}; "
            f"ange 1–{MAX_LOGIN_FAILURES_PER_ADDRESS} per adress"
        )
    if window < MIN_LOGIN_WINDOW_SECONDS:
        problems.append(
            f"lsoplan: LSOPLAN_LOGIN_WINDOW_SECONDS är {window}; spärren räknar då knappt "
            f"(minst {MIN_LOGIN_WINDOW_SECONDS} sekunder)"
        )
    return problems


def deployment_problems(*, secret_key_from_environment: bool | None = None) -> list[str]:
    """Swedish one-line problems: Django's deploy checks plus lsoplan's own."""
    from django.conf import settings as s

    if secret_key_from_environment is None:
        secret_key_from_environment = bool(os.environ.get("SECRET_KEY"))
    problems = _django_problems()
    if not s.PRODUCTION:
        problems.append("lsoplan: LSOPLAN_ENV=production är inte satt")
    if s.DEBUG:
        problems.append("lsoplan: DEBUG är på (LSOPLAN_DEBUG); felsidor visar då inställningar och kod")
    key_problem = _secret_key_problem(s.SECRET_KEY, secret_key_from_environment)
    optional = [key_problem, _csp_problem(s)]
    problems += [p for p in optional if p]
    problems += _hosts_problems(list(s.ALLOWED_HOSTS))
    problems += _cookie_problems(s)
    problems += _throttle_problems(s)
    return problems
