"""What goes with a goal or an indicator when it is deleted, and what the confirmation says."""

from __future__ import annotations

import pytest
from django.test import Client

from lsoplan.goals.models import Indicator, Measure, Measurement, PerformanceGoal
from lsoplan.web.editing import registry
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_the_confirmation_counts_an_indicators_measurements(world: World, editor: Client) -> None:
    page = editor.get(registry()["indicator"].delete_url(world.indicator)).content.decode()
    assert "Indikatorn har 5 mätvärden." in page


def test_the_confirmation_counts_a_safety_goals_goals_and_indicators(world: World, editor: Client) -> None:
    page = editor.get(registry()["sakerhetsmal"].delete_url(world.safety_goal)).content.decode()
    assert "Säkerhetsmålet har 1 prestationsmål och 1 indikator." in page


def test_deleting_a_safety_goal_deletes_its_indicators_but_keeps_performance_goals(
    world: World, editor: Client
) -> None:
    editor.post(registry()["sakerhetsmal"].delete_url(world.safety_goal))
    assert not Indicator.objects.filter(pk=world.indicator.pk).exists()
    assert PerformanceGoal.objects.filter(pk=world.performance_goal.pk).exists()


def test_deleting_an_indicator_keeps_its_measurements_in_the_series(world: World, editor: Client) -> None:
    series = world.indicator.series
    editor.post(registry()["indicator"].delete_url(world.indicator))
    assert Measurement.objects.filter(series=series).count() == 5


def test_deleting_a_performance_goal_deletes_its_measures(world: World, editor: Client) -> None:
    editor.post(registry()["prestationsmal"].delete_url(world.performance_goal))
    assert not Measure.objects.filter(pk=world.measure.pk).exists()


def test_goal_edit_keeps_its_old_url(world: World) -> None:
    from django.urls import reverse

    url = reverse("goal_edit", kwargs={"kind": "sakerhetsmal", "pk": world.safety_goal.pk})
    assert url == registry()["sakerhetsmal"].edit_url(world.safety_goal)


def test_a_goal_url_does_not_admit_other_kinds(world: World, editor: Client) -> None:
    assert editor.get(f"/mal/risk/{world.risk.pk}/andra/").status_code == 404
