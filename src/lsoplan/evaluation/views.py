"""Utvärdering and Lärande: evaluations per goal and period, and the improvement actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lsoplan.accounts.access import get_for_user
from lsoplan.evaluation import selectors, services
from lsoplan.evaluation.forms import ActionForm, CloseForm, EvaluationForm
from lsoplan.evaluation.models import ActionSource, ActionStatus, Evaluation
from lsoplan.goals.models import PerformanceGoal, SafetyGoal
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for

ACTION_FILTERS = {"oppna": "Öppna och pågående", **dict(ActionStatus.choices)}


def _status(form: Any) -> int:
    return 400 if form.errors else 200


def _evaluation(request: HttpRequest, pk: int) -> Evaluation:
    return get_for_user(
        request.user,
        Evaluation.objects.select_related("programme_version__programme", "safety_goal", "performance_goal"),
        pk=pk,
    )


@login_required
def evaluation_list(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    context = version_context(request, version, "utvardering") | {
        "rows": selectors.goal_rows(version),
        "orphans": selectors.orphan_evaluations(version),
    }
    return render(request, "evaluation/evaluations.html", context)


@login_required
def evaluation_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    goal: SafetyGoal | PerformanceGoal
    if kind == "sakerhetsmal":
        goal = get_for_user(request.user, SafetyGoal.objects.select_related("version__programme"), pk=pk)
    elif kind == "prestationsmal":
        goal = get_for_user(request.user, PerformanceGoal.objects.select_related("version__programme"), pk=pk)
    else:
        raise Http404
    version = goal.version
    editable(request, version)
    programme = version.programme
    form = EvaluationForm(
        request.POST or None,
        organisation_id=version.organisation_id,
        initial={"period_start": programme.period_start, "period_end": programme.period_end},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        surveys = list(data.pop("surveys"))
        evaluation = run_service(
            request, form, lambda: services.create_evaluation(actor(request), goal, surveys=surveys, **data)
        )
        if evaluation is not None:
            messages.success(request, "Utvärderingen är påbörjad.")
            return redirect("evaluation_detail", pk=evaluation.pk)
    context = version_context(request, version, "utvardering") | {
        "form": form,
        "goal_label": selectors.goal_label(goal),
    }
    return render(request, "evaluation/evaluation_form.html", context, status=_status(form))


def _detail_context(request: HttpRequest, evaluation: Evaluation, close_form: CloseForm) -> dict[str, Any]:
    surveys = [(s, selectors.survey_table(s)) for s in evaluation.surveys.all()]
    return version_context(request, evaluation.programme_version, "utvardering") | {
        "evaluation": evaluation,
        "evidence": selectors.evidence(evaluation),
        "actions": selectors.evaluation_actions(evaluation),
        "surveys": surveys,
        # Citizens' views from the public page, evidence for "medborgarnas syn" beside the surveys.
        "citizen_views": list(evaluation.citizen_views.order_by("-received_at")),
        "analyses": selectors.analyses_for(evaluation),
        "close_form": close_form,
        "questions": [
            (str(getattr(Evaluation._meta.get_field(name), "verbose_name", name)), getattr(evaluation, name))
            for name in ("why", "side_effects", "citizens_view", "cost_benefit", "learning")
        ],
    }


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    form = CloseForm(
        initial={
            "assessment": evaluation.assessment,
            "assessment_text": evaluation.assessment_text,
            "no_action_reason": evaluation.no_action_reason,
        }
    )
    return render(request, "evaluation/evaluation_detail.html", _detail_context(request, evaluation, form))


@login_required
@require_POST
def evaluation_close(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    editable(request, evaluation)
    form = CloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            form,
            lambda: services.close_evaluation(
                actor(request),
                evaluation,
                assessment=data["assessment"],
                assessment_text=data["assessment_text"],
                no_action_reason=data["no_action_reason"],
            ),
        )
        if done is not None:
            messages.success(request, "Utvärderingen är avslutad.")
            return redirect("evaluation_detail", pk=evaluation.pk)
    evaluation.refresh_from_db()
    return render(
        request, "evaluation/evaluation_detail.html", _detail_context(request, evaluation, form), status=400
    )


@login_required
@require_POST
def evaluation_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    editable(request, evaluation)
    try:
        services.reopen_evaluation(actor(request), evaluation)
        messages.success(request, "Utvärderingen är öppnad igen.")
    except Exception as exc:  # ValidationError: already open
        messages.error(request, getattr(exc, "messages", [str(exc)])[0])
    return redirect("evaluation_detail", pk=evaluation.pk)


# --- Lärande ------------------------------------------------------------------------------------


@login_required
def learning(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    chosen = request.GET.get("status", "")
    if chosen not in ACTION_FILTERS:
        chosen = ""
    items = selectors.actions(version, chosen or None)
    carried = selectors.carried_forward(version, items)
    context = version_context(request, version, "larande") | {
        "rows": [(a, carried.get(a.lineage)) for a in items],
        "filters": ACTION_FILTERS,
        "chosen": chosen,
        "today": timezone.localdate(),
    }
    return render(request, "evaluation/learning.html", context)


def _prefill(request: HttpRequest) -> tuple[dict[str, Any], Evaluation | None]:
    """Initial values from the query string: ?kalla=egenkontroll&regel=HP-12&korning=5 or
    ?utvardering=<id>, so that other pages (the checklist, an evaluation) can link here."""
    initial: dict[str, Any] = {}
    evaluation = None
    source = request.GET.get("kalla", "")
    if source in ActionSource.values:
        initial["source"] = source
    rule = request.GET.get("regel", "").strip()[:40]
    if rule:
        initial["rule"] = rule
        initial.setdefault("source", ActionSource.EGENKONTROLL)
    run = request.GET.get("korning", "")
    if run.isdigit():
        initial["run"] = int(run)
    evaluation_id = request.GET.get("utvardering", "")
    if evaluation_id.isdigit():
        evaluation = _evaluation(request, int(evaluation_id))
        initial["evaluation"] = evaluation.pk
        initial.setdefault("source", ActionSource.UTVARDERING)
        goal = evaluation.goal
        if goal is not None and goal.owner:
            initial["owner"] = goal.owner
    return initial, evaluation


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    initial, from_evaluation = _prefill(request)
    form = ActionForm(request.POST or None, version=version, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        action = run_service(request, form, lambda: services.create_action(actor(request), version, **data))
        if action is not None:
            messages.success(request, "Förbättringsåtgärden är sparad.")
            if action.evaluation_id and from_evaluation is not None:
                return redirect("evaluation_detail", pk=action.evaluation_id)
            return redirect("version_learning", pk=version.pk)
    context = version_context(request, version, "larande") | {"form": form, "action": None}
    return render(request, "evaluation/action_form.html", context, status=_status(form))
