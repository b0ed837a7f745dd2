"""Shared behaviours of the edit/delete registry, for every kind (ids are the kinds' slugs)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.audit.models import AuditEntry
from lsoplan.audit.services import snapshot
from lsoplan.programmes import services as programmes
from lsoplan.web.editing import Kind, registry
from tests.factories import SYSTEM, World
from tests.web.samples import CHANGES, SAMPLES

pytestmark = pytest.mark.django_db

KINDS = sorted(registry())
EDITABLE = [s for s in KINDS if registry()[s].update is not None]
DELETABLE = [s for s in KINDS if registry()[s].delete is not None]
FROZEN = [s for s in EDITABLE if registry()[s].frozen]


def _model_label(obj: Any) -> str:
    return obj._meta.label_lower


def _stored(obj: Any) -> dict[str, Any]:
    return snapshot(type(obj)._default_manager.get(pk=obj.pk))


def _entries(obj: Any) -> int:
    return AuditEntry.objects.filter(model=_model_label(obj)).count()


def _adopt(world: World) -> None:
    if not world.version.is_frozen:
        programmes.adopt(
            SYSTEM, world.version, body="kommunfullmaktige", date=timezone.localdate(), paragraph="§ 3"
        )


def test_every_kind_has_a_sample_and_a_change() -> None:
    assert set(registry()) - set(SAMPLES) == set(), "add a sample for the new kind in tests/web/samples.py"
    assert set(EDITABLE) - set(CHANGES) == set(), (
        "add a valid change for the new kind in tests/web/samples.py"
    )


def test_every_kind_is_edited_and_deleted_at_an_old_or_registry_url() -> None:
    for kind in registry().values():
        assert kind.edit_route or kind.update is None, kind.slug
        assert kind.delete_route or kind.delete is None, kind.slug


@pytest.mark.parametrize("slug", EDITABLE)
def test_edit_writes_one_audit_entry(slug: str, world: World, editor: Client) -> None:
    kind: Kind = registry()[slug]
    obj = SAMPLES[slug](world)
    before = AuditEntry.objects.count()
    response = editor.post(kind.edit_url(obj), CHANGES[slug](world, obj))
    assert response.status_code == 303, response.content.decode()[:2000]
    # A measurement correction audits the new row; every other kind its own row.
    assert AuditEntry.objects.count() == before + 1


@pytest.mark.parametrize("slug", EDITABLE)
def test_edit_page_shows_the_form(slug: str, world: World, editor: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    response = editor.get(kind.edit_url(obj))
    assert response.status_code == 200
    assert "<form" in response.content.decode()


@pytest.mark.parametrize("slug", EDITABLE)
def test_reader_cannot_edit_and_nothing_changes(slug: str, world: World, reader: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    stored = _stored(obj)
    response = reader.post(kind.edit_url(obj), CHANGES[slug](world, obj))
    assert response.status_code == 403
    assert _stored(obj) == stored


@pytest.mark.parametrize("slug", DELETABLE)
def test_reader_cannot_delete(slug: str, world: World, reader: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    stored = _stored(obj)
    assert reader.post(kind.delete_url(obj)).status_code == 403
    assert _stored(obj) == stored


@pytest.mark.parametrize("slug", KINDS)
def test_outsider_gets_404(slug: str, world: World, outsider: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    url = kind.edit_url(obj) if kind.update is not None else kind.delete_url(obj)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, CHANGES.get(slug, lambda w, o: {})(world, obj)).status_code == 404


@pytest.mark.parametrize("slug", KINDS)
def test_anonymous_is_sent_to_login(slug: str, world: World, anonymous: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    url = kind.edit_url(obj) if kind.update is not None else kind.delete_url(obj)
    response = anonymous.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("slug", FROZEN)
def test_adopted_version_refuses_the_edit(slug: str, world: World, editor: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    stored = _stored(obj)
    _adopt(world)
    response = editor.post(kind.edit_url(obj), CHANGES[slug](world, obj))
    assert response.status_code == 400
    assert "Versionen är antagen" in response.content.decode()
    assert _stored(obj) == stored


@pytest.mark.parametrize("slug", [s for s in DELETABLE if registry()[s].frozen])
def test_adopted_version_refuses_the_delete(slug: str, world: World, editor: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    _adopt(world)
    response = editor.post(kind.delete_url(obj))
    assert response.status_code == 409
    assert "Versionen är antagen" in response.content.decode()
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("slug", DELETABLE)
def test_get_on_delete_changes_nothing(slug: str, world: World, editor: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    stored, entries = _stored(obj), AuditEntry.objects.count()
    response = editor.get(kind.delete_url(obj))
    assert response.status_code == 200
    assert "Ta bort" in response.content.decode()
    assert _stored(obj) == stored and AuditEntry.objects.count() == entries


@pytest.mark.parametrize("slug", DELETABLE)
def test_delete_is_audited_and_goes_back_to_the_parent(slug: str, world: World, editor: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    back = kind.back(obj)
    entries = _entries(obj)
    response = editor.post(kind.delete_url(obj))
    assert response.status_code == 303 and response["Location"] == back
    assert AuditEntry.objects.filter(model=_model_label(obj), action="delete").count() >= 1
    assert _entries(obj) > entries


@pytest.mark.parametrize("slug", DELETABLE)
def test_htmx_get_of_the_confirmation_has_no_page_layout(slug: str, world: World, editor: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    response = editor.get(kind.delete_url(obj), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("slug", DELETABLE)
def test_htmx_delete_answers_with_a_redirect_header(slug: str, world: World, editor: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    back = kind.back(obj)
    response = editor.post(kind.delete_url(obj), headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == back


@pytest.mark.parametrize("slug", [s for s in EDITABLE if not registry()[s].frozen and s != "organisation"])
def test_follow_up_data_stays_editable_after_adoption(slug: str, world: World, editor: Client) -> None:
    kind = registry()[slug]
    obj = SAMPLES[slug](world)
    _adopt(world)
    response = editor.post(kind.edit_url(obj), CHANGES[slug](world, obj))
    assert response.status_code == 303, response.content.decode()[:2000]
