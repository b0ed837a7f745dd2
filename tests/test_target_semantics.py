"""Target semantics in the application: inferred on creation, shown and editable in the form,
copied into a new draft like other content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.goals.models import Indicator
from lsoplan.programmes import services as programmes
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "Genomförda hembesök",
    "unit": "antal",
    "direction": "higher",
    "normalisation": "none",
    "source": "manual",
    "target_value": "400",
    "target_year": "2030",
}


def test_a_new_indicator_left_blank_gets_the_kinds_its_goal_text_gives(world: World, client: Client) -> None:
    client.force_login(world.editor)
    url = reverse("indicator_create", kwargs={"kind": "prestationsmal", "pk": world.performance_goal.pk})
    response = client.post(url, FIELDS | {"target_kind": "", "indicator_kind": ""})
    assert response.status_code == 302
    made = Indicator.objects.get(name="Genomförda hembesök")
    # "Minst 400 hembesök per år 2027–2030."
    assert (made.target_kind, made.target_window_start, made.target_window_end) == ("every_year", 2027, 2030)
    assert made.indicator_kind == "prestation"


def test_the_form_shows_the_reading_and_an_editor_can_override_it(world: World, client: Client) -> None:
    client.force_login(world.editor)
    url = reverse("indicator_edit", kwargs={"pk": world.indicator.pk})
    page = client.get(url).content.decode()
    assert "Tolkning av måltexten" in page and "Typ av mål" in page
    data = FIELDS | {
        "name": world.indicator.name,
        "target_kind": "mean",
        "target_window_start": "2027",
        "target_window_end": "2030",
        "indicator_kind": "utfall",
    }
    assert client.post(url, data).status_code == 303
    world.indicator.refresh_from_db()
    assert (world.indicator.target_kind, world.indicator.target_window_start) == ("mean", 2027)


def test_a_window_that_ends_before_it_starts_is_refused_in_swedish(world: World, client: Client) -> None:
    client.force_login(world.editor)
    url = reverse("indicator_edit", kwargs={"pk": world.indicator.pk})
    data = FIELDS | {"target_kind": "mean", "target_window_start": "2030", "target_window_end": "2027"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Målperiodens slut kan inte ligga före dess början." in response.content.decode()


def test_a_new_draft_copies_the_target_semantics(world: World) -> None:
    world.indicator.target_kind, world.indicator.indicator_kind = "total", "prestation"
    world.indicator.target_window_start, world.indicator.target_window_end = 2027, 2030
    world.indicator.save()
    programmes.adopt(
        SYSTEM, world.version, body="kommunfullmaktige", date=dt.date(2026, 11, 1), paragraph="§ 1"
    )
    draft = programmes.new_draft(SYSTEM, world.version)
    copy = Indicator.objects.get(version=draft, lineage=world.indicator.lineage)
    assert (copy.target_kind, copy.target_window_start, copy.target_window_end, copy.indicator_kind) == (
        "total",
        2027,
        2030,
        "prestation",
    )
