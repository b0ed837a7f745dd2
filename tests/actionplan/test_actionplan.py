"""The action plan: status reports, the list with its filters, overdue measures on the overview."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.audit.models import AuditEntry
from lsoplan.goals import actionplan
from lsoplan.goals import services as goals
from lsoplan.goals.models import Measure, MeasureProgress
from lsoplan.programmes import services as programmes
from tests.factories import PASSWORD, SYSTEM, World

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def editor(world: World) -> Client:
    return _client(world.editor.username)


@pytest.fixture
def plan(world: World) -> dict[str, Measure]:
    """Four measures besides the world's: late, due this year, done long ago, another owner."""
    pg = world.performance_goal
    pg2 = goals.create_performance_goal(SYSTEM, world.version, code="P2", text="Utbilda alla elever i åk 5.")
    return {
        "late": goals.create_measure(
            SYSTEM, pg, text="Brandvarnare", owner="Förebyggande", due_year=TODAY.year - 1
        ),
        "this_year": goals.create_measure(
            SYSTEM, pg, text="Kampanj", owner="Förebyggande", status="pagaende", due_year=TODAY.year
        ),
        "done": goals.create_measure(
            SYSTEM, pg, text="Ny tankbil", owner="Operativ", status="genomford", due_year=TODAY.year - 3
        ),
        "school": goals.create_measure(
            SYSTEM, pg2, text="Skolbesök", owner="Operativ", due_year=TODAY.year + 1
        ),
    }


def _texts(client: Client, world: World, query: str = "") -> list[str]:
    url = reverse("version_actionplan", kwargs={"pk": world.version.pk}) + query
    response = client.get(url)
    assert response.status_code == 200
    # What the page shows (its table may come from the cache): each row's first cell.
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return sorted(html.unescape(text) for text in re.findall(r"<tr><td>(.*?)</td>", body))


def test_the_action_plan_lists_every_measure(world: World, plan: dict[str, Measure], editor: Client) -> None:
    assert _texts(editor, world) == sorted(["Hembesök i utsatta områden", *(m.text for m in plan.values())])


def test_the_overdue_filter_shows_only_late_measures(
    world: World, plan: dict[str, Measure], editor: Client
) -> None:
    assert _texts(editor, world, "?status=forsenad") == ["Brandvarnare"]


def test_the_status_filter(world: World, plan: dict[str, Measure], editor: Client) -> None:
    assert _texts(editor, world, "?status=genomford") == ["Ny tankbil"]


def test_the_owner_filter(world: World, plan: dict[str, Measure], editor: Client) -> None:
    assert _texts(editor, world, "?ansvarig=Operativ") == ["Ny tankbil", "Skolbesök"]


def test_the_due_year_filter(world: World, plan: dict[str, Measure], editor: Client) -> None:
    assert _texts(editor, world, f"?ar={TODAY.year}") == ["Kampanj"]


def test_the_goal_filter(world: World, plan: dict[str, Measure], editor: Client) -> None:
    goal = plan["school"].performance_goal_id
    assert _texts(editor, world, f"?mal={goal}") == ["Skolbesök"]


def test_a_nonsense_filter_value_filters_nothing(
    world: World, plan: dict[str, Measure], editor: Client
) -> None:
    assert len(_texts(editor, world, "?status=klar&ar=x")) == 5


def test_the_overview_shows_overdue_measures(world: World, plan: dict[str, Measure], editor: Client) -> None:
    html = editor.get(reverse("version_overview", kwargs={"pk": world.version.pk})).content.decode()
    assert "1 försenad åtgärd" in html and "Brandvarnare" in html
    assert "Kampanj" not in html


def test_the_overview_has_no_overdue_box_when_nothing_is_late(world: World, editor: Client) -> None:
    html = editor.get(reverse("version_overview", kwargs={"pk": world.version.pk})).content.decode()
    assert "försenad åtgärd" not in html


def _report(client: Client, measure: Measure, **fields: Any) -> Any:
    post = {"status": "genomford", "year": str(TODAY.year), "note": "Klart i oktober."} | fields
    return client.post(reverse("measure_status", kwargs={"pk": measure.pk}), post)


def test_a_status_report_changes_the_status_and_keeps_the_note(
    world: World, plan: dict[str, Measure], editor: Client
) -> None:
    assert _report(editor, plan["late"]).status_code == 302
    measure = Measure.objects.get(pk=plan["late"].pk)
    assert measure.status == "genomford"
    progress = MeasureProgress.objects.get(measure=measure)
    assert (progress.year, progress.status, progress.note, progress.entered_by) == (
        TODAY.year,
        "genomford",
        "Klart i oktober.",
        world.editor,
    )


def test_a_finished_measure_is_no_longer_late(world: World, plan: dict[str, Measure], editor: Client) -> None:
    _report(editor, plan["late"])
    assert _texts(editor, world, "?status=forsenad") == []


def test_a_status_report_is_audited_with_old_and_new_status(
    world: World, plan: dict[str, Measure], editor: Client
) -> None:
    _report(editor, plan["late"])
    entry = AuditEntry.objects.get(model="goals.measure", object_id=str(plan["late"].pk), action="update")
    assert (
        entry.changes == {"status": ["planerad", "genomford"]} and entry.actor_label == world.editor.username
    )
    assert AuditEntry.objects.filter(model="goals.measureprogress").count() == 1


def test_status_can_be_reported_on_an_adopted_version(
    world: World, plan: dict[str, Measure], editor: Client
) -> None:
    programmes.adopt(SYSTEM, world.version, body="kommunfullmaktige", date=TODAY, paragraph="§ 1")
    assert _report(editor, plan["late"], status="pagaende").status_code == 302
    assert Measure.objects.get(pk=plan["late"].pk).status == "pagaende"


def test_a_report_for_a_future_year_is_refused(
    world: World, plan: dict[str, Measure], editor: Client
) -> None:
    response = _report(editor, plan["late"], year=str(TODAY.year + 1))
    assert response.status_code == 400
    assert f"Ange ett år mellan 2000 och {TODAY.year}." in response.content.decode()
    assert not MeasureProgress.objects.exists()


def test_a_reader_cannot_change_the_status(world: World, plan: dict[str, Measure]) -> None:
    assert _report(_client(world.reader.username), plan["late"]).status_code == 403
    assert Measure.objects.get(pk=plan["late"].pk).status == "planerad"


def test_a_reader_sees_the_action_plan_without_change_links(world: World, plan: dict[str, Measure]) -> None:
    html = _client(world.reader.username).get(reverse("version_actionplan", kwargs={"pk": world.version.pk}))
    assert html.status_code == 200 and "Ändra status" not in html.content.decode()


def test_another_organisation_gets_404(world: World, other_world: World, plan: dict[str, Measure]) -> None:
    outsider = _client(other_world.editor.username)
    assert _report(outsider, plan["late"]).status_code == 404
    assert outsider.get(reverse("version_actionplan", kwargs={"pk": world.version.pk})).status_code == 404


def test_the_service_refuses_an_unknown_status(world: World) -> None:
    with pytest.raises(ValidationError):
        actionplan.report_progress(SYSTEM, world.measure, year=TODAY.year, status="forsenad")


def test_overdue_rows_at_the_year_boundary(world: World) -> None:
    goals.create_measure(SYSTEM, world.performance_goal, text="Rökluckor", due_year=2026)
    on_eve = actionplan.overdue_measures(world.version, dt.date(2026, 12, 31))
    after = actionplan.overdue_measures(world.version, dt.date(2027, 1, 1))
    assert [r.measure.text for r in on_eve] == [] and [r.measure.text for r in after] == ["Rökluckor"]


def test_a_new_draft_keeps_the_status_history(world: World, plan: dict[str, Measure], editor: Client) -> None:
    _report(editor, plan["late"], status="pagaende", note="Upphandling pågår.")
    programmes.adopt(SYSTEM, world.version, body="kommunfullmaktige", date=TODAY, paragraph="§ 1")
    draft = programmes.new_draft(SYSTEM, world.version)
    copy = Measure.objects.get(version=draft, lineage=plan["late"].lineage)
    [row] = [r for r in actionplan.rows(draft, actionplan.Filters()) if r.measure.pk == copy.pk]
    assert copy.status == "pagaende" and row.latest is not None and row.latest.note == "Upphandling pågår."
