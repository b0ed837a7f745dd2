"""Offentlig statistik: fetched values with their sources, and attaching a Kolada KPI to an indicator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lsoplan.accounts.access import get_for_user
from lsoplan.goals.models import Indicator
from lsoplan.goals.selectors import goal_kind
from lsoplan.lib.publicdata.errors import PublicDataError
from lsoplan.lib.publicdata.kolada import Kpi
from lsoplan.lib.publicdata.summary import IndicatorResult
from lsoplan.publicdata import selectors, services
from lsoplan.publicdata.forms import AttachKpiForm, KpiSearchForm
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for


def _refresh_message(request: HttpRequest, result: IndicatorResult) -> None:
    if result.error:
        messages.error(request, f"Värdena kunde inte hämtas: {result.error}")
        return
    parts = [f"{len(result.written)} år nya eller ändrade", f"{len(result.unchanged)} oförändrade"]
    if result.skipped:
        parts.append(f"{len(result.skipped)} år utan värde hos källan")
    messages.success(request, "Värdena är hämtade: " + ", ".join(parts) + ".")


@login_required
def indicator_kolada(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_for_user(
        request.user, Indicator.objects.select_related("version__programme", "series", "organisation"), pk=pk
    )
    codes = services.organisation_codes(indicator.organisation)
    names = selectors.municipality_names(codes)
    municipalities = [(c, names[c]) for c in codes]
    offline = services.offline_default()
    results: list[Kpi] = []
    search_error = ""
    search = KpiSearchForm(request.GET or None)
    config = indicator.source_config or {}
    attach = AttachKpiForm(
        municipalities=municipalities, initial={"municipality": config.get("municipality") or codes[0]}
    )
    status = 200
    if request.method == "POST":
        editable(request, indicator)
        clients = services.build_clients(interactive=True)
        if request.POST.get("action") == "refresh":
            _refresh_message(request, services.refresh_indicator(actor(request), indicator, clients=clients))
            return redirect("indicator_kolada", pk=indicator.pk)
        attach = AttachKpiForm(request.POST, municipalities=municipalities)
        if attach.is_valid():
            data = attach.cleaned_data
            try:
                kpi = clients.kolada.kpi(data["kpi"])
            except PublicDataError as exc:
                attach.add_error("kpi", str(exc))
            else:
                done = run_service(
                    request,
                    attach,
                    lambda: services.attach_kolada_kpi(actor(request), indicator, kpi, data["municipality"]),
                )
                if done is not None:
                    messages.success(
                        request,
                        f"Indikatorn hämtar nu {kpi.id} {kpi.title} ({names[data['municipality']]}) från "
                        "Kolada. Normaliseringen är satt till 'ingen', eftersom Kolada redan räknar om "
                        "per invånare. Hämta värdena nedan.",
                    )
                    return redirect("indicator_kolada", pk=indicator.pk)
        status = 400
    elif search.is_valid():
        try:
            results = services.search_kpis(search.cleaned_data["q"])
        except PublicDataError as exc:
            search_error = str(exc)
        attach = AttachKpiForm(
            kpis=results,
            municipalities=municipalities,
            initial={"municipality": config.get("municipality") or codes[0]},
        )
    goal = indicator.goal
    context = version_context(request, indicator.version, "mal") | {
        "indicator": indicator,
        "goal": goal,
        "kind": goal_kind(goal),
        "config": config,
        "config_municipality": names.get(str(config.get("municipality", "")), config.get("municipality", "")),
        "search": search,
        "results": results,
        "search_error": search_error,
        "searched": search.is_bound and search.is_valid(),
        "attach": attach,
        "offline": offline,
        "values": selectors.indicator_values(indicator),
        "measurements": indicator.series.measurements.filter(source="kolada").order_by("year", "entered_at"),
        "can_refresh": indicator.source in services.PUBLIC_SOURCES,
    }
    return render(request, "publicdata/indicator_kolada.html", context, status=status)


@login_required
def version_publicdata(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    codes = services.organisation_codes(version.organisation)
    context = version_context(request, version, "uppfoljning") | {
        "datasets": selectors.dataset_tables(codes),
        "revisions": selectors.revisions(codes),
        "peers": selectors.peer_info(codes),
        "indicators": selectors.public_indicators(version),
        "fetches": selectors.recent_fetches(codes),
        "names": selectors.municipality_names(codes),
        "offline": services.offline_default(),
        "org_slug": version.organisation.slug,
    }
    return render(request, "publicdata/version_publicdata.html", context)
