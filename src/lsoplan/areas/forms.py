from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from lsoplan.areas.models import ResponseArea, Station
from lsoplan.incidents.forms import StatsForm
from lsoplan.lib.geo.grid import CELL_SIZES, DEFAULT_CELL
from lsoplan.web.forms import number_field_like

METRIC_CHOICES = [
    ("median", "Median insatstid"),
    ("share", "Andel framme inom den första gränsen"),
    ("per_year", "Händelser per år"),
]


class CapabilityForm(StatsForm):
    """Filters for the map and the time profiles (GET); ``within`` and its parsing from StatsForm."""

    by = None  # type: ignore[assignment]
    metric = forms.ChoiceField(label="Färga rutorna efter", choices=METRIC_CHOICES, required=False)
    cell = forms.TypedChoiceField(
        label="Rutstorlek",
        choices=[(s, f"{s:,} m".replace(",", " ")) for s in CELL_SIZES],
        coerce=int,
        required=False,
    )
    from_year = forms.IntegerField(label="Från år", required=False, min_value=1990, max_value=2100)
    to_year = forms.IntegerField(label="Till år", required=False, min_value=1990, max_value=2100)
    types = forms.TypedMultipleChoiceField(label="Händelsetyper", required=False, coerce=int)
    from_hour = forms.IntegerField(label="Från timme", required=False, min_value=0, max_value=24)
    to_hour = forms.IntegerField(
        label="Till timme", required=False, min_value=0, max_value=24, help_text="T.ex. 22 till 6 för natten."
    )

    def __init__(self, *args: Any, type_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["types"].choices = type_choices  # type: ignore[attr-defined]
        self.fields["types"].widget = forms.CheckboxSelectMultiple(choices=type_choices)
        self.fields["within"].initial = "10, 20, 30"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["cell"] = data.get("cell") or DEFAULT_CELL
        data["metric"] = data.get("metric") or "median"
        start, end = data.get("from_year"), data.get("to_year")
        if start and end and start > end:
            raise ValidationError("Från år ligger efter till år.")
        if (data.get("from_hour") is None) != (data.get("to_hour") is None):
            raise ValidationError("Ange både från timme och till timme, eller ingen av dem.")
        return data


class StationForm(forms.ModelForm):
    class Meta:
        model = Station
        fields = ["name", "kind", "x", "y", "staffing"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Coordinates are copied from a GIS or a map service as "674 032" or "674032,5".
        for name in ("x", "y"):
            self.fields[name] = number_field_like(self.fields[name])


class AreaUploadForm(forms.Form):
    file = forms.FileField(
        label="GeoJSON-fil med insatsområden",
        help_text="En FeatureCollection med polygoner och egenskapen namn för varje område.",
    )
    crs = forms.CharField(
        label="Koordinatsystem (EPSG)",
        required=False,
        max_length=20,
        help_text="Lämna tomt om filen själv anger det eller är i grader (WGS 84).",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = min(settings.LSOPLAN_UPLOAD_MAX_BYTES, 20 * 1024 * 1024)
        if upload.size > limit:
            raise ValidationError(f"Filen är för stor; högst {limit // (1024 * 1024)} MB tas emot.")
        self.cleaned_data["data"] = upload.read()
        return upload


class AreaForm(forms.ModelForm):
    class Meta:
        model = ResponseArea
        fields = ["name", "population"]
        help_texts = {
            "population": "Folkmängden i området, om den är känd: ger händelser per 1 000 invånare."
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["population"] = number_field_like(self.fields["population"])

    def clean_population(self) -> int | None:
        value = self.cleaned_data.get("population")
        if value is None:
            return None
        if value != int(value) or not 0 <= value <= 11_000_000:
            raise ValidationError("Ange folkmängden som ett heltal, t.ex. 12 000.")
        return int(value)
