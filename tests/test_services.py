"""The audited write path: audit entries, frozen versions, new drafts, measurement corrections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lsoplan.audit.models import AuditEntry
from lsoplan.audit.services import Actor, FrozenVersionError
from lsoplan.conditions import services as conditions
from lsoplan.conditions.models import Risk
from lsoplan.goals import services as goals
from lsoplan.goals.models import Indicator, Measurement, PerformanceGoal, SafetyGoal
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import Chapter, VersionStatus
from lsoplan.programmes.services import coming_mandate_period
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_update_records_each_changed_field_with_old_and_new(world: World) -> None:
    actor = Actor(world.editor, world.editor.username)
    conditions.update_risk(actor, world.risk, title="Brand i flerbostadshus", likelihood=3)
    entry = AuditEntry.objects.filter(
        model="conditions.risk", object_id=str(world.risk.pk), action="update"
    ).get()
    assert entry.actor == world.editor
    assert entry.changes == {"title": ["Brand i bostad", "Brand i flerbostadshus"], "likelihood": [4, 3]}
    assert entry.version_id == world.version.pk
    assert entry.organisation == world.org


def test_update_without_change_writes_no_entry(world: World) -> None:
    before = AuditEntry.objects.count()
    conditions.update_risk(Actor(None, "t"), world.risk, title=world.risk.title)
    assert AuditEntry.objects.count() == before


def test_delete_records_the_old_values(world: World) -> None:
    risk_pk = world.risk.pk
    conditions.delete_risk(Actor(None, "t"), world.risk)
    entry = AuditEntry.objects.get(model="conditions.risk", object_id=str(risk_pk), action="delete")
    assert entry.changes["title"] == ["Brand i bostad", None]
    assert not Risk.objects.filter(pk=risk_pk).exists()


def test_m2m_links_are_audited(world: World) -> None:
    goals.update_goal(Actor(None, "t"), world.safety_goal, risks=[])
    entry = AuditEntry.objects.filter(model="goals.safetygoal", action="update").get()
    assert entry.changes == {"risks": [[world.risk.pk], []]}


def test_risk_outside_the_matrix_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        conditions.create_risk(
            Actor(None, "t"), world.version, title="X", custom_type="Fall", likelihood=6, consequence=1
        )
    assert "likelihood" in exc.value.message_dict


def test_links_across_versions_are_refused(world: World, other_world: World) -> None:
    with pytest.raises(ValidationError):
        goals.create_performance_goal(
            Actor(None, "t"), world.version, text="P", safety_goals=[other_world.safety_goal]
        )


def _adopt(world: World) -> None:
    programmes.adopt(
        Actor(None, "t"),
        world.version,
        body="forbundsdirektion",
        date=dt.date(2026, 11, 10),
        paragraph="§ 45",
    )


def test_adoption_freezes_the_version(world: World) -> None:
    _adopt(world)
    world.version.refresh_from_db()
    assert world.version.status == VersionStatus.ANTAGEN
    risk = Risk.objects.get(pk=world.risk.pk)
    with pytest.raises(FrozenVersionError):
        conditions.update_risk(Actor(None, "t"), risk, title="Ändrad")
    with pytest.raises(FrozenVersionError):
        goals.create_safety_goal(Actor(None, "t"), world.version, text="Nytt mål")
    assert Risk.objects.get(pk=world.risk.pk).title == "Brand i bostad"


def test_adoption_needs_a_paragraph(world: World) -> None:
    with pytest.raises(ValidationError):
        programmes.adopt(
            Actor(None, "t"), world.version, body="kommunfullmaktige", date=dt.date(2026, 1, 1), paragraph=" "
        )


def test_new_draft_copies_content_and_keeps_measurements_shared(world: World) -> None:
    _adopt(world)
    world.version.refresh_from_db()
    draft = programmes.new_draft(Actor(None, "t"), world.version)
    assert draft.number == 2 and draft.based_on == world.version and draft.status == VersionStatus.UTKAST
    assert (
        Chapter.objects.filter(version=draft).count() == Chapter.objects.filter(version=world.version).count()
    )
    new_sg = SafetyGoal.objects.get(version=draft)
    assert new_sg.lineage == world.safety_goal.lineage and new_sg.pk != world.safety_goal.pk
    # Links point at the copies, never back into the frozen version.
    assert list(new_sg.risks.all()) == [Risk.objects.get(version=draft)]
    new_pg = PerformanceGoal.objects.get(version=draft)
    assert list(new_pg.safety_goals.all()) == [new_sg]
    new_ind = Indicator.objects.get(version=draft)
    assert new_ind.series_id == world.indicator.series_id and new_ind.safety_goal == new_sg
    # The draft is editable, the adopted version unchanged.
    conditions.update_risk(Actor(None, "t"), Risk.objects.get(version=draft), title="Ny titel")
    assert Risk.objects.get(version=world.version).title == "Brand i bostad"
    # Only one open draft at a time.
    with pytest.raises(ValidationError):
        programmes.new_draft(Actor(None, "t"), world.version)


def test_second_adoption_replaces_the_first(world: World) -> None:
    _adopt(world)
    world.version.refresh_from_db()
    draft = programmes.new_draft(Actor(None, "t"), world.version)
    programmes.adopt(
        Actor(None, "t"), draft, body="forbundsdirektion", date=dt.date(2026, 12, 1), paragraph="§ 12"
    )
    world.version.refresh_from_db()
    assert world.version.status == VersionStatus.ERSATT
    assert programmes.adopted_version(world.programme) == draft


def test_measurement_correction_keeps_the_old_value(world: World) -> None:
    series = world.indicator.series
    goals.record_measurement(Actor(world.editor, "redaktor"), series, year=2020, value=21.0, note="Rättad")
    rows = list(Measurement.objects.filter(series=series, year=2020).order_by("entered_at"))
    assert [r.value for r in rows] == [23.0, 21.0]
    assert rows[0].replaced_at is not None and rows[1].replaced_at is None
    assert rows[1].entered_by == world.editor
    assert [v for _, v in [(m.year, m.value) for m in goals.current_measurements(series)]][-1] == 21.0


def test_same_value_again_is_not_a_correction(world: World) -> None:
    series = world.indicator.series
    goals.record_measurement(Actor(None, "t"), series, year=2020, value=23.0)
    assert Measurement.objects.filter(series=series, year=2020).count() == 1


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 25), (2027, 2030)),
        (dt.date(2025, 3, 1), (2027, 2030)),
        (dt.date(2027, 2, 1), (2031, 2034)),
        (dt.date(2022, 12, 31), (2023, 2026)),
    ],
)
def test_coming_mandate_period(today: dt.date, expected: tuple[int, int]) -> None:
    assert coming_mandate_period(today) == expected
