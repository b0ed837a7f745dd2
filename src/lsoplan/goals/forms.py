from __future__ import annotations

from typing import Any

from django import forms

from lsoplan.conditions.models import Risk
from lsoplan.goals.models import (
    Indicator,
    IndicatorSource,
    Measure,
    Measurement,
    PerformanceGoal,
    SafetyGoal,
)
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.web.forms import WholeKronorField, number_field_like


def _decimal_comma(form: forms.BaseForm, name: str) -> None:
    """Accept "22,5" and "1 234,5": the shared Swedish number field (web.forms) in place of the
    model's, with its label and limits."""
    form.fields[name] = number_field_like(form.fields[name])


class SafetyGoalForm(forms.ModelForm):
    class Meta:
        model = SafetyGoal
        fields = ["code", "text", "owner", "national_goals", "risks"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "national_goals": forms.CheckboxSelectMultiple,
            "risks": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "text": "Utfall att nå, t.ex. 'Antalet bränder i bostad ska minska med 20 % till 2030 "
            "jämfört med medelvärdet för 2016–2019.'",
            "owner": "Nämnd, förvaltning eller funktion som ansvarar för målet.",
        }

    def __init__(self, *args: Any, version: ProgrammeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risks"].queryset = Risk.objects.filter(version=version)  # type: ignore[attr-defined]


class PerformanceGoalForm(forms.ModelForm):
    class Meta:
        model = PerformanceGoal
        fields = ["code", "text", "owner", "safety_goals"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "safety_goals": forms.CheckboxSelectMultiple}
        help_texts = {
            "text": "Vad organisationen ska prestera, t.ex. 'Minst 400 tillsyner per år 2027–2030.'",
        }

    def __init__(self, *args: Any, version: ProgrammeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["safety_goals"].queryset = SafetyGoal.objects.filter(version=version)  # type: ignore[attr-defined]


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["text", "owner", "cost_once", "cost_yearly", "status", "due_year"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "150 000" is how a cost is written; the model keeps whole kronor.
        for name in ("cost_once", "cost_yearly"):
            if name in self.fields:
                self.fields[name] = number_field_like(self.fields[name], WholeKronorField)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "direction",
            "normalisation",
            "is_count",
            "source",
            "baseline_value",
            "baseline_start",
            "baseline_end",
            "target_value",
            "target_year",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new indicator starts as manual; public and incident sources are attached on their own
        # pages (Kolada search, incident filter), so an existing source is kept, not offered anew.
        current = self.instance.source if self.instance.pk else "manual"
        choices = [(v, label) for v, label in IndicatorSource.choices if v in {"manual", current}]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]
        for name in ("baseline_value", "target_value"):
            _decimal_comma(self, name)


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["year", "value", "vintage", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _decimal_comma(self, "value")
        self.fields["year"].min_value = 1990  # type: ignore[attr-defined]
        self.fields["year"].widget.attrs.update({"min": 1990, "max": 2100})

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if not 1990 <= year <= 2100:
            raise forms.ValidationError("Ange ett år mellan 1990 och 2100.")
        return year

    def _post_clean(self) -> None:
        # The unique "one current value" rule is handled by the service (it keeps the old value).
        pass
