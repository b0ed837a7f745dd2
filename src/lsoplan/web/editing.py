"""One edit path and one delete path for every kind of object a planner creates.

Each app lists its kinds in ``<app>/editing.py`` (``KINDS``); this module collects them, builds the
URL patterns (keeping each kind's old URL name, so templates and the access tests keep working)
and serves them with two views. Writes go through the kind's audited services only; those raise
``ValidationError`` or ``FrozenVersionError``, which ``run_service`` turns into form errors.

Deleting is confirmed: GET shows what goes with the object, only POST deletes; the page works
without JavaScript, and htmx gets the same template without the site layout.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.cache import patch_vary_headers

from lsoplan.accounts.access import can_edit, get_for_user, require_role
from lsoplan.accounts.models import Role
from lsoplan.audit.services import Actor, FrozenVersionError
from lsoplan.web.viewutils import actor, run_service

# The apps whose ``editing`` module lists kinds, in the order the issue names them.
APPS = ("conditions", "programmes", "goals", "evaluation", "checks", "accounts", "areas", "consultation")


def _instance(obj: Any) -> dict[str, Any]:
    return {"instance": obj}


def _cleaned(form: forms.BaseForm, obj: Any) -> dict[str, Any]:
    return dict(form.cleaned_data)


def _nothing(obj: Any) -> list[str]:
    return []


def _no_lock(obj: Any) -> str | None:
    return None


def _own_version(obj: Any) -> Any:
    return getattr(obj, "version", None) or getattr(obj, "programme_version", None)


@dataclass(frozen=True)
class Kind:
    """How one kind of object is fetched, edited and deleted.

    ``label`` is the definite Swedish form used in messages ("Risken är sparad."), ``noun`` the
    indefinite one for headings ("Ändra risk"). ``frozen`` says the object is programme content,
    locked with its adopted version; follow-up data (measurements, evaluations …) is not.
    """

    slug: str
    noun: str
    label: str
    stage: str
    queryset: Callable[[], QuerySet[Any]]
    form: Callable[..., forms.BaseForm]
    update: Callable[..., Any] | None
    delete: Callable[[Actor, Any], Any] | None
    back: Callable[[Any], str]
    edit_route: str | None = None
    delete_route: str | None = None
    edit_name: str = ""
    delete_name: str = ""
    detail: Callable[[Any], str] | None = None
    form_kwargs: Callable[[Any], dict[str, Any]] = _instance
    data: Callable[[forms.BaseForm, Any], dict[str, Any]] = _cleaned
    consequences: Callable[[Any], list[str]] = _nothing
    locked: Callable[[Any], str | None] = _no_lock
    version: Callable[[Any], Any] = _own_version
    fetch: Callable[[Any, int], Any] | None = None
    role: str = Role.REDAKTOR
    frozen: bool = True
    neuter: bool = False  # "säkerhetsmålet är sparat", not "sparad"
    template: str = "web/edit.html"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def saved(self) -> str:
        return f"{self.label.capitalize()} är {'sparat' if self.neuter else 'sparad'}."

    @property
    def deleted(self) -> str:
        return f"{self.label.capitalize()} är {'borttaget' if self.neuter else 'borttagen'}."

    def after_edit(self, obj: Any) -> str:
        return (self.detail or self.back)(obj)

    def _kwargs(self, route: str | None, obj: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"pk": obj.pk}
        if route and "<str:kind>" in route:
            kwargs["kind"] = self.slug
        return kwargs

    def edit_url(self, obj: Any) -> str:
        return reverse(self.edit_name or f"{self.slug}_edit", kwargs=self._kwargs(self.edit_route, obj))

    def delete_url(self, obj: Any) -> str:
        return reverse(self.delete_name or f"{self.slug}_delete", kwargs=self._kwargs(self.delete_route, obj))


_REGISTRY: dict[str, Kind] = {}


def registry() -> dict[str, Kind]:
    """All kinds by slug; the apps' modules are imported on first use."""
    if not _REGISTRY:
        for app in APPS:
            module = importlib.import_module(f"lsoplan.{app}.editing")
            for kind in module.KINDS:
                if kind.slug in _REGISTRY:
                    raise RuntimeError(f"two editable kinds are named {kind.slug!r}")
                _REGISTRY[kind.slug] = kind
    return _REGISTRY


def kind_or_404(slug: str, allowed: tuple[str, ...] | None = None) -> Kind:
    if allowed is not None and slug not in allowed:
        raise Http404
    found = registry().get(slug)
    if found is None:
        raise Http404
    return found


def fetch(request: HttpRequest, kind: Kind, pk: int) -> Any:
    """The object in the user's organisations (404 otherwise), and the role check (403)."""
    if kind.fetch is not None:
        obj = kind.fetch(request.user, pk)
    else:
        obj = get_for_user(request.user, kind.queryset(), pk=pk)
    require_role(request.user, obj, kind.role)
    return obj


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_part(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The whole page, or for htmx the same template inside ``web/_part.html`` (no site layout)."""
    context = context | {"base_template": "web/_part.html" if is_htmx(request) else "web/base.html"}
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def finished(request: HttpRequest, url: str, message: str) -> HttpResponse:
    """After a successful write: htmx follows ``HX-Redirect``, a plain form a 303 (never a 302,
    which htmx would swap into the part of the page that asked)."""
    messages.success(request, message)
    if is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect_303(url)


def redirect_303(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303
    return response


def _context(request: HttpRequest, kind: Kind, obj: Any) -> dict[str, Any]:
    version = kind.version(obj)
    return {
        "kind": kind,
        "object": obj,
        "back": kind.back(obj),
        "version": version,
        "programme": version.programme if version is not None else None,
        "stage": kind.stage,
        "can_edit": can_edit(request.user, obj),
    } | kind.extra


def _refused(request: HttpRequest, kind: Kind, obj: Any) -> HttpResponse | None:
    """A kind's own lock (a closed evaluation): say so and go back instead of showing a form."""
    reason = kind.locked(obj)
    if reason is None:
        return None
    messages.error(request, reason)
    return redirect_303(kind.after_edit(obj))


@login_required
def object_edit(
    request: HttpRequest, kind: str, pk: int, allowed: tuple[str, ...] | None = None
) -> HttpResponse:
    k = kind_or_404(kind, allowed)
    if k.update is None:
        raise Http404
    obj = fetch(request, k, pk)
    refused = _refused(request, k, obj)
    if refused is not None:
        return refused
    update = k.update
    form = k.form(request.POST or None, **k.form_kwargs(obj))
    if request.method == "POST" and form.is_valid():
        data = k.data(form, obj)
        if run_service(request, form, lambda: update(actor(request), obj, **data)) is not None:
            return finished(request, k.after_edit(obj), k.saved)
    context = _context(request, k, obj) | {"form": form}
    return render_part(request, k.template, context, status=400 if form.errors else 200)


@login_required
def object_delete(
    request: HttpRequest, kind: str, pk: int, allowed: tuple[str, ...] | None = None
) -> HttpResponse:
    k = kind_or_404(kind, allowed)
    if k.delete is None:
        raise Http404
    obj = fetch(request, k, pk)
    delete = k.delete
    error = ""
    if request.method == "POST":
        back = k.back(obj)
        try:
            delete(actor(request), obj)
        except FrozenVersionError as exc:
            error = str(exc)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return finished(request, back, k.deleted)
    context = _context(request, k, obj) | {"consequences": k.consequences(obj), "error": error}
    return render_part(request, "web/confirm_delete.html", context, status=409 if error else 200)


def urlpatterns() -> list[URLPattern]:
    """Each kind's edit and delete URL under its old name. Kinds that share a route (the two goal
    kinds under ``mal/<str:kind>/…``) get one pattern that admits only those kinds."""
    routes: dict[tuple[str, str, Callable[..., HttpResponse]], list[Kind]] = {}
    for k in registry().values():
        if k.edit_route and k.update is not None:
            routes.setdefault((k.edit_route, k.edit_name or f"{k.slug}_edit", object_edit), []).append(k)
        if k.delete_route and k.delete is not None:
            routes.setdefault(
                (k.delete_route, k.delete_name or f"{k.slug}_delete", object_delete), []
            ).append(k)
    patterns = []
    for (route, name, view), kinds in routes.items():
        if "<str:kind>" in route:
            extra: dict[str, Any] = {"allowed": tuple(k.slug for k in kinds)}
        else:
            if len(kinds) > 1:
                raise RuntimeError(f"route {route!r} is shared without a <str:kind> part")
            extra = {"kind": kinds[0].slug}
        patterns.append(path(route, view, extra, name=name))
    return patterns


def count_phrase(n: int, one: str, many: str) -> str:
    """ "1 mätvärde", "9 mätvärden" — for the confirmation page."""
    return f"{n} {one if n == 1 else many}"


def no_fields(obj: Model) -> dict[str, Any]:
    return {}
