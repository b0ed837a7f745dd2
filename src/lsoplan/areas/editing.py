"""Editable kinds of the capability map: stations and response areas (programme content)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lsoplan.areas import services
from lsoplan.areas.forms import AreaForm, StationForm
from lsoplan.areas.models import ResponseArea, Station
from lsoplan.web.editing import Kind


def _map_page(obj: Any) -> str:
    return reverse("version_capability", kwargs={"pk": obj.version_id})


KINDS = [
    Kind(
        slug="station",
        noun="station",
        label="stationen",
        stage="forutsattningar",
        queryset=lambda: Station.objects.select_related("version__programme"),
        form=StationForm,
        update=services.update_station,
        delete=services.delete_station,
        back=_map_page,
        edit_route="station/<int:pk>/andra/",
        delete_route="station/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="responsearea",
        noun="insatsområde",
        label="insatsområdet",
        neuter=True,
        stage="forutsattningar",
        queryset=lambda: ResponseArea.objects.select_related("version__programme"),
        form=AreaForm,
        update=services.update_area,
        delete=services.delete_area,
        back=_map_page,
        edit_route="insatsomrade/<int:pk>/andra/",
        delete_route="insatsomrade/<int:pk>/ta-bort/",
    ),
]
