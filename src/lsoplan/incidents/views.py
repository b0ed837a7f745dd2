"""Händelser: statistics, upload → preview → confirm, import history with undo, and the filter
that makes an indicator's values come from the incidents.

Incidents belong to the organisation, not to a programme version; the pages hang under a version
only so that the navigation of the cycle stays in place. Importing is allowed whatever the
version's status, like entering measurements.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lsoplan.accounts.access import get_for_user
from lsoplan.audit import dataversion
from lsoplan.goals import services as goals
from lsoplan.goals.models import Indicator
from lsoplan.incidents import mappings, selectors, uploads
from lsoplan.incidents.charts import counts_chart, distribution_chart
from lsoplan.incidents.forms import IndicatorFilterForm, StatsForm, UploadForm
from lsoplan.incidents.indicators import (
    MEASURES,
    IncidentFilter,
    incident_indicators,
    refresh_incident_indicators,
)
from lsoplan.incidents.models import ImportBatch
from lsoplan.incidents.services import import_incidents, latest_undoable, undo_import
from lsoplan.incidents.stats_context import indicator_rows, latest_batch, stats_context
from lsoplan.lib.incidents import MappingError
from lsoplan.lib.swedish import sv_number
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for

STAGE = "forutsattningar"


def _figures(version: Any, by: str, within: list[float]) -> dict[str, Any]:
    """The page's statistics and chart specifications, computed once per data version."""

    def compute() -> dict[str, Any]:
        figures = stats_context(version, by, within)
        figures["counts_spec"] = json.dumps(
            counts_chart(figures["yearly"], figures["names"]), ensure_ascii=False
        )
        figures["distribution_spec"] = json.dumps(
            distribution_chart(figures["histogram"], within), ensure_ascii=False
        )
        return figures

    return dataversion.cached(
        version.organisation_id, "incident-stats", (version.pk, by, tuple(within)), compute, scope=version.pk
    )


@login_required
def stats(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    form = StatsForm(request.GET or None, initial={"by": "handelsetyp", "within": "10, 20, 30"})
    by, within = "handelsetyp", [10.0, 20.0, 30.0]
    if form.is_valid():
        by = form.cleaned_data["by"] or by
        within = form.cleaned_data["within"]
    context = version_context(request, version, STAGE) | _figures(version, by, within)
    # Read only when the page part that shows them is not in the cache (its key: the version's
    # data and the query, which decides the form and the figures).
    context["indicators"] = functools.cache(lambda: indicator_rows(version))
    context["latest_batch"] = functools.cache(lambda: latest_batch(version.organisation))
    context["form"] = form
    context["query"] = request.GET.urlencode()
    return render(request, "incidents/stats.html", context, status=400 if form.errors else 200)


@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        stored = uploads.store(
            version.organisation,
            form.cleaned_data["data"],
            file_name=form.cleaned_data["file"].name,
            mapping=form.cleaned_data["mapping"],
            uploaded_by=request.user.get_username(),
        )
        return redirect("incident_preview", pk=version.pk, token=stored.token)
    context = version_context(request, version, STAGE) | {"form": form}
    return render(request, "incidents/upload.html", context, status=400 if form.errors else 200)


def _check(request: HttpRequest, version: Any, stored: uploads.StoredUpload, *, dry_run: bool) -> Any:
    mapping = mappings.shipped(stored.mapping) if stored.mapping else None
    return import_incidents(
        actor(request),
        version.organisation,
        stored.read(version.organisation),
        file_name=stored.file_name,
        mapping=mapping,
        dry_run=dry_run,
    )


@login_required
def preview(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """GET: the file checked again and shown. POST: checked once more and imported."""
    version = version_for(request, pk)
    editable(request, version)
    stored = uploads.load(version.organisation, token)
    if stored is None:
        raise Http404("Filen finns inte längre. Ladda upp den igen.")
    try:
        outcome = _check(request, version, stored, dry_run=request.method != "POST")
    except MappingError as exc:
        messages.error(request, f"Mappningen kunde inte läsas: {exc}")
        return redirect("incident_upload", pk=version.pk)
    except OperationalError as exc:  # SQLite: another import holds the database
        if "locked" not in str(exc):
            raise
        messages.error(
            request, "En annan import pågår just nu. Ingenting har importerats; försök igen strax."
        )
        if request.method == "POST":  # back to the preview, where the import can be confirmed again
            return redirect("incident_preview", pk=version.pk, token=token)
        return redirect("incident_history", pk=version.pk)
    if request.method == "POST" and outcome.ok:
        uploads.discard(version.organisation, token)
        messages.success(
            request,
            f"{outcome.n_incidents} händelser importerade ({outcome.created} nya, {outcome.updated} "
            f"uppdaterade) som import {outcome.batch.pk}.",
        )
        return redirect("incident_history", pk=version.pk)
    if request.method == "POST":
        messages.error(request, "Filen innehåller fel och har inte importerats.")
    context = version_context(request, version, STAGE) | {
        "stored": stored,
        "outcome": outcome,
        "mapping_label": dict(mappings.choices()).get(stored.mapping, "lsoplans eget format"),
        "names": selectors.event_type_names(),
    }
    return render(request, "incidents/preview.html", context, status=200 if outcome.ok else 400)


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    organisation = version.organisation
    context = version_context(request, version, STAGE) | {
        "batches": selectors.import_history(organisation),
        "undoable": latest_undoable(organisation),
    }
    return render(request, "incidents/history.html", context)


@login_required
def undo(request: HttpRequest, pk: int, batch: int) -> HttpResponse:
    """GET: what undoing would remove, with a button to confirm. POST: undo."""
    version = version_for(request, pk)
    found = get_for_user(request.user, ImportBatch.objects.select_related("organisation"), pk=batch)
    if found.organisation_id != version.organisation_id:
        raise Http404
    editable(request, found)
    if request.method != "POST":
        latest = latest_undoable(found.organisation)
        context = version_context(request, version, STAGE) | {
            "batch": found,
            "undoable": latest is not None and latest.pk == found.pk,
            "latest": latest,
            "indicators": len(incident_indicators(found.organisation)),
        }
        return render(request, "incidents/undo_confirm.html", context)
    try:
        result = undo_import(actor(request), found)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            f"Import {found.pk} är ångrad: {sv_number(result.removed)} händelser borttagna och "
            f"{sv_number(result.restored)} återställda till sina tidigare värden.",
        )
    return redirect("incident_history", pk=version.pk)


@login_required
def indicator_filter(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_for_user(
        request.user, Indicator.objects.select_related("version__programme", "organisation"), pk=pk
    )
    version = indicator.version
    organisation = indicator.organisation
    try:
        current = IncidentFilter.from_config(indicator.source_config or {})
    except ValidationError:
        current = IncidentFilter()

    def choices() -> tuple[list[str], list[str], bool]:
        # Reading every incident's area and building type: once per data version.
        frame = selectors.incident_frame(organisation, ["omrade", "byggnadstyp"])
        return (
            list(selectors.distinct_values(frame, "omrade")),
            list(selectors.distinct_values(frame, "byggnadstyp")),
            frame.height > 0,
        )

    known_areas, known_building, has_incidents = dataversion.cached(
        organisation.pk, "incident-choices", (), choices, scope=dataversion.SHARED
    )
    areas = sorted(set(known_areas) | set(current.areas))
    building = sorted(set(known_building) | set(current.building_types))
    initial = current.to_config() | {"use": indicator.source == "incidents"}
    form = IndicatorFilterForm(
        request.POST or None,
        initial=initial,
        event_types=sorted(selectors.event_type_names().items()),
        municipalities=list(organisation.municipalities.values_list("code", "name")),
        areas=areas[:200],
        building_types=building[:100],
    )
    if request.method == "POST":
        editable(request, indicator)
        if form.is_valid():
            data = form.cleaned_data
            config = IncidentFilter(
                event_types=tuple(data["event_types"]),
                municipalities=tuple(data["municipalities"]),
                areas=tuple(data.get("areas", ())),
                building_types=tuple(data.get("building_types", ())),
                measure=data["measure"],
            ).to_config()
            source = (
                "incidents"
                if data["use"]
                else ("manual" if indicator.source == "incidents" else indicator.source)
            )
            done = run_service(
                request,
                form,
                lambda: goals.update_indicator(
                    actor(request), indicator, source=source, source_config=config
                ),
            )
            if done is not None:
                written = refresh_incident_indicators(actor(request), organisation)
                messages.success(request, f"Indikatorns filter är sparat; {written} mätvärden räknades fram.")
                return redirect("indicator_detail", pk=indicator.pk)
    context = version_context(request, version, "mal") | {
        "indicator": indicator,
        "form": form,
        "measures": MEASURES,
        "has_incidents": has_incidents,
    }
    return render(request, "incidents/indicator_filter.html", context, status=400 if form.errors else 200)
