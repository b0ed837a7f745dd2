"""The planner's handling of a citizen's view: a category and the evaluation it is evidence for."""

from __future__ import annotations

from typing import Any

from django import forms

from lsoplan.evaluation.models import Evaluation
from lsoplan.public.models import Category, CitizenView


class EvaluationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.goal_label} {obj.period_label} (version {obj.programme_version.number})"


class CitizenViewHandlingForm(forms.Form):
    category = forms.ChoiceField(label="Kategori", choices=Category.choices, required=False)
    evaluation = EvaluationChoiceField(
        label="Underlag för utvärdering",
        queryset=Evaluation.objects.none(),
        required=False,
        empty_label="Ingen utvärdering",
        help_text="Synpunkten visas då under utvärderingens fråga om hur invånarna ser på arbetet.",
    )

    def __init__(self, *args: Any, instance: CitizenView, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"category": instance.category, "evaluation": instance.evaluation_id})
        super().__init__(*args, **kwargs)
        field = self.fields["evaluation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Evaluation.objects.filter(organisation_id=instance.organisation_id).select_related(
            "programme_version"
        )


class CitizenViewFilterForm(forms.Form):
    category = forms.ChoiceField(
        label="Kategori", choices=[("alla", "Alla"), *list(Category.choices)], required=False
    )
