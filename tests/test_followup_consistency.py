"""One verdict per indicator everywhere: the CLI, the follow-up page, the indicator page, the overview,
the evaluation snapshot and the yearly report agree for every demo indicator; and the demo shows
no "uppnått" that its goal's wording contradicts."""

from __future__ import annotations

import html
import json
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lsoplan.cli import main
from lsoplan.demo import load_demo
from lsoplan.evaluation.selectors import followup_snapshot
from lsoplan.goals.models import Indicator
from lsoplan.lib.report_model import Paragraph
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports.followup_doc import build_followup
from tests.test_followup_pages import BADGE

pytestmark = pytest.mark.django_db
YEAR = 2025  # the demo's last year with values (preliminary)
KEYS = {
    "goal",
    "indicator",
    "target_kind",
    "indicator_kind",
    "verdict",
    "failing_years",
    "years_used",
    "value",
    "baseline",
    "ci_low",
    "ci_high",
    "preliminary",
    "sentence",
}
CODES = {
    "uppnatt",
    "uppnatt_ej_sakerstallt",
    "pa_vag",
    "ingen_sakerstalld_forandring",
    "forsamring",
    "ej_uppnatt",
    "for_lite_data",
    "inget_malvarde",
}


def _cli(capsys: Any, *args: str) -> list[dict[str, Any]]:
    assert main(["followup", *args, "--format", "json"]) == 0
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return rows


def _adopted() -> ProgrammeVersion:
    return ProgrammeVersion.objects.get(organisation__slug="demo", status="antagen")


def test_every_output_gives_each_demo_indicator_the_same_verdict_and_value(capsys: Any) -> None:
    info = load_demo()
    version = _adopted()
    rows = _cli(capsys, str(info.programme_id), "--year", str(YEAR))
    assert rows and all(set(r) == KEYS and r["verdict"] in CODES for r in rows)
    by_name = {(r["goal"], r["indicator"]): r for r in rows}
    indicators = list(
        Indicator.objects.filter(version=version).select_related("safety_goal", "performance_goal")
    )
    assert len(by_name) == len(indicators)

    client = Client()
    client.force_login(User.objects.get(username="planerare"))
    page = html.unescape(client.get(reverse("version_followup", kwargs={"pk": version.pk})).content.decode())
    overview = client.get(reverse("version_overview", kwargs={"pk": version.pk})).content.decode()
    report = [b.text for b in build_followup(version, YEAR).blocks() if isinstance(b, Paragraph)]
    for indicator in indicators:
        row = by_name[(indicator.goal.code, indicator.name)]
        detail = client.get(reverse("indicator_detail", kwargs={"pk": indicator.pk})).content.decode()
        snapshot = followup_snapshot(indicator.goal, YEAR)
        snap = next(r for r in snapshot["indicators"] if r["indicator"] == indicator.pk)
        if row["verdict"] == "inget_malvarde":
            assert snap["status"] is None
            continue
        assert row["sentence"] in page
        assert row["sentence"] in html.unescape(detail)
        assert row["sentence"] in report
        assert snap["sentence"] == row["sentence"]
    # The overview counts the same verdicts the CLI gives (2025 is the last complete year).
    counted = {label: int(n) for label, n in BADGE.findall(overview)}
    labels = {
        "uppnatt": "Uppnått",
        "pa_vag": "På väg",
        "ej_uppnatt": "Ej uppnått",
        "ingen_sakerstalld_forandring": "Ingen säkerställd förändring",
        "forsamring": "Försämring",
        "for_lite_data": "För lite data",
        "inget_malvarde": "Inget målvärde",
        "uppnatt_ej_sakerstallt": "Uppnått men inte säkerställt",
    }
    assert counted == {labels[c]: n for c, n in Counter(r["verdict"] for r in rows).items()}


def test_the_demo_shows_no_achieved_that_its_wording_contradicts(capsys: Any) -> None:
    info = load_demo()
    rows = _cli(capsys, str(info.programme_id))
    by_goal = {r["goal"]: r for r in rows}
    # "minst 450 tillsyner per år 2023–2026": 2023 had 438, so the goal is missed, and says so.
    assert by_goal["P1"]["verdict"] == "ej_uppnatt" and by_goal["P1"]["failing_years"][0] == 2023
    # "varje år 2023–2026 … minst 95 %": 94,5 % in 2023.
    assert by_goal["P9"]["verdict"] == "ej_uppnatt" and "94,5" in by_goal["P9"]["sentence"]
    # Nothing can be achieved while 2026 is not over and 2025 is preliminary.
    assert not [r for r in rows if r["verdict"] in ("uppnatt", "uppnatt_ej_sakerstallt")]
    assert any(r["verdict"] == "pa_vag" for r in rows)
    # Own output is compared directly: no interval.
    assert all(r["ci_low"] is None for r in rows if r["indicator_kind"] == "prestation")


def test_the_trained_people_are_shown_as_counts_not_per_1000() -> None:
    load_demo()
    trained = Indicator.objects.get(version=_adopted(), name="Utbildade personer")
    assert trained.normalisation == "none"


def test_followup_command_rejects_unknown_programme_version_and_year(capsys: Any) -> None:
    info = load_demo()
    assert main(["followup", "999999", "--format", "json"]) == 2
    assert "inget handlingsprogram med id 999999" in capsys.readouterr().err
    assert main(["followup", str(info.programme_id), "--version", "9", "--format", "json"]) == 2
    assert "ingen version 9" in capsys.readouterr().err
    assert main(["followup", str(info.programme_id), "--year", "3000", "--format", "json"]) == 2
    assert "--year" in capsys.readouterr().err
