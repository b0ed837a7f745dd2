"""The public pages of a published organisation, without login.

Each view finds the organisation by its published slug (404 otherwise: unknown and unpublished
look the same), reads through ``public.selectors`` and renders; the one write is the citizens'
view, through ``public.services.submit_citizen_view``. Pages without a form are cached per
organisation and data version, and carry no cookie, so a proxy may cache them as well.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from lsoplan.accounts.models import Organisation
from lsoplan.public import selectors
from lsoplan.public.forms import CitizenViewForm
from lsoplan.public.services import Throttled, client_address, submit_citizen_view

CACHE_SECONDS = 300
BROWSER_SECONDS = 60


def _organisation(slug: str) -> Organisation:
    org = selectors.published(slug)
    if org is None:
        raise Http404("Organisationen har ingen sida för allmänheten.")
    return org


def _cached(org: Organisation, name: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The page from the cache when the organisation's data are unchanged; built otherwise."""
    key = f"lsoplan:public:page:{org.slug}:{name}:{selectors.data_version(org)}"
    hit = cache.get(key)
    if hit is None:
        built = build()
        if built.status_code != 200:
            return built
        hit = (built.content, built["Content-Type"], built.get("Content-Disposition"))
        cache.set(key, hit, CACHE_SECONDS)
    content, content_type, disposition = hit
    response = HttpResponse(content, content_type=content_type)
    if disposition:
        response["Content-Disposition"] = disposition
    patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
    return response


def _context(org: Organisation, page: str, **more: object) -> dict[str, object]:
    version = selectors.adopted_version(org)
    return {
        "organisation": org,
        "adopted": version,
        "page": page,
        "followup_year": selectors.followup_year(),
        **more,
    }


def _missing(request: HttpRequest, org: Organisation, text: str) -> HttpResponse:
    return render(request, "public/missing.html", _context(org, "", text=text), status=404)


@require_safe
def home(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)

    def build() -> HttpResponse:
        context = _context(org, "home")
        version = context["adopted"]
        context["goals"] = selectors.goal_verdicts(version) if version else []  # type: ignore[arg-type]
        context["has_pdf"] = bool(version) and selectors.has_archived_pdf(version)  # type: ignore[arg-type]
        context["remiss"] = selectors.open_public_remiss(org)
        return render(request, "public/home.html", context)

    return _cached(org, "home", build)


@require_safe
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)

    def build() -> HttpResponse:
        context = _context(org, "programme")
        version = context["adopted"]
        if version is None:
            return _missing(request, org, "Organisationen har inget antaget handlingsprogram ännu.")
        context["chapters"] = selectors.chapters(version)  # type: ignore[arg-type]
        context["has_pdf"] = selectors.has_archived_pdf(version)  # type: ignore[arg-type]
        return render(request, "public/programme.html", context)

    return _cached(org, "programme", build)


@require_safe
def programme_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)

    def build() -> HttpResponse:
        version = selectors.adopted_version(org)
        pdf = selectors.archived_pdf(version) if version else None
        if version is None or pdf is None:
            return _missing(request, org, "Det antagna programmet finns inte som arkiverad PDF ännu.")
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"handlingsprogram-{org.slug}-{version.programme.period_label.replace('–', '-')}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    return _cached(org, "programme.pdf", build)


@require_safe
def goals(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)

    def build() -> HttpResponse:
        context = _context(org, "goals")
        version = context["adopted"]
        if version is None:
            return _missing(request, org, "Organisationen har inget antaget handlingsprogram ännu.")
        context["goals"] = selectors.goal_verdicts(version)  # type: ignore[arg-type]
        return render(request, "public/goals.html", context)

    return _cached(org, "goals", build)


@require_safe
def followup_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)

    def build() -> HttpResponse:
        version = selectors.adopted_version(org)
        if version is None:
            return _missing(request, org, "Organisationen har inget antaget handlingsprogram ännu.")
        produced = selectors.followup_report(version)
        if produced is None:
            # Made by the document job in the background; the visitor comes back shortly.
            response = render(
                request,
                "public/missing.html",
                _context(org, "", text="Uppföljningsrapporten tas fram just nu. Försök igen om en minut."),
                status=503,
            )
            response["Retry-After"] = "60"
            return response
        content, name = produced
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    return _cached(org, "followup.pdf", build)


@require_safe
def statistics(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)

    def build() -> HttpResponse:
        context = _context(org, "statistics", statistics=selectors.key_statistics(org))
        return render(request, "public/statistics.html", context)

    return _cached(org, "statistics", build)


@require_safe
def privacy(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)
    return _cached(org, "privacy", lambda: render(request, "public/privacy.html", _context(org, "privacy")))


@require_safe
def open_programme(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)

    def build() -> HttpResponse:
        version = selectors.adopted_version(org)
        if version is None:
            return _missing(request, org, "Organisationen har inget antaget handlingsprogram ännu.")
        response = HttpResponse(
            selectors.programme_file(version), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="handlingsprogram-{org.slug}.json"'
        return response

    return _cached(org, "open-programme", build)


@require_safe
def open_goals(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)

    def build() -> HttpResponse:
        version = selectors.adopted_version(org)
        if version is None:
            return _missing(request, org, "Organisationen har inget antaget handlingsprogram ännu.")
        # A byte-order mark, so that Excel reads the UTF-8 file with its å, ä and ö.
        response = HttpResponse(
            "\ufeff" + selectors.goals_csv(version), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="mal-{org.slug}.csv"'
        return response

    return _cached(org, "open-goals", build)


@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, slug: str) -> HttpResponse:
    """The citizens' view form (not cached: it carries a CSRF token)."""
    org = _organisation(slug)
    form = CitizenViewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_robot:
            # Answered like a success, so that a robot learns nothing; nothing is kept.
            return redirect("public_comment_thanks", slug=org.slug)
        if form.is_valid():
            data = form.cleaned_data
            try:
                submit_citizen_view(
                    org,
                    address=client_address(request),
                    text=data["text"],
                    rating=data["rating"],
                    area=data["area"],
                    contact_requested=data["contact_requested"],
                    email=data["email"],
                )
            except Throttled as exc:
                context = _context(org, "comment", text=str(exc), title="Vänta en stund")
                return render(request, "public/missing.html", context, status=429)
            except ValidationError as exc:
                for fieldname, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else []:
                    form.add_error(fieldname if fieldname in form.fields else None, errors)
                if not hasattr(exc, "error_dict"):
                    form.add_error(None, exc.messages)
            else:
                return redirect("public_comment_thanks", slug=org.slug)
        status = 400
    response = render(request, "public/comment.html", _context(org, "comment", form=form), status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def comment_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)
    return render(request, "public/thanks.html", _context(org, "comment"))
