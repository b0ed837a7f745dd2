"""Editable kinds of the consultation: a remissinstans, a response, and the decision on it (the
decision is fields of the response; deleting it takes the decision back and keeps the response)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

from lsoplan.consultation import services
from lsoplan.consultation.forms import DecisionForm, PartyForm, ResponseEditForm, split_about
from lsoplan.consultation.models import Party, Response
from lsoplan.web.editing import Kind, count_phrase


def _back(obj: Any) -> str:
    return reverse("consultation", kwargs={"pk": obj.version_id})


def _response_data(form: forms.BaseForm, obj: Response) -> dict[str, Any]:
    return {
        "text": form.cleaned_data["text"],
        **split_about(obj.version, form.cleaned_data.get("about") or ""),
    }


def _party_consequences(obj: Party) -> list[str]:
    n = obj.responses.count()
    return (
        [f"Remissinstansen har {count_phrase(n, 'remissvar', 'remissvar')}, som tas bort med den."]
        if n
        else []
    )


def _response_consequences(obj: Response) -> list[str]:
    return ["Bilagan tas bort med remissvaret."] if obj.attachment else []


def _responses() -> Any:
    return Response.objects.select_related(
        "version__programme", "party", "chapter", "safety_goal", "performance_goal"
    )


KINDS = [
    Kind(
        slug="remissinstans",
        noun="remissinstans",
        label="remissinstansen",
        stage="oversikt",
        queryset=lambda: Party.objects.select_related("version__programme"),
        form=PartyForm,
        update=services.update_party,
        delete=services.delete_party,
        back=_back,
        consequences=_party_consequences,
        edit_route="samrad/instans/<int:pk>/andra/",
        delete_route="samrad/instans/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="remissvar",
        noun="remissvar",
        label="remissvaret",
        neuter=True,
        stage="oversikt",
        queryset=_responses,
        form=ResponseEditForm,
        data=_response_data,
        update=services.update_response,
        delete=services.delete_response,
        back=_back,
        consequences=_response_consequences,
        edit_route="samrad/svar/<int:pk>/andra/",
        delete_route="samrad/svar/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="remissbeslut",
        noun="ställningstagande",
        label="ställningstagandet",
        neuter=True,
        stage="oversikt",
        queryset=_responses,
        form=DecisionForm,
        update=services.decide,
        delete=services.clear_decision,
        back=_back,
        consequences=lambda o: [
            "Remissvaret finns kvar; bara ställningstagandet och dess motivering tas bort."
        ],
        template="consultation/decide.html",
        edit_route="samrad/svar/<int:pk>/beslut/",
        delete_route="samrad/svar/<int:pk>/beslut/ta-bort/",
    ),
]
