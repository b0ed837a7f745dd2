from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from lsoplan.incidents import mappings, uploads
from lsoplan.incidents.indicators import MEASURES

GROUPING_CHOICES = [
    ("handelsetyp", "Händelsetyp"),
    ("kommun", "Kommun"),
    ("year", "År"),
    ("omrade", "Område"),
]


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0")


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Fil",
        help_text="CSV (.csv) eller Excel (.xlsx) med en rad per händelse. Formatet beskrivs i "
        "dokumentationen (docs/incident-format.md).",
    )
    mapping = forms.ChoiceField(label="Filens format", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.LSOPLAN_UPLOAD_MAX_BYTES
        self.fields["file"].help_text += f" Högst {_megabytes(limit)} MB."
        self.fields["mapping"].choices = [  # type: ignore[attr-defined]
            ("", "lsoplans eget format"),
            *[(name, f"Mappning: {label}") for name, label in mappings.choices()],
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.LSOPLAN_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"Filen är för stor ({_megabytes(upload.size)} MB). Största tillåtna storlek är "
                f"{_megabytes(limit)} MB; dela upp filen, t.ex. per år."
            )
        data = upload.read()
        uploads.sniff(data, upload.name or "")
        self.cleaned_data["data"] = data
        return upload


class StatsForm(forms.Form):
    by = forms.ChoiceField(label="Insatstider per", choices=GROUPING_CHOICES, required=False)
    within = forms.CharField(
        label="Andel framme inom (minuter)",
        required=False,
        help_text="En eller flera gränser, åtskilda med komma, t.ex. 10, 20, 30.",
    )

    def clean_within(self) -> list[float]:
        text = (self.cleaned_data.get("within") or "").strip() or "10, 20, 30"
        values: list[float] = []
        for part in text.replace(";", " ").replace(",", " ").split():
            try:
                value = float(part)
            except ValueError as exc:
                raise ValidationError(f"'{part}' är inget antal minuter. Skriv t.ex. 10, 20, 30.") from exc
            if not 0 < value <= 240:
                raise ValidationError("Gränserna ska ligga mellan 1 och 240 minuter.")
            values.append(value)
        if len(values) > 6:
            raise ValidationError("Ange högst sex gränser.")
        return sorted(set(values))


class IndicatorFilterForm(forms.Form):
    use = forms.BooleanField(
        label="Hämta indikatorns värden från händelserna",
        required=False,
        help_text="Värdena räknas då fram för varje år efter varje import och kan inte skrivas in för hand.",
    )
    measure = forms.ChoiceField(label="Mått", choices=list(MEASURES.items()))
    event_types = forms.TypedMultipleChoiceField(
        label="Händelsetyper",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Inga valda = alla.",
    )
    municipalities = forms.MultipleChoiceField(
        label="Kommuner", required=False, widget=forms.CheckboxSelectMultiple, help_text="Inga valda = alla."
    )
    areas = forms.MultipleChoiceField(
        label="Områden", required=False, widget=forms.CheckboxSelectMultiple, help_text="Inga valda = alla."
    )
    building_types = forms.MultipleChoiceField(
        label="Byggnadstyper",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Inga valda = alla.",
    )

    def __init__(
        self,
        *args: Any,
        event_types: list[tuple[int, str]],
        municipalities: list[tuple[str, str]],
        areas: list[str],
        building_types: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [(i, f"{i} {name}") for i, name in event_types]  # type: ignore[attr-defined]
        self.fields["municipalities"].choices = [(c, f"{n} ({c})") for c, n in municipalities]  # type: ignore[attr-defined]
        self.fields["areas"].choices = [(a, a) for a in areas]  # type: ignore[attr-defined]
        self.fields["building_types"].choices = [(b, b) for b in building_types]  # type: ignore[attr-defined]
        for name, values in (("areas", areas), ("building_types", building_types)):
            if not values:  # nothing imported yet that could be chosen
                del self.fields[name]
