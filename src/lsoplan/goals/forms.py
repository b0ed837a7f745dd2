from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from lsoplan.conditions.models import Risk
from lsoplan.goals.models import (
    Indicator,
    IndicatorSeries,
    IndicatorSource,
    Measure,
    Measurement,
    PerformanceGoal,
    SafetyGoal,
)
from lsoplan.lib import plausibility
from lsoplan.lib.plausibility import Issue, ValueKind
from lsoplan.lib.targets import infer_indicator_kind, infer_target
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.web.forms import WholeKronorField, number_field_like


def _decimal_comma(form: forms.BaseForm, name: str) -> None:
    """Accept "22,5" and "1 234,5": the shared Swedish number field (web.forms) in place of the
    model's, with its label and limits."""
    form.fields[name] = number_field_like(form.fields[name])


def add_issues(form: forms.BaseForm, issues: list[Issue]) -> None:
    """The plausibility errors on the fields they name (the same words as in a programme file)."""
    for issue in plausibility.errors(issues):
        form.add_error(issue.field if issue.field in form.fields else None, issue.message)


def _today() -> dt.date:
    return timezone.localdate()


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


class DateInput(forms.DateInput):
    input_type = "date"


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["text", "owner", "cost_once", "cost_yearly", "status", "due_year", "due_date"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_date": DateInput}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("cost_once", "cost_yearly"):
            add_issues(self, plausibility.check_cost(name, data.get(name)))
        return data

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
            "target_reason",
            "target_kind",
            "target_window_start",
            "target_window_end",
            "indicator_kind",
        ]
        widgets = {"target_reason": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "target_kind": "Hur målvärdet ska bedömas. Lämna tomt så tolkas måltexten.",
            "target_window_start": "Första året i målperioden (för varje år, medelvärde eller summa).",
            "target_window_end": "Sista året i målperioden.",
            "indicator_kind": "Utfall prövas statistiskt; prestationer jämförs direkt med målvärdet. "
            "Lämna tomt så tolkas måltexten.",
        }

    def __init__(self, *args: Any, period: tuple[int, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The programme period, for the warning about a target year outside it (shown on the page).
        if period is None and self.instance.pk:
            programme = self.instance.version.programme
            period = (programme.period_start, programme.period_end)
        self.period = period
        _semantics_fields(self)
        # A new indicator starts as manual; public and incident sources are attached on their own
        # pages (Kolada search, incident filter), so an existing source is kept, not offered anew.
        current = self.instance.source if self.instance.pk else "manual"
        choices = [(v, label) for v, label in IndicatorSource.choices if v in {"manual", current}]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]
        for name in ("baseline_value", "target_value"):
            _decimal_comma(self, name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = ("baseline_value", "baseline_start", "baseline_end", "target_value", "target_year")
        if any(name in self.errors for name in names):
            return data  # a value that did not parse: the rules would judge a gap
        kind = ValueKind(bool(data.get("is_count")), data.get("unit") or "")
        add_issues(self, indicator_issues(kind, data, self.period))
        return data


def indicator_issues(kind: ValueKind, data: dict[str, Any], period: tuple[int, int] | None) -> list[Issue]:
    return plausibility.check_indicator(
        kind,
        direction=data.get("direction") or "lower",
        baseline_value=data.get("baseline_value"),
        baseline_start=data.get("baseline_start"),
        baseline_end=data.get("baseline_end"),
        target_value=data.get("target_value"),
        target_year=data.get("target_year"),
        target_reason=data.get("target_reason") or "",
        period=period,
        today=_today(),
    )


def series_kind(series: IndicatorSeries) -> ValueKind:
    """What a series' values are: the indicators of every version that share it, strictest first."""
    return ValueKind.strictest(ValueKind(i.is_count, i.unit) for i in series.indicators.all())


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

    def __init__(self, *args: Any, indicator: Indicator | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        series = indicator.series if indicator is not None else None
        if series is None and self.instance.pk:
            series = self.instance.series  # a correction of a stored value
        self.kind = series_kind(series) if series is not None else ValueKind()
        _decimal_comma(self, "value")
        last = _today().year + 1
        self.fields["year"].widget.attrs.update({"min": plausibility.FIRST_MEASUREMENT_YEAR, "max": last})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "value" in self.errors or "year" in self.errors:
            return data
        issues = plausibility.check_measurement(
            self.kind,
            year=data.get("year"),
            value=data.get("value"),
            vintage=data.get("vintage") or "slutlig",
            today=_today(),
        )
        add_issues(self, issues)
        return data

    def _post_clean(self) -> None:
        # The unique "one current value" rule is handled by the service (it keeps the old value).
        pass
