"""Every link in an audit table leads to a history page (the probe found five that gave 404)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from lsoplan.demo import DemoInfo, load_demo
from lsoplan.programmes.models import ProgrammeVersion
from tests.factories import World

LINK = re.compile(r'href="(/historik/[^"]+)"')


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoInfo]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def _client(info: DemoInfo, username: str) -> Client:
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.django_db
def test_every_history_link_on_the_demo_history_pages_answers_200(demo: DemoInfo) -> None:
    client = _client(demo, "lasare")
    links: set[str] = set()
    for version in ProgrammeVersion.objects.filter(programme_id=demo.programme_id):
        page = client.get(reverse("version_history", kwargs={"pk": version.pk}))
        assert page.status_code == 200
        links |= {html.unescape(link) for link in LINK.findall(page.content.decode())}
    models = {link.split("/")[2] for link in links}
    # The kinds the probe found broken (check runs and distributions are recorded without a version).
    assert "evaluation.costbenefitanalysis" in models, models
    broken = {link: code for link in sorted(links) if (code := client.get(link).status_code) != 200}
    assert broken == {}


@pytest.mark.django_db
def test_the_history_of_another_organisations_object_is_404(demo: DemoInfo) -> None:
    own = _client(demo, "lasare")
    version = ProgrammeVersion.objects.filter(programme_id=demo.programme_id).first()
    assert version is not None
    page = own.get(reverse("version_history", kwargs={"pk": version.pk})).content.decode()
    link = html.unescape(LINK.findall(page)[0])
    assert _client(demo, "granne").get(link).status_code == 404


@pytest.mark.django_db
def test_the_history_of_a_deleted_object_is_still_shown(world: World) -> None:
    from lsoplan.audit import services as audit
    from lsoplan.conditions.models import Capability
    from tests.factories import SYSTEM

    pk = world.capability.pk
    audit.delete(SYSTEM, Capability.objects.get(pk=pk))
    client = Client()
    client.force_login(world.editor)
    url = reverse("object_history", kwargs={"model": "conditions.capability", "object_id": pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Borttagen" in page.content.decode()


@pytest.mark.django_db
def test_the_history_of_one_object_of_every_audited_kind_answers_200(demo: DemoInfo) -> None:
    from lsoplan.audit.models import AuditEntry

    client = _client(demo, "lasare")
    entries = AuditEntry.objects.filter(organisation__slug=demo.org_slug).order_by("model", "id")
    one_each = {e.model: e for e in entries}
    assert {"accounts.organisation", "evaluation.costbenefitanalysis"} <= set(one_each), sorted(one_each)
    broken = {
        model: code
        for model, e in one_each.items()
        if (code := client.get(reverse("object_history", args=[e.model, e.object_id])).status_code) != 200
    }
    assert broken == {}
