"""The citizens' view form: only the opinion is required; an e-mail only with a wish to be contacted."""

from __future__ import annotations

from typing import Any

from django import forms

from lsoplan.public.models import AREA_MAX, TEXT_MAX

RATINGS = [("", "Inget betyg")] + [
    (str(n), label)
    for n, label in (
        (1, "1 – mycket dåligt"),
        (2, "2 – ganska dåligt"),
        (3, "3 – varken bra eller dåligt"),
        (4, "4 – ganska bra"),
        (5, "5 – mycket bra"),
    )
]
# The honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling robots.
HONEYPOT = "webbplats"


class CitizenViewForm(forms.Form):
    text = forms.CharField(
        label="Vad tycker du om räddningstjänstens arbete med skydd mot olyckor?",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
        help_text=f"Högst {TEXT_MAX} tecken. Skriv inga uppgifter om andra personer.",
        error_messages={
            "required": "Skriv din synpunkt.",
            "max_length": f"Synpunkten får vara högst {TEXT_MAX} tecken (den har %(show_value)d).",
        },
    )
    rating = forms.TypedChoiceField(
        label="Ditt betyg på arbetet (frivilligt)",
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Välj ett betyg mellan 1 och 5, eller inget betyg."},
    )
    area = forms.CharField(
        label="Område eller ort som synpunkten gäller (frivilligt)",
        max_length=AREA_MAX,
        required=False,
        error_messages={"max_length": f"Området får vara högst {AREA_MAX} tecken."},
    )
    contact_requested = forms.BooleanField(label="Jag vill bli kontaktad om min synpunkt", required=False)
    email = forms.EmailField(
        label="Din e-postadress (bara om du vill bli kontaktad)",
        required=False,
        max_length=254,
        error_messages={"invalid": "Ange en giltig e-postadress, till exempel namn@exempel.se."},
    )
    webbplats = forms.CharField(label="Lämna detta fält tomt", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact_requested") and not data.get("email"):
            self.add_error("email", "Ange din e-postadress om du vill bli kontaktad.")
        return data

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())
