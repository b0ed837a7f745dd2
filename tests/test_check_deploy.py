"""`lsoplan check-deploy` refuses a weak production configuration, one Swedish line per problem."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings

from lsoplan.commands.deploy_checks import deployment_problems

STRONG_KEY = "Vx8-q2Lr_0pZ7mKf3Wc9TnB4yHs6JdE1aUo5iGt8RkQ2lXv7NwM3bCe"


@pytest.fixture
def strong(settings: LazySettings, monkeypatch: pytest.MonkeyPatch) -> LazySettings:
    """The production configuration the operator guide describes; each test weakens one thing."""
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # set by the browser tests
    settings.PRODUCTION = True
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    settings.ALLOWED_HOSTS = ["lsoplan.kommun.se"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_HTTPONLY = True
    settings.SESSION_COOKIE_AGE = 8 * 3600
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.LSOPLAN_LOGIN_MAX_FAILURES = 5
    settings.LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS = 30
    settings.LSOPLAN_LOGIN_WINDOW_SECONDS = 900
    return settings


def test_the_strong_configuration_passes(strong: LazySettings) -> None:
    assert deployment_problems(secret_key_from_environment=True) == []


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"DEBUG": True}, "DEBUG är på"),
        ({"SECRET_KEY": "kort-nyckel"}, "SECRET_KEY är för kort"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY är för kort eller för enkel"),
        ({"SECRET_KEY": "django-insecure-" + STRONG_KEY}, "SECRET_KEY är för kort eller för enkel"),
        ({"ALLOWED_HOSTS": []}, "ALLOWED_HOSTS innehåller bara lokala namn"),
        ({"ALLOWED_HOSTS": ["localhost"]}, "ALLOWED_HOSTS innehåller bara lokala namn"),
        ({"SESSION_COOKIE_SECURE": False}, "sessionskakan skickas även utan HTTPS"),
        ({"CSRF_COOKIE_SECURE": False}, "CSRF-kakan skickas även utan HTTPS"),
        ({"SESSION_COOKIE_HTTPONLY": False}, "sessionskakan kan läsas av skript"),
        ({"SESSION_COOKIE_AGE": 365 * 24 * 3600}, "en inloggning varar 8760 timmar; högst 12"),
        ({"SESSION_COOKIE_AGE": 12 * 3600 + 1}, "högst 12 (LSOPLAN_SESSION_SECONDS)"),
        ({"LSOPLAN_LOGIN_MAX_FAILURES": 100_000}, "LSOPLAN_LOGIN_MAX_FAILURES är 100000"),
        ({"LSOPLAN_LOGIN_MAX_FAILURES": 0}, "LSOPLAN_LOGIN_MAX_FAILURES är 0"),
        (
            {"LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS": 50_000},
            "LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS är 50000",
        ),
        ({"LSOPLAN_LOGIN_WINDOW_SECONDS": 5}, "LSOPLAN_LOGIN_WINDOW_SECONDS är 5"),
        ({"SECURE_HSTS_SECONDS": 0}, "security.W004: HSTS är av"),
        ({"SECURE_SSL_REDIRECT": False}, "security.W008: HTTP omdirigeras inte till HTTPS"),
        ({"PRODUCTION": False}, "LSOPLAN_ENV=production är inte satt"),
    ],
    ids=lambda v: "-".join(f"{k}={v[k]!s:.12}" for k in v) if isinstance(v, dict) else "",
)
def test_each_weak_setting_is_one_problem(
    strong: LazySettings, changes: dict[str, Any], fragment: str
) -> None:
    for name, value in changes.items():
        setattr(strong, name, value)
    problems = deployment_problems(secret_key_from_environment=True)
    assert len(problems) == 1, problems
    assert fragment in problems[0]


def test_the_limits_themselves_pass(strong: LazySettings) -> None:
    strong.SESSION_COOKIE_AGE = 12 * 3600
    strong.LSOPLAN_LOGIN_MAX_FAILURES = 100
    strong.LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS = 1000
    strong.LSOPLAN_LOGIN_WINDOW_SECONDS = 60
    assert deployment_problems(secret_key_from_environment=True) == []


def test_a_report_only_csp_is_a_problem(strong: LazySettings) -> None:
    strong.CONTENT_SECURITY_POLICY_REPORT_ONLY = strong.CONTENT_SECURITY_POLICY
    del strong.CONTENT_SECURITY_POLICY
    problems = deployment_problems(secret_key_from_environment=True)
    assert problems == [
        "lsoplan: innehållspolicyn (CSP) bara rapporterar och skyddar inte; sätt LSOPLAN_CSP_ENFORCE=1"
    ]


def test_a_key_not_from_the_environment_is_a_problem(strong: LazySettings) -> None:
    assert deployment_problems(secret_key_from_environment=False) == [
        "lsoplan: SECRET_KEY kommer inte från miljön"
    ]


def test_django_checks_are_said_in_swedish(strong: LazySettings) -> None:
    strong.SECURE_HSTS_SECONDS = 0
    strong.SECURE_SSL_REDIRECT = False
    problems = deployment_problems(secret_key_from_environment=True)
    assert all("You " not in p and "should" not in p for p in problems), problems


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    skip = ("LSOPLAN_", "DATABASE_URL", "DJANGO_", "SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    return env | {
        "LSOPLAN_HOME": str(tmp_path),
        "LSOPLAN_ENV": "production",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "lsoplan.kommun.se",
        **extra,
    }


def test_check_deploy_fails_with_a_line_per_weak_environment_setting(tmp_path: Path) -> None:
    env = _production_env(
        tmp_path,
        LSOPLAN_CSP_ENFORCE="0",
        LSOPLAN_SESSION_SECONDS=str(365 * 24 * 3600),
        LSOPLAN_LOGIN_MAX_FAILURES="100000",
        LSOPLAN_DEBUG="1",
    )
    result = subprocess.run(
        [sys.executable, "-m", "lsoplan.cli", "check-deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    problems = [line for line in result.stdout.splitlines() if line.startswith("lsoplan: ")]
    assert len(problems) == 4, result.stdout
    assert result.stderr == "lsoplan: avvisad: 4 problem i produktionsinställningarna\n"
