"""The planner's side: parties and links, decisions, the samrådsredogörelse, the adoption warning."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from django.conf import LazySettings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.audit.models import AuditEntry
from lsoplan.consultation import report, services
from lsoplan.consultation.models import Party, Response
from lsoplan.lib import remiss
from lsoplan.reports.render_pdf import render_html
from tests.consultation import helpers
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("word/document.xml").decode()


def test_parties_from_the_remiss_list_are_added_once(world: World, editor: Client) -> None:
    helpers.on_remiss(world)
    url = reverse("consultation_parties_from_list", kwargs={"pk": world.version.pk})
    editor.post(url)
    editor.post(url)
    names = list(Party.objects.filter(version=world.version).values_list("name", flat=True))
    assert sorted(names) == ["Länsstyrelsen i Gävleborg", "Polismyndigheten"]


def test_parties_cannot_be_added_to_a_draft_not_on_remiss(world: World, editor: Client) -> None:
    url = reverse("consultation_party_add", kwargs={"pk": world.version.pk})
    response = editor.post(url, {"name": "Polisen"})
    assert response.status_code == 400
    assert "Versionen är inte på remiss" in response.content.decode()
    assert not Party.objects.exists()


def test_issued_links_are_shown_once_and_only_their_digest_is_kept(world: World, editor: Client) -> None:
    party = helpers.party(world)
    response = editor.post(reverse("consultation_links", kwargs={"pk": world.version.pk}))
    text = response.content.decode()
    token = text.split("/remiss/")[1].split("/")[0]
    party.refresh_from_db()
    assert party.token_digest == remiss.digest(token)
    assert token not in str(list(Party.objects.values()))
    assert token not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert token not in editor.get(reverse("consultation", kwargs={"pk": world.version.pk})).content.decode()


def test_links_are_mailed_when_a_mail_server_is_configured(
    world: World, editor: Client, settings: LazySettings
) -> None:
    settings.EMAIL_HOST = "smtp.example.se"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    helpers.on_remiss(world)
    services.create_party(SYSTEM, world.version, name="Polisen", email="remiss@polisen.example")
    editor.post(reverse("consultation_links", kwargs={"pk": world.version.pk}))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["remiss@polisen.example"] and "/remiss/" in mail.outbox[0].body


def test_no_mail_is_sent_without_a_mail_server(world: World, editor: Client, settings: LazySettings) -> None:
    settings.EMAIL_HOST = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    helpers.on_remiss(world)
    services.create_party(SYSTEM, world.version, name="Polisen", email="remiss@polisen.example")
    response = editor.post(reverse("consultation_links", kwargs={"pk": world.version.pk}))
    assert mail.outbox == [] and "Kopiera dem" in response.content.decode()


def test_a_reader_cannot_issue_links(world: World, reader: Client) -> None:
    helpers.party(world)
    response = reader.post(reverse("consultation_links", kwargs={"pk": world.version.pk}))
    assert response.status_code == 403
    assert not Party.objects.exclude(token_digest="").exists()


def test_responses_are_listed_under_their_goal(world: World, editor: Client) -> None:
    helpers.response(world, text="Gäller hela länet?")
    text = editor.get(reverse("consultation", kwargs={"pk": world.version.pk})).content.decode()
    heading = f"Säkerhetsmål {world.safety_goal.code}"
    assert heading in text and text.index(heading) < text.index("Gäller hela länet?")


def test_a_decision_is_saved_with_its_motivation_and_linked_change(world: World, editor: Client) -> None:
    r = helpers.response(world)
    response = editor.post(
        reverse("remissbeslut_edit", kwargs={"pk": r.pk}),
        {
            "decision": "tillgodosett",
            "motivation": "Målet gäller nu hela länet.",
            "changed_safety_goals": [world.safety_goal.pk],
        },
    )
    assert response.status_code == 303
    r.refresh_from_db()
    assert r.decision == "tillgodosett" and list(r.changed_safety_goals.all()) == [world.safety_goal]


def test_a_decision_needs_a_motivation(world: World, editor: Client) -> None:
    r = helpers.response(world)
    response = editor.post(
        reverse("remissbeslut_edit", kwargs={"pk": r.pk}), {"decision": "inte", "motivation": ""}
    )
    assert response.status_code == 400
    r.refresh_from_db()
    assert r.decision == ""


def test_a_decision_cannot_link_another_organisations_goal(world: World, other_world: World) -> None:
    r = helpers.response(world)
    with pytest.raises(Exception, match="samma utkast"):
        services.decide(
            SYSTEM, r, decision="delvis", motivation="x", changed_safety_goals=[other_world.safety_goal]
        )


def test_taking_a_decision_back_keeps_the_response(world: World, editor: Client) -> None:
    r = helpers.decided(world)
    assert editor.post(reverse("remissbeslut_delete", kwargs={"pk": r.pk})).status_code == 303
    r.refresh_from_db()
    assert r.decision == "" and r.motivation == "" and not r.changed_safety_goals.exists()


def test_deleting_a_response_removes_its_attachment(
    world: World, editor: Client, settings: LazySettings, django_capture_on_commit_callbacks: Any
) -> None:
    r = helpers.with_attachment(world)
    stored = settings.MEDIA_ROOT / r.attachment.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(reverse("remissvar_delete", kwargs={"pk": r.pk}))
    assert not Response.objects.filter(pk=r.pk).exists() and not stored.exists()


def test_the_attachment_is_downloaded_by_members_only(world: World, editor: Client, outsider: Client) -> None:
    r = helpers.with_attachment(world)
    url = reverse("consultation_attachment", kwargs={"pk": r.pk})
    response = editor.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == helpers.PDF_BYTES
    assert outsider.get(url).status_code == 404


def test_the_report_lists_the_response_and_the_decision(world: World) -> None:
    helpers.decided(world)
    text = _docx_text(report.produce(world.version, "docx"))
    assert "Målet om bostadsbränder bör gälla hela länet." in text
    assert "Delvis tillgodosett" in text and "Vi tar med länet i uppföljningen." in text
    assert "Länsstyrelsen i Gävleborg" in text


def test_the_report_pdf_is_made(world: World, editor: Client) -> None:
    helpers.decided(world)
    response = editor.get(reverse("consultation_report", kwargs={"pk": world.version.pk, "fmt": "pdf"}))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_report_of_a_version_on_remiss_is_marked_as_a_draft(world: World) -> None:
    helpers.decided(world)
    assert report.build(world.version).marking.startswith("UTKAST")


def test_the_report_names_no_tool(world: World) -> None:
    helpers.decided(world)
    assert "lsoplan" not in _docx_text(report.produce(world.version, "docx")).lower()


def test_free_text_in_the_report_is_escaped(world: World) -> None:
    helpers.response(world, text='<script>alert(1)</script> =HYPERLINK("http://x")')
    html = render_html(report.build(world.version))
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
    docx = _docx_text(report.produce(world.version, "docx"))
    assert "&lt;script&gt;alert(1)" in docx and '=HYPERLINK("http://x")' in docx.replace("&quot;", '"')
    # Shown as text, never turned into a field (Word's field codes are its formulas).
    assert not any("HYPERLINK" in f for f in re.findall(r"<w:instrText[^>]*>([^<]*)<", docx))


def test_the_adoption_page_warns_of_undecided_responses(world: World, editor: Client) -> None:
    helpers.response(world)
    text = editor.get(reverse("version_adopt", kwargs={"pk": world.version.pk})).content.decode()
    assert "1 remissvar saknar ställningstagande" in text and "Länsstyrelsen i Gävleborg" in text


def test_the_adoption_page_is_quiet_when_every_response_is_decided(world: World, editor: Client) -> None:
    helpers.decided(world)
    text = editor.get(reverse("version_adopt", kwargs={"pk": world.version.pk})).content.decode()
    assert "saknar ställningstagande" not in text


def test_script_in_a_party_name_is_escaped_on_the_planner_page(world: World, editor: Client) -> None:
    helpers.on_remiss(world)
    services.create_party(SYSTEM, world.version, name="<script>alert(2)</script>")
    text = editor.get(reverse("consultation", kwargs={"pk": world.version.pk})).content.decode()
    assert "<script>alert(2)" not in text and "&lt;script&gt;alert(2)" in text


def test_a_response_by_letter_is_recorded_with_the_day_it_came(world: World) -> None:
    party = helpers.party(world)
    received = timezone.make_aware(dt.datetime(2027, 1, 10, 9))
    r = services.record_response(SYSTEM, world.version, party=party, text="Per brev.", received_at=received)
    assert r.submitted_at == received and r.party == party


def test_a_response_by_letter_needs_a_party_of_the_same_version(world: World, other_world: World) -> None:
    stranger = helpers.party(other_world)
    helpers.on_remiss(world)
    with pytest.raises(ValidationError):
        services.record_response(SYSTEM, world.version, party=stranger, text="X", received_at=timezone.now())
