"""Reads of the goal chain: the tree, its gaps, SMART verdicts and the overview figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch

from lsoplan.audit import dataversion
from lsoplan.conditions.models import Risk
from lsoplan.goals.models import Indicator, Measure, Measurement, NationalGoal, PerformanceGoal, SafetyGoal
from lsoplan.lib import followup
from lsoplan.lib.goalchain import ChainReport, PerformanceGoalNode, RiskNode, SafetyGoalNode, check_chain
from lsoplan.lib.smart import GoalInput, SmartResult, check_goal
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reference.lso import risk_matrix

KIND_SAFETY = "sakerhetsmal"
KIND_PERFORMANCE = "prestationsmal"


def goal_model(kind: str) -> type[SafetyGoal] | type[PerformanceGoal]:
    return SafetyGoal if kind == KIND_SAFETY else PerformanceGoal


def goal_kind(goal: SafetyGoal | PerformanceGoal) -> str:
    return KIND_SAFETY if isinstance(goal, SafetyGoal) else KIND_PERFORMANCE


def safety_goals(version: ProgrammeVersion) -> list[SafetyGoal]:
    return list(
        SafetyGoal.objects.filter(version=version)
        .prefetch_related("national_goals", "risks", "indicators__series")
        .annotate(n_perf=Count("performance_goals", distinct=True))
    )


def performance_goals(version: ProgrammeVersion) -> list[PerformanceGoal]:
    return list(
        PerformanceGoal.objects.filter(version=version).prefetch_related(
            "safety_goals",
            "indicators__series",
            Prefetch("measures", queryset=Measure.objects.order_by("id")),
        )
    )


def chain_report(
    version: ProgrammeVersion, sgs: list[SafetyGoal] | None = None, pgs: list[PerformanceGoal] | None = None
) -> ChainReport:
    """The gaps of the version's goal chain, computed once per data version (``sgs``/``pgs``,
    when given, are the version's goals as stored, read by the caller for its own use)."""
    return dataversion.cached(
        version.organisation_id,
        "chain",
        (version.pk,),
        lambda: _chain_report(version, sgs, pgs),
        scope=version.pk,
    )


def _chain_report(
    version: ProgrammeVersion, sgs: list[SafetyGoal] | None, pgs: list[PerformanceGoal] | None
) -> ChainReport:
    sgs = safety_goals(version) if sgs is None else sgs
    pgs = performance_goals(version) if pgs is None else pgs
    risks = [
        RiskNode(r.pk, r.title, r.likelihood, r.consequence) for r in Risk.objects.filter(version=version)
    ]
    sg_nodes = [
        SafetyGoalNode(
            g.pk,
            f"Säkerhetsmål {g.code}".strip(),
            tuple(n.key for n in g.national_goals.all()),
            tuple(r.pk for r in g.risks.all()),
            len(g.indicators.all()),
        )
        for g in sgs
    ]
    pg_nodes = [
        PerformanceGoalNode(
            g.pk,
            f"Prestationsmål {g.code}".strip(),
            tuple(s.pk for s in g.safety_goals.all()),
            len(g.indicators.all()),
            len(g.measures.all()),
        )
        for g in pgs
    ]
    _, matrix = risk_matrix()
    levels = (len(version.likelihood_labels) or 5, len(version.consequence_labels) or 5)
    return check_chain(risks, sg_nodes, pg_nodes, levels=levels, high_share=matrix.high_share)


def history_by_series(series_ids: list[int]) -> dict[int, list[tuple[int, float]]]:
    out: dict[int, list[tuple[int, float]]] = {sid: [] for sid in series_ids}
    rows = Measurement.objects.filter(series_id__in=series_ids, replaced_at__isnull=True).order_by("year")
    for series_id, year, value in rows.values_list("series_id", "year", "value"):
        out[series_id].append((year, value))
    return out


def spec_for(indicator: Indicator) -> followup.IndicatorSpec:
    return followup.IndicatorSpec(
        direction=indicator.direction,
        is_count=indicator.is_count,
        per_1000=indicator.normalisation == "per_1000",
        unit=indicator.unit,
        baseline_value=indicator.baseline_value,
        baseline_start=indicator.baseline_start,
        baseline_end=indicator.baseline_end,
        target_value=indicator.target_value,
        target_year=indicator.target_year,
        target_kind=indicator.target_kind,
        window_start=indicator.target_window_start,
        window_end=indicator.target_window_end,
        indicator_kind=indicator.indicator_kind,
    )


def smart_input(goal: SafetyGoal | PerformanceGoal, history: dict[int, list[tuple[int, float]]]) -> GoalInput:
    indicators: list[Indicator] = list(goal.indicators.all())
    first = indicators[0] if indicators else None
    # For outcomes that chance drives, "realistiskt" also asks whether the change could be shown at
    # all; one's own output is counted exactly, so no significance question arises for it.
    note = None
    if first is not None and first.indicator_kind == "utfall":
        note = followup.detectability(spec_for(first), history.get(first.series_id, []))
    return GoalInput(
        text=goal.text,
        kind=goal_kind(goal),
        indicator=f"{first.name} ({first.unit})" if first else None,
        baseline=first.baseline_value if first else None,
        baseline_period=first.baseline_period or None if first else None,
        target=first.target_value if first else None,
        target_year=first.target_year if first else None,
        owner=goal.owner or None,
        direction=first.direction if first else None,
        history=tuple(history.get(first.series_id, ())) if first else (),
        detectable=note.detectable if note else None,
        detectability_note=note.sentence if note else None,
    )


def reference_date(version: ProgrammeVersion) -> dt.date:
    """The date a goal's passed deadline is judged against: the decision date of an adopted (or
    replaced) version, whose goals were set then; today for a draft, which is being written now."""
    return version.adopted_on or dt.date.today()


def smart_results(goals: list[Any]) -> dict[tuple[str, int], SmartResult]:
    """SMART results of stored goals, computed once per data version."""
    if not goals:
        return {}
    ids = tuple(sorted((goal_kind(g), g.pk, g.version_id) for g in goals))
    versions = {g.version_id for g in goals}
    return dataversion.cached(
        goals[0].organisation_id,
        "smart",
        (ids, dt.date.today()),
        lambda: _smart_results(goals),
        scope=versions.pop() if len(versions) == 1 else dataversion.ALL,
    )


def _smart_results(goals: list[Any]) -> dict[tuple[str, int], SmartResult]:
    series = [i.series_id for g in goals for i in g.indicators.all()]
    history = history_by_series(series)
    # One query for the versions (usually one), not one per goal.
    versions = ProgrammeVersion.objects.filter(pk__in={g.version_id for g in goals}).only("adopted_on")
    dates = {v.pk: reference_date(v) for v in versions}
    return {
        (goal_kind(g), g.pk): check_goal(smart_input(g, history), reference_date=dates[g.version_id])
        for g in goals
    }


@dataclass
class TreeNode:
    national: NationalGoal | None
    safety_goals: list[SafetyGoal] = field(default_factory=list)


def goal_tree(version: ProgrammeVersion) -> dict[str, Any]:
    sgs = safety_goals(version)
    pgs = performance_goals(version)
    report = chain_report(version, sgs, pgs)
    smart = smart_results([*sgs, *pgs])
    by_sg: dict[int, list[PerformanceGoal]] = {}
    orphans = []
    for pg in pgs:
        linked = list(pg.safety_goals.all())
        if not linked:
            orphans.append(pg)
        for sg in linked:
            by_sg.setdefault(sg.pk, []).append(pg)
    # Each goal carries what its row shows, so the template does no lookups over all goals per row.
    badges: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for gap in report.gaps:
        if gap.severity == "brist":
            badges.setdefault((gap.kind, gap.object_id), []).append((gap.label, gap.message))
    for kind, goals in ((KIND_SAFETY, sgs), (KIND_PERFORMANCE, pgs)):
        for g in goals:
            result = smart.get((kind, g.pk))
            g.smart_ok = None if result is None else result.smart  # type: ignore[union-attr]
            g.gap_badges = badges.get((kind, g.pk), [])  # type: ignore[union-attr]
    for sg in sgs:
        sg.children = by_sg.get(sg.pk, [])  # type: ignore[attr-defined]
    nationals = []
    for ng in NationalGoal.objects.all():
        nationals.append((ng, [sg for sg in sgs if ng in sg.national_goals.all()]))
    unlinked_sg = [sg for sg in sgs if not sg.national_goals.all()]
    return {
        "nationals": nationals,
        "unlinked_safety_goals": unlinked_sg,
        "performance_by_safety": by_sg,
        "orphan_performance_goals": orphans,
        "report": report,
        "smart": smart,
        "safety_goals": sgs,
        "performance_goals": pgs,
    }


def version_summary(version: ProgrammeVersion) -> dict[str, Any]:
    """The overview's counts, computed once per data version."""
    return dataversion.cached(
        version.organisation_id,
        "summary",
        (version.pk, dt.date.today()),
        lambda: _version_summary(version),
        scope=version.pk,
    )


def _version_summary(version: ProgrammeVersion) -> dict[str, Any]:
    sgs = safety_goals(version)
    pgs = performance_goals(version)
    report = chain_report(version, sgs, pgs)
    smart = smart_results([*sgs, *pgs])
    indicators = list(Indicator.objects.filter(version=version))
    last_year = dt.date.today().year - 1
    have = set(
        Measurement.objects.filter(
            series_id__in=[i.series_id for i in indicators], year=last_year, replaced_at__isnull=True
        ).values_list("series_id", flat=True)
    )
    return {
        "risks": Risk.objects.filter(version=version).count(),
        "safety_goals": len(sgs),
        "performance_goals": len(pgs),
        "indicators": len(indicators),
        "measures": sum(len(pg.measures.all()) for pg in pgs),
        "gaps": report.count,
        "not_smart": sum(1 for r in smart.values() if not r.smart),
        "missing_last_year": sum(1 for i in indicators if i.series_id not in have),
        "last_year": last_year,
    }
