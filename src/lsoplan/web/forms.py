from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from lsoplan.accounts.models import Organisation
from lsoplan.lib.yearpaste import swedish_number
from lsoplan.programmes.services import coming_mandate_period


class ProgrammeForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Organisation")
    title = forms.CharField(label="Titel", max_length=200, initial="Handlingsprogram för skydd mot olyckor")
    period_start = forms.IntegerField(label="Första år", min_value=2000, max_value=2100)
    period_end = forms.IntegerField(label="Sista år", min_value=2000, max_value=2100)

    def __init__(self, *args: object, organisations: QuerySet[Organisation], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()
        start, end = coming_mandate_period(dt.date.today())
        self.fields["period_start"].initial = start
        self.fields["period_end"].initial = end


# --- Numbers as Swedish planners type them ----------------------------------------------------


class NumberField(forms.FloatField):
    """Accepts "150 000", "1 234,5", "1 234,5" with a non-breaking or thin space, "0,25"; a text
    input, since a number input refuses the decimal comma and the spaces. Shown back the Swedish
    way, so that a form sent back unchanged reads to the same number."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})
    default_error_messages = {"invalid": "Skriv ett tal, t.ex. 1 500 eller 0,25."}

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if isinstance(value, int | float | decimal.Decimal):
            return float(value)
        try:
            return swedish_number(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, decimal.Decimal):
            value = float(value)
        if isinstance(value, float):
            if value.is_integer():
                return f"{int(value):,}".replace(",", "\u00a0")
            return f"{value:.10g}".replace(".", ",")
        return value


class WholeKronorField(NumberField):
    """An amount in whole kronor (cost fields): a Decimal without öre, as the models store it."""

    default_error_messages = {"invalid": "Skriv ett belopp i kronor, t.ex. 150 000."}

    def to_python(self, value: Any) -> decimal.Decimal | None:  # type: ignore[override]
        number = super().to_python(value)
        if number is None:
            return None
        if abs(number) >= 10**14:
            raise forms.ValidationError("Beloppet är för stort.", code="max_value")
        return decimal.Decimal(round(number))


def number_field_like(field: forms.Field, cls: type[NumberField] = NumberField) -> NumberField:
    """A Swedish number field with the label, help text, requiredness and limits of ``field``."""
    kwargs: dict[str, Any] = {
        "label": field.label,
        "required": field.required,
        "help_text": field.help_text,
        "initial": field.initial,
    }
    for name in ("min_value", "max_value"):
        if getattr(field, name, None) is not None:
            kwargs[name] = getattr(field, name)
    return cls(**kwargs)
