"""Capability over area and time: the map, the time profiles, stations and response areas."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from lsoplan.areas import selectors, services
from lsoplan.areas.charts import grid_map, hour_weekday_heatmap
from lsoplan.areas.forms import AreaUploadForm, CapabilityForm, StationForm
from lsoplan.areas.outline import SOURCE_NOTE, municipality_outline
from lsoplan.areas.templatetags.area_tags import cell_rows
from lsoplan.audit import dataversion
from lsoplan.incidents.selectors import event_type_names
from lsoplan.lib.geo.crs import GeoError
from lsoplan.lib.geo.grid import Filters
from lsoplan.lib.geo.timeprofile import WEEKDAYS_SV
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for

STAGE = "forutsattningar"


def _filters(data: dict[str, Any]) -> Filters:
    return Filters(
        from_year=data.get("from_year"),
        to_year=data.get("to_year"),
        types=tuple(data.get("types") or ()),
        from_hour=data.get("from_hour"),
        to_hour=data.get("to_hour"),
    )


def _minutes_key(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@login_required
def capability(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    names = event_type_names()
    # "Share within" starts at the organisation's own godtagbar tid, then the usual limits.
    godtagbar = selectors.acceptable_minutes(version.organisation)
    default_within = [float(godtagbar), *(m for m in (10.0, 20.0, 30.0) if m != godtagbar)]
    form = CapabilityForm(
        request.GET or None,
        type_choices=sorted(names.items()),
        initial={"within": ", ".join(_minutes_key(m) for m in default_within), "cell": 1000},
    )
    data: dict[str, Any] = {"cell": 1000, "metric": "median", "within": default_within}
    if form.is_bound and form.is_valid():
        data |= {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}
    context = version_context(request, version, STAGE) | {"form": form, "form_html": None}
    if not form.is_bound:
        # The unbound form is the same for the organisation until the event types (reference data)
        # or its settings change: its hundred checkboxes cost a template include each.
        context["form_html"] = dataversion.cached(
            version.organisation_id,
            "capability-form",
            tuple(default_within),  # its initial "share within" starts at the godtagbar tid
            lambda: render_to_string("web/_form.html", {"form": form}),
            scope=dataversion.SHARED,  # event types and the organisation's settings only
        )
    within = data["within"]
    minutes = _minutes_key(within[0])
    areas = selectors.response_areas(version)
    try:
        figures = selectors.capability(
            version, _filters(data), cell_m=data["cell"], within_minutes=within, areas=areas
        )
    except GeoError as exc:
        form.add_error(None, str(exc))
        return render(request, "areas/capability.html", context, status=400)
    cells = figures["cells"]
    stations = selectors.stations(version)

    def drawn() -> dict[str, Any]:
        """The chart specifications and the cell table, as text: thousands of cells, the same
        until the next write (the key carries the data version)."""
        station_rows = [{"name": s.name, "kind": s.kind, "x": s.x, "y": s.y} for s in stations]
        area_rows = [{"name": a.name, "geometry": a.geometry} for a in areas]
        spec = grid_map(
            cells,
            cell_m=data["cell"],
            metric=data["metric"],
            minutes=minutes,
            stations=station_rows,
            areas=area_rows,
            outline=municipality_outline(version.organisation),
        )
        return {
            "heat_rows": _heat_table(figures["profiles"]["hour_weekday"]),
            "map_spec": json.dumps(spec, ensure_ascii=False),
            "heat_spec": json.dumps(
                hour_weekday_heatmap(figures["profiles"]["hour_weekday"]), ensure_ascii=False
            ),
            "cells_html": cell_rows(cells),  # escaped in cell_rows; a SafeString pickles as one
        }

    parts = (version.pk, sorted((k, repr(v)) for k, v in data.items()))
    context |= figures | dataversion.cached(
        version.organisation_id, "capability-page", parts, drawn, scope=version.pk
    )
    context |= {
        "godtagbar": godtagbar,
        "outline_source": SOURCE_NOTE,
        "threshold": selectors.suppression_threshold(version.organisation),
        "cell_m": data["cell"],
        "within": within,
        "first_minutes": minutes,
        "hours": range(24),
        "stations": stations,
        "areas": areas,
    }
    return render(request, "areas/capability.html", context, status=400 if form.errors else 200)


def _heat_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Weekday rows × 24 hour columns of median seconds (None where no incident)."""
    grid: dict[int, list[Any]] = {d: [None] * 24 for d in range(1, 8)}
    for r in rows:
        grid[r["weekday"]][r["hour"]] = r
    return [{"day": WEEKDAYS_SV[d - 1], "cells": grid[d]} for d in range(1, 8)]


@login_required
def station_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form = StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, form, lambda: services.create_station(actor(request), version, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, f"Stationen {done.name} är sparad.")
            return redirect("version_capability", pk=version.pk)
    context = version_context(request, version, STAGE) | {"form": form, "heading": "Ny station"}
    return render(request, "areas/form.html", context, status=400 if form.errors else 200)


@login_required
def areas_upload(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form = AreaUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        crs = form.cleaned_data["crs"].strip() or None
        done = run_service(
            request,
            form,
            lambda: services.import_areas(actor(request), version, form.cleaned_data["data"], crs=crs),
        )
        if done is not None:
            messages.success(request, f"{len(done)} insatsområden är inlästa.")
            return redirect("version_capability", pk=version.pk)
    context = version_context(request, version, STAGE) | {
        "form": form,
        "heading": "Läs in insatsområden",
        "multipart": True,
        "note": "Områden som redan finns i versionen ersätts av filens områden.",
    }
    return render(request, "areas/form.html", context, status=400 if form.errors else 200)
