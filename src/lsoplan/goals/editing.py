"""Editable kinds of the goal chain: säkerhetsmål, prestationsmål, measures, indicators and
measurements. A measurement is follow-up data: it is corrected (the old row kept) even after the
version is adopted, and deleting it only marks it replaced."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lsoplan.goals import services
from lsoplan.goals.forms import (
    IndicatorForm,
    MeasureForm,
    MeasurementForm,
    PerformanceGoalForm,
    SafetyGoalForm,
)
from lsoplan.goals.models import Indicator, Measure, Measurement, PerformanceGoal, SafetyGoal
from lsoplan.goals.selectors import KIND_PERFORMANCE, KIND_SAFETY
from lsoplan.web.editing import Kind, count_phrase


def _goals(obj: Any) -> str:
    return reverse("version_goals", kwargs={"pk": obj.version_id})


def _goal_page(kind: str) -> Any:
    return lambda goal: reverse("goal_detail", kwargs={"kind": kind, "pk": goal.pk})


def _parent_goal(obj: Any) -> str:
    """The goal page of a measure or an indicator."""
    if isinstance(obj, Measure):
        return reverse("goal_detail", kwargs={"kind": KIND_PERFORMANCE, "pk": obj.performance_goal_id})
    if obj.safety_goal_id:
        return reverse("goal_detail", kwargs={"kind": KIND_SAFETY, "pk": obj.safety_goal_id})
    return reverse("goal_detail", kwargs={"kind": KIND_PERFORMANCE, "pk": obj.performance_goal_id})


def _safety_consequences(goal: SafetyGoal) -> list[str]:
    n_pg, n_ind = goal.performance_goals.count(), goal.indicators.count()
    lines = []
    if n_pg or n_ind:
        lines.append(
            f"Säkerhetsmålet har {count_phrase(n_pg, 'prestationsmål', 'prestationsmål')} och "
            f"{count_phrase(n_ind, 'indikator', 'indikatorer')}."
        )
    if n_ind:
        lines.append("Indikatorerna tas bort med målet; deras mätvärden finns kvar i mätserierna.")
    if n_pg:
        lines.append("Prestationsmålen finns kvar men förlorar kopplingen till säkerhetsmålet.")
    return lines


def _performance_consequences(goal: PerformanceGoal) -> list[str]:
    n_m, n_ind = goal.measures.count(), goal.indicators.count()
    if not (n_m or n_ind):
        return []
    return [
        f"Prestationsmålet har {count_phrase(n_m, 'åtgärd', 'åtgärder')} och "
        f"{count_phrase(n_ind, 'indikator', 'indikatorer')}; de tas bort med målet."
    ]


def _measure_consequences(measure: Measure) -> list[str]:
    n = measure.cost_benefit_analyses.count()
    if not n:
        return []
    return [
        f"Åtgärden har {count_phrase(n, 'kostnads-nyttokalkyl', 'kostnads-nyttokalkyler')}; "
        "de finns kvar men förlorar kopplingen till åtgärden."
    ]


def _indicator_consequences(indicator: Indicator) -> list[str]:
    n = indicator.series.measurements.filter(replaced_at__isnull=True).count()
    if not n:
        return []
    return [
        f"Indikatorn har {count_phrase(n, 'mätvärde', 'mätvärden')}. "
        "De finns kvar i mätserien men visas inte längre i den här versionen."
    ]


def _indicator_of(measurement: Measurement) -> Indicator | None:
    """The newest version's indicator reading the measurement's series (the page to go back to)."""
    return (
        Indicator.objects.filter(series_id=measurement.series_id, organisation_id=measurement.organisation_id)
        .select_related("version__programme")
        .order_by("-version__number", "-pk")
        .first()
    )


def _measurement_back(measurement: Measurement) -> str:
    indicator = _indicator_of(measurement)
    if indicator is None:
        return reverse("programme_list")
    return reverse("indicator_detail", kwargs={"pk": indicator.pk})


def _measurement_version(measurement: Measurement) -> Any:
    indicator = _indicator_of(measurement)
    return indicator.version if indicator is not None else None


def _measurement_form(*args: Any, **kwargs: Any) -> MeasurementForm:
    # The year is the row's own: a value for another year is a new measurement, not a correction.
    form = MeasurementForm(*args, **kwargs)
    form.fields["year"].disabled = True
    return form


KINDS = [
    Kind(
        slug=KIND_SAFETY,
        noun="säkerhetsmål",
        label="säkerhetsmålet",
        neuter=True,
        stage="mal",
        queryset=lambda: SafetyGoal.objects.select_related("version__programme"),
        form=SafetyGoalForm,
        form_kwargs=lambda o: {"instance": o, "version": o.version},
        update=services.update_goal,
        delete=services.delete_goal,
        back=_goals,
        detail=_goal_page(KIND_SAFETY),
        consequences=_safety_consequences,
        edit_route="mal/<str:kind>/<int:pk>/andra/",
        delete_route="mal/<str:kind>/<int:pk>/ta-bort/",
        edit_name="goal_edit",
        delete_name="goal_delete",
    ),
    Kind(
        slug=KIND_PERFORMANCE,
        noun="prestationsmål",
        label="prestationsmålet",
        neuter=True,
        stage="mal",
        queryset=lambda: PerformanceGoal.objects.select_related("version__programme"),
        form=PerformanceGoalForm,
        form_kwargs=lambda o: {"instance": o, "version": o.version},
        update=services.update_goal,
        delete=services.delete_goal,
        back=_goals,
        detail=_goal_page(KIND_PERFORMANCE),
        consequences=_performance_consequences,
        edit_route="mal/<str:kind>/<int:pk>/andra/",
        delete_route="mal/<str:kind>/<int:pk>/ta-bort/",
        edit_name="goal_edit",
        delete_name="goal_delete",
    ),
    Kind(
        slug="measure",
        noun="åtgärd",
        label="åtgärden",
        stage="mal",
        queryset=lambda: Measure.objects.select_related("version__programme"),
        form=MeasureForm,
        update=services.update_measure,
        delete=services.delete_measure,
        back=_parent_goal,
        consequences=_measure_consequences,
        edit_route="atgard/<int:pk>/andra/",
        delete_route="atgard/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="indicator",
        noun="indikator",
        label="indikatorn",
        stage="mal",
        queryset=lambda: Indicator.objects.select_related("version__programme", "series"),
        form=IndicatorForm,
        update=services.update_indicator,
        delete=services.delete_indicator,
        back=_parent_goal,
        detail=lambda o: reverse("indicator_detail", kwargs={"pk": o.pk}),
        consequences=_indicator_consequences,
        edit_route="indikator/<int:pk>/andra/",
        delete_route="indikator/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="measurement",
        noun="mätvärde",
        label="mätvärdet",
        neuter=True,
        stage="mal",
        # Only the current value of a year can be corrected or removed; older rows are history.
        queryset=lambda: Measurement.objects.filter(replaced_at__isnull=True).select_related("series"),
        form=_measurement_form,
        update=services.correct_measurement,
        delete=services.withdraw_measurement,
        back=_measurement_back,
        version=_measurement_version,
        frozen=False,
        edit_route="matvarde/<int:pk>/ratta/",
        delete_route="matvarde/<int:pk>/ta-bort/",
    ),
]
