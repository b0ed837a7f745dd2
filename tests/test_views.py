"""Forms through the web: field-level Swedish errors, nothing saved on error, the happy paths."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.audit.services import Actor
from lsoplan.conditions.models import Risk
from lsoplan.goals import services as goals
from lsoplan.goals.models import Measurement, SafetyGoal
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import Programme, ProgrammeVersion
from tests.factories import PASSWORD, SYSTEM, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(world: World) -> Client:
    client = Client()
    assert client.login(username=world.editor.username, password=PASSWORD)
    return client


def test_bad_risk_is_refused_with_field_messages(world: World, editor: Client) -> None:
    before = Risk.objects.count()
    url = reverse("risk_create", kwargs={"pk": world.version.pk})
    response = editor.post(url, {"title": "", "likelihood": "9", "consequence": "2"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Detta fält måste fyllas i" in html  # Django's Swedish "required"
    assert "Välj ett giltigt alternativ" in html  # likelihood 9 is not on the 5-step scale
    assert Risk.objects.count() == before


def test_risk_needs_a_type(world: World, editor: Client) -> None:
    url = reverse("risk_create", kwargs={"pk": world.version.pk})
    response = editor.post(url, {"title": "Fall", "likelihood": "3", "consequence": "2"})
    assert response.status_code == 400
    assert "Välj en händelsetyp eller skriv en egen olyckstyp" in response.content.decode()


def test_create_risk_and_goal(world: World, editor: Client) -> None:
    response = editor.post(
        reverse("risk_create", kwargs={"pk": world.version.pk}),
        {
            "title": "Fallolyckor bland äldre",
            "custom_type": "Fallolyckor",
            "likelihood": "5",
            "consequence": "3",
            "description": "Vanligaste olyckan.",
        },
    )
    risk = Risk.objects.get(title="Fallolyckor bland äldre")
    assert response.status_code == 302 and response["Location"] == reverse(
        "risk_detail", kwargs={"pk": risk.pk}
    )
    response = editor.post(
        reverse("safety_goal_create", kwargs={"pk": world.version.pk}),
        {
            "code": "S2",
            "text": "Vi ska vara en säker och trygg kommun",
            "risks": [risk.pk],
            "national_goals": ["lso-1-1"],
        },
    )
    goal = SafetyGoal.objects.get(code="S2")
    assert response.status_code == 302
    page = editor.get(reverse("goal_detail", kwargs={"kind": "sakerhetsmal", "pk": goal.pk})).content.decode()
    assert "SMART" in page and "Brist" in page  # the vague goal gets a verdict with reasons


def test_measurement_with_decimal_comma(world: World, editor: Client) -> None:
    # A measured quantity, not a count (a count must be whole: lib.plausibility).
    goals.update_indicator(SYSTEM, world.indicator, is_count=False, unit="minuter")
    url = reverse("indicator_detail", kwargs={"pk": world.indicator.pk})
    response = editor.post(url, {"year": "2021", "value": "22,5", "vintage": "preliminar", "note": ""})
    assert response.status_code == 302
    m = Measurement.objects.get(series=world.indicator.series, year=2021)
    assert m.value == 22.5 and m.entered_by == world.editor and m.vintage == "preliminar"


def test_measurement_year_out_of_range(world: World, editor: Client) -> None:
    url = reverse("indicator_detail", kwargs={"pk": world.indicator.pk})
    response = editor.post(url, {"year": "1850", "value": "3", "vintage": "slutlig"})
    assert response.status_code == 400
    assert not Measurement.objects.filter(year=1850).exists()


def test_adopted_version_cannot_be_edited_but_can_be_redrafted(world: World, editor: Client) -> None:
    response = editor.post(
        reverse("version_adopt", kwargs={"pk": world.version.pk}),
        {"body": "forbundsdirektion", "date": "2026-11-10", "paragraph": "§ 45", "confirm": "on"},
    )
    assert response.status_code == 302
    response = editor.post(
        reverse("risk_edit", kwargs={"pk": world.risk.pk}),
        {"title": "Ändrad", "event_type": "1", "likelihood": "4", "consequence": "4"},
    )
    assert response.status_code == 400
    assert "Versionen är antagen" in response.content.decode()
    assert Risk.objects.get(pk=world.risk.pk).title == "Brand i bostad"
    response = editor.post(reverse("version_new_draft", kwargs={"pk": world.version.pk}))
    draft = ProgrammeVersion.objects.get(programme=world.programme, number=2)
    assert response.status_code == 302 and response["Location"] == reverse(
        "version_overview", kwargs={"pk": draft.pk}
    )


def test_programme_create_defaults_to_the_coming_mandate_period(world: World, editor: Client) -> None:
    page = editor.get(reverse("programme_create")).content.decode()
    start, end = programmes.coming_mandate_period(dt.date.today())
    assert f'value="{start}"' in page and f'value="{end}"' in page
    response = editor.post(
        reverse("programme_create"),
        {"organisation": world.org.pk, "title": "Nytt", "period_start": "2031", "period_end": "2030"},
    )
    assert response.status_code == 400 and not Programme.objects.filter(title="Nytt").exists()


def test_reader_cannot_create_programme_in_their_organisation(world: World) -> None:
    client = Client()
    client.login(username=world.reader.username, password=PASSWORD)
    response = client.post(
        reverse("programme_create"),
        {"organisation": world.org.pk, "title": "X", "period_start": "2027", "period_end": "2030"},
    )
    assert response.status_code == 400  # the organisation is not offered to a reader
    assert not Programme.objects.filter(title="X").exists()


def test_history_page_shows_old_and_new(world: World, editor: Client) -> None:
    editor.post(
        reverse("risk_edit", kwargs={"pk": world.risk.pk}),
        {"title": "Brand i flerbostadshus", "event_type": "1", "likelihood": "4", "consequence": "4"},
    )
    page = editor.get(
        reverse("object_history", kwargs={"model": "conditions.risk", "object_id": world.risk.pk})
    )
    html = page.content.decode()
    assert "<del>Brand i bostad</del>" in html and "Brand i flerbostadshus" in html
    assert world.editor.username in html


def test_actor_label_survives_for_the_cli() -> None:
    assert Actor.of(None, "cli").label == "cli"
