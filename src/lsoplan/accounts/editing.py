"""Editable kinds of accounts: the organisation's settings (administrators only; never deleted
from the web UI)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.urls import reverse

from lsoplan.accounts import services
from lsoplan.accounts.access import organisations_of
from lsoplan.accounts.models import Organisation, Role
from lsoplan.web.editing import Kind


class OrganisationForm(forms.ModelForm):
    # Left empty, the retention period stays as it is.
    citizen_view_retention_months = forms.IntegerField(
        label="Ta bort synpunkter från allmänheten efter (månader)",
        required=False,
        min_value=1,
        max_value=120,
        error_messages={
            "invalid": "Ange ett helt antal månader.",
            "min_value": "Ange minst 1 månad.",
            "max_value": "Ange högst 120 månader.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the map settings stay as they are (the service checks their ranges).
        for name in ("acceptable_minutes", "suppression_threshold"):
            self.fields[name].required = False

    class Meta:
        model = Organisation
        fields = [
            "name",
            "published",
            "citizen_view_retention_months",
            "acceptable_minutes",
            "suppression_threshold",
        ]
        help_texts = {
            "published": "Visar en sida för allmänheten på /allmanhet/<organisationens kortnamn>/ med det "
            "antagna programmet, målen och hur det går, statistik och ett formulär för synpunkter. "
            "Inga utkast och inga namn på användare visas.",
        }

    def _post_clean(self) -> None:
        # The service validates and writes; the instance is not touched before it runs.
        pass


def _fetch(user: Any, pk: int) -> Organisation:
    found = organisations_of(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


KINDS = [
    Kind(
        slug="organisation",
        noun="organisationens inställningar",
        label="organisationen",
        stage="",
        queryset=lambda: Organisation.objects.all(),
        fetch=_fetch,
        form=OrganisationForm,
        update=services.update_organisation,
        delete=None,
        back=lambda o: reverse("programme_list"),
        version=lambda o: None,
        role=Role.ADMINISTRATOR,
        frozen=False,
        edit_route="organisation/<int:pk>/installningar/",
    ),
]
