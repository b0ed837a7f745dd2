"""Writes for utvärdering and lärande: evaluations and their closing rule, improvement actions and
their carry-over to the next version, survey imports, cost parameters and cost-benefit analyses.

All of them are allowed on an adopted version (see the note in ``models``), so they use
``audit.create``/``audit.update`` — which validate and write the audit trail — on models that
have no ``version`` attribute for ``ensure_editable`` to refuse.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lsoplan.accounts.models import Organisation
from lsoplan.audit import services as audit
from lsoplan.audit.models import Action
from lsoplan.audit.services import Actor
from lsoplan.evaluation import selectors
from lsoplan.evaluation.models import (
    OPEN_ACTION_STATUSES,
    ActionSource,
    ActionStatus,
    Assessment,
    CostBenefitAnalysis,
    CostParameterSet,
    Evaluation,
    EvaluationStatus,
    GoalKind,
    ImprovementAction,
    Survey,
    SurveyAnswer,
)
from lsoplan.goals.models import Measure, PerformanceGoal, SafetyGoal
from lsoplan.lib import costbenefit
from lsoplan.lib.stats import ACHIEVED
from lsoplan.lib.survey import SurveyFileError, parse_survey
from lsoplan.programmes.models import ProgrammeVersion

# --- Evaluations --------------------------------------------------------------------------------


def _check_period(start: int, end: int) -> None:
    errors = {}
    for name, year in (("period_start", start), ("period_end", end)):
        if not 1990 <= year <= 2100:
            errors[name] = "Ange ett år mellan 1990 och 2100."
    if not errors and end < start:
        errors["period_end"] = "Periodens slut kan inte ligga före dess början."
    if errors:
        raise ValidationError(errors)


def _check_open(evaluation: Evaluation) -> None:
    if evaluation.is_closed:
        raise ValidationError("Utvärderingen är avslutad. Öppna den igen för att ändra den.")


def _own_surveys(organisation_id: int, surveys: list[Survey]) -> list[Survey]:
    if any(s.organisation_id != organisation_id for s in surveys):
        raise ValidationError({"surveys": "Välj bland organisationens egna undersökningar."})
    return surveys


@transaction.atomic
def create_evaluation(
    actor: Actor,
    goal: SafetyGoal | PerformanceGoal,
    *,
    period_start: int,
    period_end: int,
    surveys: list[Survey] | None = None,
    **fields: Any,
) -> Evaluation:
    """Start an evaluation of a goal for a year or a period; the follow-up verdict is stored too."""
    _check_period(period_start, period_end)
    kind = GoalKind.SAKERHETSMAL if isinstance(goal, SafetyGoal) else GoalKind.PRESTATIONSMAL
    link = {"safety_goal": goal} if isinstance(goal, SafetyGoal) else {"performance_goal": goal}
    return audit.create(
        actor,
        Evaluation,
        organisation=goal.organisation,
        programme_version=goal.version,
        goal_kind=kind,
        goal_lineage=goal.lineage,
        goal_label=selectors.goal_label(goal),
        period_start=period_start,
        period_end=period_end,
        followup_snapshot=selectors.followup_snapshot(goal, period_end),
        m2m={"surveys": _own_surveys(goal.organisation_id, list(surveys or []))},
        **link,
        **fields,
    )


@transaction.atomic
def update_evaluation(
    actor: Actor, evaluation: Evaluation, *, surveys: list[Survey] | None = None, **fields: Any
) -> Evaluation:
    _check_open(evaluation)
    start = fields.get("period_start", evaluation.period_start)
    end = fields.get("period_end", evaluation.period_end)
    _check_period(start, end)
    m2m = {} if surveys is None else {"surveys": _own_surveys(evaluation.organisation_id, list(surveys))}
    goal = evaluation.goal
    if goal is not None:
        fields["followup_snapshot"] = selectors.followup_snapshot(goal, end)
    return audit.update(actor, evaluation, m2m=m2m, **fields)


def needs_action(evaluation: Evaluation, assessment: str) -> bool:
    """True unless both the follow-up and the planner's assessment say the goal is met.

    The issue's rule covers goals that are not met or whose change is not established; a planner
    who judges a goal only partly met (or cannot judge it) is held to the same rule, since that
    is exactly when learning is due.
    """
    overall = evaluation.followup_snapshot.get("overall")
    return overall != ACHIEVED or assessment != Assessment.UPPNATT


@transaction.atomic
def close_evaluation(
    actor: Actor,
    evaluation: Evaluation,
    *,
    assessment: str,
    assessment_text: str = "",
    no_action_reason: str = "",
) -> Evaluation:
    """Close with an overall assessment. A goal not met needs an action or a written reason."""
    _check_open(evaluation)
    if assessment not in Assessment.values:
        raise ValidationError({"assessment": "Välj en samlad bedömning innan utvärderingen avslutas."})
    goal = evaluation.goal
    if goal is not None:
        # The verdict the evaluation is closed on is the one stored with it.
        evaluation.followup_snapshot = selectors.followup_snapshot(goal, evaluation.period_end)
    if needs_action(evaluation, assessment) and not no_action_reason.strip():
        actions = evaluation.actions.exclude(status=ActionStatus.AVBRUTEN).count()
        if actions == 0:
            overall = evaluation.followup_snapshot.get("overall") or "okänd"
            raise ValidationError(
                {
                    "no_action_reason": (
                        f"Målet är inte uppnått enligt uppföljningen eller bedömningen (uppföljningen: "
                        f"{overall}). Koppla minst en förbättringsåtgärd till utvärderingen, eller "
                        "skriv varför ingen åtgärd behövs."
                    )
                }
            )
    return audit.update(
        actor,
        evaluation,
        assessment=assessment,
        assessment_text=assessment_text,
        no_action_reason=no_action_reason.strip(),
        followup_snapshot=evaluation.followup_snapshot,
        status=EvaluationStatus.AVSLUTAD,
        closed_at=timezone.now(),
    )


def reopen_evaluation(actor: Actor, evaluation: Evaluation) -> Evaluation:
    if not evaluation.is_closed:
        raise ValidationError("Utvärderingen är redan öppen.")
    return audit.update(actor, evaluation, status=EvaluationStatus.OPPEN, closed_at=None)


# --- Improvement actions ------------------------------------------------------------------------


def _check_action_links(version: ProgrammeVersion, evaluation: Evaluation | None, source: str) -> None:
    if source not in ActionSource.values:
        raise ValidationError({"source": "Okänd källa."})
    if evaluation is None:
        return
    if (
        evaluation.organisation_id != version.organisation_id
        or evaluation.programme_version.programme_id != version.programme_id
    ):
        raise ValidationError({"evaluation": "Utvärderingen hör inte till det här handlingsprogrammet."})


def create_action(
    actor: Actor,
    version: ProgrammeVersion,
    *,
    title: str,
    owner: str,
    evaluation: Evaluation | None = None,
    source: str = ActionSource.ANNAT,
    source_ref: dict[str, Any] | None = None,
    **fields: Any,
) -> ImprovementAction:
    if evaluation is not None and source == ActionSource.ANNAT:
        source = ActionSource.UTVARDERING
    _check_action_links(version, evaluation, source)
    return audit.create(
        actor,
        ImprovementAction,
        organisation=version.organisation,
        programme_version=version,
        title=title,
        owner=owner,
        evaluation=evaluation,
        source=source,
        source_ref=dict(source_ref or {}),
        **fields,
    )


def update_action(actor: Actor, action: ImprovementAction, **fields: Any) -> ImprovementAction:
    evaluation = fields.get("evaluation", action.evaluation)
    _check_action_links(action.programme_version, evaluation, fields.get("source", action.source))
    return audit.update(actor, action, **fields)


@transaction.atomic
def carry_open_actions(actor: Actor, old_version: ProgrammeVersion, new_version: ProgrammeVersion) -> int:
    """Copy the open and ongoing actions of ``old_version`` into ``new_version``.

    Each copy keeps its lineage (the same action seen in two versions) and its link back to the
    evaluation it came from. Actions already carried over are skipped, so a second call is
    harmless. Returns how many were copied.
    """
    if old_version.programme_id != new_version.programme_id:
        raise ValueError("versionerna hör till olika handlingsprogram")
    present = set(
        ImprovementAction.objects.filter(programme_version=new_version).values_list("lineage", flat=True)
    )
    copied = 0
    for action in ImprovementAction.objects.filter(
        programme_version=old_version, status__in=OPEN_ACTION_STATUSES
    ).order_by("pk"):
        if action.lineage in present:
            continue
        audit.create(
            actor,
            ImprovementAction,
            organisation=action.organisation,
            programme_version=new_version,
            lineage=action.lineage,
            title=action.title,
            description=action.description,
            owner=action.owner,
            due_date=action.due_date,
            status=action.status,
            evaluation=action.evaluation,
            source=action.source,
            source_ref=action.source_ref,
        )
        copied += 1
    return copied


# --- Citizens' surveys --------------------------------------------------------------------------

MAX_SURVEY_BYTES = 2_000_000


@transaction.atomic
def import_survey(
    actor: Actor,
    organisation: Organisation,
    *,
    name: str,
    year: int,
    source: str,
    data: bytes,
    file_name: str = "",
) -> Survey:
    """Import survey results all or nothing: a file with any fault changes nothing."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Ange undersökningens namn."]
    if not source.strip():
        errors["source"] = ["Ange vem som gjort undersökningen, t.ex. 'SCB:s medborgarundersökning'."]
    if not 1990 <= year <= 2100:
        errors["year"] = ["Ange ett år mellan 1990 och 2100."]
    if len(data) > MAX_SURVEY_BYTES:
        errors["file"] = ["Filen är större än 2 MB; dela upp den."]
    else:
        try:
            rows = parse_survey(data, name=file_name or "filen")
        except SurveyFileError as exc:
            errors["file"] = list(exc.problems)
    if errors:
        raise ValidationError(errors)
    survey = Survey(
        organisation=organisation,
        name=name.strip(),
        year=year,
        source=source.strip(),
        file_name=file_name[:200],
        imported_by=actor.label[:150],
    )
    survey.full_clean()
    survey.save()
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            organisation=organisation,
            survey=survey,
            question=r.question[:500],
            option=r.option[:300],
            share=r.share,
            respondents=r.respondents,
            order=i,
        )
        for i, r in enumerate(rows)
    )
    changes = {k: [None, v] for k, v in audit.snapshot(survey).items()}
    audit.record(actor, survey, Action.CREATE, changes | {"svarsrader": [None, len(rows)]})
    return survey


@transaction.atomic
def delete_survey(actor: Actor, survey: Survey) -> Survey:
    if survey.evaluations.exists():
        raise ValidationError("Undersökningen används i en utvärdering och kan inte tas bort.")
    changes = {k: [v, None] for k, v in audit.snapshot(survey).items()}
    audit.record(actor, survey, Action.DELETE, changes | {"svarsrader": [survey.answers.count(), None]})
    survey.delete()
    return survey


# --- Cost parameters and cost-benefit analyses ------------------------------------------------


def ensure_parameter_set(actor: Actor, organisation: Organisation) -> CostParameterSet:
    """The organisation's current parameters; the reference file's the first time they are needed."""
    current = selectors.current_parameter_set(organisation)
    if current is not None:
        return current
    raw = selectors.reference_parameters()
    return audit.create(
        actor,
        CostParameterSet,
        organisation=organisation,
        parameter_version=str(raw["version"]),
        params=raw,
        note="Referensdata (src/lsoplan/reference/data/cost_parameters.yaml).",
        created_by=actor.user,
        created_by_label=actor.label[:150],
    )


def adopt_reference_parameters(actor: Actor, organisation: Organisation) -> CostParameterSet:
    """Start using the reference file's version (after lsoplan has shipped a newer one)."""
    raw = selectors.reference_parameters()
    if CostParameterSet.objects.filter(
        organisation=organisation, parameter_version=str(raw["version"])
    ).exists():
        raise ValidationError(f"Referensversionen {raw['version']} finns redan hos organisationen.")
    return audit.create(
        actor,
        CostParameterSet,
        organisation=organisation,
        parameter_version=str(raw["version"]),
        params=raw,
        based_on=selectors.current_parameter_set(organisation),
        note="Referensdata (src/lsoplan/reference/data/cost_parameters.yaml).",
        created_by=actor.user,
        created_by_label=actor.label[:150],
    )


@transaction.atomic
def save_parameter_set(
    actor: Actor, organisation: Organisation, params: dict[str, Any], *, note: str
) -> CostParameterSet:
    """Store changed parameters as a new version; earlier versions and their analyses stay."""
    if not note.strip():
        raise ValidationError({"note": "Skriv vad som ändrats och varför, med källa."})
    previous = ensure_parameter_set(actor, organisation)
    root = str(previous.params.get("version", previous.parameter_version)).split("-lokal")[0]
    n = CostParameterSet.objects.filter(
        organisation=organisation, parameter_version__startswith=f"{root}-lokal"
    ).count()
    version = f"{root}-lokal{n + 1}"
    data = dict(params) | {"version": version}
    try:
        costbenefit.parse_parameter_set(data)
    except costbenefit.CostParameterError as exc:
        raise ValidationError(list(exc.problems)) from None
    return audit.create(
        actor,
        CostParameterSet,
        organisation=organisation,
        parameter_version=version,
        params=data,
        based_on=previous,
        note=note.strip(),
        created_by=actor.user,
        created_by_label=actor.label[:150],
    )


Subject = Measure | SafetyGoal | PerformanceGoal


def _analysis_fields(
    actor: Actor,
    version: ProgrammeVersion,
    subject: Subject,
    *,
    title: str,
    one_off_cost: float,
    yearly_cost: float,
    years: int,
    discount_rate: float,
    avoided_deaths: float = 0,
    avoided_serious: float = 0,
    avoided_slight: float = 0,
    avoided_fires: float = 0,
    minutes_per_operation: float = 0,
    operations_per_year: float = 0,
    assumptions: str = "",
) -> dict[str, Any]:
    """The stored fields of an analysis: inputs, the result computed with the organisation's
    current parameters, and the parameter version used."""
    if subject.version_id != version.pk:
        raise ValidationError("Åtgärden eller målet hör inte till den här programversionen.")
    pset = ensure_parameter_set(actor, version.organisation)
    params = costbenefit.parse_parameter_set(pset.params)
    inputs = costbenefit.Inputs(
        one_off_cost=float(one_off_cost),
        yearly_cost=float(yearly_cost),
        years=years,
        discount_rate=discount_rate,
        avoided={
            "vsl": avoided_deaths,
            "serious_injury": avoided_serious,
            "slight_injury": avoided_slight,
            "building_fire": avoided_fires,
        },
        minutes_per_operation=minutes_per_operation,
        operations_per_year=operations_per_year,
    )
    try:
        result = costbenefit.analyse(inputs, params)
    except ValueError as exc:
        raise ValidationError(str(exc).capitalize() + ".") from None
    return {
        "measure": subject if isinstance(subject, Measure) else None,
        "safety_goal": subject if isinstance(subject, SafetyGoal) else None,
        "performance_goal": subject if isinstance(subject, PerformanceGoal) else None,
        "title": title,
        "subject_label": selectors.subject_label(subject),
        "subject_lineage": subject.lineage,
        "one_off_cost": round(float(one_off_cost)),
        "yearly_cost": round(float(yearly_cost)),
        "years": years,
        "discount_rate": discount_rate,
        "avoided_deaths": avoided_deaths,
        "avoided_serious": avoided_serious,
        "avoided_slight": avoided_slight,
        "avoided_fires": avoided_fires,
        "minutes_per_operation": minutes_per_operation,
        "operations_per_year": operations_per_year,
        "assumptions": assumptions,
        "parameter_set": pset,
        "parameter_version": pset.parameter_version,
        "result": costbenefit.as_dict(result),
    }


@transaction.atomic
def create_analysis(
    actor: Actor, version: ProgrammeVersion, subject: Subject, **inputs: Any
) -> CostBenefitAnalysis:
    """Compute with the organisation's current parameters and store inputs, result and version."""
    fields = _analysis_fields(actor, version, subject, **inputs)
    return audit.create(
        actor,
        CostBenefitAnalysis,
        organisation=version.organisation,
        programme_version=version,
        created_by_label=actor.label[:150],
        **fields,
    )


@transaction.atomic
def update_analysis(
    actor: Actor, analysis: CostBenefitAnalysis, *, subject: Subject | None, **inputs: Any
) -> CostBenefitAnalysis:
    """Corrected inputs: the result is computed anew (with the current parameters)."""
    if subject is None:
        raise ValidationError({"subject": "Välj ett mål eller en åtgärd i den här versionen."})
    fields = _analysis_fields(actor, analysis.programme_version, subject, **inputs)
    return audit.update(actor, analysis, **fields)


def delete_analysis(actor: Actor, analysis: CostBenefitAnalysis) -> CostBenefitAnalysis:
    audit.delete(actor, analysis)
    return analysis


# --- Edits and deletions of evaluations, actions and surveys ----------------------------------


@transaction.atomic
def delete_evaluation(actor: Actor, evaluation: Evaluation) -> Evaluation:
    """An open evaluation; its improvement actions stay (they lose the link)."""
    _check_open(evaluation)
    audit.delete(actor, evaluation)
    return evaluation


def delete_action(actor: Actor, action: ImprovementAction) -> ImprovementAction:
    audit.delete(actor, action)
    return action


def update_survey(actor: Actor, survey: Survey, *, name: str, year: int, source: str) -> Survey:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Ange undersökningens namn."
    if not source.strip():
        errors["source"] = "Ange vem som gjort undersökningen, t.ex. 'SCB:s medborgarundersökning'."
    if not 1990 <= year <= 2100:
        errors["year"] = "Ange ett år mellan 1990 och 2100."
    if errors:
        raise ValidationError(errors)
    return audit.update(actor, survey, name=name.strip(), year=year, source=source.strip())
