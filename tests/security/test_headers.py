"""Security headers on every page, cookie flags, and production settings that pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, World


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # Not the test run's own switches (the browser tests allow async-unsafe calls, for one).
    skip = ("LSOPLAN_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    return env | {
        "LSOPLAN_HOME": str(tmp_path),
        "LSOPLAN_ENV": "production",
        "SECRET_KEY": "x" * 20 + "-en-lång-och-slumpmässig-nyckel-för-provet-0123456789",
        "ALLOWED_HOSTS": "lsoplan.kommun.se",
        "CSRF_TRUSTED_ORIGINS": "https://lsoplan.kommun.se",
        "DJANGO_SETTINGS_MODULE": "lsoplan.settings",
        **extra,
    }


@pytest.mark.django_db
def test_pages_send_the_security_headers(world: World) -> None:
    client = Client()
    assert client.login(username=world.editor.username, password=PASSWORD)
    response = client.get(reverse("version_goals", kwargs={"pk": world.version.pk}))
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_session_cookie_is_http_only_and_same_site(world: World) -> None:
    client = Client()
    client.post(reverse("login"), {"username": world.editor.username, "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # Gone when the browser closes, and ended by the server after a working day in any case.
    assert cookie["max-age"] == ""
    assert client.session.get_expiry_age() <= 8 * 3600


def test_check_deploy_passes_in_production_mode(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_settings(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_PROXY_SSL_HEADER, s.STORAGES['staticfiles']['BACKEND'], s.CSRF_TRUSTED_ORIGINS, "
        "'enforced' if getattr(s, 'CONTENT_SECURITY_POLICY', None) else 'report-only')"
    )
    env = _production_env(tmp_path, LSOPLAN_PROXY_SSL_HEADER="1")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert out.split()[:4] == ["True", "True", "True", "31536000"]
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in out
    assert "lsoplan.ops.storage.StaticStorage" in out
    assert "https://lsoplan.kommun.se" in out
    assert out.split()[-1] == "enforced"


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-m", "lsoplan.cli", "check-deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_lsoplan_check_deploy(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lsoplan.cli", "check-deploy"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "i ordning" in result.stdout
    # The development defaults are reported, one line each, and the exit code says so.
    dev = subprocess.run(
        [sys.executable, "-m", "lsoplan.cli", "check-deploy"],
        env=_production_env(tmp_path, LSOPLAN_ENV="development"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dev.returncode == 1
    assert "security.W004" in dev.stdout and "LSOPLAN_ENV" in dev.stdout
