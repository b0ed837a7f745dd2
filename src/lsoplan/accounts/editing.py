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
    class Meta:
        model = Organisation
        fields = ["name", "acceptable_minutes", "suppression_threshold"]

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
