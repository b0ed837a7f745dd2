from __future__ import annotations

from django import forms

from lsoplan.checks.models import Distribution


class DateInput(forms.DateInput):
    input_type = "date"


class DistributionForm(forms.ModelForm):
    class Meta:
        model = Distribution
        fields = ["recipient", "name", "sent_on", "note"]
        widgets = {"sent_on": DateInput}
        labels = {"sent_on": "Skickat den"}


PORTS_CHOICES = [
    ("ja", "Ja, programmet ska redovisa hamnar och deras gränser i vatten"),
    ("nej", "Nej, det finns inga hamnar att redovisa"),
    ("", "Inte besvarat"),
]


class PortsForm(forms.Form):
    ports = forms.ChoiceField(
        label="Finns det hamnar som handlingsprogrammet för räddningstjänst ska redovisa?",
        choices=PORTS_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text="Förordningen (2003:789) 3 kap. 3 § andra stycket: ”i förekommande fall”.",
    )

    @staticmethod
    def initial_for(value: bool | None) -> dict[str, str]:
        return {"ports": "" if value is None else "ja" if value else "nej"}

    def value(self) -> bool | None:
        answer = self.cleaned_data.get("ports") or ""
        return None if answer == "" else answer == "ja"
