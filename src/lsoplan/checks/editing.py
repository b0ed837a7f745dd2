"""Editable kinds of egenkontroll: the distribution records of an adopted programme. They are
registered after adoption by nature, so they stay correctable on a frozen version."""

from __future__ import annotations

from django.urls import reverse

from lsoplan.checks import services
from lsoplan.checks.forms import DistributionForm
from lsoplan.checks.models import Distribution
from lsoplan.web.editing import Kind

KINDS = [
    Kind(
        slug="distribution",
        noun="utskick",
        label="utskicket",
        neuter=True,
        stage="egenkontroll",
        queryset=lambda: Distribution.objects.select_related("version__programme"),
        form=DistributionForm,
        update=services.update_distribution,
        delete=services.delete_distribution,
        back=lambda o: reverse("version_checks", kwargs={"pk": o.version_id}) + "#utskick",
        frozen=False,
        edit_route="utskick/<int:pk>/andra/",
        delete_route="utskick/<int:pk>/ta-bort/",
    ),
]
