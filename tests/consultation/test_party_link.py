"""A remiss party's link: reads the draft, sends responses, and reaches nothing else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.audit.models import AuditEntry
from lsoplan.consultation import services
from lsoplan.consultation.models import Response
from lsoplan.programmes.models import ProgrammeVersion
from tests.consultation import helpers
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db


def test_the_link_shows_the_draft_and_the_response_form(world: World) -> None:
    _, url = helpers.link(world)
    page = Client().get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Remiss till Länsstyrelsen i Gävleborg" in text
    assert world.safety_goal.text in text  # the draft itself, from the programme document
    assert "UTKAST" in text and 'name="text"' in text


def test_the_draft_pdf_can_be_downloaded_through_the_link(world: World) -> None:
    _, url = helpers.link(world)
    response = Client().get(url + "utkast.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_unknown_link_answers_404_in_swedish(world: World) -> None:
    helpers.link(world)
    response = Client().get(reverse("remiss_party", kwargs={"token": "påhittad-länk"}))
    assert response.status_code == 404
    assert "Länken finns inte" in response.content.decode()


def test_a_revoked_link_answers_410_in_swedish(world: World) -> None:
    party, url = helpers.link(world)
    services.revoke_link(SYSTEM, party)
    response = Client().get(url)
    assert response.status_code == 410
    assert "Länken är återkallad" in response.content.decode()


def test_an_expired_link_answers_410_in_swedish(world: World, settings: LazySettings) -> None:
    _, url = helpers.link(world)
    today = timezone.localdate()
    ProgrammeVersion.objects.filter(pk=world.version.pk).update(
        consultation_from=today - dt.timedelta(days=60), consultation_to=today - dt.timedelta(days=20)
    )
    settings.LSOPLAN_REMISS_GRACE_DAYS = 14
    response = Client().get(url)
    assert response.status_code == 410
    assert "Länken har gått ut" in response.content.decode()


def test_a_link_still_works_within_the_grace_period(world: World, settings: LazySettings) -> None:
    _, url = helpers.link(world)
    today = timezone.localdate()
    ProgrammeVersion.objects.filter(pk=world.version.pk).update(
        consultation_from=today - dt.timedelta(days=60), consultation_to=today - dt.timedelta(days=10)
    )
    settings.LSOPLAN_REMISS_GRACE_DAYS = 14
    assert Client().get(url).status_code == 200


def test_a_new_link_makes_the_old_one_unknown(world: World) -> None:
    party, old = helpers.link(world)
    services.issue_link(SYSTEM, party)
    assert Client().get(old).status_code == 404


def test_a_party_comments_on_a_goal_and_the_write_is_audited(world: World) -> None:
    party, url = helpers.link(world)
    response = Client().post(
        url, {"about": f"sakerhetsmal-{world.safety_goal.pk}", "text": "Ta med hela länet."}
    )
    assert response.status_code == 200 and "Synpunkten är mottagen" in response.content.decode()
    saved = Response.objects.get(party=party)
    assert saved.safety_goal == world.safety_goal and saved.text == "Ta med hela länet."
    entry = AuditEntry.objects.get(model="consultation.response", object_id=str(saved.pk))
    assert entry.actor_label == "Remissinstans: Länsstyrelsen i Gävleborg"


def test_a_post_without_the_csrf_token_is_refused(world: World) -> None:
    _, url = helpers.link(world)
    response = Client(enforce_csrf_checks=True).post(url, {"text": "Hej"})
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_a_link_cannot_comment_on_another_versions_goal(world: World, other_world: World) -> None:
    _, url = helpers.link(world)
    response = Client().post(url, {"about": f"sakerhetsmal-{other_world.safety_goal.pk}", "text": "X"})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_an_empty_response_is_refused_in_swedish(world: World) -> None:
    _, url = helpers.link(world)
    response = Client().post(url, {"about": "", "text": "  "})
    assert response.status_code == 400
    assert "Detta fält måste fyllas i" in response.content.decode()


def test_a_text_file_renamed_to_pdf_is_refused(world: World) -> None:
    _, url = helpers.link(world)
    fake = SimpleUploadedFile("yttrande.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = Client().post(url, {"text": "Se bilagan.", "attachment": fake})
    assert response.status_code == 400
    assert "Filen är inte en PDF-fil" in response.content.decode()
    assert not Response.objects.exists()


def test_a_docx_attachment_is_stored_under_the_upload_folder(world: World, settings: LazySettings) -> None:
    _, url = helpers.link(world)
    content = helpers.docx()
    upload = SimpleUploadedFile("Vårt yttrande.docx", content)
    assert Client().post(url, {"text": "Se bilagan.", "attachment": upload}).status_code == 200
    saved = Response.objects.get()
    assert saved.attachment_name == "Vårt yttrande.docx"
    stored = settings.MEDIA_ROOT / saved.attachment.name
    assert stored.read_bytes() == content


def test_an_attachment_over_the_limit_is_refused(world: World, settings: LazySettings) -> None:
    settings.LSOPLAN_REMISS_ATTACHMENT_MAX_BYTES = 1024 * 1024
    _, url = helpers.link(world)
    big = SimpleUploadedFile("stor.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10))
    response = Client().post(url, {"text": "Se bilagan.", "attachment": big})
    assert response.status_code == 400 and "för stor" in response.content.decode()


def test_requests_beyond_the_limit_per_address_are_refused(world: World, settings: LazySettings) -> None:
    settings.LSOPLAN_REMISS_VIEWS_PER_WINDOW = 2
    _, url = helpers.link(world)
    client = Client()
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert "För många förfrågningar" in client.get(url).content.decode()


def test_guessing_links_is_throttled_too(world: World, settings: LazySettings) -> None:
    settings.LSOPLAN_REMISS_VIEWS_PER_WINDOW = 3
    client = Client()
    codes = [
        client.get(reverse("remiss_party", kwargs={"token": f"gissning{i}"})).status_code for i in range(4)
    ]
    assert codes == [404, 404, 404, 429]


def test_the_link_page_shows_no_other_organisation(world: World, other_world: World) -> None:
    helpers.link(other_world)
    _, url = helpers.link(world)
    text = Client().get(url).content.decode()
    assert other_world.org.name not in text
    assert other_world.safety_goal.text not in text or other_world.safety_goal.text == world.safety_goal.text


def test_the_link_page_links_only_to_itself(world: World) -> None:
    _, url = helpers.link(world)
    text = Client().get(url).content.decode()
    hrefs = set(re.findall(r'href="([^"]+)"', text))
    internal = {h for h in hrefs if h.startswith("/") and not h.startswith("/static/")}
    # The site name links to the start page, which asks for a login; nothing else leaves the link.
    assert internal <= {"/", url + "utkast.pdf"}, internal


def test_the_link_gives_no_access_to_internal_pages(world: World) -> None:
    from tests.test_access import ARGS, PRIVATE

    _, url = helpers.link(world)
    client = Client()
    assert client.get(url).status_code == 200
    for name in PRIVATE:
        fill = ARGS[name]
        target = reverse(name, kwargs=fill(world) if fill else None)
        response = client.get(target)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


def test_responses_stop_when_the_version_is_adopted(world: World) -> None:
    from lsoplan.programmes import services as programmes

    _, url = helpers.link(world)
    programmes.adopt(
        SYSTEM, world.version, body="kommunfullmaktige", date=timezone.localdate(), paragraph="§ 1"
    )
    response = Client().post(url, {"text": "Sent svar"})
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_script_in_a_response_is_shown_as_text(world: World) -> None:
    _, url = helpers.link(world)
    Client().post(url, {"text": "<script>alert('x')</script>"})
    text = Client().get(url).content.decode()
    assert "<script>alert" not in text and "&lt;script&gt;alert" in text


def test_the_draft_shows_a_formatted_chapter_text_as_structure(world: World) -> None:
    from lsoplan.programmes import services as programmes

    programmes.update_chapter(
        SYSTEM,
        world.chapter,
        text="### Vad vi gör\n\n- **Tillsyn** av skolor\n- Hembesök\n\n<script>x()</script>",
    )
    _, path = helpers.link(world)
    html = Client().get(path).content.decode()
    assert ">Vad vi gör</h4>" in html
    assert "<li><strong>Tillsyn</strong> av skolor</li>" in html
    assert "<script>x()" not in html and "&lt;script&gt;" in html
