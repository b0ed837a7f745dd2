"""The citizens' view: sent without an account, refused by the honeypot and the throttle, handled
and deleted by the planner, and deleted at the end of the retention period; the audit trail keeps
neither the text nor the address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.audit.models import AuditEntry
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.public import services
from lsoplan.public.models import CitizenView
from tests.evaluation import helpers
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db
TEXT = "Bra med hembesöken i Storvik, fortsätt så!"


def _post(world: World, **data: str) -> object:
    url = reverse("public_comment", kwargs={"slug": world.org.slug})
    return Client().post(url, {"text": TEXT, **data})


def test_a_view_is_kept_with_only_the_text(published: ProgrammeVersion, world: World) -> None:
    response = _post(world)
    assert response.status_code == 302  # type: ignore[attr-defined]
    view = CitizenView.objects.get()
    assert (view.text, view.rating, view.email, view.organisation_id) == (TEXT, None, "", world.org.pk)


def test_contact_wish_without_an_email_is_refused_in_swedish(
    published: ProgrammeVersion, world: World
) -> None:
    response = _post(world, contact_requested="on")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Ange din e-postadress" in response.content.decode()  # type: ignore[attr-defined]
    assert not CitizenView.objects.exists()


def test_an_email_without_a_contact_wish_is_not_kept(published: ProgrammeVersion, world: World) -> None:
    _post(world, email="anna@example.se")
    assert CitizenView.objects.get().email == ""


def test_a_rating_outside_1_to_5_is_refused(published: ProgrammeVersion, world: World) -> None:
    assert _post(world, rating="6").status_code == 400  # type: ignore[attr-defined]
    assert not CitizenView.objects.exists()


def test_a_too_long_text_is_refused(published: ProgrammeVersion, world: World) -> None:
    url = reverse("public_comment", kwargs={"slug": world.org.slug})
    response = Client().post(url, {"text": "x" * 2001})
    assert response.status_code == 400
    assert "högst 2000 tecken" in response.content.decode()


def test_the_honeypot_keeps_nothing_and_looks_like_success(published: ProgrammeVersion, world: World) -> None:
    response = _post(world, webbplats="http://spam.example")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert not CitizenView.objects.exists()


def test_the_sixth_view_within_an_hour_from_one_address_is_refused(
    published: ProgrammeVersion, world: World
) -> None:
    for _ in range(5):
        assert _post(world).status_code == 302  # type: ignore[attr-defined]
    response = _post(world)
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert "Vänta" in response.content.decode()  # type: ignore[attr-defined]
    assert CitizenView.objects.count() == 5


def test_another_address_is_not_throttled_by_the_first(published: ProgrammeVersion, world: World) -> None:
    url = reverse("public_comment", kwargs={"slug": world.org.slug})
    for _ in range(6):
        Client(REMOTE_ADDR="10.0.0.1").post(url, {"text": TEXT})
    assert Client(REMOTE_ADDR="10.0.0.2").post(url, {"text": TEXT}).status_code == 302


def test_an_unpublished_organisation_takes_no_view(world: World) -> None:
    assert _post(world).status_code == 404  # type: ignore[attr-defined]


def test_the_text_is_escaped_on_the_planners_page(
    published: ProgrammeVersion, world: World, editor: Client
) -> None:
    url = reverse("public_comment", kwargs={"slug": world.org.slug})
    Client().post(url, {"text": "<script>alert(1)</script>"})
    html = editor.get(reverse("citizen_view_list", kwargs={"pk": published.pk})).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_the_audit_trail_keeps_neither_text_nor_email(published: ProgrammeVersion, world: World) -> None:
    _post(world, contact_requested="on", email="anna@example.se")
    view = CitizenView.objects.get()
    services.delete_citizen_view(SYSTEM, view)
    entries = AuditEntry.objects.filter(model="public.citizenview")
    assert entries.count() == 2
    for entry in entries:
        assert TEXT not in str(entry.changes) and "anna@example.se" not in str(entry.changes)


def test_a_view_past_the_retention_period_is_deleted_and_audited(
    published: ProgrammeVersion, world: World
) -> None:
    _post(world)
    _post(world)
    old, new = CitizenView.objects.order_by("pk")
    CitizenView.objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(days=31 * 25))
    assert services.delete_expired_citizen_views() == 1
    assert list(CitizenView.objects.values_list("pk", flat=True)) == [new.pk]
    assert AuditEntry.objects.filter(
        model="public.citizenview", object_id=str(old.pk), action="delete"
    ).exists()


def test_a_shorter_retention_deletes_sooner(published: ProgrammeVersion, world: World) -> None:
    from lsoplan.accounts.services import set_publication

    set_publication(SYSTEM, world.org, published=True, retention_months=1)
    _post(world)
    CitizenView.objects.update(received_at=timezone.now() - dt.timedelta(days=40))
    assert services.delete_expired_citizen_views() == 1


def test_the_purge_command_reports_the_count(
    published: ProgrammeVersion, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from lsoplan.cli import main

    _post(world)
    CitizenView.objects.update(received_at=timezone.now() - dt.timedelta(days=31 * 25))
    assert main(["citizen-views", "purge"]) == 0
    assert "1 synpunkt har tagits bort" in capsys.readouterr().out


def test_the_planner_links_a_view_to_an_evaluation_and_it_shows_there(
    published: ProgrammeVersion, world: World, editor: Client
) -> None:
    _post(world)
    view = CitizenView.objects.get()
    evaluation = helpers.evaluation(world)
    url = reverse("citizen_view_edit", kwargs={"pk": view.pk})
    response = editor.post(url, {"category": "berom", "evaluation": str(evaluation.pk)})
    assert response.status_code in (302, 303)
    view.refresh_from_db()
    assert (view.category, view.evaluation_id) == ("berom", evaluation.pk)
    html = editor.get(reverse("evaluation_detail", kwargs={"pk": evaluation.pk})).content.decode()
    assert TEXT in html


def test_another_organisations_evaluation_cannot_be_linked(
    published: ProgrammeVersion, world: World, other_world: World, editor: Client
) -> None:
    _post(world)
    view = CitizenView.objects.get()
    foreign = helpers.evaluation(other_world)
    url = reverse("citizen_view_edit", kwargs={"pk": view.pk})
    response = editor.post(url, {"category": "berom", "evaluation": str(foreign.pk)})
    assert response.status_code == 400
    view.refresh_from_db()
    assert view.evaluation_id is None


def test_a_reader_cannot_delete_a_view(published: ProgrammeVersion, world: World, reader: Client) -> None:
    _post(world)
    view = CitizenView.objects.get()
    response = reader.post(reverse("citizen_view_delete", kwargs={"pk": view.pk}))
    assert response.status_code == 403
    assert CitizenView.objects.exists()


def test_deleting_asks_first(published: ProgrammeVersion, world: World, editor: Client) -> None:
    _post(world)
    view = CitizenView.objects.get()
    url = reverse("citizen_view_delete", kwargs={"pk": view.pk})
    assert "Synpunkten tas bort helt" in editor.get(url).content.decode()
    assert CitizenView.objects.exists()
    editor.post(url)
    assert not CitizenView.objects.exists()


def test_the_purge_can_be_queued_as_a_job(
    published: ProgrammeVersion, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from lsoplan.cli import main

    _post(world)
    CitizenView.objects.update(received_at=timezone.now() - dt.timedelta(days=31 * 25))
    assert main(["citizen-views", "purge", "--queue"]) == 0  # tests run jobs at once
    assert "köad" in capsys.readouterr().out
    assert not CitizenView.objects.exists()
