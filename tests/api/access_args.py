"""The API's web pages for tests/test_access.py; the API itself has its own persona tests
generated from the OpenAPI document (tests/api/test_api_access.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lsoplan.api.models import ApiToken
from tests.api.support import new_token
from tests.factories import World


def _token_pk(w: World) -> int:
    new_token(w.editor, w, name="åtkomsttest")
    return ApiToken.objects.filter(user=w.editor, name="åtkomsttest").latest("id").pk


ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "api_reference": None,
    "api_tokens": None,
    "api_token_revoke": lambda w: {"pk": _token_pk(w)},
}
PUBLIC = {"api_reference"}
