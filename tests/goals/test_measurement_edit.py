"""A measurement is corrected, never overwritten; deleting it only marks it replaced."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from lsoplan.audit.models import AuditEntry
from lsoplan.goals.models import Measurement
from lsoplan.programmes import services as programmes
from lsoplan.web.editing import registry
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db

KIND = registry()["measurement"]


def _current(world: World, year: int = 2020) -> Measurement:
    return Measurement.objects.get(series=world.indicator.series, year=year, replaced_at__isnull=True)


def _correct(editor: Client, m: Measurement, value: str) -> None:
    response = editor.post(KIND.edit_url(m), {"value": value, "vintage": "slutlig", "note": ""})
    assert response.status_code == 303, response.content.decode()[:1500]


def test_correcting_a_measurement_keeps_the_old_value(world: World, editor: Client) -> None:
    old = _current(world)
    _correct(editor, old, "1 021")
    old.refresh_from_db()
    assert old.value == 23.0 and old.replaced_at is not None
    assert _current(world).value == 1021.0


def test_the_correction_is_audited_with_old_and_new_value(world: World, editor: Client) -> None:
    _correct(editor, _current(world), "1 021")
    entry = AuditEntry.objects.filter(model="goals.measurement").latest("pk")
    assert entry.changes["value"] == [23.0, 1021.0]
    assert entry.actor_label == world.editor.username


def test_the_year_of_a_measurement_cannot_be_changed_by_a_correction(world: World, editor: Client) -> None:
    m = _current(world)
    editor.post(KIND.edit_url(m), {"year": "2019", "value": "30", "vintage": "slutlig"})
    assert _current(world, 2020).value == 30.0
    assert _current(world, 2019).value == 25.0


def test_the_indicator_page_shows_old_and_new_with_who(world: World, editor: Client) -> None:
    _correct(editor, _current(world), "1 021")
    page = editor.get(KIND.back(_current(world))).content.decode()
    assert "<del>23</del>" in page and "1\u00a0021" in page
    assert "rättat" in page and world.editor.username in page


def test_deleting_a_measurement_only_marks_it_replaced(world: World, editor: Client) -> None:
    m = _current(world)
    assert editor.post(KIND.delete_url(m)).status_code == 303
    m.refresh_from_db()
    assert m.replaced_at is not None
    assert not Measurement.objects.filter(series=m.series, year=2020, replaced_at__isnull=True).exists()
    page = editor.get(KIND.back(m)).content.decode()
    assert "borttaget" in page


def test_a_replaced_measurement_cannot_be_corrected_again(world: World, editor: Client) -> None:
    m = _current(world)
    _correct(editor, m, "1 021")
    assert editor.get(KIND.edit_url(m)).status_code == 404


def test_measurements_stay_correctable_after_adoption(world: World, editor: Client) -> None:
    programmes.adopt(
        SYSTEM, world.version, body="kommunfullmaktige", date=timezone.localdate(), paragraph="§ 3"
    )
    _correct(editor, _current(world), "22")
    assert _current(world).value == 22.0
