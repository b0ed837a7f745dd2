"""Forms for finding a Kolada KPI and attaching it to an indicator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from lsoplan.lib.publicdata.kolada import Kpi


class KpiSearchForm(forms.Form):
    q = forms.CharField(
        label="Sök nyckeltal i Kolada",
        min_length=2,
        max_length=100,
        help_text="Ett ord ur nyckeltalets titel, t.ex. 'responstid', 'bränder' eller 'räddningstjänst'.",
    )


class AttachKpiForm(forms.Form):
    kpi = forms.CharField(
        label="Nyckeltal",
        validators=[RegexValidator(r"^[A-Z]\d{5}$", "Välj ett nyckeltal i listan.")],
        error_messages={"required": "Välj ett nyckeltal i listan."},
    )
    municipality = forms.ChoiceField(
        label="Kommun",
        help_text="Kolada redovisar nyckeltalen per kommun; välj den kommun indikatorn ska följa.",
    )

    def __init__(
        self,
        *args: Any,
        kpis: Sequence[Kpi] = (),
        municipalities: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"].widget = forms.RadioSelect(choices=[(k.id, f"{k.title} ({k.id})") for k in kpis])
        self.fields["municipality"].choices = [(c, f"{n} ({c})") for c, n in municipalities]  # type: ignore[attr-defined]
