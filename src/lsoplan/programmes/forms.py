from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from lsoplan.lib import markup
from lsoplan.programmes.models import CHAPTER_TEXT_MAX, CHAPTER_TEXT_MESSAGE, AdoptingBody, ProgrammeVersion
from lsoplan.programmes.services import adoption_date_errors, consultation_date_errors


class DateInput(forms.DateInput):
    input_type = "date"


FORMATTING_HELP = (
    "Formatering: ### Rubrik, - punkt, 1. numrerad punkt, **fetstil**, *kursiv*, "
    "[länk](https://…), tabell med | A | B |. Tom rad mellan stycken."
)


class ChapterForm(forms.Form):
    text = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 14, "aria-describedby": "formatering"}),
        required=False,
        validators=[MaxLengthValidator(CHAPTER_TEXT_MAX, message=CHAPTER_TEXT_MESSAGE)],
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        found = markup.problems(text)
        if found:
            raise forms.ValidationError(found)
        return text


class ConsultationForm(forms.Form):
    consultation_parties = forms.CharField(
        label="Samrådsparter",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="En part per rad, t.ex. Länsstyrelsen, Polismyndigheten, grannkommunernas räddningstjänst.",
    )
    consultation_from = forms.DateField(label="Remisstid från", widget=DateInput)
    consultation_to = forms.DateField(label="Remisstid till", widget=DateInput, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("consultation_from"), data.get("consultation_to")
        if isinstance(start, dt.date) and (end is None or isinstance(end, dt.date)):
            for name, message in consultation_date_errors(start, end, timezone.localdate()).items():
                self.add_error(name, message)
        return data


class AdoptForm(forms.Form):
    body = forms.ChoiceField(label="Beslutande organ", choices=AdoptingBody.choices)
    date = forms.DateField(label="Beslutsdatum", widget=DateInput, help_text="Dagen då beslutet fattades.")
    paragraph = forms.CharField(label="Paragraf", max_length=40, help_text="T.ex. § 45")
    registration = forms.CharField(
        label="Diarienummer", max_length=60, required=False, help_text="Beslutets diarienummer, om det finns."
    )
    confirm = forms.BooleanField(
        label="Jag har sett bristerna i egenkontrollen och vill ändå anta versionen.", required=False
    )

    def __init__(self, *args: Any, version: ProgrammeVersion, failures: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.failures = failures
        if not failures:
            del self.fields["confirm"]  # nothing to confirm

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date = data.get("date")
        if isinstance(date, dt.date):
            found = adoption_date_errors(date, self.version.consultation_from, timezone.localdate())
            for name, message in found.items():
                self.add_error(name, message)
        if self.failures and not data.get("confirm"):
            self.add_error("confirm", "Bekräfta att du har sett bristerna innan versionen antas och låses.")
        return data


class AdoptionCorrectionForm(forms.Form):
    body = forms.ChoiceField(label="Beslutande organ", choices=AdoptingBody.choices)
    date = forms.DateField(label="Beslutsdatum", widget=DateInput)
    paragraph = forms.CharField(label="Paragraf", max_length=40)
    registration = forms.CharField(label="Diarienummer", max_length=60, required=False)
    reason = forms.CharField(
        label="Skäl till rättelsen",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="T.ex. 'Fel datum skrevs in; protokollet är daterat 12 november.' "
        "De gamla uppgifterna sparas.",
    )

    @staticmethod
    def initial_for(version: ProgrammeVersion) -> dict[str, Any]:
        return {
            "body": version.adopted_body,
            "date": version.adopted_on,
            "paragraph": version.adopted_paragraph,
            "registration": version.adopted_registration,
        }
