"""A risk goes with its vulnerabilities and capabilities; säkerhetsmål keep existing."""

from __future__ import annotations

import pytest
from django.test import Client

from lsoplan.conditions import services
from lsoplan.conditions.models import Capability, Vulnerability
from lsoplan.goals.models import SafetyGoal
from lsoplan.web.editing import registry
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db

RISK = registry()["risk"]


def test_the_confirmation_names_what_goes_with_the_risk(world: World, editor: Client) -> None:
    services.add_vulnerability(SYSTEM, world.risk, "Äldre bebyggelse")
    page = editor.get(RISK.delete_url(world.risk)).content.decode()
    assert "Risken har 1 sårbarhet och 1 förmåga" in page
    assert "kopplad till 1 säkerhetsmål" in page


def test_deleting_a_risk_deletes_vulnerabilities_and_capabilities(world: World, editor: Client) -> None:
    v = services.add_vulnerability(SYSTEM, world.risk, "Äldre bebyggelse")
    editor.post(RISK.delete_url(world.risk))
    assert not Vulnerability.objects.filter(pk=v.pk).exists()
    assert not Capability.objects.filter(pk=world.capability.pk).exists()
    assert SafetyGoal.objects.filter(pk=world.safety_goal.pk).exists()


def test_cancel_goes_back_to_the_list_not_the_referer(world: World, editor: Client) -> None:
    page = editor.get(RISK.delete_url(world.risk), HTTP_REFERER="https://example.org/").content.decode()
    assert "https://example.org/" not in page
    assert f'href="{RISK.back(world.risk)}"' in page
