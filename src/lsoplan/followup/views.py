"""Uppföljning: one card per indicator with its series, a chart and a table alternative."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lsoplan.followup.charts import indicator_chart
from lsoplan.goals.models import Indicator
from lsoplan.goals.selectors import history_by_series
from lsoplan.web.viewutils import version_context, version_for


@login_required
def followup(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    indicators = list(
        Indicator.objects.filter(version=version).select_related("safety_goal", "performance_goal", "series")
    )
    history = history_by_series([i.series_id for i in indicators])
    cards = []
    for i in indicators:
        series = history[i.series_id]
        cards.append(
            {
                "indicator": i,
                "series": series,
                "latest": series[-1] if series else None,
                "spec": json.dumps(
                    indicator_chart(i.name, i.unit, series, i.baseline_value, i.target_value, i.target_year),
                    ensure_ascii=False,
                ),
            }
        )
    return render(
        request, "followup/followup.html", version_context(request, version, "uppfoljning") | {"cards": cards}
    )
