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
from lsoplan.lib.targets import infer_indicator_kind, infer_target
from lsoplan.programmes.models import ProgrammeVersion


def _decimal_comma(field: forms.Field) -> None:
    """Accept "22,5": a localized text input, since a number input refuses the decimal comma."""
    field.localize = True
    field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
    field.widget.is_localized = True


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
            "target_kind",
            "target_window_start",
            "target_window_end",
            "indicator_kind",
        ]
        help_texts = {
            "target_kind": "Hur målvärdet ska bedömas. Lämna tomt så tolkas måltexten.",
            "target_window_start": "Första året i målperioden (för varje år, medelvärde eller summa).",
            "target_window_end": "Sista året i målperioden.",
            "indicator_kind": "Utfall prövas statistiskt; prestationer jämförs direkt med målvärdet. "
            "Lämna tomt så tolkas måltexten.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _semantics_fields(self)
        # A new indicator starts as manual; public and incident sources are attached on their own
        # pages (Kolada search, incident filter), so an existing source is kept, not offered anew.
        current = self.instance.source if self.instance.pk else "manual"
        choices = [(v, label) for v, label in IndicatorSource.choices if v in {"manual", current}]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]
        for name in ("baseline_value", "target_value"):
            _decimal_comma(self.fields[name])


def _semantics_fields(form: forms.ModelForm) -> None:
    """Target kind and indicator kind: blank means "read it from the goal text", with the reading shown."""
    blank = ("", "Tolka från måltexten")
    for name in ("target_kind", "indicator_kind"):
        field = form.fields[name]
        field.required = False
        field.choices = [blank, *[c for c in field.choices if c[0]]]  # type: ignore[attr-defined]
    if form.instance.pk is None:
        for name in ("target_kind", "indicator_kind"):
            form.fields[name].initial = ""
        return
    goal = form.instance.goal
    reading = infer_target(
        goal.text, target_year=form.instance.target_year, direction=form.instance.direction
    )
    kind = infer_indicator_kind(
        form.instance.name,
        form.instance.unit,
        goal.text,
        performance_goal=form.instance.performance_goal_id is not None,
    )
    form.fields["target_kind"].help_text = f"Tolkning av måltexten: {reading.explanation}"
    form.fields["indicator_kind"].help_text = f"Tolkning av måltexten: {kind.explanation}"


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["year", "value", "vintage", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _decimal_comma(self.fields["value"])
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
