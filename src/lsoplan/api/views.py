"""Web pages of the API: the reference (rendered from the OpenAPI document, no CDN) and the
user's own tokens (create — shown once —, list, revoke with confirmation)."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from lsoplan.api import tokens
from lsoplan.api.forms import TokenForm
from lsoplan.api.main import api
from lsoplan.api.models import ApiToken
from lsoplan.api.reference import operations, schemas
from lsoplan.web.viewutils import actor, run_service


@functools.cache
def _reference() -> tuple[dict[str, Any], str, str]:
    """The OpenAPI document's facts and its operations and schemas as HTML: they change only with
    the code, so each process renders them once."""
    document = api.get_openapi_schema()
    body = render_to_string(
        "api/_reference_body.html", {"groups": operations(document), "schemas": schemas(document)}
    )
    return document.get("info", {}), document.get("openapi", ""), body


def reference(request: HttpRequest) -> HttpResponse:
    info, openapi_version, body = _reference()
    context = {"info": info, "openapi_version": openapi_version, "body": body}
    return render(request, "api/reference.html", context)


@login_required
@never_cache
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created = run_service(
            request,
            form,
            lambda: tokens.create_token(
                actor(request),
                organisation=d["organisation"],
                user=request.user,
                scope=d["scope"],
                name=d["name"],
                expires_days=d["expires_days"],
            ),
        )
        if created is not None:
            # Shown on this response only: the secret is not stored and the page is not cached.
            return render(request, "api/token_created.html", {"created": created})
    context: dict[str, Any] = {"form": form, "tokens": tokens.tokens_of(request.user)}
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    mine = ApiToken.objects.filter(user_id=int(request.user.pk or 0))
    token = mine.filter(pk=pk).select_related("organisation").first()
    if token is None:  # another user's token is as missing as one that never existed
        raise Http404
    if token.revoked_at is not None:
        messages.info(request, "Nyckeln är redan återkallad.")
        return redirect("api_tokens")
    if request.method == "POST":
        tokens.revoke_token(actor(request), token)
        messages.success(request, f"Nyckeln {token.name} är återkallad och fungerar inte längre.")
        return redirect("api_tokens")
    return render(request, "api/token_revoke.html", {"token": token})
