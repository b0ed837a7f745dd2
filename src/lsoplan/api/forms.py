from __future__ import annotations

from typing import Any

from django import forms

from lsoplan.accounts.access import organisations_of
from lsoplan.accounts.models import Organisation
from lsoplan.api.models import Scope
from lsoplan.api.tokens import MAX_EXPIRY_DAYS, NAME_MAX


class TokenForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Organisation")
    name = forms.CharField(
        label="Namn", max_length=NAME_MAX, help_text="Vad nyckeln används till, t.ex. ”Stratsys uppföljning”."
    )
    scope = forms.ChoiceField(
        label="Behörighet",
        choices=Scope.choices,
        help_text="Skriva kräver att du är redaktör; nyckeln ger aldrig mer än din roll.",
    )
    expires_days = forms.IntegerField(
        label="Giltig (dagar)",
        required=False,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        initial=365,
        help_text="Tomt: giltig tills du återkallar den.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = organisations_of(user).order_by("name")
        field = self.fields["organisation"]
        field.queryset = orgs  # type: ignore[attr-defined]
        if orgs.count() == 1:
            field.initial = orgs.first()
