"""A write through any service shows on the next page at once, although the pages read cached
results: each test opens the page (filling the cache), writes through a service, opens it again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.audit import dataversion
from lsoplan.conditions import services as conditions
from lsoplan.followup.selectors import indicator_followups
from lsoplan.goals import services as goals
from lsoplan.goals.selectors import smart_results, version_summary
from lsoplan.incidents.models import ImportBatch
from lsoplan.incidents.services import import_incidents, undo_import
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import Versioned
from lsoplan.publicdata import services as publicdata
from lsoplan.web.editing import registry
from tests.factories import SYSTEM, World
from tests.incidents.test_import import native
from tests.web.samples import CHANGES, SAMPLES

pytestmark = pytest.mark.django_db

EDITABLE = sorted(s for s in registry() if registry()[s].update is not None)
DELETABLE = sorted(s for s in registry() if registry()[s].delete is not None)


def _scope(obj: Any) -> dataversion.Scope:
    """The narrowest scope the write must change: the version's own content, else the shared data."""
    return obj.version_id if isinstance(obj, Versioned) else dataversion.SHARED


def _page(client: Client, name: str, **kwargs: Any) -> str:
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("slug", EDITABLE)
def test_an_edit_through_the_registry_changes_the_data_version(
    slug: str, world: World, editor: Client
) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    _page(editor, "version_overview", pk=world.version.pk)
    before = dataversion.numbers(world.org.pk), dataversion.numbers(world.org.pk, _scope(obj))
    response = editor.post(kind.edit_url(obj), CHANGES[slug](world, obj))
    assert response.status_code == 303
    after = dataversion.numbers(world.org.pk), dataversion.numbers(world.org.pk, _scope(obj))
    assert after[0] != before[0] and after[1] != before[1]


@pytest.mark.parametrize("slug", DELETABLE)
def test_a_delete_through_the_registry_changes_the_data_version(
    slug: str, world: World, editor: Client
) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    _page(editor, "version_overview", pk=world.version.pk)
    scope = _scope(obj)
    before = dataversion.numbers(world.org.pk), dataversion.numbers(world.org.pk, scope)
    response = editor.post(kind.delete_url(obj))
    assert response.status_code in (302, 303)
    after = dataversion.numbers(world.org.pk), dataversion.numbers(world.org.pk, scope)
    assert after[0] != before[0] and after[1] != before[1]


def test_a_new_measurement_shows_on_the_followup_page_at_once(world: World, editor: Client) -> None:
    assert "2021" not in _page(editor, "version_followup", pk=world.version.pk)
    goals.record_measurement(SYSTEM, world.indicator.series, year=2021, value=12.0)
    assert "2021" in _page(editor, "version_followup", pk=world.version.pk)


def test_a_corrected_measurement_changes_the_verdict_input_at_once(world: World) -> None:
    before = indicator_followups(world.version)[0].latest
    current = world.indicator.series.measurements.get(year=2020, replaced_at__isnull=True)
    goals.correct_measurement(SYSTEM, current, value=3.0, vintage="slutlig")
    assert (before, indicator_followups(world.version)[0].latest) == ((2020, 23.0), (2020, 3.0))


def test_a_withdrawn_measurement_leaves_the_followup_at_once(world: World) -> None:
    indicator_followups(world.version)
    current = world.indicator.series.measurements.get(year=2020, replaced_at__isnull=True)
    goals.withdraw_measurement(SYSTEM, current)
    assert indicator_followups(world.version)[0].latest == (2019, 25.0)


def test_a_goal_without_an_owner_is_no_longer_accepted_at_once(world: World) -> None:
    key = ("sakerhetsmal", world.safety_goal.pk)
    before = smart_results([world.safety_goal])[key].criteria
    goals.update_goal(SYSTEM, world.safety_goal, owner="")
    world.safety_goal.refresh_from_db()
    after = smart_results([world.safety_goal])[key].criteria
    assert (before["accepterat"].status, after["accepterat"].status) == ("ok", "brist")


def test_a_new_risk_shows_in_the_overview_counts_at_once(world: World, editor: Client) -> None:
    assert version_summary(world.version)["risks"] == 1
    conditions.create_risk(
        SYSTEM, world.version, title="Drunkning", custom_type="Drunkning", likelihood=2, consequence=3
    )
    assert version_summary(world.version)["risks"] == 2


def test_an_incident_import_and_its_undo_show_on_the_incidents_page_at_once(
    world: World, editor: Client
) -> None:
    assert "Inga händelser är importerade ännu" in _page(editor, "version_incidents", pk=world.version.pk)
    rows = native(
        "A-1;0484;1;2024-03-05 14:22;2024-03-05 14:31;Centrum;Villa",
        "A-2;0484;1;2024-04-01 08:00;2024-04-01 08:12;Centrum;",
    )
    import_incidents(SYSTEM, world.org, rows, file_name="h.csv")
    imported = _page(editor, "version_incidents", pk=world.version.pk)
    undo_import(SYSTEM, ImportBatch.objects.get(organisation=world.org))
    undone = _page(editor, "version_incidents", pk=world.version.pk)
    assert "Inga händelser är importerade ännu" not in imported
    assert "Inga händelser är importerade ännu" in undone


def test_adoption_shows_in_the_egenkontroll_at_once(world: World, editor: Client) -> None:
    from lsoplan.checks.selectors import live_evaluation

    before = live_evaluation(world.version).summary
    programmes.adopt(
        SYSTEM, world.version, body="kommunfullmaktige", date=timezone.localdate(), paragraph="§ 3"
    )
    world.version.refresh_from_db()
    assert live_evaluation(world.version).summary != before


def test_a_new_draft_is_a_write_of_the_organisation(world: World) -> None:
    programmes.adopt(
        SYSTEM, world.version, body="kommunfullmaktige", date=timezone.localdate(), paragraph="§ 3"
    )
    before = dataversion.numbers(world.org.pk)
    programmes.new_draft(SYSTEM, world.version)
    assert dataversion.numbers(world.org.pk) != before


def test_a_fetch_of_public_statistics_changes_every_organisations_pages(
    world: World, other_world: World
) -> None:
    before = dataversion.numbers(other_world.org.pk)
    publicdata.fetch_kolada("test", "N07415", ["0484"], clients=publicdata.build_clients(offline=True))
    assert dataversion.numbers(other_world.org.pk)[1] != before[1]


def test_the_history_page_shows_a_write_at_once(world: World, editor: Client) -> None:
    _page(editor, "version_history", pk=world.version.pk)
    conditions.update_risk(SYSTEM, world.risk, title="Brand i flerbostadshus")
    assert "Brand i flerbostadshus" in _page(editor, "version_history", pk=world.version.pk)


def test_a_new_safety_goal_shows_in_the_goal_chain_at_once(world: World, editor: Client) -> None:
    before = _page(editor, "version_goals", pk=world.version.pk)
    assert "Färre drunkningsolyckor i kommunens sjöar" not in before
    goals.create_safety_goal(
        SYSTEM, world.version, text="Färre drunkningsolyckor i kommunens sjöar till 2030"
    )
    assert "Färre drunkningsolyckor i kommunens sjöar" in _page(editor, "version_goals", pk=world.version.pk)
