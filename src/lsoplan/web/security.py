"""Security headers that Django and django-csp do not set themselves.

Content-Security-Policy comes from django-csp (``CONTENT_SECURITY_POLICY`` in settings);
Referrer-Policy, X-Content-Type-Options, Cross-Origin-Opener-Policy and HSTS from Django's
SecurityMiddleware. This adds Permissions-Policy (no camera, microphone, location … for any page)
and Cross-Origin-Resource-Policy (our responses are for our own pages only).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Features a planning tool never needs; denying them limits what injected content could do.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
