"""The check functions for the programme's quality rather than its legality: the goal chain, SMART,
measures, and whether the follow-up data are current (indicators, incidents against the MSBFS 2021:5
reporting deadline).
"""

from __future__ import annotations

import calendar
import datetime as dt

from lsoplan.lib.compliance import Outcome, ProgrammeFacts, Target, join_sv, one, version_target
from lsoplan.lib.goalchain import RiskNode, check_chain
from lsoplan.lib.swedish import long_date as sv_date

CRITERION_PHRASES = {
    "specifikt": "specifikt",
    "matbart": "mätbart",
    "accepterat": "accepterat",
    "realistiskt": "realistiskt",
    "tidsatt": "tidsatt",
}


# --- goals ----------------------------------------------------------------------------------


def goal_chain(facts: ProgrammeFacts) -> list[Outcome]:
    if not facts.safety_goals and not facts.performance_goals:
        return one("brist", "Programmet har inga mål ännu.", version_target(facts, "goals", "Målkedjan"))
    risks = [RiskNode(r.id, r.title, r.likelihood, r.consequence) for r in facts.risks]
    report = check_chain(
        risks,
        facts.safety_goals,
        facts.performance_goals,
        levels=facts.matrix_levels,
        high_share=facts.high_share,
    )
    labels = {("risk", r.id): r.title for r in facts.risks}
    labels |= {("sakerhetsmal", g.id): g.label for g in facts.safety_goals}
    labels |= {("prestationsmal", g.id): g.label for g in facts.performance_goals}
    outcomes = [
        Outcome(
            "brist", gap.message, Target(gap.kind, gap.object_id, labels.get((gap.kind, gap.object_id), ""))
        )
        for gap in report.gaps
        if gap.severity == "brist"
    ]
    return outcomes or [
        Outcome(
            "ok",
            f"Alla {len(facts.safety_goals)} säkerhetsmål och {len(facts.performance_goals)} prestationsmål "
            "hänger ihop med nationella mål, risker och indikatorer.",
        )
    ]


def goal_measures(facts: ProgrammeFacts) -> list[Outcome]:
    if not facts.performance_goals:
        return one("ej_tillämplig", "Programmet har inga prestationsmål.")
    outcomes = [
        Outcome(
            "brist",
            f"{g.label} har inga åtgärder ännu.",
            Target("prestationsmal", g.id, g.label),
        )
        for g in facts.performance_goals
        if g.measures == 0
    ]
    return outcomes or [Outcome("ok", f"Alla {len(facts.performance_goals)} prestationsmål har åtgärder.")]


def smart_goals(facts: ProgrammeFacts) -> list[Outcome]:
    if not facts.smart:
        return one("ej_tillämplig", "Programmet har inga mål att granska.")
    outcomes: list[Outcome] = []
    for v in facts.smart:
        target = Target(v.kind, v.goal_id, v.label)
        if v.status == "brist":
            failing = join_sv(CRITERION_PHRASES.get(c, c) for c in v.failing)
            outcomes.append(Outcome("brist", f"{v.label} är inte {failing}.", target))
        elif v.status == "okant":
            unknown = join_sv(CRITERION_PHRASES.get(c, c) for c in v.unknown)
            outcomes.append(
                Outcome("okant", f"{v.label}: går inte att bedöma om målet är {unknown}.", target)
            )
    return outcomes or [Outcome("ok", f"Alla {len(facts.smart)} mål uppfyller SMART.")]


# --- data freshness -------------------------------------------------------------------------


def indicator_freshness(facts: ProgrammeFacts) -> list[Outcome]:
    year = facts.today.year - 1
    if not facts.indicators:
        return one("okant", "Programmet har inga indikatorer.", version_target(facts, "goals", "Målkedjan"))
    outcomes = []
    for ind in facts.indicators:
        if year in ind.years:
            continue
        latest = f"senaste värde gäller {max(ind.years)}" if ind.years else "inga värden alls"
        outcomes.append(
            Outcome(
                "brist",
                f"Indikatorn ”{ind.name}” saknar värde för {year} ({latest}).",
                Target("indicator", ind.id, ind.name),
            )
        )
    return outcomes or [Outcome("ok", f"Alla {len(facts.indicators)} indikatorer har värde för {year}.")]


def indicator_plausibility(facts: ProgrammeFacts) -> list[Outcome]:
    """Stored values the rules would refuse today (entered earlier, fetched, computed): shown, not dropped."""
    if not facts.indicators:
        return one("ej_tillämplig", "Programmet har inga indikatorer.")
    outcomes = [
        Outcome(
            "brist",
            f"Indikatorn ”{ind.name}”: "
            + " ".join(ind.implausible[:3])
            + (f" (och {len(ind.implausible) - 3} till)" if len(ind.implausible) > 3 else ""),
            Target("indicator", ind.id, ind.name),
        )
        for ind in facts.indicators
        if ind.implausible
    ]
    return outcomes or [
        Outcome("ok", f"Alla {len(facts.indicators)} indikatorers värden och mål är rimliga.")
    ]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def report_deadline(operation: dt.date) -> dt.date:
    """MSBFS 2021:5: within two months after the operation; December operations by 31 January."""
    if operation.month == 12:
        return dt.date(operation.year + 1, 1, 31)
    return _add_months(operation, 2)


def reporting_cutoff(today: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """The latest calendar month whose every report is overdue: (first day, last day, deadline)."""
    first = today.replace(day=1)
    while True:
        first = _add_months(first, -1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        deadline = report_deadline(last)
        if deadline < today:
            return first, last, deadline


def incident_freshness(facts: ProgrammeFacts) -> list[Outcome]:
    where = version_target(facts, "incidents", "Händelser")
    if not facts.incidents_available:
        return one(
            "okant",
            "Installationen har inget händelseregister, så det går inte att se om händelserna är inlästa.",
        )
    latest = facts.latest_incident_alarm
    if latest is None:
        return one(
            "okant",
            "Inga händelser är inlästa för organisationen. Läs in räddningstjänstens händelser så att "
            "statistiken och rapporteringsfristen kan följas.",
            where,
        )
    first, last, deadline = reporting_cutoff(facts.today)
    if latest < first:
        return one(
            "brist",
            f"Den senaste inlästa händelsen är från {sv_date(latest)}. Händelser till och med "
            f"{sv_date(last)} skulle ha rapporterats senast {sv_date(deadline)}; läs in händelserna "
            "sedan dess.",
            where,
        )
    return one(
        "ok",
        f"Den senaste inlästa händelsen är från {sv_date(latest)}; händelser till och med "
        f"{sv_date(last)} (frist {sv_date(deadline)}) finns med.",
    )
