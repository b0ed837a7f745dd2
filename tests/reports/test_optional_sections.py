"""Incident statistics, evaluations, improvement actions and egenkontroll in the documents: shown
when the apps hold data, a note when they are missing or empty, and never a failure."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import DatabaseError
from django.utils import timezone

from lsoplan.conditions.models import Risk
from lsoplan.reports import selectors
from lsoplan.reports.services import produce
from tests.factories import SYSTEM, World
from tests.reports.helpers import find_table, image_descriptions, open_docx, table_text

pytestmark = pytest.mark.django_db

INCIDENTS = [
    {"year": y, "handelsetyp": kind, "count": n}
    for y, counts in ((2019, (120, 40)), (2020, (110, 35)), (2021, (130, 38)))
    for kind, n in zip(("Brand i byggnad", "Trafikolycka"), counts, strict=True)
]


def _paragraphs(document: Any) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_incident_statistics_become_a_chart_and_a_table(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "incident_counts", lambda org, as_of=None: INCIDENTS)
    document = open_docx(produce(world.version, "programme", "docx").content)
    (alt,) = image_descriptions(document)
    assert alt.startswith("Stapeldiagram över räddningstjänstens händelser per år 2019–2021")
    assert "Totalt 160 händelser 2019 och 168 2021" in alt
    rows = table_text(find_table(document, "Händelser per händelsetyp 2019–2021"))
    assert rows[0] == ["Händelsetyp", "2019", "2020", "2021"]
    assert rows[-1] == ["Totalt", "160", "145", "168"]


def test_incident_event_type_ids_become_names(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    incidents = pytest.importorskip("lsoplan.incidents.selectors")
    rows = [
        {"year": 2024, "handelsetyp": 1, "count": 7},
        {"year": 2024, "handelsetyp": None, "count": 2},
        {"year": 2024, "handelsetyp": 9999, "count": 1},
    ]
    monkeypatch.setattr(incidents, "yearly_counts", lambda org: rows)
    named = selectors.incident_counts(world.org)
    assert named is not None
    assert [r["handelsetyp"] for r in named] == ["Brand i byggnad", "Okänd händelsetyp", "Händelsetyp 9999"]


def test_missing_or_empty_apps_say_so_plainly(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "incident_counts", lambda org, as_of=None: None)
    monkeypatch.setattr(selectors, "evaluations", lambda version, year=None: None)
    monkeypatch.setattr(selectors, "improvement_actions", lambda version: None)
    monkeypatch.setattr(selectors, "latest_check_run", lambda version: (False, None))
    text = _paragraphs(open_docx(produce(world.version, "followup", "docx", year=2020).content))
    assert "Inga utvärderingar är registrerade för 2020." in text
    assert "Inga förbättringsåtgärder är registrerade." in text
    assert "Egenkontrollen har inte genomförts för den här versionen." in text
    assert "installerad" not in text
    monkeypatch.setattr(selectors, "incident_counts", lambda org, as_of=None: [])
    text = _paragraphs(open_docx(produce(world.version, "programme", "docx").content))
    assert "Det finns inga registrerade räddningsinsatser för perioden." in text
    assert "Läs in" not in text  # advice to the planner is not part of the document


def test_optional_read_survives_missing_code_and_tables(world: World) -> None:
    def missing() -> None:
        raise ImportError("no module")

    def broken_table() -> None:
        raise DatabaseError("no such table")

    assert selectors._optional(missing) is None
    assert selectors._optional(broken_table) is None
    assert Risk.objects.filter(version=world.version).count() == 1  # the transaction still works


def test_evaluations_actions_and_checks_as_tables(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    evaluation = SimpleNamespace(
        goal_label="S1",
        period_start=2020,
        period_end=2020,
        why="Hembesöken har nått fler hushåll.",
        side_effects="",
        citizens_view="Hög tilltro.",
        cost_benefit="Rimlig.",
        learning="Fler besök i hyresrätter.",
        assessment="delvis",
        status="avslutad",
    )
    action = SimpleNamespace(
        title="Riktade hembesök", owner="Förebyggande", due_date=dt.date(2026, 3, 5), status="oppen"
    )
    run = SimpleNamespace(
        run_at=timezone.make_aware(dt.datetime(2026, 2, 1, 10, 0)),
        rules_version="2026-1",
        findings=[
            {
                "rule": "HP-01",
                "title": "Kapitel",
                "status": "ok",
                "severity": "krav",
                "message": "",
                "reference": "",
            },
            {
                "rule": "HP-16",
                "title": "Samråd",
                "status": "brist",
                "severity": "krav",
                "message": "Samrådet är inte registrerat.",
                "reference": "LSO 3 kap. 3 §",
            },
        ],
    )
    monkeypatch.setattr(selectors, "evaluations", lambda version, year=None: [evaluation])
    monkeypatch.setattr(selectors, "improvement_actions", lambda version: [action])
    monkeypatch.setattr(selectors, "latest_check_run", lambda version: (True, run))
    document = open_docx(produce(world.version, "followup", "docx", year=2020).content)
    answers = dict(table_text(find_table(document, "Utvärdering 1: S1, 2020"))[1:])
    assert (
        answers["Varför har skyddet eller säkerheten ökat, eller inte?"]
        == "Hembesöken har nått fler hushåll."
    )
    assert answers["Sidoeffekter"] == "–"
    actions = table_text(find_table(document, "Förbättringsåtgärder"))
    assert actions[1] == ["Riktade hembesök", "Förebyggande", "5 mars 2026", "oppen"]
    checks = table_text(find_table(document, "Egenkontrollen: brister"))
    assert checks[1:] == [
        ["HP-16", "Samråd", "brist (krav)", "Samrådet är inte registrerat.", "LSO 3\u00a0kap.\u00a03\u00a0§"]
    ]
    text = _paragraphs(document)
    assert (
        "Egenkontrollen kördes 1 februari 2026 med regelversion 2026-1: 1 av 2 kontroller utan anmärkning."
        in text
    )


def test_with_the_real_evaluation_and_checks_apps(world: World) -> None:
    evaluation_services = pytest.importorskip("lsoplan.evaluation.services")
    check_services = pytest.importorskip("lsoplan.checks.services")
    evaluation = evaluation_services.create_evaluation(
        SYSTEM, world.safety_goal, period_start=2020, period_end=2020, why="Färre bränder i flerbostadshus."
    )
    evaluation_services.create_action(
        SYSTEM, world.version, title="Fler hembesök", owner="Förebyggande", evaluation=evaluation
    )
    check_services.run_checks(SYSTEM, world.version)
    document = open_docx(produce(world.version, "followup", "docx", year=2020).content)
    assert table_text(find_table(document, "Utvärdering 1"))[1][1] == "Färre bränder i flerbostadshus."
    assert table_text(find_table(document, "Förbättringsåtgärder"))[1][:2] == [
        "Fler hembesök",
        "Förebyggande",
    ]
    assert "Egenkontrollen kördes" in _paragraphs(document)
    # An evaluation of another year is not part of this year's report.
    later = open_docx(produce(world.version, "followup", "docx", year=2019).content)
    assert "Inga utvärderingar är registrerade för 2019." in _paragraphs(later)
