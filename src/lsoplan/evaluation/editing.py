"""Editable kinds of utvärdering and lärande: evaluations, improvement actions, surveys and
cost-benefit analyses. These are follow-up data: they stay correctable after adoption."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

from lsoplan.evaluation import selectors, services
from lsoplan.evaluation.forms import (
    SUBJECT_MEASURE,
    ActionForm,
    CostBenefitForm,
    EvaluationForm,
    SurveyForm,
    subject_for,
)
from lsoplan.evaluation.forms_citizens import CitizenViewHandlingForm
from lsoplan.evaluation.models import CostBenefitAnalysis, Evaluation, ImprovementAction, Survey
from lsoplan.public import services as public_services
from lsoplan.public.models import CitizenView
from lsoplan.web.editing import Kind, count_phrase


def _evaluation_consequences(evaluation: Evaluation) -> list[str]:
    n = evaluation.actions.count()
    if not n:
        return []
    return [
        f"Utvärderingen har {count_phrase(n, 'förbättringsåtgärd', 'förbättringsåtgärder')}; "
        "de finns kvar men förlorar kopplingen till utvärderingen."
    ]


def _evaluation_locked(evaluation: Evaluation) -> str | None:
    if evaluation.is_closed:
        return "Utvärderingen är avslutad. Öppna den igen för att ändra den."
    return None


def _evaluation_data(form: forms.BaseForm, obj: Evaluation) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["surveys"] = list(data.get("surveys") or [])
    return data


def _survey_consequences(survey: Survey) -> list[str]:
    n = survey.answers.count()
    lines = [f"Undersökningen har {count_phrase(n, 'svarsrad', 'svarsrader')}; de tas bort med den."]
    if survey.evaluations.exists():
        lines.append("Undersökningen används i en utvärdering och kan inte tas bort.")
    return lines


def _survey_back(survey: Survey) -> str:
    # A survey belongs to the organisation; its list lives under a version of one of its programmes.
    from lsoplan.programmes.models import ProgrammeVersion

    version = ProgrammeVersion.objects.filter(organisation_id=survey.organisation_id).order_by("-pk").first()
    if version is None:
        return reverse("programme_list")
    return reverse("survey_list", kwargs={"pk": version.pk})


def _survey_version(survey: Any) -> Any:
    from lsoplan.programmes.models import ProgrammeVersion

    return (
        ProgrammeVersion.objects.filter(organisation_id=survey.organisation_id)
        .select_related("programme")
        .order_by("-pk")
        .first()
    )


def _citizen_view_back(view: CitizenView) -> str:
    version = _survey_version(view)  # like a survey, a citizen's view belongs to the organisation
    if version is None:
        return reverse("programme_list")
    return reverse("citizen_view_list", kwargs={"pk": version.pk})


def _citizen_view_consequences(view: CitizenView) -> list[str]:
    return ["Synpunkten tas bort helt; historiken visar bara att den fanns, inte vad den sa."]


def _subject_value(analysis: CostBenefitAnalysis) -> str:
    if analysis.measure_id:
        return f"{SUBJECT_MEASURE}:{analysis.measure_id}"
    if analysis.safety_goal_id:
        return f"sakerhetsmal:{analysis.safety_goal_id}"
    return f"prestationsmal:{analysis.performance_goal_id}"


def _cost_form_kwargs(analysis: CostBenefitAnalysis) -> dict[str, Any]:
    _, params = selectors.parameters_in_use(analysis.organisation)
    names = [
        "title",
        "years",
        "avoided_deaths",
        "avoided_serious",
        "avoided_slight",
        "avoided_fires",
        "minutes_per_operation",
        "operations_per_year",
        "assumptions",
    ]
    initial: dict[str, Any] = {name: getattr(analysis, name) for name in names}
    initial |= {
        "subject": _subject_value(analysis),
        "one_off_cost": float(analysis.one_off_cost),
        "yearly_cost": float(analysis.yearly_cost),
        "discount_percent": round(analysis.discount_rate * 100, 4),
    }
    return {
        "version": analysis.programme_version,
        "default_rate": params.discount_rate.value,
        "initial": initial,
    }


def _cost_data(form: forms.BaseForm, analysis: CostBenefitAnalysis) -> dict[str, Any]:
    assert isinstance(form, CostBenefitForm)
    subject = subject_for(analysis.programme_version, form.cleaned_data["subject"])
    return form.service_fields() | {"subject": subject}


KINDS = [
    Kind(
        slug="evaluation",
        noun="utvärdering",
        label="utvärderingen",
        stage="utvardering",
        queryset=lambda: Evaluation.objects.select_related("programme_version__programme"),
        form=EvaluationForm,
        form_kwargs=lambda o: {"instance": o, "organisation_id": o.organisation_id},
        data=_evaluation_data,
        update=services.update_evaluation,
        delete=services.delete_evaluation,
        back=lambda o: reverse("version_evaluation", kwargs={"pk": o.programme_version_id}),
        detail=lambda o: reverse("evaluation_detail", kwargs={"pk": o.pk}),
        consequences=_evaluation_consequences,
        locked=_evaluation_locked,
        frozen=False,
        edit_route="utvardering/<int:pk>/andra/",
        delete_route="utvardering/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="survey",
        noun="medborgarundersökning",
        label="undersökningen",
        stage="utvardering",
        queryset=lambda: Survey.objects.all(),
        form=SurveyForm,
        update=services.update_survey,
        delete=services.delete_survey,
        back=_survey_back,
        version=_survey_version,
        consequences=_survey_consequences,
        frozen=False,
        edit_route="medborgarundersokning/<int:pk>/andra/",
        delete_route="medborgarundersokning/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="costbenefit",
        noun="kalkyl",
        label="kalkylen",
        stage="utvardering",
        queryset=lambda: CostBenefitAnalysis.objects.select_related("programme_version__programme"),
        form=CostBenefitForm,
        form_kwargs=_cost_form_kwargs,
        data=_cost_data,
        update=services.update_analysis,
        delete=services.delete_analysis,
        back=lambda o: reverse("costbenefit_list", kwargs={"pk": o.programme_version_id}),
        detail=lambda o: reverse("costbenefit_detail", kwargs={"pk": o.pk}),
        frozen=False,
        edit_route="kostnad-nytta/<int:pk>/andra/",
        delete_route="kostnad-nytta/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="action",
        noun="förbättringsåtgärd",
        label="förbättringsåtgärden",
        stage="larande",
        queryset=lambda: ImprovementAction.objects.select_related("programme_version__programme"),
        form=ActionForm,
        form_kwargs=lambda o: {"instance": o, "version": o.programme_version},
        data=lambda f, o: f.service_fields(),  # type: ignore[attr-defined]
        update=services.update_action,
        delete=services.delete_action,
        back=lambda o: reverse("version_learning", kwargs={"pk": o.programme_version_id}),
        frozen=False,
        edit_route="larande/<int:pk>/andra/",
        delete_route="larande/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="citizen_view",
        noun="synpunkt",
        label="synpunkten",
        stage="utvardering",
        queryset=lambda: CitizenView.objects.select_related("evaluation"),
        form=CitizenViewHandlingForm,
        update=public_services.update_citizen_view,
        delete=public_services.delete_citizen_view,
        back=_citizen_view_back,
        version=_survey_version,
        consequences=_citizen_view_consequences,
        frozen=False,
        template="evaluation/citizen_view_edit.html",
        edit_route="synpunkt/<int:pk>/hantera/",
        delete_route="synpunkt/<int:pk>/ta-bort/",
    ),
]
