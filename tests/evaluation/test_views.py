"""The evaluation and learning pages through the web: forms, field messages, prefill, roles."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lsoplan.accounts.services import create_user
from lsoplan.evaluation.models import (
    CostBenefitAnalysis,
    CostParameterSet,
    Evaluation,
    ImprovementAction,
    Survey,
)
from tests.evaluation import helpers
from tests.factories import PASSWORD, SYSTEM, World

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def editor(world: World) -> Client:
    return _client(world.editor.username)


def test_evaluation_page_lists_goals_with_status(world: World, editor: Client) -> None:
    helpers.evaluation(world)
    html = editor.get(reverse("version_evaluation", kwargs={"pk": world.version.pk})).content.decode()
    assert "Säkerhetsmål S1" in html and "Prestationsmål P1" in html
    assert "Ingen säkerställd förändring" in html
    assert "2016–2020" in html
    assert "Inte utvärderat" in html  # P1 has none


def test_create_evaluation_and_see_evidence(world: World, editor: Client) -> None:
    url = reverse("evaluation_create", kwargs={"kind": "sakerhetsmal", "pk": world.safety_goal.pk})
    assert editor.get(url).status_code == 200
    response = editor.post(url, {"period_start": "2020", "period_end": "2019"})
    assert response.status_code == 400
    assert "Periodens slut kan inte ligga före dess början." in response.content.decode()
    response = editor.post(url, {"period_start": "2016", "period_end": "2020", "why": "Fler hembesök."})
    evaluation = Evaluation.objects.get()
    assert response["Location"] == reverse("evaluation_detail", kwargs={"pk": evaluation.pk})
    html = editor.get(response["Location"]).content.decode()
    assert "Uppföljningens bedömning" in html
    assert "Ingen säkerställd förändring: 23,0 per år 2020" in html
    assert "Fler hembesök." in html


def test_close_without_action_shows_field_message(world: World, editor: Client) -> None:
    evaluation = helpers.evaluation(world)
    url = reverse("evaluation_close", kwargs={"pk": evaluation.pk})
    response = editor.post(url, {"assessment": "inte_uppnatt"})
    assert response.status_code == 400
    assert "Koppla minst en förbättringsåtgärd till utvärderingen" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == "oppen"
    response = editor.post(url, {"assessment": "inte_uppnatt", "no_action_reason": "Åtgärd finns i P1."})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == "avslutad"
    # Closed: the edit page sends the user back; reopening works.
    assert editor.get(reverse("evaluation_edit", kwargs={"pk": evaluation.pk})).status_code == 303
    editor.post(reverse("evaluation_reopen", kwargs={"pk": evaluation.pk}))
    evaluation.refresh_from_db()
    assert evaluation.status == "oppen"


def test_reader_cannot_close(world: World) -> None:
    evaluation = helpers.evaluation(world)
    reader = _client(world.reader.username)
    response = reader.post(
        reverse("evaluation_close", kwargs={"pk": evaluation.pk}), {"assessment": "delvis"}
    )
    assert response.status_code == 403


def test_action_prefilled_from_a_control_finding(world: World, editor: Client) -> None:
    url = (
        reverse("action_create", kwargs={"pk": world.version.pk})
        + "?kalla=egenkontroll&regel=HP-12&korning=5"
    )
    html = editor.get(url).content.decode()
    assert 'value="HP-12"' in html and 'value="5"' in html
    assert '<option value="egenkontroll" selected>' in html
    response = editor.post(
        url,
        {
            "title": "Beskriv samverkan med grannkommunerna",
            "owner": "Räddningschefen",
            "status": "oppen",
            "source": "egenkontroll",
            "rule": "HP-12",
            "run": "5",
        },
    )
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert action.source == "egenkontroll" and action.source_ref == {"rule": "HP-12", "run": 5}
    html = editor.get(reverse("version_learning", kwargs={"pk": world.version.pk})).content.decode()
    assert "Beskriv samverkan med grannkommunerna" in html and "regel HP-12, körning 5" in html


def test_action_from_an_evaluation_links_back(world: World, editor: Client) -> None:
    evaluation = helpers.evaluation(world)
    url = reverse("action_create", kwargs={"pk": world.version.pk}) + f"?utvardering={evaluation.pk}"
    html = editor.get(url).content.decode()
    assert f'<option value="{evaluation.pk}" selected>' in html
    assert 'value="Direktionen"' in html  # the goal's owner as a start
    response = editor.post(
        url,
        {
            "title": "Riktade hembesök",
            "owner": "Förebyggande",
            "status": "oppen",
            "source": "utvardering",
            "evaluation": str(evaluation.pk),
            "due_date": "2027-06-30",
        },
    )
    assert response["Location"] == reverse("evaluation_detail", kwargs={"pk": evaluation.pk})
    assert ImprovementAction.objects.get().evaluation == evaluation


def test_prefill_with_a_foreign_evaluation_is_404(world: World, other_world: World, editor: Client) -> None:
    foreign = helpers.evaluation(other_world)
    url = reverse("action_create", kwargs={"pk": world.version.pk}) + f"?utvardering={foreign.pk}"
    assert editor.get(url).status_code == 404


def test_edit_action_status(world: World, editor: Client) -> None:
    action = helpers.action(world)
    url = reverse("action_edit", kwargs={"pk": action.pk})
    response = editor.post(
        url, {"title": action.title, "owner": action.owner, "status": "klar", "source": "annat"}
    )
    assert response.status_code == 303
    action.refresh_from_db()
    assert action.status == "klar"
    html = editor.get(reverse("version_learning", kwargs={"pk": world.version.pk}) + "?status=oppna").content
    assert action.title not in html.decode()


def test_survey_upload_good_and_bad(world: World, editor: Client) -> None:
    url = reverse("survey_list", kwargs={"pk": world.version.pk})
    bad = SimpleUploadedFile("enkat.csv", b"fraga;svar;andel;n\nF;Ja;45;100\nF;Nej;x;100\n")
    response = editor.post(url, {"name": "Trygghet", "year": "2024", "source": "SCB", "file": bad})
    assert response.status_code == 400
    assert "enkat.csv rad 3, kolumn 'andel': 'x' är inte ett tal" in unescape(response.content.decode())
    assert not Survey.objects.exists()
    good = SimpleUploadedFile("enkat.csv", helpers.SURVEY_CSV.encode("cp1252"))
    response = editor.post(url, {"name": "Trygghet", "year": "2024", "source": "SCB", "file": good})
    survey = Survey.objects.get()
    assert response["Location"] == reverse(
        "survey_detail", kwargs={"pk": world.version.pk, "survey": survey.pk}
    )
    html = editor.get(response["Location"]).content.decode()
    assert "45,3\u00a0%" in html and "812" in html and "Wilsonintervall" in html


def test_cost_benefit_through_the_form(world: World, editor: Client) -> None:
    url = reverse("costbenefit_create", kwargs={"pk": world.version.pk})
    assert "3,5" in editor.get(url).content.decode()  # the reference discount rate as the start value
    response = editor.post(
        url,
        {
            "subject": f"atgard:{world.measure.pk}",
            "title": "Hembesök",
            "one_off_cost": "50 000",
            "yearly_cost": "200000",
            "years": "10",
            "discount_percent": "3,5",
            "avoided_fires": "0,5",
            "avoided_serious": "0,05",
        },
    )
    analysis = CostBenefitAnalysis.objects.get()
    assert response["Location"] == reverse("costbenefit_detail", kwargs={"pk": analysis.pk})
    assert float(analysis.one_off_cost) == 50_000 and analysis.avoided_fires == 0.5
    html = editor.get(response["Location"]).content.decode()
    assert "Nettonuvärde" in html and "2026.1" in html and "Ej verifierad" in html


def test_parameters_only_administrators_save(world: World, editor: Client) -> None:
    url = reverse("cost_parameters", kwargs={"pk": world.version.pk})
    html = editor.get(url).content.decode()
    assert "Värdet av ett statistiskt liv" in html and "Spara som ny version" not in html
    assert editor.post(url, {"note": "x"}).status_code == 403
    create_user(
        SYSTEM, username="alfa-admin", organisation=world.org, role="administrator", password=PASSWORD
    )
    admin = _client("alfa-admin")
    page = admin.get(url)
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    data["building_fire_value"] = "600 000"
    data["note"] = "Nytt centralvärde enligt egen utredning."
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = CostParameterSet.objects.filter(organisation=world.org).first()  # newest first
    assert saved is not None and saved.parameter_version == "2026.1-lokal1"
    assert saved.params["parameters"]["building_fire"]["value"] == 600_000
    data["building_fire_low"] = "700 000"
    response = admin.post(url, data)
    assert response.status_code == 400
    assert "Värdet ska ligga mellan det låga och det höga värdet." in response.content.decode()


def test_old_version_shows_where_an_action_went(world: World, editor: Client) -> None:
    import datetime as dt

    from lsoplan.evaluation import services
    from lsoplan.programmes import services as programmes

    helpers.action(world)
    programmes.adopt(
        SYSTEM, world.version, body="kommunfullmaktige", date=dt.date(2026, 11, 20), paragraph="§ 3"
    )
    draft = programmes.new_draft(SYSTEM, world.version)
    services.carry_open_actions(SYSTEM, world.version, draft)
    html = editor.get(reverse("version_learning", kwargs={"pk": world.version.pk})).content.decode()
    assert "Överförd till version 2" in html
    html = editor.get(reverse("version_learning", kwargs={"pk": draft.pk})).content.decode()
    assert "Fler hembesök i flerbostadshus" in html
