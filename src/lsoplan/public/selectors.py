"""What the public pages may show, and nothing else: an organisation is found by its published
slug only, and only its adopted programme is read (never a draft, a user name or an internal note).

Every page of the public app renders from these functions.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from lsoplan.accounts.models import Organisation
from lsoplan.areas.selectors import suppression_threshold
from lsoplan.audit import dataversion
from lsoplan.followup.selectors import indicator_followups
from lsoplan.goals.models import PerformanceGoal, SafetyGoal
from lsoplan.lib.plain_verdicts import plain_verdict
from lsoplan.lib.safe_cells import csv_safe
from lsoplan.programmes.exchange_export import dumps, export_version
from lsoplan.programmes.models import Chapter, ProgrammeVersion, VersionStatus
from lsoplan.reports import selectors as report_selectors
from lsoplan.reports.models import AdoptedArchive

STATISTICS_YEARS = 5


def published(slug: str) -> Organisation | None:
    """The organisation with this slug if it has opted in to a public page; otherwise None."""
    return Organisation.objects.filter(slug=slug, published=True).first()


def data_version(org: Organisation) -> str:
    """A key that changes whenever the organisation's data or the shared reference data change
    (the audited writers bump it, see audit.dataversion), and with the day, since verdicts and
    the last complete year depend on today's date."""
    import datetime as dt

    own, shared = dataversion.numbers(org.pk)
    return f"{org.pk}.{own}.{shared}.{dt.date.today().isoformat()}"


def adopted_version(org: Organisation) -> ProgrammeVersion | None:
    """The programme in force: the most recently adopted version that is not replaced."""
    return (
        ProgrammeVersion.objects.filter(organisation=org, status=VersionStatus.ANTAGEN)
        .select_related("programme")
        .order_by("-adopted_on", "-pk")
        .first()
    )


def open_public_remiss(org: Organisation) -> str | None:
    """The address where the public comments on a draft out on public remiss (the consultation
    app's route), or None when no public remiss is open; the start page then offers
    "Lämna synpunkter på förslaget"."""
    from django.urls import reverse

    from lsoplan.consultation.selectors import public_remiss

    if public_remiss(org.slug) is None:
        return None
    return reverse("remiss_public", kwargs={"slug": org.slug})


def has_archived_pdf(version: ProgrammeVersion) -> bool:
    return AdoptedArchive.objects.filter(version=version).exists()


def archived_pdf(version: ProgrammeVersion) -> bytes | None:
    """The PDF the council adopted, byte for byte; None when it has not been archived (it is
    never rendered anew here)."""
    found = AdoptedArchive.objects.filter(version=version).values_list("pdf", flat=True).first()
    return bytes(found) if found is not None else None


def chapters(version: ProgrammeVersion) -> list[Chapter]:
    return list(Chapter.objects.filter(version=version).order_by("order", "id"))


@dataclass
class IndicatorVerdict:
    name: str
    unit: str
    status: str  # the planner's word, e.g. "på väg"
    plain: str  # the same in plain Swedish
    sentence: str  # the rule's own sentence: values, years and method
    latest_year: int | None
    latest_value: float | None


@dataclass
class GoalVerdicts:
    kind: str  # "Säkerhetsmål" or "Prestationsmål"
    code: str
    text: str
    indicators: list[IndicatorVerdict] = field(default_factory=list)


def goal_verdicts(version: ProgrammeVersion) -> list[GoalVerdicts]:
    """Each goal of the adopted version with its indicators' current verdicts, from the one
    follow-up function every page uses."""
    goals: dict[tuple[str, int], GoalVerdicts] = {}
    for sg in SafetyGoal.objects.filter(version=version).order_by("order", "id"):
        goals[("s", sg.pk)] = GoalVerdicts("Säkerhetsmål", sg.code, sg.text)
    for pg in PerformanceGoal.objects.filter(version=version).order_by("order", "id"):
        goals[("p", pg.pk)] = GoalVerdicts("Prestationsmål", pg.code, pg.text)
    for f in indicator_followups(version):
        ind = f.indicator
        key = ("s", ind.safety_goal_id) if ind.safety_goal_id else ("p", ind.performance_goal_id)
        goal = goals.get(key)  # type: ignore[arg-type]
        if goal is None:
            continue
        v = f.verdict
        latest = f.latest
        goal.indicators.append(
            IndicatorVerdict(
                name=ind.name,
                unit=ind.unit,
                status=v.status if v is not None else "inget målvärde",
                plain=plain_verdict(v.code if v is not None else None),
                sentence=v.sentence if v is not None else "",
                latest_year=latest[0] if latest else None,
                latest_value=latest[1] if latest else None,
            )
        )
    return list(goals.values())


CSV_HEADER = [
    "maltyp",
    "beteckning",
    "mal",
    "indikator",
    "enhet",
    "senaste_ar",
    "senaste_varde",
    "bedomning",
    "forklaring",
]


def goals_csv(version: ProgrammeVersion) -> str:
    """The goals with their verdicts as CSV (open data); every cell through ``csv_safe``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for goal in goal_verdicts(version):
        rows: list[IndicatorVerdict | None] = list(goal.indicators) or [None]
        for ind in rows:
            cells: list[Any] = [goal.kind, goal.code, goal.text]
            if ind is None:
                cells += ["", "", "", "", "", ""]
            else:
                cells += [
                    ind.name,
                    ind.unit,
                    ind.latest_year or "",
                    ind.latest_value if ind.latest_value is not None else "",
                    ind.status,
                    ind.plain,
                ]
            writer.writerow([csv_safe(c) for c in cells])
    return out.getvalue()


def programme_file(version: ProgrammeVersion) -> str:
    """The adopted version in the programme-file format, without what is internal: who entered a
    measurement and the planner's comment on it."""
    data = export_version(version)
    for series in data.get("series", []):
        for m in series.get("measurements", []):
            m["entered_by"] = None
            m["note"] = ""
    return dumps(data)


@dataclass
class Statistics:
    years: list[int]
    rows: list[tuple[str, list[int | None]]]  # event type, count per year (None: suppressed)
    totals: list[int | None]
    population: list[report_selectors.MunicipalityRow]
    threshold: int = 3


def _shown(n: int, threshold: int) -> int | None:
    return n if n >= threshold else None


def key_statistics(org: Organisation) -> Statistics | None:
    """Incidents per type and year for the last complete years, counts under the maps' threshold
    left out (``None``), and the population; None when there are no incident data."""
    counts = report_selectors.incident_counts(org)
    population = report_selectors.municipalities(org)
    threshold = suppression_threshold(org)
    if not counts:
        return Statistics([], [], [], population, threshold) if population else None
    import datetime as dt

    this_year = dt.date.today().year
    known = sorted({int(r["year"]) for r in counts if int(r["year"]) < this_year})
    years = known[-STATISTICS_YEARS:]
    table: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for r in counts:
        year = int(r["year"])
        if year in years:
            table[str(r["handelsetyp"])][year] += int(r["count"])
    rows = [
        (kind, [_shown(by_year.get(y, 0), threshold) for y in years])
        for kind, by_year in sorted(table.items())
    ]
    # A year's total is left out too when one of its cells is: total minus the cells shown would
    # give the left-out count back.
    totals = [
        None
        if any(counts[i] is None for _, counts in rows)
        else _shown(sum(by_year.get(y, 0) for by_year in table.values()), threshold)
        for i, y in enumerate(years)
    ]
    return Statistics(years, rows, totals, population, threshold)


def followup_year() -> int:
    """The year the latest yearly follow-up is about: the last complete calendar year."""
    from lsoplan.reports.services import default_year

    return default_year()


def followup_report(version: ProgrammeVersion) -> tuple[bytes, str] | None:
    """The yearly follow-up report of the last complete year as PDF, and its file name: the same
    document the planners download, made by the document job (``reports.jobs``). None while the
    job is making it; a visitor's request never renders it."""
    from lsoplan.reports.jobs import fetch
    from lsoplan.reports.services import FOLLOWUP, default_year, filename

    year = default_year()
    found = fetch(version, FOLLOWUP, "pdf", year)
    if not isinstance(found, bytes):
        return None
    return found, filename(version, FOLLOWUP, "pdf", year)
