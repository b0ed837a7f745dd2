"""Reads for utvärdering and lärande: the follow-up evidence beside an evaluation, the goal list,
actions per version, survey tables with margins of error, and the cost parameters."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml
from django.db.models import QuerySet
from django.utils import timezone

from lsoplan.accounts.models import Organisation
from lsoplan.audit import dataversion
from lsoplan.evaluation.models import (
    OPEN_ACTION_STATUSES,
    CostBenefitAnalysis,
    CostParameterSet,
    Evaluation,
    EvaluationStatus,
    ImprovementAction,
    Survey,
)
from lsoplan.followup.selectors import indicator_followups
from lsoplan.goals.models import Indicator, Measure, PerformanceGoal, SafetyGoal
from lsoplan.lib import costbenefit
from lsoplan.lib.stats import (
    ACHIEVED,
    ACHIEVED_NOT_ASSURED,
    NO_ASSURED_CHANGE,
    ON_TRACK,
    TOO_LITTLE_DATA,
    WORSENED,
)
from lsoplan.lib.survey import ShareInterval, wilson_interval
from lsoplan.lib.verdicts import NOT_ACHIEVED, Verdict
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reference import DATA

# A goal counts as met only when every indicator is; otherwise the goal shows its most serious
# indicator status, in this order.
SEVERITY = (
    NOT_ACHIEVED,
    WORSENED,
    NO_ASSURED_CHANGE,
    TOO_LITTLE_DATA,
    ACHIEVED_NOT_ASSURED,
    ON_TRACK,
    ACHIEVED,
)
NO_TARGET = "inget målvärde"


def goal_label(goal: SafetyGoal | PerformanceGoal) -> str:
    kind = "Säkerhetsmål" if isinstance(goal, SafetyGoal) else "Prestationsmål"
    return f"{kind} {goal.code}: {goal.text}"[:300] if goal.code else f"{kind}: {goal.text}"[:300]


def subject_label(subject: Measure | SafetyGoal | PerformanceGoal) -> str:
    if isinstance(subject, Measure):
        return f"Åtgärd: {subject.text}"[:300]
    return goal_label(subject)


def overall_status(statuses: list[str | None]) -> str:
    """The goal's status from its indicators' (None = no target, which cannot show it is met)."""
    known = [s if s is not None else TOO_LITTLE_DATA for s in statuses]
    if not known:
        return TOO_LITTLE_DATA
    return min(known, key=lambda s: SEVERITY.index(s) if s in SEVERITY else 0)


def _indicators(goal: SafetyGoal | PerformanceGoal) -> list[Indicator]:
    return list(goal.indicators.select_related("series").order_by("id"))


def _statuses(goal: SafetyGoal | PerformanceGoal, year: int | None) -> list[tuple[Indicator, Verdict | None]]:
    # The same function as the follow-up page and the yearly report, so the verdicts agree.
    return [
        (f.indicator, f.verdict)
        for f in indicator_followups(goal.version, year, indicators=_indicators(goal))
    ]


def followup_snapshot(goal: SafetyGoal | PerformanceGoal, year: int) -> dict[str, Any]:
    """The follow-up verdict per indicator up to ``year``, as stored with an evaluation."""
    rows: list[dict[str, Any]] = []
    for indicator, status in _statuses(goal, year):
        rows.append(
            {
                "indicator": indicator.pk,
                "lineage": str(indicator.lineage),
                "name": indicator.name,
                "unit": indicator.unit,
                "status": status.status if status else None,
                "sentence": status.sentence if status else "Indikatorn har inget målvärde att bedöma mot.",
                "method": status.method if status else "",
                "year": status.year if status else None,
            }
        )
    return {
        "year": year,
        "overall": overall_status([r["status"] for r in rows]),
        "indicators": rows,
    }


@dataclass
class GoalRow:
    goal: SafetyGoal | PerformanceGoal
    kind: str
    overall: str
    evaluations: list[Evaluation]


def goal_overalls(version: ProgrammeVersion) -> dict[tuple[str, int], str]:
    """Each goal's overall follow-up status, from one ``indicator_followups`` of the version,
    computed once per data version."""

    def compute() -> dict[tuple[str, int], str]:
        by_goal: dict[tuple[str, int], list[str | None]] = {}
        for f in indicator_followups(version):
            i = f.indicator
            key = (
                ("sakerhetsmal", i.safety_goal_id)
                if i.safety_goal_id is not None
                else ("prestationsmal", i.performance_goal_id)
            )
            by_goal.setdefault(key, []).append(f.verdict.status if f.verdict else None)  # type: ignore[arg-type]
        return {key: overall_status(statuses) for key, statuses in by_goal.items()}

    today = dt.date.today()
    return dataversion.cached(
        version.organisation_id, "overall", (version.pk, today), compute, scope=version.pk
    )


def goal_rows(version: ProgrammeVersion) -> list[GoalRow]:
    """Every goal of the version with its current follow-up status and its evaluations."""
    evaluations = list(Evaluation.objects.filter(programme_version=version).order_by("-period_end", "id"))
    overalls = goal_overalls(version)
    rows = []
    goals: list[tuple[str, SafetyGoal | PerformanceGoal]] = [
        ("sakerhetsmal", g) for g in SafetyGoal.objects.filter(version=version)
    ]
    goals += [("prestationsmal", g) for g in PerformanceGoal.objects.filter(version=version)]
    for kind, goal in goals:
        overall = overalls.get((kind, goal.pk)) or overall_status([])
        own = [
            e
            for e in evaluations
            if (e.safety_goal_id if kind == "sakerhetsmal" else e.performance_goal_id) == goal.pk
        ]
        rows.append(GoalRow(goal, kind, overall, own))
    return rows


def orphan_evaluations(version: ProgrammeVersion) -> list[Evaluation]:
    """Evaluations whose goal has since been removed from the (draft) version."""
    return list(
        Evaluation.objects.filter(
            programme_version=version, safety_goal__isnull=True, performance_goal__isnull=True
        )
    )


def evidence(evaluation: Evaluation) -> dict[str, Any]:
    """What to show beside the questions: the stored verdict when closed, else the current one."""
    goal = evaluation.goal
    if evaluation.is_closed or goal is None:
        return evaluation.followup_snapshot | {"live": False}
    return followup_snapshot(goal, evaluation.period_end) | {"live": True}


def evaluation_actions(evaluation: Evaluation) -> QuerySet[ImprovementAction]:
    return evaluation.actions.select_related("programme_version").order_by("programme_version__number", "id")


def analyses_for(evaluation: Evaluation) -> list[CostBenefitAnalysis]:
    """Cost-benefit analyses of the goal or of its measures (prestationsmål), in the same version."""
    goal = evaluation.goal
    if goal is None:
        return []
    qs = CostBenefitAnalysis.objects.filter(programme_version=evaluation.programme_version_id)
    if isinstance(goal, SafetyGoal):
        return list(qs.filter(safety_goal=goal))
    return list(qs.filter(performance_goal=goal)) + list(qs.filter(measure__performance_goal=goal))


# --- Improvement actions ------------------------------------------------------------------------


def stage_summary(version: ProgrammeVersion, today: dt.date | None = None) -> dict[str, int]:
    """Counts for the overview's Utvärdering and Lärande stages."""
    today = today or timezone.localdate()
    evaluations = Evaluation.objects.filter(programme_version=version)
    open_actions = ImprovementAction.objects.filter(
        programme_version=version, status__in=OPEN_ACTION_STATUSES
    )
    return {
        "evaluations": evaluations.count(),
        "open_evaluations": evaluations.filter(status=EvaluationStatus.OPPEN).count(),
        "open_actions": open_actions.count(),
        "overdue_actions": open_actions.filter(due_date__lt=today).count(),
    }


def actions(version: ProgrammeVersion, status: str | None = None) -> list[ImprovementAction]:
    qs = ImprovementAction.objects.filter(programme_version=version).select_related("evaluation")
    if status == "oppna":
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return list(qs.order_by("due_date", "id"))


def carried_forward(version: ProgrammeVersion, items: list[ImprovementAction]) -> dict[Any, int]:
    """For actions of this version: lineage → the newest later version number holding a copy."""
    lineages = [a.lineage for a in items]
    later = (
        ImprovementAction.objects.filter(
            lineage__in=lineages,
            programme_version__programme_id=version.programme_id,
            programme_version__number__gt=version.number,
        )
        .values_list("lineage", "programme_version__number")
        .order_by("programme_version__number")
    )
    return dict(later)


# --- Surveys ------------------------------------------------------------------------------------


@dataclass
class AnswerRow:
    option: str
    share: float
    respondents: int
    interval: ShareInterval


def survey_table(survey: Survey) -> list[tuple[str, list[AnswerRow]]]:
    """Answers grouped by question, in file order, each with its Wilson 95 % interval."""
    grouped: dict[str, list[AnswerRow]] = {}
    for a in survey.answers.all().order_by("order"):
        grouped.setdefault(a.question, []).append(
            AnswerRow(a.option, a.share, a.respondents, wilson_interval(a.share, a.respondents))
        )
    return list(grouped.items())


def surveys(organisation_ids: Any) -> QuerySet[Survey]:
    return Survey.objects.filter(organisation__in=organisation_ids)


# --- Cost parameters ----------------------------------------------------------------------------


@cache
def _reference_raw() -> dict[str, Any]:
    raw = yaml.safe_load((DATA / "cost_parameters.yaml").read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


def reference_parameters() -> dict[str, Any]:
    """The reference file, as a fresh copy (callers may store or change it)."""
    return copy.deepcopy(_reference_raw())


def current_parameter_set(organisation: Organisation) -> CostParameterSet | None:
    return CostParameterSet.objects.filter(organisation=organisation).order_by("-created_at", "-id").first()


def parameters_in_use(organisation: Organisation) -> tuple[CostParameterSet | None, costbenefit.ParameterSet]:
    """The organisation's current set (None: the reference file applies until first use)."""
    current = current_parameter_set(organisation)
    return current, costbenefit.parse_parameter_set(current.params if current else reference_parameters())


def parameter_rows(params: costbenefit.ParameterSet) -> list[dict[str, Any]]:
    """Each valuation with its source, price year, index ratio and value in today's prices."""
    rows = []
    for key in costbenefit.BENEFIT_KEYS:
        p = params.parameters[key]
        rows.append(
            {
                "parameter": p,
                "factor": params.factor(p.price_year),
                "today": params.today(key),
                "today_low": params.today(key, "low"),
                "today_high": params.today(key, "high"),
            }
        )
    return rows
