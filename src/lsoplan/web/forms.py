from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet

from lsoplan.accounts.models import Organisation
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
