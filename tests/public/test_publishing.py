"""Publishing is opt-in: `lsoplan org publish SLUG [--unpublish]` and the administratör's settings,
both audited through ``accounts.services.set_publication``."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.accounts.models import Membership, Organisation, Role
from lsoplan.audit.models import AuditEntry
from lsoplan.cli import main
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db


def test_a_new_organisation_is_not_published(world: World) -> None:
    assert Organisation.objects.get(pk=world.org.pk).published is False


def test_org_publish_publishes_and_is_audited(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["org", "publish", world.org.slug]) == 0
    assert Organisation.objects.get(pk=world.org.pk).published is True
    assert "/allmanhet/alfa/" in capsys.readouterr().out
    entry = AuditEntry.objects.filter(model="accounts.organisation", object_id=str(world.org.pk)).first()
    assert entry is not None and entry.changes == {"published": [False, True]}


def test_org_publish_unpublish_takes_it_down(world: World) -> None:
    main(["org", "publish", world.org.slug])
    assert main(["org", "publish", world.org.slug, "--unpublish"]) == 0
    assert Organisation.objects.get(pk=world.org.pk).published is False


def test_org_publish_of_an_unknown_organisation_is_a_usage_error(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["org", "publish", "finns-inte"]) == 2
    assert "finns-inte" in capsys.readouterr().err


def _admin(world: World) -> Client:
    Membership.objects.filter(user=world.editor, organisation=world.org).update(role=Role.ADMINISTRATOR)
    client = Client()
    assert client.login(username=world.editor.username, password=PASSWORD)
    return client


def test_the_administrator_publishes_in_the_settings(world: World) -> None:
    client = _admin(world)
    url = reverse("organisation_edit", kwargs={"pk": world.org.pk})
    data = {"name": world.org.name, "published": "on", "citizen_view_retention_months": "6"}
    response = client.post(url, data)
    assert response.status_code in (302, 303)
    org = Organisation.objects.get(pk=world.org.pk)
    assert (org.published, org.citizen_view_retention_months) == (True, 6)
    entry = AuditEntry.objects.filter(model="accounts.organisation", actor=world.editor).first()
    assert entry is not None and entry.changes["published"] == [False, True]


def test_a_retention_of_zero_months_is_refused_in_swedish(world: World) -> None:
    client = _admin(world)
    url = reverse("organisation_edit", kwargs={"pk": world.org.pk})
    response = client.post(url, {"name": world.org.name, "citizen_view_retention_months": "0"})
    assert response.status_code == 400
    assert "minst 1 månad" in response.content.decode()
    assert Organisation.objects.get(pk=world.org.pk).citizen_view_retention_months == 24


def test_a_redaktor_cannot_publish(world: World, editor: Client) -> None:
    url = reverse("organisation_edit", kwargs={"pk": world.org.pk})
    response = editor.post(url, {"name": world.org.name, "published": "on"})
    assert response.status_code == 403
    assert Organisation.objects.get(pk=world.org.pk).published is False
