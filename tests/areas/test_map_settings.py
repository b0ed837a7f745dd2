"""The organisation's map settings: godtagbar tid and the privacy threshold, edited by an
administratör through the registry's organisation kind, audited, and read by one selector."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.accounts.models import Membership, Organisation, Role
from lsoplan.areas import selectors
from lsoplan.audit.models import AuditEntry
from lsoplan.audit.services import Actor
from lsoplan.incidents.services import import_incidents
from lsoplan.lib.geo.settings import check_acceptable_minutes, check_suppression_threshold
from tests.factories import World

pytestmark = pytest.mark.django_db


def _admin_client(world: World) -> Client:
    Membership.objects.filter(user=world.editor, organisation=world.org).update(role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(world.editor)
    return client


def _post(client: Client, org: Organisation, **values: object) -> object:
    data = {"name": org.name, "acceptable_minutes": "20", "suppression_threshold": "3"}
    data |= {k: str(v) for k, v in values.items()}
    return client.post(reverse("organisation_edit", kwargs={"pk": org.pk}), data)


def test_a_new_organisation_has_the_defaults(world: World) -> None:
    assert selectors.suppression_threshold(world.org) == 3
    assert selectors.acceptable_minutes(world.org) == 20


def test_an_administrator_sets_both_and_the_audit_trail_has_old_and_new(world: World) -> None:
    response = _post(_admin_client(world), world.org, acceptable_minutes=15, suppression_threshold=5)
    assert response.status_code == 303  # type: ignore[attr-defined]
    world.org.refresh_from_db()
    assert selectors.acceptable_minutes(world.org) == 15
    assert selectors.suppression_threshold(world.org) == 5
    entry = AuditEntry.objects.filter(organisation=world.org, action="update").latest("pk")
    assert entry.changes["acceptable_minutes"] == [20, 15]
    assert entry.changes["suppression_threshold"] == [3, 5]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("suppression_threshold", 2, "från 3 till 50"),
        ("suppression_threshold", 51, "från 3 till 50"),
        ("acceptable_minutes", 0, "från 1 till 90"),
        ("acceptable_minutes", 91, "från 1 till 90"),
        ("acceptable_minutes", "12,5", "heltal"),
    ],
)
def test_an_implausible_setting_is_refused_and_nothing_changes(
    world: World, field: str, value: object, message: str
) -> None:
    response = _post(_admin_client(world), world.org, **{field: value})
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in response.content.decode()  # type: ignore[attr-defined]
    world.org.refresh_from_db()
    assert (world.org.acceptable_minutes, world.org.suppression_threshold) == (20, 3)


def test_an_editor_may_not_change_the_settings(world: World) -> None:
    client = Client()
    client.force_login(world.editor)
    response = _post(client, world.org, suppression_threshold=10)
    assert response.status_code == 403  # type: ignore[attr-defined]
    world.org.refresh_from_db()
    assert world.org.suppression_threshold == 3


def test_the_rules_take_whole_numbers_only() -> None:
    assert check_acceptable_minutes(20) == [] and check_acceptable_minutes(20.0) == []
    assert check_acceptable_minutes(20.5) and check_acceptable_minutes(True)
    assert check_suppression_threshold(3) == [] and check_suppression_threshold("3")


def test_the_map_page_states_the_threshold_and_starts_share_within_at_godtagbar_tid(world: World) -> None:
    world.org.acceptable_minutes = 15
    world.org.suppression_threshold = 7
    world.org.save()
    client = Client()
    client.force_login(world.reader)
    data = (
        b"handelse_id;kommun;handelsetyp;larm_tid;framme_tid;x;y\n"
        b"M-1;0484;1;2024-03-05 14:00;2024-03-05 14:06;674100;6580100\n"
    )
    assert import_incidents(Actor(None, "cli"), world.org, data, file_name="m.csv").ok
    page = client.get(reverse("version_capability", kwargs={"pk": world.version.pk})).content.decode()
    assert 'value="15, 10, 20, 30"' in page
    assert "döljer rutor med färre än 7 händelser" in page
    assert "godtagbara tid är 15 minuter" in page


def test_the_map_draws_the_organisations_municipalities_under_the_cells(world: World) -> None:
    data = (
        b"handelse_id;kommun;handelsetyp;larm_tid;framme_tid;x;y\n"
        b"M-1;0484;1;2024-03-05 14:00;2024-03-05 14:06;584686;6583356\n"
    )
    assert import_incidents(Actor(None, "cli"), world.org, data, file_name="m.csv").ok
    client = Client()
    client.force_login(world.reader)
    response = client.get(reverse("version_capability", kwargs={"pk": world.version.pk}))
    spec = json.loads(html.unescape(re.search(r'data-spec="([^"]*)"', response.content.decode()).group(1)))  # type: ignore[union-attr]
    outline = spec["layer"][0]["data"]["values"]
    assert sorted(f["properties"]["kommun"] for f in outline) == ["Eskilstuna", "Strängnäs"]
    assert "Kommungränser: SCB" in response.content.decode()


def test_each_organisations_map_form_starts_at_its_own_godtagbar_tid(
    world: World, other_world: World
) -> None:
    from lsoplan.accounts.services import update_organisation
    from tests.factories import SYSTEM

    update_organisation(SYSTEM, other_world.org, name=other_world.org.name, acceptable_minutes=12)
    pages = []
    for w in (world, other_world):
        client = Client()
        client.force_login(w.reader)
        pages.append(client.get(reverse("version_capability", kwargs={"pk": w.version.pk})).content.decode())
    assert 'value="20, 10, 30"' in pages[0]
    assert 'value="12, 10, 20, 30"' in pages[1]
