"""The NinjaAPI under /api/v1/: resources from the routers, bearer tokens, Swedish JSON errors.

Ninja's own docs page loads Swagger UI from a CDN, which the CSP and the offline rule forbid; the
readable reference is rendered by lsoplan itself from the same OpenAPI document (``views.reference``).
"""

from __future__ import annotations

from ninja import NinjaAPI

from lsoplan.api import content, errors, followup_api, imports_api, statistics_api
from lsoplan.api.auth import TokenAuth

DESCRIPTION = (
    "lsoplans HTTP-API för kommunens andra system. Varje anrop bär en API-nyckel i huvudet "
    "`Authorization: Bearer <nyckel>`; nyckeln gäller en organisation och ger aldrig mer än "
    "användarens roll. Listor är sidindelade (page, page_size) och kan filtreras (programme, version, "
    "year); svaren har ETag (If-None-Match ger 304). Fel är JSON: "
    '`{"code": "...", "message": "...", "field": "..."}`.'
)

api = NinjaAPI(
    title="lsoplan API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", content.router)
api.add_router("", followup_api.router)
api.add_router("", imports_api.router)
api.add_router("", statistics_api.router)
