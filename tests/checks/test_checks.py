"""Egenkontroll with a database: the facts builder, the page, saved runs with their audit entry, the
distribution list, the ports answer and `lsoplan check`, on the test world and on the demo."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from lsoplan.audit import services as audit
from lsoplan.audit.models import AuditEntry
from lsoplan.audit.services import Actor
from lsoplan.checks import selectors, services
from lsoplan.checks.models import CheckProfile, CheckRun, Distribution
from lsoplan.cli import main
from lsoplan.conditions import services as conditions
from lsoplan.demo import DemoInfo, load_demo
from lsoplan.goals import services as goals
from lsoplan.goals.models import NationalGoal
from lsoplan.lib.compliance import load_rules
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import Chapter, ProgrammeVersion
from tests.factories import PASSWORD, SYSTEM, World

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 25)


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _status(version: ProgrammeVersion, rule_id: str, today: dt.date = DAY) -> str:
    return selectors.live_evaluation(version, today).rule_status(rule_id)


def _adopt(world: World, on: dt.date | None = None) -> None:
    on = on or timezone.localdate() - dt.timedelta(days=7)
    programmes.adopt(SYSTEM, world.version, body="kommunfullmaktige", date=on, paragraph="§ 12")
    world.version.refresh_from_db()


# --- facts and evaluation ------------------------------------------------------------------


def test_facts_from_the_world(world: World) -> None:
    facts = selectors.build_facts(world.version, DAY)
    v = facts.version
    assert (v.id, v.number, v.status, v.period_start, v.period_end) == (
        world.version.pk,
        1,
        "utkast",
        2027,
        2030,
    )
    assert [c.key for c in facts.chapters][:2] == ["inledning", "kommunen"] and len(facts.chapters) == 14
    assert facts.risks[0].accident_type == "Brand i byggnad" and facts.risks[0].id == world.risk.pk
    [cap] = facts.capabilities
    assert (cap.kind, cap.readiness, cap.risk_id) == ("olyckstyp", "fred", world.risk.pk)
    [sg] = facts.safety_goals
    assert (sg.id, sg.label, sg.national_goals, sg.risks) == (
        world.safety_goal.pk,
        "Säkerhetsmål S1",
        ("lso-1-3a",),
        (world.risk.pk,),
    )
    assert facts.performance_goals[0].measures == 1
    assert {(s.kind, s.goal_id) for s in facts.smart} == {
        ("sakerhetsmal", world.safety_goal.pk),
        ("prestationsmal", world.performance_goal.pk),
    }
    [ind] = facts.indicators
    assert (ind.id, ind.goal_kind, ind.years) == (
        world.indicator.pk,
        "sakerhetsmal",
        (2016, 2017, 2018, 2019, 2020),
    )
    assert facts.latest_incident_alarm is None and facts.distributions == () and facts.ports_relevant is None


def test_world_evaluation(world: World) -> None:
    evaluation = selectors.live_evaluation(world.version, DAY)
    status = evaluation.rule_status
    assert status("lso-3-3-mal") == "ok"  # S1 is linked to LSO 1 kap. 3 a §
    assert status("lso-3-8-mal") == "brist"  # nothing linked to LSO 1 kap. 3 §
    assert status("lso-3-8-olyckstyp") == "ok"
    assert status("lso-3-8-samtidiga") == "brist"
    assert status("lso-3-8-resurser") == "brist"  # the world's capability lists no resources
    assert status("fso-3-3-hamnar") == "okant"
    assert status("fso-3-4-utskick") == "ej_tillämplig"  # a draft is not sent out
    assert status("lso-giltighet") == "ej_tillämplig"  # the period starts in 2027
    assert status("msbfs-kapitel") == "ok"
    assert status("data-indikatorer") == "brist"  # values end in 2020
    assert status("data-handelser") == "okant"  # no incidents imported
    assert evaluation.failed_required


def test_missing_incident_register_is_unknown(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "INCIDENT_MODEL", "incidents.FinnsInte")
    assert selectors.latest_incident(world.org) == (False, None)
    assert _status(world.version, "data-handelser") == "okant"


# --- the page ------------------------------------------------------------------------------


def test_page_lists_findings_with_links_to_fix_them(world: World) -> None:
    response = _client(world.editor.username).get(reverse("version_checks", kwargs={"pk": world.version.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Egenkontroll</h1>" in html and "Kör och spara egenkontroll" in html
    assert (
        "Förmåga till flera samtidiga räddningsinsatser" in html
        and "LSO 3 kap. 8 § första stycket 3 b" in html
    )
    assert reverse("capability_create", kwargs={"pk": world.version.pk}) in html
    assert reverse("indicator_detail", kwargs={"pk": world.indicator.pk}) in html
    assert f"{reverse('version_checks', kwargs={'pk': world.version.pk})}#hamnar" in html
    assert "Ingen egenkontroll är sparad" in html
    assert "Skapa förbättringsåtgärd" not in html  # only from a saved run


def test_reader_sees_results_but_cannot_run(world: World) -> None:
    client = _client(world.reader.username)
    html = client.get(reverse("version_checks", kwargs={"pk": world.version.pk})).content.decode()
    assert "Resultat per område" in html and "Kör och spara egenkontroll" not in html
    assert client.post(reverse("check_run", kwargs={"pk": world.version.pk})).status_code == 403
    assert (
        client.post(reverse("check_ports", kwargs={"pk": world.version.pk}), {"ports": "ja"}).status_code
        == 403
    )
    assert not CheckRun.objects.exists() and not CheckProfile.objects.exists()


def test_run_is_saved_with_an_audit_entry(world: World) -> None:
    client = _client(world.editor.username)
    response = client.post(reverse("check_run", kwargs={"pk": world.version.pk}))
    assert response.status_code == 302
    run = CheckRun.objects.get()
    assert (run.version_id, run.run_by, run.run_by_label) == (
        world.version.pk,
        world.editor,
        world.editor.username,
    )
    assert run.krav_brist > 0 and run.brist >= run.krav_brist
    assert run.rules_version == load_rules().meta.version
    assert {f["rule"] for f in run.findings} >= {"lso-3-8-mal", "fso-3-4-utskick"}
    entry = AuditEntry.objects.get(model="checks.checkrun")
    assert (entry.object_id, entry.actor, entry.version_id, entry.action) == (
        str(run.pk),
        world.editor,
        world.version.pk,
        "create",
    )
    assert entry.changes["krav_brist"] == [None, run.krav_brist]

    html = client.get(reverse("version_checks", kwargs={"pk": world.version.pk})).content.decode()
    assert "Senast sparad egenkontroll" in html and reverse("check_run_detail", kwargs={"pk": run.pk}) in html
    try:
        base = reverse("action_create", kwargs={"pk": world.version.pk})
    except NoReverseMatch:  # the learning app is not installed yet
        base = f"/version/{world.version.pk}/larande/ny/"
    assert f"{base}?kalla=egenkontroll&amp;regel=lso-3-8-mal&amp;korning={run.pk}" in html

    detail = client.get(reverse("check_run_detail", kwargs={"pk": run.pk}))
    assert detail.status_code == 200 and "Mål för räddningstjänsten" in detail.content.decode()


def test_changed_result_is_pointed_out(world: World) -> None:
    services.run_checks(SYSTEM, world.version)
    client = _client(world.editor.username)
    url = reverse("version_checks", kwargs={"pk": world.version.pk})
    assert "Resultatet har ändrats" not in client.get(url).content.decode()
    conditions.add_capability(SYSTEM, world.version, kind="samtidiga", description="Tre samtidiga insatser")
    assert "Resultatet har ändrats" in client.get(url).content.decode()


def test_runs_of_an_adopted_version(world: World) -> None:
    _adopt(world)
    run = services.run_checks(SYSTEM, world.version, today=DAY)
    assert run.version.is_frozen and AuditEntry.objects.filter(model="checks.checkrun").count() == 1
    findings = {f.rule_id: f for f in selectors.run_findings(run)}
    assert findings["fso-3-4-utskick"].status == "brist"


# --- distribution and ports ----------------------------------------------------------------


def test_distribution_form(world: World) -> None:
    client = _client(world.editor.username)
    url = reverse("distribution_add", kwargs={"pk": world.version.pk})
    today = timezone.localdate()
    draft = client.post(url, {"recipient": "lansstyrelsen", "sent_on": today.isoformat()})
    assert draft.status_code == 400 and "registreras när versionen är antagen" in draft.content.decode()

    _adopt(world, on=today - dt.timedelta(days=7))
    future = client.post(url, {"recipient": "mcf", "sent_on": (today + dt.timedelta(days=3)).isoformat()})
    assert future.status_code == 400 and "framtiden" in future.content.decode()
    early = client.post(url, {"recipient": "mcf", "sent_on": (today - dt.timedelta(days=30)).isoformat()})
    assert early.status_code == 400 and "före beslutsdatumet" in early.content.decode()
    assert not Distribution.objects.exists()

    for recipient in ("lansstyrelsen", "mcf"):
        ok = client.post(
            url, {"recipient": recipient, "name": "Länsstyrelsen i Östergötland", "sent_on": today}
        )
        assert ok.status_code == 302 and ok["Location"].endswith("#utskick")
    assert Distribution.objects.count() == 2
    assert AuditEntry.objects.filter(model="checks.distribution", action="create").count() == 2
    assert _status(world.version, "fso-3-4-utskick") == "ok"
    html = client.get(reverse("version_checks", kwargs={"pk": world.version.pk})).content.decode()
    assert "Länsstyrelsen i Östergötland" in html

    mcf = Distribution.objects.get(recipient="mcf")
    response = client.post(reverse("distribution_delete", kwargs={"pk": mcf.pk}))
    assert response.status_code == 303 and Distribution.objects.count() == 1
    assert AuditEntry.objects.filter(model="checks.distribution", action="delete").exists()
    assert _status(world.version, "fso-3-4-utskick") == "brist"


def test_consultation_parties_must_get_the_programme_too(world: World) -> None:
    programmes.send_to_consultation(
        SYSTEM, world.version, parties="Länsstyrelsen\nPolisen", date_from=dt.date(2026, 5, 1), date_to=None
    )
    _adopt(world)
    for recipient in ("lansstyrelsen", "mcf"):
        services.add_distribution(SYSTEM, world.version, recipient=recipient, sent_on=timezone.localdate())
    assert _status(world.version, "fso-3-4-utskick") == "brist"
    services.add_distribution(SYSTEM, world.version, recipient="samradsparter", sent_on=timezone.localdate())
    assert _status(world.version, "fso-3-4-utskick") == "ok"


def test_ports_answer(world: World) -> None:
    client = _client(world.editor.username)
    url = reverse("check_ports", kwargs={"pk": world.version.pk})
    assert client.post(url, {"ports": "nej"}).status_code == 302
    assert CheckProfile.objects.get(organisation=world.org).ports_relevant is False
    assert _status(world.version, "fso-3-3-hamnar") == "ej_tillämplig"
    client.post(url, {"ports": "ja"})
    assert _status(world.version, "fso-3-3-hamnar") == "brist"  # no chapter mentions the port
    client.post(url, {"ports": ""})
    assert _status(world.version, "fso-3-3-hamnar") == "okant"
    changes = [e.changes["ports_relevant"] for e in AuditEntry.objects.filter(model="checks.checkprofile")]
    assert sorted(map(str, changes)) == sorted(map(str, [[None, False], [False, True], [True, None]]))


# --- command line --------------------------------------------------------------------------


def _complete(world: World) -> None:
    """Fill the world until no required rule fails (recommendations may still fail)."""
    today = timezone.localdate()
    audit.update(SYSTEM, world.programme, period_start=today.year - 1, period_end=today.year + 2)
    for chapter in Chapter.objects.filter(version=world.version):
        audit.update(SYSTEM, chapter, text=f"{chapter.title}. Vi samverkar med grannkommunerna enligt avtal.")
    audit.update(SYSTEM, world.capability, resources="Fyra stationer")
    for kind, readiness in [("samtidiga", "fred"), ("omfattande", "fred"), ("ledning", "fred")] + [
        (kind, "hojd_beredskap") for kind in ("olyckstyp", "samtidiga", "omfattande", "ledning")
    ]:
        conditions.add_capability(
            SYSTEM, world.version, kind=kind, readiness=readiness, description=kind, resources="Styrkor"
        )
    goals.create_safety_goal(
        SYSTEM,
        world.version,
        code="S2",
        text="Räddningsinsatsen ska påbörjas inom 10 minuter vid 80 % av bostadsbränderna 2027–2030.",
        national_goals=NationalGoal.objects.filter(key="lso-1-3"),
        risks=[world.risk],
    )
    programmes.send_to_consultation(
        SYSTEM, world.version, parties="Länsstyrelsen", date_from=today, date_to=None
    )
    _adopt(world, on=today)
    for recipient in ("lansstyrelsen", "mcf", "samradsparter"):
        services.add_distribution(SYSTEM, world.version, recipient=recipient, sent_on=today)
    services.set_ports_relevant(SYSTEM, world.org, False)


def test_cli_json_and_exit_codes(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(world.programme.pk), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["programme"], out["version"], out["status"], out["run"]) == (
        world.programme.pk,
        1,
        "utkast",
        None,
    )
    rules = {f["rule"]: f for f in out["findings"]}
    assert rules["lso-3-8-mal"]["status"] == "brist" and rules["lso-3-8-mal"]["severity"] == "krav"
    assert out["summary"]["krav_brist"] > 0
    assert not CheckRun.objects.exists()

    _complete(world)
    assert main(["check", str(world.programme.pk), "--format", "json", "--save"]) == 0, [
        (f["rule"], f["message"])
        for f in json.loads(capsys.readouterr().out)["findings"]
        if f["status"] == "brist" and f["severity"] == "krav"
    ]
    run = CheckRun.objects.get()
    assert run.run_by is None and run.run_by_label == "cli" and run.krav_brist == 0
    assert AuditEntry.objects.filter(model="checks.checkrun", actor_label="cli").exists()


def test_cli_text(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(world.programme.pk), "--version", "1"]) == 1
    out = capsys.readouterr().out
    assert "Handlingsprogram för räddningstjänst (LSO 3 kap. 8 §)" in out
    [line] = [row for row in out.splitlines() if "lso-3-8-mal:" in row]
    assert line.split()[:2] == ["[BRIST]", "krav"] and "regler har brist" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [(["check", "999999"], "999999"), (["check", "abc"], "abc"), (["check", "{pk}", "--version", "7"], "7")],
)
def test_cli_usage_errors(
    world: World, argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([a.format(pk=world.programme.pk) for a in argv]) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.fixture(scope="class")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoInfo]:
    """The demo is loaded once for the class and rolled back afterwards (it takes seconds)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


class TestDemo:
    def test_adopted_version_is_not_distributed(
        self, demo: DemoInfo, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["check", str(demo.programme_id), "--version", "1", "--format", "json"]) == 1
        out = json.loads(capsys.readouterr().out)
        rules = {f["rule"]: f["status"] for f in out["findings"]}
        assert rules["fso-3-4-utskick"] == "brist"
        assert rules["lso-samrad"] == "ok" and rules["lso-3-3-mal"] == "ok" and rules["lso-3-8-mal"] == "ok"
        assert rules["msbfs-kapitel"] == "ok" and rules["lso-3-8-samtidiga"] == "ok"

    def test_current_version_is_the_draft(self, demo: DemoInfo, capsys: pytest.CaptureFixture[str]) -> None:
        code = main(["check", str(demo.programme_id), "--format", "json"])
        out = json.loads(capsys.readouterr().out)
        assert out["version"] == 2 and out["status"] == "utkast"
        assert code == (1 if out["summary"]["krav_brist"] else 0)
        rules = {f["rule"]: f["status"] for f in out["findings"]}
        assert rules["fso-3-4-utskick"] == "ej_tillämplig"
        assert rules["lso-samrad"] == "okant"  # a change: consultation only if it is significant

    def test_page_on_the_demo(self, demo: DemoInfo) -> None:
        version = ProgrammeVersion.objects.get(programme_id=demo.programme_id, number=1)
        client = Client()
        client.force_login(User.objects.get(username="planerare"))  # the demo's hash is Argon2
        response = client.get(reverse("version_checks", kwargs={"pk": version.pk}))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Registrera utskick" in html and "Inget utskick är registrerat" in html


@pytest.mark.django_db
def test_incident_freshness_reads_the_real_incident_register(world: World) -> None:
    from lsoplan.checks.selectors import latest_incident
    from lsoplan.incidents.services import import_incidents

    assert latest_incident(world.org) == (True, None)
    csv = b"handelse_id;kommun;handelsetyp;larm_tid\nA1;0484;1;2025-10-03 14:22\n"
    outcome = import_incidents(Actor(None, "test"), world.org, csv, file_name="a.csv")
    assert outcome.ok
    assert latest_incident(world.org) == (True, dt.date(2025, 10, 3))


@pytest.mark.django_db
def test_incident_freshness_falls_back_to_the_register_for_an_older_statistics_copy(world: World) -> None:
    """A copy written before it kept its latest alarm (null) must not hide the incidents."""
    from lsoplan.checks.selectors import latest_incident
    from lsoplan.incidents.models import IncidentSnapshot
    from lsoplan.incidents.services import import_incidents

    csv = b"handelse_id;kommun;handelsetyp;larm_tid\nA1;0484;1;2025-10-03 14:22\nA2;0484;1;2024-01-02 08:00\n"
    assert import_incidents(Actor(None, "test"), world.org, csv, file_name="a.csv").ok
    copy = IncidentSnapshot.objects.get(organisation=world.org)
    assert copy.latest_alarm == dt.datetime(2025, 10, 3, 12, 22, tzinfo=dt.UTC)  # 14:22 CEST
    IncidentSnapshot.objects.filter(pk=copy.pk).update(latest_alarm=None)
    assert latest_incident(world.org) == (True, dt.date(2025, 10, 3))
