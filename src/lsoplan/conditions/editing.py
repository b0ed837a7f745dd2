"""Editable kinds of Förutsättningar: risks, vulnerabilities, capabilities."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lsoplan.conditions import services
from lsoplan.conditions.forms import CapabilityForm, RiskForm, VulnerabilityForm
from lsoplan.conditions.models import Capability, Risk, Vulnerability
from lsoplan.web.editing import Kind, count_phrase


def _conditions(obj: Any) -> str:
    return reverse("version_conditions", kwargs={"pk": obj.version_id})


def _risk_page(obj: Any) -> str:
    return reverse("risk_detail", kwargs={"pk": obj.risk_id})


def _risk_consequences(risk: Risk) -> list[str]:
    lines = []
    n_vul, n_cap = risk.vulnerabilities.count(), risk.capabilities.count()
    if n_vul or n_cap:
        lines.append(
            f"Risken har {count_phrase(n_vul, 'sårbarhet', 'sårbarheter')} och "
            f"{count_phrase(n_cap, 'förmåga', 'förmågor')}; de tas bort med den."
        )
    n_goals = risk.safety_goals.count()
    if n_goals:
        lines.append(
            f"Risken är kopplad till {count_phrase(n_goals, 'säkerhetsmål', 'säkerhetsmål')}; "
            "målen finns kvar men förlorar kopplingen."
        )
    return lines


def _capability_back(obj: Capability) -> str:
    return _risk_page(obj) if obj.risk_id else _conditions(obj)


KINDS = [
    Kind(
        slug="risk",
        noun="risk",
        label="risken",
        stage="forutsattningar",
        queryset=lambda: Risk.objects.select_related("version__programme", "event_type"),
        form=RiskForm,
        form_kwargs=lambda o: {"instance": o, "version": o.version},
        update=services.update_risk,
        delete=services.delete_risk,
        back=_conditions,
        detail=lambda o: reverse("risk_detail", kwargs={"pk": o.pk}),
        consequences=_risk_consequences,
        edit_route="risk/<int:pk>/andra/",
        delete_route="risk/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="vulnerability",
        noun="sårbarhet",
        label="sårbarheten",
        stage="forutsattningar",
        queryset=lambda: Vulnerability.objects.select_related("version__programme"),
        form=VulnerabilityForm,
        form_kwargs=lambda o: {"initial": {"description": o.description}},
        update=services.update_vulnerability,
        delete=services.delete_vulnerability,
        back=_risk_page,
        edit_route="sarbarhet/<int:pk>/andra/",
        delete_route="sarbarhet/<int:pk>/ta-bort/",
    ),
    Kind(
        slug="capability",
        noun="förmåga",
        label="förmågan",
        stage="forutsattningar",
        queryset=lambda: Capability.objects.select_related("version__programme"),
        form=CapabilityForm,
        form_kwargs=lambda o: {"instance": o, "version": o.version},
        update=services.update_capability,
        delete=services.delete_capability,
        back=_capability_back,
        edit_route="formaga/<int:pk>/andra/",
        delete_route="formaga/<int:pk>/ta-bort/",
    ),
]
