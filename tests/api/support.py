"""Tokens for each persona, and a client that sends them (tests/api only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from lsoplan.accounts.services import update_user
from lsoplan.api.models import ApiToken
from lsoplan.api.tokens import create_token, revoke_token
from tests.factories import SYSTEM, World


def new_token(
    user: Any, world: World, scope: str = "read", name: str = "test", days: int | None = None
) -> str:
    return create_token(
        SYSTEM, organisation=world.org, user=user, scope=scope, name=name, expires_days=days
    ).secret


def reader_write_token(world: World) -> str:
    """A write token held by a läsare: made while they were redaktör, then their role was lowered."""
    update_user(SYSTEM, world.reader, organisation=world.org, role="redaktor")
    secret = new_token(world.reader, world, "write", name="gammal")
    update_user(SYSTEM, world.reader, organisation=world.org, role="lasare")
    return secret


def revoked_token(world: World) -> str:
    secret = new_token(world.editor, world, "write", name="återkallad")
    revoke_token(SYSTEM, ApiToken.objects.get(name="återkallad", organisation=world.org))
    return secret


def expired_token(world: World) -> str:
    secret = new_token(world.editor, world, "write", name="utgången", days=1)
    ApiToken.objects.filter(name="utgången", organisation=world.org).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    return secret


@dataclass
class Api:
    """A test client that sends one token (or none)."""

    token: str | None
    client: Client

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, url: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(url, params or None, headers=self._headers(headers))

    def post(self, url: str, body: Any = None) -> Any:
        return self.client.post(url, body or {}, content_type="application/json", headers=self._headers())

    def upload(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.post(url, data, headers=self._headers())

    def delete(self, url: str) -> Any:
        return self.client.delete(url, headers=self._headers())

    def patch(self, url: str, body: Any = None) -> Any:
        return self.client.patch(url, body or {}, content_type="application/json", headers=self._headers())

    def call(self, method: str, url: str, body: Any = None) -> Any:
        if method == "GET":
            return self.get(url)
        if method == "DELETE":
            return self.delete(url)
        if method == "PATCH":
            return self.patch(url, body)
        if isinstance(body, dict) and "file" in body:
            return self.upload(url, body)
        return self.post(url, body)


def api(token: str | None) -> Api:
    return Api(token, Client())
