"""Follow-up reads: population, the verdict per indicator, detectability, and the page's cards."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from lsoplan.accounts.models import Organisation, Population
from lsoplan.goals.models import Indicator
from lsoplan.goals.selectors import history_by_series, spec_for
from lsoplan.lib import followup
from lsoplan.lib.stats import GoalStatus
from lsoplan.programmes.models import ProgrammeVersion


def organisation_population(organisation: Organisation) -> dict[int, float]:
    """Inhabitants per year, summed over the organisation's municipalities.

    Only years known for every municipality are kept; other years fall back to the latest in
    ``lib.followup`` (population moves slowly compared with the counts' noise).
    """
    codes = list(organisation.municipalities.values_list("code", flat=True))
    by_year: dict[int, list[int]] = defaultdict(list)
    for year, population in Population.objects.filter(municipality_id__in=codes).values_list(
        "year", "population"
    ):
        by_year[year].append(population)
    return {year: float(sum(values)) for year, values in by_year.items() if len(values) == len(codes)}


def _history(indicator: Indicator, history: list[tuple[int, float]] | None) -> list[tuple[int, float]]:
    return history if history is not None else history_by_series([indicator.series_id])[indicator.series_id]


def indicator_status(
    indicator: Indicator,
    *,
    year: int | None = None,
    history: list[tuple[int, float]] | None = None,
    population: dict[int, float] | None = None,
) -> GoalStatus | None:
    """The follow-up verdict for an indicator up to ``year`` (default: all measured years)."""
    if population is None and indicator.normalisation == "per_1000":
        population = organisation_population(indicator.organisation)
    return followup.indicator_status(
        spec_for(indicator), _history(indicator, history), population=population, year=year
    )


def indicator_detectability(
    indicator: Indicator, history: list[tuple[int, float]] | None = None
) -> followup.DetectabilityNote | None:
    return followup.detectability(spec_for(indicator), _history(indicator, history))


def followup_cards(
    version: ProgrammeVersion, indicators: Iterable[Indicator] | None = None
) -> list[dict[str, Any]]:
    """One card per indicator: series, verdict, detectability and chart points."""
    items = list(
        indicators
        if indicators is not None
        else Indicator.objects.filter(version=version).select_related(
            "safety_goal", "performance_goal", "series"
        )
    )
    history = history_by_series([i.series_id for i in items])
    population = organisation_population(version.organisation) if _any_per_1000(items) else {}
    cards = []
    for indicator in items:
        series = history[indicator.series_id]
        pop = population if indicator.normalisation == "per_1000" else None
        spec = spec_for(indicator)
        cards.append(
            {
                "indicator": indicator,
                "series": series,
                "latest": series[-1] if series else None,
                "status": followup.indicator_status(spec, series, population=pop),
                "detectability": followup.detectability(spec, series),
                "points": followup.chart_points(spec, series, pop),
            }
        )
    return cards


def _any_per_1000(items: Iterable[Indicator]) -> bool:
    return any(i.normalisation == "per_1000" for i in items)


def version_statuses(version: ProgrammeVersion) -> list[GoalStatus | None]:
    """Only the verdicts (no charts, no detectability): what a summary of the version needs."""
    items = list(Indicator.objects.filter(version=version))
    history = history_by_series([i.series_id for i in items])
    population = organisation_population(version.organisation) if _any_per_1000(items) else {}
    return [
        followup.indicator_status(
            spec_for(i),
            history[i.series_id],
            population=population if i.normalisation == "per_1000" else None,
        )
        for i in items
    ]


STATUS_ORDER = (
    "uppnått",
    "uppnått men inte säkerställt",
    "på väg",
    "ingen säkerställd förändring",
    "försämring",
    "för lite data",
)


def status_summary(statuses: Iterable[GoalStatus | None]) -> list[tuple[str, int]]:
    counts = {s: 0 for s in STATUS_ORDER}
    without = 0
    for status in statuses:
        if status is None:
            without += 1
        else:
            counts[status.status] += 1
    rows = [(s, n) for s, n in counts.items() if n]
    if without:
        rows.append(("inget målvärde", without))
    return rows
