"""OpenID Connect settings from ``LSOPLAN_OIDC_*`` environment variables.

Read while settings load, so this module imports nothing from Django's apps. With
``LSOPLAN_OIDC_ENTRA_TENANT`` the Microsoft Entra ID endpoints are filled in; any other provider
(Keycloak, Skolfederation-style brokers, …) names its endpoints itself. The mapping from claims to
organisations and roles is parsed in ``lsoplan.ops.oidc`` (``LSOPLAN_OIDC_ROLE_MAP``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ENTRA = "https://login.microsoftonline.com/{tenant}"


def oidc_settings(env: Mapping[str, str]) -> dict[str, Any]:
    def get(name: str, default: str | None = None) -> str | None:
        value = env.get(f"LSOPLAN_OIDC_{name}", "").strip()
        return value or default

    tenant = get("ENTRA_TENANT")
    base = ENTRA.format(tenant=tenant) if tenant else None
    return {
        "OIDC_RP_CLIENT_ID": get("CLIENT_ID"),
        "OIDC_RP_CLIENT_SECRET": get("CLIENT_SECRET", ""),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": get(
            "AUTHORIZATION_ENDPOINT", f"{base}/oauth2/v2.0/authorize" if base else None
        ),
        "OIDC_OP_TOKEN_ENDPOINT": get("TOKEN_ENDPOINT", f"{base}/oauth2/v2.0/token" if base else None),
        "OIDC_OP_JWKS_ENDPOINT": get("JWKS_ENDPOINT", f"{base}/discovery/v2.0/keys" if base else None),
        # Optional: Entra puts groups and roles in the ID token, which is always read.
        "OIDC_OP_USER_ENDPOINT": get("USERINFO_ENDPOINT"),
        "OIDC_RP_SIGN_ALGO": get("SIGN_ALGO", "RS256"),
        "OIDC_RP_IDP_SIGN_KEY": get("SIGN_KEY"),
        "OIDC_RP_SCOPES": get("SCOPES", "openid email profile"),
        "OIDC_USE_PKCE": True,
        "OIDC_TIMEOUT": 10,
        "OIDC_CREATE_USER": True,
        # Back to the login page, where the backend has left a message saying why.
        "LOGIN_REDIRECT_URL_FAILURE": "/konto/logga-in/",
        # The ID token's "iss" must equal this (Entra: the tenant's v2.0 issuer).
        "LSOPLAN_OIDC_ISSUER": get("ISSUER", f"{base}/v2.0" if base else None),
        "LSOPLAN_OIDC_USERNAME_CLAIM": get("USERNAME_CLAIM", "sub"),
        "LSOPLAN_OIDC_GROUPS_CLAIM": get("GROUPS_CLAIM", "groups"),
        # JSON, or "@/path/to/file.json": {"<claim value>": "slug:role" or ["slug:role", …]}.
        "LSOPLAN_OIDC_ROLE_MAP": get("ROLE_MAP", "{}"),
        "LSOPLAN_OIDC_DIRECT_ROLES": (get("DIRECT_ROLES", "") or "").lower() in {"1", "true", "ja", "yes"},
    }
