"""Scoped data versions: a write to one programme version's content (a goal of the draft) leaves the
cached results of the other versions valid, while every write that the other versions read (a
measurement, the version itself, settings) still shows on their pages at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.audit import dataversion
from lsoplan.followup import views as followup_views
from lsoplan.goals import services as goals
from lsoplan.goals.models import SafetyGoal
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import ProgrammeVersion
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted_and_draft(world: World) -> tuple[ProgrammeVersion, ProgrammeVersion]:
    programmes.adopt(
        SYSTEM, world.version, body="kommunfullmaktige", date=timezone.localdate(), paragraph="§ 3"
    )
    world.version.refresh_from_db()
    return world.version, programmes.new_draft(SYSTEM, world.version)


def _draft_goal(draft: ProgrammeVersion) -> SafetyGoal:
    return SafetyGoal.objects.filter(version=draft).order_by("pk").first()  # type: ignore[return-value]


def _followup(client: Client, version: ProgrammeVersion) -> str:
    response = client.get(reverse("version_followup", kwargs={"pk": version.pk}))
    assert response.status_code == 200
    return response.content.decode()


def _cards_rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The follow-up cards rendered from the data (not read from the cache), as they are made."""
    made: list[str] = []
    real = followup_views.render_to_string

    def counting(template: str, context: Any = None, *args: Any, **kwargs: Any) -> str:
        if template == "followup/_card.html":
            made.append(context["c"].indicator.name)
        return real(template, context, *args, **kwargs)

    monkeypatch.setattr(followup_views, "render_to_string", counting)
    return made


def test_an_edit_of_the_draft_changes_its_number_and_leaves_the_adopted_versions(
    world: World, adopted_and_draft: tuple[ProgrammeVersion, ProgrammeVersion]
) -> None:
    adopted, draft = adopted_and_draft
    before = {
        "adopted": dataversion.numbers(world.org.pk, adopted.pk),
        "draft": dataversion.numbers(world.org.pk, draft.pk),
        "shared": dataversion.numbers(world.org.pk, dataversion.SHARED),
        "all": dataversion.numbers(world.org.pk),
    }
    goals.update_goal(SYSTEM, _draft_goal(draft), owner="Enhet 7")
    after = {
        "adopted": dataversion.numbers(world.org.pk, adopted.pk),
        "draft": dataversion.numbers(world.org.pk, draft.pk),
        "shared": dataversion.numbers(world.org.pk, dataversion.SHARED),
        "all": dataversion.numbers(world.org.pk),
    }
    changed = {scope for scope in before if before[scope] != after[scope]}
    assert changed == {"draft", "all"}


def test_the_adopted_followup_is_not_recomputed_after_an_edit_of_the_draft(
    world: World,
    editor: Client,
    adopted_and_draft: tuple[ProgrammeVersion, ProgrammeVersion],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    adopted, draft = adopted_and_draft
    made = _cards_rendered(monkeypatch)
    _followup(editor, adopted)
    assert made == [world.indicator.name]
    goals.update_goal(SYSTEM, _draft_goal(draft), owner="Enhet 7")
    assert world.indicator.name in _followup(editor, adopted)
    assert made == [world.indicator.name]  # read from the cache: no card rendered again
    goals.record_measurement(SYSTEM, world.indicator.series, year=2021, value=12.0)
    _followup(editor, adopted)
    assert made == [world.indicator.name] * 2  # a measurement is read by every version: rendered anew


def test_the_drafts_own_page_shows_its_edit_at_once(
    world: World, editor: Client, adopted_and_draft: tuple[ProgrammeVersion, ProgrammeVersion]
) -> None:
    _, draft = adopted_and_draft
    page = reverse("version_goals", kwargs={"pk": draft.pk})
    assert "Färre bränder i skolor till 2030" not in editor.get(page).content.decode()
    goals.update_goal(SYSTEM, _draft_goal(draft), text="Färre bränder i skolor till 2030")
    assert "Färre bränder i skolor till 2030" in editor.get(page).content.decode()


def test_a_measurement_shows_on_the_adopted_and_the_draft_followup_at_once(
    world: World, editor: Client, adopted_and_draft: tuple[ProgrammeVersion, ProgrammeVersion]
) -> None:
    adopted, draft = adopted_and_draft
    assert "2021" not in _followup(editor, adopted) + _followup(editor, draft)
    goals.record_measurement(SYSTEM, world.indicator.series, year=2021, value=12.0)
    assert "2021" in _followup(editor, adopted)
    assert "2021" in _followup(editor, draft)


def test_a_write_of_the_version_itself_changes_every_scope(
    world: World, adopted_and_draft: tuple[ProgrammeVersion, ProgrammeVersion]
) -> None:
    adopted, draft = adopted_and_draft
    scopes = [adopted.pk, draft.pk, dataversion.SHARED, dataversion.ALL]
    before = [dataversion.numbers(world.org.pk, s) for s in scopes]
    programmes.adopt(SYSTEM, draft, body="kommunfullmaktige", date=timezone.localdate(), paragraph="§ 9")
    after = [dataversion.numbers(world.org.pk, s) for s in scopes]
    assert all(b != a for b, a in zip(before, after, strict=True))


def test_an_edit_in_one_organisation_leaves_anothers_scopes(world: World, other_world: World) -> None:
    scopes = [other_world.version.pk, dataversion.SHARED, dataversion.ALL]
    before = [dataversion.numbers(other_world.org.pk, s) for s in scopes]
    goals.update_goal(SYSTEM, world.safety_goal, owner="Enhet 3")
    goals.record_measurement(SYSTEM, world.indicator.series, year=2021, value=12.0)
    assert [dataversion.numbers(other_world.org.pk, s) for s in scopes] == before
