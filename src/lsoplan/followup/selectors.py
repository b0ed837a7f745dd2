"""Follow-up reads: ONE function, ``indicator_followups``, gives every page the same verdicts.

The follow-up page, the goal and indicator pages, the overview counts, the evaluation page, the
yearly report and ``lsoplan followup`` all call it, so one indicator has one verdict and one value
everywhere (the rule is in ``lib.verdicts``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lsoplan.accounts.models import Organisation, Population
from lsoplan.audit import dataversion
from lsoplan.goals.models import Indicator, Measurement
from lsoplan.goals.selectors import spec_for
from lsoplan.lib import followup
from lsoplan.lib.verdicts import NO_TARGET, STATUS_ORDER, Point, Verdict, judge
from lsoplan.programmes.models import ProgrammeVersion

__all__ = [
    "STATUS_ORDER",
    "Followup",
    "followup_cards",
    "indicator_detectability",
    "indicator_followups",
    "indicator_status",
    "organisation_population",
    "status_summary",
    "version_statuses",
]


def organisation_population(organisation: Organisation) -> dict[int, float]:
    """Inhabitants per year, summed over the organisation's municipalities.

    Only years known for every municipality are kept; other years use the nearest year in
    ``lib.verdicts`` (which says so in the sentence).
    """
    codes = list(organisation.municipalities.values_list("code", flat=True))
    by_year: dict[int, list[int]] = defaultdict(list)
    for year, population in Population.objects.filter(municipality_id__in=codes).values_list(
        "year", "population"
    ):
        by_year[year].append(population)
    return {year: float(sum(values)) for year, values in by_year.items() if len(values) == len(codes)}


@dataclass
class Followup:
    """One indicator's follow-up: its values, the verdict and what the chart needs."""

    indicator: Indicator
    measured: list[Point]  # current values, with their preliminary flag
    verdict: Verdict | None  # None: no target value
    detectability: followup.DetectabilityNote | None
    points: list[followup.ChartPoint]  # per year, in the plotted unit
    spec: str = ""  # the chart's Vega-Lite JSON, filled in by the page that draws it

    @property
    def series(self) -> list[tuple[int, float]]:
        return [(p.year, p.value) for p in self.measured]

    @property
    def latest(self) -> tuple[int, float] | None:
        return (self.measured[-1].year, self.measured[-1].value) if self.measured else None

    @property
    def status(self) -> Verdict | None:  # the name the templates and older callers use
        return self.verdict


def _points(series_ids: list[int], up_to: int | None) -> dict[int, list[Point]]:
    out: dict[int, list[Point]] = {sid: [] for sid in series_ids}
    rows = Measurement.objects.filter(series_id__in=series_ids, replaced_at__isnull=True)
    if up_to is not None:
        rows = rows.filter(year__lte=up_to)
    for sid, year, value, vintage in rows.order_by("year").values_list(
        "series_id", "year", "value", "vintage"
    ):
        out[sid].append(Point(year, value, vintage == "preliminar"))
    return out


def indicator_followups(
    version: ProgrammeVersion,
    year: int | None = None,
    *,
    indicators: Iterable[Indicator] | None = None,
    today_year: int | None = None,
) -> list[Followup]:
    """Every indicator of ``version`` (or the given ones) with its verdict as known up to ``year``."""
    items = list(
        indicators
        if indicators is not None
        else Indicator.objects.filter(version=version).select_related(
            "safety_goal", "performance_goal", "series"
        )
    )
    today = today_year if today_year is not None else dt.date.today().year
    # Computed once per data version: the key holds everything of the indicator the computation
    # reads (its spec as it is in memory, its series), the measurements and populations are in
    # the organisation's and the global data version.
    keys = [
        dataversion.cache_key(
            version.organisation_id,
            "followup",
            (i.pk, i.series_id, repr(spec_for(i)), year, today),
            # The indicator's own content is in the key; the rest is measurements and populations.
            scope=dataversion.SHARED,
        )
        for i in items
    ]
    found = dataversion.get_many(keys)
    missing = [n for n, key in enumerate(keys) if key not in found]
    computed = _compute(version, [items[n] for n in missing], year, today)
    fresh = {keys[n]: parts for n, parts in zip(missing, computed, strict=True)}
    # An indicator not yet saved (a preview) has no key of its own: computed, never kept.
    dataversion.set_many({keys[n]: fresh[keys[n]] for n in missing if items[n].pk is not None})
    found |= fresh
    return [Followup(i, *found[key]) for i, key in zip(items, keys, strict=True)]


_Parts = tuple[list[Point], Verdict | None, followup.DetectabilityNote | None, list[followup.ChartPoint]]


def _compute(version: ProgrammeVersion, items: list[Indicator], year: int | None, today: int) -> list[_Parts]:
    if not items:
        return []
    points = _points([i.series_id for i in items], year)
    population = (
        organisation_population(version.organisation)
        if any(i.normalisation == "per_1000" for i in items)
        else {}
    )
    out: list[_Parts] = []
    for indicator in items:
        pts = points[indicator.series_id]
        pop = population if indicator.normalisation == "per_1000" else None
        spec = spec_for(indicator)
        series = [(p.year, p.value) for p in pts]
        # Chance matters for outcomes only: detectability says nothing about one's own output.
        note = followup.detectability(spec, series) if indicator.indicator_kind == "utfall" else None
        out.append(
            (
                pts,
                judge(spec, pts, today_year=today, population=pop or None, year=year),
                note,
                followup.chart_points(spec, series, pop),
            )
        )
    return out


def indicator_detectability(
    indicator: Indicator, history: list[tuple[int, float]] | None = None
) -> followup.DetectabilityNote | None:
    """Whether the targeted change can be told from chance by the target year; outcomes only, as
    on the follow-up page (chance says nothing about one's own output)."""
    if indicator.indicator_kind != "utfall":
        return None
    if history is None:
        history = [(p.year, p.value) for p in _points([indicator.series_id], None)[indicator.series_id]]
    return followup.detectability(spec_for(indicator), history)


def indicator_status(indicator: Indicator, *, year: int | None = None, **_: Any) -> Verdict | None:
    """One indicator's verdict, through ``indicator_followups`` (extra arguments are ignored)."""
    return indicator_followups(indicator.version, year, indicators=[indicator])[0].verdict


def followup_cards(
    version: ProgrammeVersion, indicators: Iterable[Indicator] | None = None
) -> list[Followup]:
    return indicator_followups(version, indicators=indicators)


def version_statuses(version: ProgrammeVersion) -> list[Verdict | None]:
    """Only the verdicts: what a summary of the version needs (cached whole: no indicator read)."""
    today = dt.date.today()
    return dataversion.cached(
        version.organisation_id,
        "statuses",
        (version.pk, today),
        lambda: [f.verdict for f in indicator_followups(version)],
        scope=version.pk,
    )


def status_summary(statuses: Iterable[Verdict | None]) -> list[tuple[str, int]]:
    counts = {s: 0 for s in STATUS_ORDER}
    for status in statuses:
        counts[status.status if status is not None else NO_TARGET] += 1
    return [(s, n) for s, n in counts.items() if n]
