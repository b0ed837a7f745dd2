"""The public remiss: anyone comments on the draft without a link while the planner allows it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.consultation import services
from lsoplan.consultation.models import Response
from tests.consultation import helpers
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db


def _open(w: World) -> str:
    helpers.on_remiss(w)
    services.set_public(SYSTEM, w.version, public=True)
    return reverse("remiss_public", kwargs={"slug": w.org.slug})


def test_without_public_remiss_the_page_is_404(world: World) -> None:
    helpers.on_remiss(world)
    assert Client().get(reverse("remiss_public", kwargs={"slug": world.org.slug})).status_code == 404


def test_an_unknown_organisation_is_404(world: World) -> None:
    _open(world)
    assert Client().get(reverse("remiss_public", kwargs={"slug": "finns-inte"})).status_code == 404


def test_the_public_page_shows_the_draft_and_a_form(world: World) -> None:
    text = Client().get(_open(world)).content.decode()
    assert world.safety_goal.text in text and 'name="text"' in text


def test_anyone_can_comment_without_giving_a_name(world: World) -> None:
    url = _open(world)
    response = Client().post(url, {"about": "", "text": "Bra program, men fler hembesök."})
    assert response.status_code == 200
    saved = Response.objects.get()
    assert saved.party is None and saved.author == "" and saved.sender == "Allmänheten"


def test_a_filled_honeypot_keeps_nothing(world: World) -> None:
    url = _open(world)
    response = Client().post(url, {"text": "Köp billiga klockor", "website": "http://spam.example"})
    assert response.status_code == 200
    assert not Response.objects.exists()


def test_closing_the_public_remiss_closes_the_page(world: World) -> None:
    url = _open(world)
    services.set_public(SYSTEM, world.version, public=False)
    assert Client().get(url).status_code == 404


def test_a_public_comment_cannot_be_made_on_another_organisation(world: World, other_world: World) -> None:
    url = _open(world)
    response = Client().post(url, {"about": f"sakerhetsmal-{other_world.safety_goal.pk}", "text": "X"})
    assert response.status_code == 400 and not Response.objects.exists()


def test_the_public_page_shows_no_other_organisation(world: World, other_world: World) -> None:
    _open(other_world)
    text = Client().get(_open(world)).content.decode()
    assert other_world.org.name not in text


def test_public_comments_beyond_the_limit_per_address_are_refused(world: World, settings: Any) -> None:
    settings.LSOPLAN_REMISS_POSTS_PER_WINDOW = 2
    url = _open(world)
    client = Client()
    codes = [client.post(url, {"text": f"Synpunkt {i}"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]
    assert Response.objects.count() == 2


def test_script_in_a_public_comment_is_escaped_for_the_planner(world: World, editor: Client) -> None:
    url = _open(world)
    Client().post(url, {"text": "<script>alert(3)</script>", "author": "<b>Eva</b>"})
    text = editor.get(reverse("consultation", kwargs={"pk": world.version.pk})).content.decode()
    assert "<script>alert(3)" not in text and "&lt;script&gt;alert(3)" in text
    assert "<b>Eva</b>" not in text and "&lt;b&gt;Eva&lt;/b&gt;" in text
