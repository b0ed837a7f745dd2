from __future__ import annotations

from typing import Any

from django import forms

from lsoplan.evaluation.models import Assessment, Evaluation, ImprovementAction, Survey
from lsoplan.goals.models import Measure, PerformanceGoal, SafetyGoal
from lsoplan.lib import costbenefit
from lsoplan.lib.stats.csvinput import parse_number
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.web.forms import NumberField

# The shared Swedish number field (web.forms), under the name this module has always used.
SwedishNumberField = NumberField


def _number(label: str, *, required: bool = False, min_value: float = 0, **kwargs: Any) -> SwedishNumberField:
    return SwedishNumberField(label=label, required=required, min_value=min_value, **kwargs)


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = [
            "period_start",
            "period_end",
            "why",
            "side_effects",
            "citizens_view",
            "cost_benefit",
            "learning",
            "surveys",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("why", "side_effects", "citizens_view", "cost_benefit", "learning")
        } | {"surveys": forms.CheckboxSelectMultiple}
        help_texts = {
            "period_start": "Ett år, eller hela programperioden.",
            "why": "Vad i arbetet (eller utanför det) förklarar utvecklingen? Jämför med uppföljningen.",
            "side_effects": "Oväntade följder, goda eller dåliga, t.ex. fler larm eller eftersatt tillsyn.",
            "citizens_view": "Sammanfatta medborgarundersökningar och synpunkter; välj undersökningar nedan.",
            "cost_benefit": "Jämför kostnaderna med den undvikna skadan; se kostnad–nytta-kalkylerna.",
            "learning": "Vad ska göras annorlunda? Lägg förbättringsåtgärder under Lärande.",
        }

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["surveys"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Survey.objects.filter(organisation_id=organisation_id)
        for name in ("period_start", "period_end"):
            self.fields[name].widget.attrs.update({"min": 1990, "max": 2100})

    def _post_clean(self) -> None:
        # Validation is the service's (with field-level messages); the form only parses.
        pass


class CloseForm(forms.Form):
    assessment = forms.ChoiceField(
        label="Samlad bedömning", choices=[("", "Välj …"), *Assessment.choices], required=False
    )
    assessment_text = forms.CharField(
        label="Motivering", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    no_action_reason = forms.CharField(
        label="Skäl till att ingen förbättringsåtgärd behövs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Krävs när målet inte är uppnått och ingen förbättringsåtgärd är kopplad.",
    )


class ActionForm(forms.ModelForm):
    rule = forms.CharField(label="Regel i egenkontrollen", required=False, max_length=40)
    run = forms.IntegerField(label="Egenkontrollens körning (nummer)", required=False, min_value=1)

    class Meta:
        model = ImprovementAction
        fields = ["title", "description", "owner", "due_date", "status", "evaluation", "source"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"owner": "Person eller funktion som ansvarar för att åtgärden blir gjord."}

    def __init__(self, *args: Any, version: ProgrammeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evaluation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Evaluation.objects.filter(
            organisation_id=version.organisation_id, programme_version__programme_id=version.programme_id
        ).select_related("programme_version")
        field.label_from_instance = lambda e: f"{e.goal_label[:80]} ({e.period_label})"  # type: ignore[assignment]
        ref = self.instance.source_ref if self.instance.pk else {}
        if ref:
            self.fields["rule"].initial = ref.get("rule")
            self.fields["run"].initial = ref.get("run")

    def source_ref(self) -> dict[str, Any]:
        ref: dict[str, Any] = dict(self.instance.source_ref or {}) if self.instance.pk else {}
        for key, name in (("rule", "rule"), ("run", "run")):
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                ref.pop(key, None)
            else:
                ref[key] = value
        return ref

    def service_fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("rule", "run")}
        return data | {"source_ref": self.source_ref()}

    def _post_clean(self) -> None:
        pass


class SurveyImportForm(forms.Form):
    name = forms.CharField(
        label="Namn", max_length=200, required=False, help_text="T.ex. 'Trygghetsmätning'."
    )
    year = forms.IntegerField(label="År", required=False)
    source = forms.CharField(
        label="Källa", max_length=300, required=False, help_text="T.ex. 'SCB:s medborgarundersökning'."
    )
    file = forms.FileField(
        label="Fil (CSV)",
        help_text="Kolumner: fråga;svarsalternativ;andel;antal_svarande. Andel i procent eller som "
        "andel (0,45). Semikolon eller komma, UTF-8 eller Windows-1252.",
    )


SUBJECT_MEASURE = "atgard"


def subject_choices(version: ProgrammeVersion) -> list[tuple[str, str]]:
    choices = [
        (f"sakerhetsmal:{g.pk}", f"Säkerhetsmål {g.code} {g.text[:60]}")
        for g in SafetyGoal.objects.filter(version=version)
    ]
    choices += [
        (f"prestationsmal:{g.pk}", f"Prestationsmål {g.code} {g.text[:60]}")
        for g in PerformanceGoal.objects.filter(version=version)
    ]
    choices += [
        (f"{SUBJECT_MEASURE}:{m.pk}", f"Åtgärd: {m.text[:70]}")
        for m in Measure.objects.filter(version=version)
    ]
    return choices


def subject_for(version: ProgrammeVersion, value: str) -> Measure | SafetyGoal | PerformanceGoal | None:
    kind, _, pk = value.partition(":")
    models: dict[str, type[Measure] | type[SafetyGoal] | type[PerformanceGoal]] = {
        SUBJECT_MEASURE: Measure,
        "sakerhetsmal": SafetyGoal,
        "prestationsmal": PerformanceGoal,
    }
    model = models.get(kind, Measure)
    if not pk.isdigit():
        return None
    return model.objects.filter(version=version, pk=int(pk)).first()


class CostBenefitForm(forms.Form):
    subject = forms.ChoiceField(label="Gäller")
    title = forms.CharField(label="Rubrik", max_length=200)
    one_off_cost = _number("Engångskostnad (kr, dagens priser)", required=True, initial=0)
    yearly_cost = _number("Årlig kostnad (kr, dagens priser)", required=True, initial=0)
    years = forms.IntegerField(label="Kalkylperiod (år)", min_value=1, max_value=100, initial=10)
    discount_percent = _number("Kalkylränta (%)", required=True, max_value=99)
    avoided_deaths = _number("Undvikna dödsfall per år", initial=0)
    avoided_serious = _number("Undvikna svårt skadade per år", initial=0)
    avoided_slight = _number("Undvikna lindrigt skadade per år", initial=0)
    avoided_fires = _number("Undvikna bränder i byggnad per år", initial=0)
    minutes_per_operation = _number("Sparade minuter per insats", initial=0)
    operations_per_year = _number("Berörda insatser per år", initial=0)
    assumptions = forms.CharField(
        label="Antaganden och underlag",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hur de undvikna skadorna är uppskattade, med källa. Kalkylen är aldrig bättre än dem.",
    )

    def __init__(self, *args: Any, version: ProgrammeVersion, default_rate: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subject = self.fields["subject"]
        assert isinstance(subject, forms.ChoiceField)
        subject.choices = subject_choices(version)
        self.fields["discount_percent"].initial = round(default_rate * 100, 2)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("subject")
        data["discount_rate"] = data.pop("discount_percent") / 100
        for name in (
            "avoided_deaths",
            "avoided_serious",
            "avoided_slight",
            "avoided_fires",
            "minutes_per_operation",
            "operations_per_year",
        ):
            data[name] = data[name] or 0.0
        return data


def _index_text(index: dict[int, float]) -> str:
    return "\n".join(f"{year};{str(value).replace('.', ',')}" for year, value in sorted(index.items()))


class CostParameterForm(forms.Form):
    """Every parameter of a set, prefilled from the current version; saving makes a new version."""

    price_level_year = forms.IntegerField(label="Prisnivå (år)", min_value=1980, max_value=2100)
    index_values = forms.CharField(
        label="KPI, årsmedeltal (år;indextal per rad)",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Lägg till en rad när SCB publicerar ett nytt årsmedeltal.",
    )
    discount_percent = _number("Kalkylränta (%)", required=True, max_value=99)
    discount_source = forms.CharField(label="Källa för kalkylräntan", max_length=300)
    note = forms.CharField(
        label="Vad har ändrats och varför?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ange källa, t.ex. 'ASEK 8.0 kap. 9, tabell 9.1'.",
    )

    def __init__(self, *args: Any, current: costbenefit.ParameterSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        self.fields["price_level_year"].initial = current.price_level_year
        self.fields["index_values"].initial = _index_text(dict(current.price_index))
        self.fields["discount_percent"].initial = round(current.discount_rate.value * 100, 3)
        self.fields["discount_source"].initial = current.discount_rate.source
        for key in costbenefit.BENEFIT_KEYS:
            p = current.parameters[key]
            self.fields[f"{key}_value"] = _number(
                f"{p.label}: värde ({p.unit})", required=True, initial=p.value
            )
            self.fields[f"{key}_low"] = _number(f"{p.label}: lågt värde", required=True, initial=p.low)
            self.fields[f"{key}_high"] = _number(f"{p.label}: högt värde", required=True, initial=p.high)
            self.fields[f"{key}_price_year"] = forms.IntegerField(
                label=f"{p.label}: prisår", min_value=1980, max_value=2100, initial=p.price_year
            )
            self.fields[f"{key}_source"] = forms.CharField(
                label=f"{p.label}: källa", max_length=500, initial=p.source
            )
            self.fields[f"{key}_verified"] = forms.BooleanField(
                label=f"{p.label}: kontrollerad mot originalkällan", required=False, initial=p.verified
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label=f"{p.label}: anmärkning",
                required=False,
                initial=p.note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_index_values(self) -> dict[int, float]:
        index: dict[int, float] = {}
        for n, line in enumerate(self.cleaned_data["index_values"].splitlines(), start=1):
            if not line.strip():
                continue
            year, _, value = line.replace("\t", ";").partition(";")
            try:
                index[int(year.strip())] = parse_number(value)
            except ValueError:
                raise forms.ValidationError(f"Rad {n}: skriv år;indextal, t.ex. 2023;403,70.") from None
        if not index:
            raise forms.ValidationError("Ange minst ett år med indextal.")
        return index

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in costbenefit.BENEFIT_KEYS:
            low, value, high = (data.get(f"{key}_{s}") for s in ("low", "value", "high"))
            if None not in (low, value, high) and not low <= value <= high:  # type: ignore[operator]
                self.add_error(f"{key}_value", "Värdet ska ligga mellan det låga och det höga värdet.")
            year = data.get(f"{key}_price_year")
            index = data.get("index_values")
            if isinstance(index, dict) and year is not None and year not in index:
                self.add_error(f"{key}_price_year", f"KPI saknas för {year}; lägg till året i indextabellen.")
        index = data.get("index_values")
        level = data.get("price_level_year")
        if isinstance(index, dict) and level is not None and level not in index:
            self.add_error("price_level_year", f"KPI saknas för {level}.")
        return data

    def params(self) -> dict[str, Any]:
        """The new set in the reference file's shape."""
        d = self.cleaned_data
        c = self.current
        return {
            "version": c.version,
            "source": c.source,
            "retrieved": c.retrieved,
            "price_level_year": d["price_level_year"],
            "price_index": {
                "name": c.index_name,
                "source": c.index_source,
                "values": {int(y): float(v) for y, v in d["index_values"].items()},
            },
            "discount_rate": {
                "value": d["discount_percent"] / 100,
                "source": d["discount_source"],
                "verified": c.discount_rate.verified,
                "note": c.discount_rate.note,
            },
            "parameters": {
                key: {
                    "label": c.parameters[key].label,
                    "value": d[f"{key}_value"],
                    "low": d[f"{key}_low"],
                    "high": d[f"{key}_high"],
                    "unit": c.parameters[key].unit,
                    "price_year": d[f"{key}_price_year"],
                    "source": d[f"{key}_source"],
                    "verified": d[f"{key}_verified"],
                    "note": d[f"{key}_note"].strip(),
                }
                for key in costbenefit.BENEFIT_KEYS
            },
        }


class SurveyForm(forms.ModelForm):
    """Name, year and source of an imported survey (the answers come only from the file)."""

    class Meta:
        model = Survey
        fields = ["name", "year", "source"]
