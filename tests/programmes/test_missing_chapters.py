"""Programmes stored before the chapter on alerting and warning existed: a draft gets the chapter
(audited, in skeleton order and numbering), an adopted version or one on remiss never changes."""

from __future__ import annotations

import pytest

from lsoplan.audit.models import AuditEntry
from lsoplan.programmes import services
from lsoplan.programmes.models import Chapter, ProgrammeVersion, VersionStatus
from lsoplan.programmes.services import STRUCTURE_ACTOR, add_missing_chapters, complete_draft_chapters
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db


def _as_stored_before(version: ProgrammeVersion, status: str = VersionStatus.UTKAST) -> None:
    """The chapters as a programme created under the previous skeleton had them."""
    Chapter.objects.filter(version=version, key="larm-varning").delete()
    Chapter.objects.filter(version=version, key="uppfoljning").update(number="7", order=12)
    ProgrammeVersion.objects.filter(pk=version.pk).update(status=status)
    version.refresh_from_db()


def _outline(version: ProgrammeVersion) -> list[tuple[str, str]]:
    return list(Chapter.objects.filter(version=version).order_by("order").values_list("number", "key"))


def test_a_draft_gets_the_alerting_chapter_before_the_follow_up(world: World) -> None:
    _as_stored_before(world.version)
    added = add_missing_chapters(STRUCTURE_ACTOR, world.version)
    assert [c.key for c in added] == ["larm-varning"]
    assert _outline(world.version)[-3:] == [
        ("6.6", "rtj-hojd-beredskap"),
        ("7", "larm-varning"),
        ("8", "uppfoljning"),
    ]
    orders = [o for (o,) in Chapter.objects.filter(version=world.version).values_list("order")]
    assert len(set(orders)) == len(orders)


def test_adding_the_chapter_is_audited(world: World) -> None:
    _as_stored_before(world.version)
    (chapter,) = add_missing_chapters(STRUCTURE_ACTOR, world.version)
    created = AuditEntry.objects.get(model="programmes.chapter", object_id=str(chapter.pk), action="create")
    assert created.actor_label == STRUCTURE_ACTOR.label and created.version_id == world.version.pk
    renumbered = AuditEntry.objects.filter(model="programmes.chapter", action="update").latest("at")
    assert renumbered.changes["number"] == ["7", "8"]


def test_a_complete_draft_is_left_as_it_is(world: World) -> None:
    before = AuditEntry.objects.count()
    assert add_missing_chapters(STRUCTURE_ACTOR, world.version) == []
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("status", [VersionStatus.ANTAGEN, VersionStatus.ERSATT, VersionStatus.REMISS])
def test_a_version_that_is_not_a_draft_never_changes(world: World, status: str) -> None:
    _as_stored_before(world.version, status)
    assert add_missing_chapters(STRUCTURE_ACTOR, world.version) == []
    assert "larm-varning" not in [k for _, k in _outline(world.version)]


def test_a_new_draft_of_an_old_adopted_version_has_the_chapter(world: World) -> None:
    _as_stored_before(world.version, VersionStatus.ANTAGEN)
    draft = services.new_draft(SYSTEM, world.version)
    assert _outline(draft)[-2:] == [("7", "larm-varning"), ("8", "uppfoljning")]
    assert "larm-varning" not in [k for _, k in _outline(world.version)]  # the adopted one stays


def test_after_migrate_every_draft_is_completed_once(world: World, other_world: World) -> None:
    _as_stored_before(world.version)
    _as_stored_before(other_world.version, VersionStatus.ANTAGEN)
    assert complete_draft_chapters() == 1
    assert complete_draft_chapters() == 0
    assert "larm-varning" in [k for _, k in _outline(world.version)]
    assert "larm-varning" not in [k for _, k in _outline(other_world.version)]


def test_the_migrate_hook_completes_drafts(world: World) -> None:
    from django.apps import apps
    from django.db.models.signals import post_migrate

    _as_stored_before(world.version)
    post_migrate.send(
        sender=apps.get_app_config("web"), app_config=apps.get_app_config("web"), using="default"
    )
    assert "larm-varning" in [k for _, k in _outline(world.version)]


def _file_without_alerting(world: World, status: str) -> dict[str, object]:
    from lsoplan.programmes.exchange_export import export_version

    data = export_version(world.version)
    data["chapters"] = [c for c in data["chapters"] if c["key"] != "larm-varning"]
    data["version"]["status"] = status
    if status == VersionStatus.ANTAGEN:
        data["version"] |= {
            "adopted_body": "kommunfullmaktige",
            "adopted_on": "2025-06-01",
            "adopted_paragraph": "§ 1",
        }
    return data


def test_an_old_programme_file_imported_as_a_draft_gets_the_chapter(world: World, other_world: World) -> None:
    from lsoplan.programmes.exchange_import import import_programme

    result = import_programme(_file_without_alerting(world, VersionStatus.UTKAST), other_world.org, SYSTEM)
    assert "larm-varning" in [k for _, k in _outline(result.version)]


def test_an_old_programme_file_imported_as_adopted_stays_as_decided(world: World, other_world: World) -> None:
    from lsoplan.programmes.exchange_import import import_programme

    result = import_programme(_file_without_alerting(world, VersionStatus.ANTAGEN), other_world.org, SYSTEM)
    assert "larm-varning" not in [k for _, k in _outline(result.version)]
