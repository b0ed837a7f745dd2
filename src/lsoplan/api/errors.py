"""Every failure under /api/ is one JSON object in Swedish: ``{"code", "message", "field"}``.

``code`` is stable and machine-readable; ``message`` is for a person; ``field`` names the parameter
or body field at fault, or is null. The handlers below cover what the views raise; the middleware
covers what happens outside them (an unknown URL, a body that is too large, a server error).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from lsoplan.audit.services import FrozenVersionError

log = logging.getLogger(__name__)

# The message for each status when nothing more precise is known.
DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("felaktig_begaran", "Begäran kunde inte läsas. Kontrollera att kroppen är giltig JSON."),
    401: ("nyckel_saknas", "Ange en API-nyckel i huvudet Authorization: Bearer <nyckel>."),
    403: ("behorighet_saknas", "Din roll eller API-nyckeln tillåter inte detta."),
    404: ("finns_inte", "Det finns inget sådant objekt eller ingen sådan adress i API:t."),
    405: ("metod_ej_tillaten", "Metoden är inte tillåten för den här adressen."),
    409: ("version_last", FrozenVersionError().args[0]),
    413: ("for_stor", "Begäran är för stor."),
    415: ("fel_innehallstyp", "Innehållstypen stöds inte här."),
    422: ("ogiltigt_varde", "Ett värde är ogiltigt."),
    429: ("for_manga_anrop", "För många anrop med den här API-nyckeln. Vänta en stund och försök igen."),
    500: (
        "internt_fel",
        "Ett internt fel inträffade. Ingenting har sparats; försök igen eller kontakta förvaltningen.",
    ),
}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str | None = None,
        message: str | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        default_code, default_message = DEFAULTS.get(status, DEFAULTS[400])
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.field = field
        self.headers = headers or {}
        super().__init__(self.message)


def error_response(
    status: int, code: str | None = None, message: str | None = None, field: str | None = None
) -> JsonResponse:
    default_code, default_message = DEFAULTS.get(status, DEFAULTS[500 if status >= 500 else 400])
    body = {"code": code or default_code, "message": message or default_message, "field": field}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _with_headers(response: HttpResponse, headers: dict[str, str]) -> HttpResponse:
    for name, value in headers.items():
        response[name] = value
    return response


# pydantic's error types, said in Swedish (its own messages are English).
_PYDANTIC: dict[str, str] = {
    "missing": "Värdet saknas.",
    "int_parsing": "Ange ett heltal.",
    "int_type": "Ange ett heltal.",
    "int_from_float": "Ange ett heltal.",
    "float_parsing": "Ange ett tal.",
    "float_type": "Ange ett tal.",
    "finite_number": "Ange ett ändligt tal.",
    "bool_parsing": "Ange true eller false.",
    "bool_type": "Ange true eller false.",
    "string_type": "Ange en text.",
    "greater_than_equal": "Värdet ska vara minst {ge}.",
    "greater_than": "Värdet ska vara större än {gt}.",
    "less_than_equal": "Värdet ska vara högst {le}.",
    "less_than": "Värdet ska vara mindre än {lt}.",
    "string_too_long": "Texten får vara högst {max_length} tecken.",
    "string_too_short": "Texten ska vara minst {min_length} tecken.",
    "literal_error": "Välj ett av: {expected}.",
    "enum": "Välj ett av: {expected}.",
    "json_invalid": "Kroppen är inte giltig JSON.",
    "model_attributes_type": "Kroppen ska vara ett JSON-objekt.",
    "dict_type": "Kroppen ska vara ett JSON-objekt.",
    "model_type": "Kroppen ska vara ett JSON-objekt.",
    "extra_forbidden": "Fältet finns inte.",
    "string_pattern_mismatch": "Texten får inte innehålla styrtecken (t.ex. NUL).",
}


def _field(loc: Any) -> str | None:
    # ninja's loc is ("query" | "path" | "body" | "file" | "form", <schema name>?, field, …).
    parts = [str(p) for p in (loc or ())]
    if parts and parts[0] in {"query", "path", "body", "file", "form", "header"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "data", "body"}:
        parts = parts[1:]
    return ".".join(parts) or None


def _pydantic_message(error: dict[str, Any]) -> str:
    template = _PYDANTIC.get(str(error.get("type", "")))
    if template is None:
        return "Värdet är ogiltigt."
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template.split("{")[0].strip() or "Värdet är ogiltigt."


def django_validation(exc: DjangoValidationError) -> JsonResponse:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        message = " ".join(errors[0].messages) if errors else DEFAULTS[422][1]
        return error_response(422, "ogiltigt_varde", message, None if field == "__all__" else field)
    return error_response(422, "ogiltigt_varde", " ".join(exc.messages) or DEFAULTS[422][1])


def install(api: NinjaAPI) -> None:
    """The handlers for what a resource can raise; the rest is the middleware's."""

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _with_headers(error_response(exc.status, exc.code, exc.message, exc.field), exc.headers)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(401)

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        status = 400 if first.get("type") == "json_invalid" else 422
        return error_response(status, None, _pydantic_message(first), _field(first.get("loc")))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(exc.status_code)

    @api.exception_handler(Http404)
    def _missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(404)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) if str(exc) else None
        return error_response(403, "behorighet_saknas", message)

    @api.exception_handler(DjangoValidationError)
    def _service_refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return django_validation(exc)

    @api.exception_handler(FrozenVersionError)
    def _frozen(request: HttpRequest, exc: FrozenVersionError) -> HttpResponse:
        return error_response(409, "version_last", str(exc))

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A body without Content-Length that grew past Django's own limit while it was read.
        return error_response(413)

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(
            400, "felaktig_begaran", "Begäran kunde inte läsas (för många fält eller filer)."
        )

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API: oväntat fel vid %s %s", request.method, request.path)
        if settings.DEBUG:
            return error_response(500, "internt_fel", f"{type(exc).__name__}: {exc}".splitlines()[0])
        return error_response(500)
