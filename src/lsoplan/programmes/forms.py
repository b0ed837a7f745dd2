from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator

from lsoplan.programmes.models import CHAPTER_TEXT_MAX, CHAPTER_TEXT_MESSAGE, AdoptingBody


class DateInput(forms.DateInput):
    input_type = "date"


class ChapterForm(forms.Form):
    text = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        validators=[MaxLengthValidator(CHAPTER_TEXT_MAX, message=CHAPTER_TEXT_MESSAGE)],
    )


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
        if start and end and end < start:
            self.add_error("consultation_to", "Remisstiden kan inte sluta före den börjar.")
        return data


class AdoptForm(forms.Form):
    body = forms.ChoiceField(label="Beslutande organ", choices=AdoptingBody.choices)
    date = forms.DateField(label="Beslutsdatum", widget=DateInput)
    paragraph = forms.CharField(label="Paragraf", max_length=40, help_text="T.ex. § 45")
