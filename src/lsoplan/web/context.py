from typing import Any

from django.conf import settings
from django.http import HttpRequest

from lsoplan import __version__


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "lsoplan_version": __version__,
        "authority_name": settings.LSOPLAN_AUTHORITY_NAME,
        "oidc_enabled": getattr(settings, "LSOPLAN_OIDC_ENABLED", False),
    }
