"""What the API needs around every request under /api/: size limits before the body is read,
JSON errors for anything that answered otherwise (an unknown URL, a method not allowed, a server
error outside the views), and ETags with conditional GET for the reads.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag

from lsoplan.api.errors import error_response

PREFIX = "/api/"
UPLOAD_PATH = "/api/v1/incident-imports"
# Room for the multipart envelope and the other form fields around an incident file.
MULTIPART_SLACK = 64 * 1024


def body_limit(path: str) -> int:
    if path.rstrip("/") == UPLOAD_PATH:
        return int(settings.LSOPLAN_UPLOAD_MAX_BYTES) + MULTIPART_SLACK
    return int(getattr(settings, "LSOPLAN_API_MAX_BODY_BYTES", 1024 * 1024))


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        length = _declared_length(request)
        if length is None or length < 0:
            return error_response(400, "felaktig_begaran", "Huvudet Content-Length är ogiltigt.")
        limit = body_limit(request.path)
        if length > limit:
            megabytes = f"{limit / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0")
            return error_response(413, "for_stor", f"Begäran är för stor; högst {megabytes} MB.")
        response = self.get_response(request)
        response = self._as_json(request, response)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.streaming:
            set_response_etag(response)
            conditional = get_conditional_response(request, etag=response.get("ETag"), response=response)
            response = conditional if conditional is not None else response
        # Revalidate with the ETag every time; never kept by a shared cache (the data are private).
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ("Authorization",))
        return response

    @staticmethod
    def _as_json(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        replacement = error_response(response.status_code)
        if response.has_header("Allow"):
            replacement["Allow"] = response["Allow"]
        if response.has_header("Retry-After"):
            replacement["Retry-After"] = response["Retry-After"]
        return replacement
