"""Adoption as a guarded decision: dates, the egenkontroll confirmation, corrections, distribution."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.accounts.services import create_user
from lsoplan.audit.models import AuditEntry
from lsoplan.checks import services as checks
from lsoplan.checks.models import Distribution
from lsoplan.cli import main
from lsoplan.programmes import services as programmes
from lsoplan.programmes.exchange_export import dumps, export_version
from lsoplan.programmes.models import AdoptionCorrection, ProgrammeVersion, VersionStatus
from lsoplan.programmes.views_adoption import failing_requirements
from tests.factories import PASSWORD, SYSTEM, World

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def editor(world: World) -> Client:
    return _client(world.editor.username)


@pytest.fixture
def admin(world: World) -> Client:
    create_user(
        SYSTEM, username="alfa-admin", organisation=world.org, role="administrator", password=PASSWORD
    )
    return _client("alfa-admin")


def _adopt(world: World, on: dt.date = TODAY - 20 * DAY) -> ProgrammeVersion:
    return programmes.adopt(SYSTEM, world.version, body="kommunfullmaktige", date=on, paragraph="§ 12")


def _status(world: World) -> str:
    return ProgrammeVersion.objects.get(pk=world.version.pk).status


# --- dates ------------------------------------------------------------------------------------


def test_adoption_with_a_future_date_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        _adopt(world, TODAY + DAY)
    assert exc.value.message_dict["date"] == [programmes.ADOPTION_IN_FUTURE]
    assert _status(world) == VersionStatus.UTKAST


def test_adoption_dated_today_is_accepted(world: World) -> None:
    assert _adopt(world, TODAY).status == VersionStatus.ANTAGEN


def test_adoption_before_the_consultation_began_is_refused(world: World) -> None:
    programmes.send_to_consultation(
        SYSTEM, world.version, parties="Länsstyrelsen", date_from=TODAY, date_to=None
    )
    with pytest.raises(ValidationError) as exc:
        _adopt(world, TODAY - DAY)
    assert "före remisstidens början" in exc.value.message_dict["date"][0]


def test_consultation_cannot_start_in_the_future(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        programmes.send_to_consultation(
            SYSTEM, world.version, parties="Länsstyrelsen", date_from=TODAY + DAY, date_to=None
        )
    assert "consultation_from" in exc.value.message_dict


@pytest.mark.parametrize("days", [0, -1])
def test_consultation_must_end_after_it_starts(world: World, days: int) -> None:
    with pytest.raises(ValidationError) as exc:
        programmes.send_to_consultation(
            SYSTEM, world.version, parties="Länsstyrelsen", date_from=TODAY, date_to=TODAY + days * DAY
        )
    assert exc.value.message_dict["consultation_to"] == ["Remisstiden ska sluta efter att den har börjat."]


def test_the_consultation_form_names_the_future_start(world: World, editor: Client) -> None:
    url = reverse("version_consultation", kwargs={"pk": world.version.pk})
    response = editor.post(
        url, {"consultation_parties": "Länsstyrelsen", "consultation_from": (TODAY + DAY).isoformat()}
    )
    assert response.status_code == 400
    assert "Remisstiden kan inte börja i framtiden." in response.content.decode()
    assert _status(world) == VersionStatus.UTKAST


def test_a_distribution_on_the_decision_date_itself_is_accepted(world: World) -> None:
    _adopt(world, TODAY)
    sent = checks.add_distribution(SYSTEM, world.version, recipient="lansstyrelsen", sent_on=TODAY)
    assert sent.sent_on == world.version.adopted_on


def test_a_distribution_the_day_before_the_decision_is_refused(world: World) -> None:
    _adopt(world, TODAY - DAY)
    with pytest.raises(ValidationError) as exc:
        checks.add_distribution(SYSTEM, world.version, recipient="lansstyrelsen", sent_on=TODAY - 2 * DAY)
    assert "före beslutsdatumet" in exc.value.message_dict["sent_on"][0]


def test_the_distribution_form_accepts_the_decision_date(world: World, editor: Client) -> None:
    _adopt(world, TODAY)
    url = reverse("distribution_add", kwargs={"pk": world.version.pk})
    response = editor.post(
        url, {"recipient": "lansstyrelsen", "sent_on": TODAY.isoformat(), "name": "", "note": ""}
    )
    assert response.status_code == 302
    assert Distribution.objects.filter(version=world.version, sent_on=TODAY).count() == 1


def test_a_file_with_a_future_adoption_date_is_refused(world: World, tmp_path: Path, capsys: Any) -> None:
    _adopt(world, TODAY)
    data = json.loads(dumps(export_version(world.version)))
    data["version"]["adopted_on"] = (TODAY + DAY).isoformat()
    path = tmp_path / "fel.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", str(path), "--org", world.org.slug, "--check"]) == 1
    assert f"$.version.adopted_on: {programmes.ADOPTION_IN_FUTURE}" in capsys.readouterr().err


# --- the adoption page -----------------------------------------------------------------------


def _post_adoption(client: Client, world: World, **extra: str) -> Any:
    post = {"body": "kommunfullmaktige", "date": TODAY.isoformat(), "paragraph": "§ 7"} | extra
    return client.post(reverse("version_adopt", kwargs={"pk": world.version.pk}), post)


def test_the_adoption_page_lists_the_failing_requirements(world: World, editor: Client) -> None:
    html = editor.get(reverse("version_adopt", kwargs={"pk": world.version.pk})).content.decode()
    assert "Egenkontrollen visar" in html and "brister mot krav" in html
    assert "Jag har sett bristerna i egenkontrollen" in html


def test_adoption_without_confirming_the_failures_is_refused(world: World, editor: Client) -> None:
    response = _post_adoption(editor, world)
    assert response.status_code == 400
    assert "Bekräfta att du har sett bristerna" in response.content.decode()
    assert _status(world) == VersionStatus.UTKAST


def test_confirmed_adoption_locks_and_records_the_failures_seen(world: World, editor: Client) -> None:
    seen = sorted({f.rule_id for f in failing_requirements(world.version)})
    assert seen  # the world's draft lacks chapter texts and more
    response = _post_adoption(editor, world, confirm="on", registration="RTJ 2026/45")
    assert response.status_code == 302
    version = ProgrammeVersion.objects.get(pk=world.version.pk)
    assert (version.status, version.adopted_registration) == (VersionStatus.ANTAGEN, "RTJ 2026/45")
    entry = AuditEntry.objects.get(model="programmes.programmeversion", changes__has_key="kanda_brister")
    assert entry.changes["kanda_brister"] == [None, seen]


def test_the_adoption_form_refuses_a_future_date(world: World, editor: Client) -> None:
    response = _post_adoption(editor, world, confirm="on", date=(TODAY + DAY).isoformat())
    assert response.status_code == 400
    assert "Beslutsdatumet kan inte ligga i framtiden." in response.content.decode()


def test_a_reader_cannot_adopt(world: World) -> None:
    assert _post_adoption(_client(world.reader.username), world, confirm="on").status_code == 403
    assert _status(world) == VersionStatus.UTKAST


# --- corrections ---------------------------------------------------------------------------


def _correction(**extra: str) -> dict[str, str]:
    return {
        "body": "kommunfullmaktige",
        "date": (TODAY - 18 * DAY).isoformat(),
        "paragraph": "§ 14",
        "registration": "KS 2026/7",
        "reason": "Fel paragraf och datum skrevs in; se protokollet.",
    } | extra


def test_an_administrator_corrects_the_decision_and_the_original_is_kept(world: World, admin: Client) -> None:
    _adopt(world)
    url = reverse("version_adoption_correct", kwargs={"pk": world.version.pk})
    assert admin.post(url, _correction()).status_code == 302
    version = ProgrammeVersion.objects.get(pk=world.version.pk)
    assert (version.adopted_on, version.adopted_paragraph) == (TODAY - 18 * DAY, "§ 14")
    correction = AdoptionCorrection.objects.get(version=version)
    assert correction.old == {
        "adopted_on": (TODAY - 20 * DAY).isoformat(),
        "adopted_paragraph": "§ 12",
        "adopted_registration": "",
    }
    assert correction.new["adopted_paragraph"] == "§ 14" and correction.corrected_by_label == "alfa-admin"


def test_a_correction_is_in_the_audit_trail_with_old_and_new(world: World, admin: Client) -> None:
    _adopt(world)
    admin.post(reverse("version_adoption_correct", kwargs={"pk": world.version.pk}), _correction())
    entry = AuditEntry.objects.filter(
        model="programmes.programmeversion", changes__has_key="rattelse_skal"
    ).get()
    assert entry.changes["adopted_paragraph"] == ["§ 12", "§ 14"] and entry.actor_label == "alfa-admin"


def test_the_overview_shows_the_correction(world: World, admin: Client) -> None:
    _adopt(world)
    admin.post(reverse("version_adoption_correct", kwargs={"pk": world.version.pk}), _correction())
    html = admin.get(reverse("version_overview", kwargs={"pk": world.version.pk})).content.decode()
    assert "Rättelser av beslutsuppgifterna" in html and "Fel paragraf och datum" in html


def test_an_editor_cannot_correct_the_decision(world: World, editor: Client) -> None:
    _adopt(world)
    url = reverse("version_adoption_correct", kwargs={"pk": world.version.pk})
    assert editor.post(url, _correction()).status_code == 403
    assert ProgrammeVersion.objects.get(pk=world.version.pk).adopted_paragraph == "§ 12"


def test_another_organisation_gets_404_on_the_correction(world: World, other_world: World) -> None:
    _adopt(world)
    url = reverse("version_adoption_correct", kwargs={"pk": world.version.pk})
    assert _client(other_world.editor.username).get(url).status_code == 404


def test_a_correction_needs_a_reason(world: World, admin: Client) -> None:
    _adopt(world)
    url = reverse("version_adoption_correct", kwargs={"pk": world.version.pk})
    response = admin.post(url, _correction(reason=" "))
    assert response.status_code == 400
    assert not AdoptionCorrection.objects.exists()


def test_a_correction_to_a_future_date_is_refused(world: World, admin: Client) -> None:
    _adopt(world)
    url = reverse("version_adoption_correct", kwargs={"pk": world.version.pk})
    response = admin.post(url, _correction(date=(TODAY + DAY).isoformat()))
    assert response.status_code == 400
    assert "Beslutsdatumet kan inte ligga i framtiden." in response.content.decode()


def test_a_draft_has_no_decision_to_correct(world: World) -> None:
    with pytest.raises(ValidationError):
        programmes.correct_adoption(
            SYSTEM,
            world.version,
            body="kommunfullmaktige",
            date=TODAY,
            paragraph="§ 1",
            registration="",
            reason="x",
        )
