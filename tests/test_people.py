"""The people page: an organisation's administratör adds, re-roles and deactivates members.

Personas: the administrator (allowed), a redaktör and a läsare of the same organisation (403),
an administrator of another organisation (404) and an anonymous visitor (to the login page).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lsoplan.accounts.models import Membership
from lsoplan.accounts.services import create_user
from lsoplan.audit.models import AuditEntry
from tests.factories import PASSWORD, SYSTEM, World

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ett-första-lösenord-77"


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_user(world: World) -> User:
    return create_user(
        SYSTEM, username="alfa-admin", organisation=world.org, role="administrator", password=PASSWORD
    )


@pytest.fixture
def admin(admin_user: User) -> Client:
    return _as(admin_user)


@pytest.fixture
def outsider(other_world: World) -> Client:
    user = create_user(
        SYSTEM, username="beta-admin", organisation=other_world.org, role="administrator", password=PASSWORD
    )
    return _as(user)


def _people(world: World) -> str:
    return reverse("people", kwargs={"slug": world.org.slug})


def _member(world: World, user: User) -> Membership:
    return Membership.objects.get(user=user, organisation=world.org)


def test_the_administrator_sees_every_member(admin: Client, world: World) -> None:
    page = admin.get(_people(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.editor.username in html and world.reader.username in html


def test_the_navigation_links_administrators_to_the_people_page(admin: Client, world: World) -> None:
    page = admin.get(reverse("programme_list")).content.decode()
    assert f'href="{_people(world)}"' in page


def test_the_navigation_has_no_people_link_for_an_editor(world: World) -> None:
    page = _as(world.editor).get(reverse("programme_list")).content.decode()
    assert "/personer/" not in page


@pytest.mark.parametrize("persona", ["editor", "reader"])
def test_an_editor_or_reader_gets_403(world: World, persona: str) -> None:
    client = _as(getattr(world, persona))
    assert client.get(_people(world)).status_code == 403
    member = _member(world, world.reader)
    url = reverse("person_role", kwargs={"slug": world.org.slug, "pk": member.pk})
    assert client.post(url, {f"m{member.pk}-role": "administrator"}).status_code == 403
    assert _member(world, world.reader).role == "lasare"


def test_another_organisations_administrator_gets_404(outsider: Client, world: World) -> None:
    assert outsider.get(_people(world)).status_code == 404
    member = _member(world, world.editor)
    url = reverse("person_deactivate", kwargs={"slug": world.org.slug, "pk": member.pk})
    assert outsider.post(url).status_code == 404
    assert _member(world, world.editor).active


def test_an_anonymous_visitor_is_sent_to_the_login_page(world: World) -> None:
    response = Client().get(_people(world))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_adding_a_person_creates_the_account_with_role_and_audits_it(admin: Client, world: World) -> None:
    data = {
        "username": "Nya-Planeraren",
        "first_name": "Nina",
        "last_name": "Nyberg",
        "email": "nina@example.se",
        "role": "redaktor",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
    }
    response = admin.post(reverse("person_add", kwargs={"slug": world.org.slug}), data)
    assert response.status_code == 302
    user = User.objects.get(username="nya-planeraren")
    assert user.check_password(NEW_PASSWORD) and user.email == "nina@example.se"
    membership = _member(world, user)
    assert membership.role == "redaktor"
    entry = AuditEntry.objects.get(model="accounts.membership", object_id=str(membership.pk))
    assert entry.actor_label == "alfa-admin"
    assert NEW_PASSWORD not in str(entry.changes)


def test_adding_a_taken_name_is_refused_on_the_form(admin: Client, world: World) -> None:
    data = {
        "username": "ALFA-REDAKTOR",
        "role": "lasare",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
    }
    response = admin.post(reverse("person_add", kwargs={"slug": world.org.slug}), data)
    assert response.status_code == 400
    assert "redan upptaget" in response.content.decode()


def test_a_password_like_the_user_name_is_refused_on_the_form(admin: Client, world: World) -> None:
    password = "brandingenjoren1"
    data = {"username": "brandingenjoren", "role": "lasare", "password": password, "password_again": password}
    response = admin.post(reverse("person_add", kwargs={"slug": world.org.slug}), data)
    assert response.status_code == 400
    assert not User.objects.filter(username="brandingenjoren").exists()


def test_changing_a_role_is_audited_with_old_and_new(admin: Client, world: World) -> None:
    member = _member(world, world.reader)
    url = reverse("person_role", kwargs={"slug": world.org.slug, "pk": member.pk})
    assert admin.post(url, {f"m{member.pk}-role": "redaktor"}).status_code == 302
    assert _member(world, world.reader).role == "redaktor"
    entry = AuditEntry.objects.filter(model="accounts.membership", object_id=str(member.pk)).first()
    assert entry is not None and entry.changes == {"role": ["lasare", "redaktor"]}


def test_the_last_administrator_cannot_step_down(admin: Client, admin_user: User, world: World) -> None:
    member = _member(world, admin_user)
    url = reverse("person_role", kwargs={"slug": world.org.slug, "pk": member.pk})
    response = admin.post(url, {f"m{member.pk}-role": "lasare"}, follow=True)
    assert "minst en aktiv administratör" in response.content.decode()
    assert _member(world, admin_user).role == "administrator"


def test_deactivating_asks_first(admin: Client, world: World) -> None:
    member = _member(world, world.editor)
    url = reverse("person_deactivate", kwargs={"slug": world.org.slug, "pk": member.pk})
    page = admin.get(url)
    assert page.status_code == 200 and "står kvar i historiken" in page.content.decode()
    assert _member(world, world.editor).active


def test_a_deactivated_member_keeps_the_row_but_loses_access(admin: Client, world: World) -> None:
    member = _member(world, world.editor)
    url = reverse("person_deactivate", kwargs={"slug": world.org.slug, "pk": member.pk})
    assert admin.post(url).status_code == 302
    member.refresh_from_db()
    assert not member.active and User.objects.filter(pk=world.editor.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(member.pk), changes__active=[True, False]).exists()
    page = _as(world.editor).get(reverse("version_goals", kwargs={"pk": world.version.pk}))
    assert page.status_code == 404


def test_a_deactivated_member_can_be_reactivated(admin: Client, world: World) -> None:
    member = _member(world, world.editor)
    admin.post(reverse("person_deactivate", kwargs={"slug": world.org.slug, "pk": member.pk}))
    assert (
        admin.post(reverse("person_reactivate", kwargs={"slug": world.org.slug, "pk": member.pk})).status_code
        == 302
    )
    assert _member(world, world.editor).active


def test_the_last_administrator_cannot_be_deactivated(admin: Client, admin_user: User, world: World) -> None:
    member = _member(world, admin_user)
    url = reverse("person_deactivate", kwargs={"slug": world.org.slug, "pk": member.pk})
    page = admin.post(url, follow=True).content.decode()
    assert "minst en aktiv administratör" in page
    assert _member(world, admin_user).active
