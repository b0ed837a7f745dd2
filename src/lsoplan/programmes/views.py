"""Version pages: overview of the cycle, chapters, consultation, adoption, new drafts, history."""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lsoplan.audit.models import AuditEntry
from lsoplan.evaluation.selectors import stage_summary
from lsoplan.followup.selectors import status_summary, version_statuses
from lsoplan.goals.actionplan import overdue_measures
from lsoplan.goals.selectors import version_summary
from lsoplan.programmes import services
from lsoplan.programmes.forms import ChapterForm, ConsultationForm
from lsoplan.programmes.models import CHAPTER_TEXT_MAX, Chapter
from lsoplan.programmes.views_adoption import can_administer
from lsoplan.web import editing
from lsoplan.web.pagination import paginate
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    context = version_context(request, version, "oversikt")
    # Callables and lazy querysets: the page parts that show them are usually in the cache. The
    # counts of late measures and actions change with the day, so the day is part of their key.
    context["today"] = dt.date.today().isoformat()
    context["summary"] = functools.cache(lambda: version_summary(version))
    context["followup_summary"] = functools.cache(lambda: status_summary(version_statuses(version)))
    context["learning"] = functools.cache(lambda: stage_summary(version))
    context["versions"] = version.programme.versions.all()
    context["corrections"] = version.adoption_corrections.select_related("corrected_by")
    context["is_admin"] = can_administer(request.user, version)
    context["overdue_measures"] = functools.cache(lambda: overdue_measures(version))
    return render(request, "programmes/overview.html", context)


@login_required
def chapters(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    context = version_context(request, version, "dokument")
    context["chapters"] = Chapter.objects.filter(version=version)
    return render(request, "programmes/chapters.html", context)


@login_required
@require_POST
def chapter_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The chapter text as it will look, before it is saved: the edit page again with the text
    kept and rendered below it (htmx swaps in only the rendered part). Nothing is written."""
    kind = editing.kind_or_404("chapter")
    chapter = editing.fetch(request, kind, pk)
    form = ChapterForm(request.POST)
    text = request.POST.get("text", "")
    problems = list(form.errors.get("text", [])) if not form.is_valid() else []
    context = editing._context(request, kind, chapter) | {
        "form": form,
        "previewing": True,
        # An over-long text is not rendered: its one line says why.
        "preview_text": text if len(text) <= CHAPTER_TEXT_MAX else "",
        "preview_problems": problems,
    }
    template = "programmes/_chapter_preview.html" if editing.is_htmx(request) else kind.template
    return editing.render_part(request, template, context)


@login_required
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            request,
            form,
            lambda: services.send_to_consultation(
                actor(request),
                version,
                parties=d["consultation_parties"],
                date_from=d["consultation_from"],
                date_to=d["consultation_to"],
            ),
        )
        if done is not None:
            messages.success(request, "Versionen är skickad på remiss.")
            return redirect("version_overview", pk=version.pk)
    context = version_context(request, version, "oversikt") | {"form": form, "title": "Skicka på remiss"}
    return render(request, "programmes/version_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    try:
        draft = services.new_draft(actor(request), version)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("version_overview", pk=version.pk)
    messages.success(request, f"Version {draft.number} är skapad som utkast från version {version.number}.")
    return redirect("version_overview", pk=draft.pk)


@login_required
def version_history(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    # Newest first, a page at a time: the whole history of a version runs to thousands of rows.
    page = paginate(request, AuditEntry.objects.filter(version_id=version.pk).order_by("-at", "-id"))
    return render(
        request,
        "programmes/history.html",
        version_context(request, version, "historik") | {"entries": page.object_list, "page": page},
    )
