"""Security headers that Django and django-csp do not set themselves.

Content-Security-Policy comes from django-csp (``CONTENT_SECURITY_POLICY`` in settings);
Referrer-Policy, X-Content-Type-Options, Cross-Origin-Opener-Policy and HSTS from Django's
SecurityMiddleware. This adds Permissions-Policy (no camera, microphone, location … for any page)
and Cross-Origin-Resource-Policy (our responses are for our own pages only), and keeps every
response to a logged-in user out of caches: ``Cache-Control: private, no-store`` on pages and
document downloads alike, so that neither a shared proxy nor the browser's disk cache on a shared
fire-station computer keeps a copy after logout. Static files never reach this middleware
(WhiteNoise answers them first) and keep their long cache lifetimes.
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
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Replaces whatever a view set (max-age on a document, say): no-store wins anyway.
            response.headers["Cache-Control"] = "private, no-store"
        return response
