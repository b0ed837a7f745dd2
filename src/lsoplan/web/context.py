from typing import Any

from django.conf import settings
from django.http import HttpRequest

from lsoplan import __version__


def _administered(request: HttpRequest) -> list[Any]:
    """Organisations whose people page the user may open (the navigation links to them)."""
    from lsoplan.accounts.access import administered

    return administered(getattr(request, "user", None))


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        # Called only by a template that uses it, so pages without the navigation pay nothing.
        "administered_organisations": lambda: _administered(request),
        "lsoplan_version": __version__,
        "authority_name": settings.LSOPLAN_AUTHORITY_NAME,
        "oidc_enabled": getattr(settings, "LSOPLAN_OIDC_ENABLED", False),
    }
