"""Measurement entry for real work: a year grid (several years in one form) and a paste from
Excel. Each row is checked by ``MeasurementForm`` itself, so the plausibility rules that form
applies hold here too."""

from __future__ import annotations

from typing import Any

from django import forms

from lsoplan.goals.forms import MeasurementForm
from lsoplan.goals.models import Vintage
from lsoplan.lib.yearpaste import PastedValue, PasteError, parse_year_values

MAX_GRID_YEARS = 30


class YearRowForm(MeasurementForm):
    """One year of the grid; a row left empty is skipped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget = forms.HiddenInput()
        self.fields["value"].required = False
        self.fields["note"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        if self.cleaned_data.get("value") is None:
            return self.cleaned_data
        return super().clean() or self.cleaned_data

    def row(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if d.get("value") is None:
            return None
        return {"year": d["year"], "value": d["value"], "vintage": d["vintage"], "note": d.get("note") or ""}


YearGrid = forms.formset_factory(YearRowForm, extra=0, max_num=MAX_GRID_YEARS, validate_max=True)


def grid_years(first: int, last: int, present: list[int]) -> list[int]:
    """The grid's years: the indicator's span plus every year that has a value, at most 30."""
    years = sorted(set(range(first, last + 1)) | set(present))
    return years[-MAX_GRID_YEARS:]


class PasteForm(forms.Form):
    text = forms.CharField(
        label="Klistra in från Excel",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="Två kolumner: år och värde, t.ex. 2021 ⇥ 1 234,5. En tredje kolumn kan säga "
        "preliminär eller slutlig.",
    )
    vintage = forms.ChoiceField(
        label="Status för rader utan egen status", choices=Vintage.choices, initial="slutlig"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text, default = data.get("text"), data.get("vintage")
        if not text or not default:
            return data
        try:
            pasted = parse_year_values(text)
        except PasteError as exc:
            raise forms.ValidationError(exc.problems) from None
        rows, problems = [], []
        for item in pasted:
            row, errors = _checked(item, default)
            rows.append(row)
            problems += errors
        if problems:
            raise forms.ValidationError(problems)
        data["rows"] = rows
        return data


def _checked(item: PastedValue, default: str) -> tuple[dict[str, Any], list[str]]:
    """A pasted line through the same form (and rules) as a value typed in by hand."""
    vintage = item.vintage or default
    form = MeasurementForm({"year": item.year, "value": repr(item.value), "vintage": vintage, "note": ""})
    if form.is_valid():
        d = form.cleaned_data
        return {"year": d["year"], "value": d["value"], "vintage": d["vintage"], "note": ""}, []
    errors = [f"Rad {item.line}: {message}" for messages in form.errors.values() for message in messages]
    return {}, errors
