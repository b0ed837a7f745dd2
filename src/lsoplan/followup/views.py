"""Uppföljning: one card per indicator with its verdict, evidence, chart and a table alternative."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from lsoplan.audit import dataversion
from lsoplan.followup.charts import indicator_chart
from lsoplan.followup.selectors import Followup, followup_cards, status_summary
from lsoplan.web.viewutils import version_context, version_for


def _chart_spec(card: Followup) -> str:
    indicator, verdict = card.indicator, card.verdict
    # The verdict's baseline and target are in the plotted unit (a rate when normalised).
    baseline = verdict.baseline if verdict else indicator.baseline_value
    target = verdict.target if verdict else indicator.target_value
    return json.dumps(
        indicator_chart(indicator.name, indicator.unit, card.points, baseline, target, indicator.target_year),
        ensure_ascii=False,
    )


@login_required
def followup(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)

    today = dt.date.today().isoformat()  # a verdict reads the year: whether it is over yet

    @functools.cache
    def cards() -> list[Any]:
        made = followup_cards(version)
        # Each card (verdict, chart specification, table) is HTML made from stored data only:
        # rendered once per data version, not once per request with an include per card.
        keys = [
            dataversion.cache_key(
                version.organisation_id,
                "followup-card",
                (c.indicator.pk, version.pk, today),
                scope=version.pk,
            )
            for c in made
        ]
        found = dataversion.get_many(keys)
        fresh = {}
        for card, key in zip(made, keys, strict=True):
            if key not in found:
                card.spec = _chart_spec(card)
                fresh[key] = render_to_string("followup/_card.html", {"c": card})
        dataversion.set_many(fresh)
        found |= fresh
        for card, key in zip(made, keys, strict=True):
            card.html = found[key]  # type: ignore[attr-defined]
        return made

    # Callables: the page part that shows them is usually in the cache, and then nothing is read.
    context = version_context(request, version, "uppfoljning") | {
        "cards": cards,
        "summary": lambda: status_summary(c.verdict for c in cards()),
        "today": today,
    }
    return render(request, "followup/followup.html", context)
