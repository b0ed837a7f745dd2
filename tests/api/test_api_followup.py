"""Follow-up through the API: the same verdict as the web page, the same rules and history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from lsoplan.audit.models import AuditEntry
from lsoplan.goals.forms import MeasurementForm
from lsoplan.goals.models import Measure, Measurement, MeasureProgress
from lsoplan.programmes.models import ProgrammeVersion
from tests.api.support import api, new_token
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_measurements_written_through_the_api_give_the_web_pages_verdict(
    world: World, editor: Client
) -> None:
    client = api(new_token(world.editor, world, "write"))
    for year, value in [(2021, 21), (2022, 19), (2023, 18), (2024, 16), (2025, 15)]:
        response = client.post(
            f"/api/v1/indicators/{world.indicator.pk}/measurements", {"year": year, "value": value}
        )
        assert response.status_code == 201, response.content
    verdicts = client.get("/api/v1/followup", version=world.version.pk).json()["items"]
    (row,) = [r for r in verdicts if r["indicator"] == world.indicator.name]
    assert row["years_used"][-1] == 2025
    page = editor.get(reverse("version_followup", kwargs={"pk": world.version.pk})).content.decode()
    assert escape(row["sentence"]) in page


def test_the_api_gives_the_objects_of_lsoplan_followup(world: World) -> None:
    from lsoplan.commands.followup import rows

    client = api(new_token(world.editor, world, "read"))
    items = client.get("/api/v1/followup", programme=world.programme.pk).json()["items"]
    assert items == rows(world.version)


def test_correcting_through_the_api_keeps_the_old_value(world: World) -> None:
    client = api(new_token(world.editor, world, "write"))
    old = Measurement.objects.get(series=world.indicator.series, year=2020, replaced_at__isnull=True)
    response = client.post(f"/api/v1/measurements/{old.pk}/correction", {"value": 22, "vintage": "slutlig"})
    assert response.status_code == 201
    history = client.get(
        "/api/v1/measurements", indicator=world.indicator.pk, year=2020, history="true"
    ).json()
    assert [(m["value"], m["current"]) for m in history["items"]] == [(23.0, False), (22.0, True)]


def test_a_corrected_value_cannot_be_corrected_again(world: World) -> None:
    client = api(new_token(world.editor, world, "write"))
    old = Measurement.objects.get(series=world.indicator.series, year=2020, replaced_at__isnull=True)
    client.post(f"/api/v1/measurements/{old.pk}/correction", {"value": 22})
    response = client.post(f"/api/v1/measurements/{old.pk}/correction", {"value": 21})
    assert response.status_code == 422
    assert response.json()["code"] == "redan_rattat"


def test_an_implausible_value_is_refused_with_the_web_forms_message(world: World) -> None:
    client = api(new_token(world.editor, world, "write"))
    response = client.post(
        f"/api/v1/indicators/{world.indicator.pk}/measurements", {"year": 2021, "value": 2.5}
    )
    form = MeasurementForm({"year": 2021, "value": 2.5, "vintage": "slutlig"}, indicator=world.indicator)
    assert not form.is_valid()
    assert response.status_code == 422
    assert response.json() == {"code": "ogiltigt_varde", "message": form.errors["value"][0], "field": "value"}
    assert not Measurement.objects.filter(series=world.indicator.series, year=2021).exists()


def test_a_write_is_audited_with_the_token_name(world: World) -> None:
    client = api(new_token(world.editor, world, "write", name="Hypergene"))
    client.post(f"/api/v1/indicators/{world.indicator.pk}/measurements", {"year": 2021, "value": 20})
    entry = AuditEntry.objects.filter(model="goals.measurement").latest("id")
    assert (entry.actor_label, entry.actor_id) == ("api:Hypergene", world.editor.pk)


def test_a_measures_status_is_reported_as_in_the_action_plan(world: World) -> None:
    client = api(new_token(world.editor, world, "write"))
    body = {"year": 2025, "status": "genomford", "note": "Klart i november."}
    response = client.post(f"/api/v1/measures/{world.measure.pk}/status", body)
    assert response.status_code == 201
    assert Measure.objects.get(pk=world.measure.pk).status == "genomford"
    assert MeasureProgress.objects.get(measure=world.measure).note == "Klart i november."


def test_an_unknown_status_is_refused_with_the_field(world: World) -> None:
    client = api(new_token(world.editor, world, "write"))
    response = client.post(f"/api/v1/measures/{world.measure.pk}/status", {"year": 2025, "status": "klar"})
    assert response.status_code == 422
    assert response.json()["field"] == "status"


def test_followup_needs_a_programme_or_a_version(world: World) -> None:
    response = api(new_token(world.editor, world, "read")).get("/api/v1/followup")
    assert response.status_code == 422
    assert response.json()["field"] == "programme"


def test_a_measure_is_changed_as_on_its_edit_page(world: World) -> None:
    client = api(new_token(world.editor, world, "write"))
    response = client.patch(f"/api/v1/measures/{world.measure.pk}", {"owner": "Räddningschefen"})
    assert response.status_code == 200
    measure = Measure.objects.get(pk=world.measure.pk)
    assert (measure.owner, measure.text) == ("Räddningschefen", "Hembesök i utsatta områden")
    entry = AuditEntry.objects.filter(model="goals.measure").latest("id")
    assert entry.changes == {"owner": ["Förebyggande", "Räddningschefen"]}


def test_a_measure_of_an_adopted_version_is_refused_with_409(world: World) -> None:
    ProgrammeVersion.objects.filter(pk=world.version.pk).update(status="antagen")
    client = api(new_token(world.editor, world, "write"))
    response = client.patch(f"/api/v1/measures/{world.measure.pk}", {"owner": "Någon annan"})
    assert response.status_code == 409 and response.json()["code"] == "version_last"
    assert Measure.objects.get(pk=world.measure.pk).owner == "Förebyggande"
