"""Plausibility through the web and the command line: refused with the field named, nothing saved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.cli import main
from lsoplan.goals import services as goals
from lsoplan.goals.models import Measure, Measurement
from lsoplan.programmes.exchange_export import dumps, export_version
from tests.factories import PASSWORD, SYSTEM, World

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def editor(world: World) -> Client:
    client = Client()
    assert client.login(username=world.editor.username, password=PASSWORD)
    return client


def _measure(editor: Client, world: World, **fields: str) -> Any:
    post = {"year": "2021", "value": "3", "vintage": "slutlig", "note": ""} | fields
    return editor.post(reverse("indicator_detail", kwargs={"pk": world.indicator.pk}), post)


def test_a_negative_count_is_refused_on_the_indicator_page(world: World, editor: Client) -> None:
    before = Measurement.objects.count()
    response = _measure(editor, world, value="-3")
    assert response.status_code == 400
    assert "Ett antal kan inte vara negativt." in response.content.decode()
    assert Measurement.objects.count() == before


def test_a_fractional_count_is_refused_on_the_indicator_page(world: World, editor: Client) -> None:
    response = _measure(editor, world, value="55,5")
    assert response.status_code == 400
    assert "Ett antal ska vara ett heltal." in response.content.decode()


def test_a_final_value_for_this_year_is_refused(world: World, editor: Client) -> None:
    response = _measure(editor, world, year=str(THIS_YEAR))
    assert response.status_code == 400
    assert f"År {THIS_YEAR} är inte slut ännu" in response.content.decode()


def test_a_preliminary_value_for_this_year_is_saved(world: World, editor: Client) -> None:
    response = _measure(editor, world, year=str(THIS_YEAR), vintage="preliminar")
    assert response.status_code == 302
    assert Measurement.objects.get(series=world.indicator.series, year=THIS_YEAR).vintage == "preliminar"


def _indicator_post(world: World, **fields: str) -> dict[str, str]:
    ind = world.indicator
    return {
        "name": ind.name,
        "unit": ind.unit,
        "direction": "lower",
        "normalisation": "none",
        "is_count": "on",
        "source": "manual",
        "baseline_value": "60",
        "baseline_start": "2016",
        "baseline_end": "2019",
        "target_value": "80",
        "target_year": "2030",
        "target_reason": "",
    } | fields


def test_a_target_on_the_wrong_side_of_the_baseline_is_refused(world: World, editor: Client) -> None:
    url = reverse("indicator_edit", kwargs={"pk": world.indicator.pk})
    response = editor.post(url, _indicator_post(world))
    assert response.status_code == 400
    assert "Målvärdet 80 är högre än utgångsvärdet 60, fast lägre är bättre." in response.content.decode()
    world.indicator.refresh_from_db()
    assert world.indicator.target_value == 20.0


def test_a_target_on_the_wrong_side_is_saved_with_its_reason(world: World, editor: Client) -> None:
    url = reverse("indicator_edit", kwargs={"pk": world.indicator.pk})
    reason = "Fler bränder upptäcks när registreringen blir fullständig."
    response = editor.post(url, _indicator_post(world, target_reason=reason))
    assert response.status_code == 303
    world.indicator.refresh_from_db()
    assert (world.indicator.target_value, world.indicator.target_reason) == (80.0, reason)


def test_a_cost_written_with_a_thousands_space_is_accepted(world: World, editor: Client) -> None:
    url = reverse("measure_create", kwargs={"pk": world.performance_goal.pk})
    post = {"text": "Brandvarnare till alla", "owner": "", "cost_once": "150 000", "status": "planerad"}
    assert editor.post(url, post).status_code == 302
    assert Measure.objects.get(text="Brandvarnare till alla").cost_once == 150000


def test_a_negative_cost_is_refused(world: World, editor: Client) -> None:
    url = reverse("measure_create", kwargs={"pk": world.performance_goal.pk})
    post = {"text": "Brandvarnare", "owner": "", "cost_yearly": "-5", "status": "planerad"}
    response = editor.post(url, post)
    assert response.status_code == 400
    assert "En kostnad kan inte vara negativ." in response.content.decode()


def test_import_check_refuses_a_negative_and_a_fractional_count_naming_the_path(
    world: World, tmp_path: Path, capsys: Any
) -> None:
    data = json.loads(dumps(export_version(world.version)))
    rows = data["series"][0]["measurements"]
    rows[0]["value"], rows[1]["value"] = -3, 55.5
    path = tmp_path / "fel.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", str(path), "--org", world.org.slug, "--check"]) == 1
    err = capsys.readouterr().err
    assert "$.series[0].measurements[0].value: Ett antal kan inte vara negativt." in err
    assert "$.series[0].measurements[1].value: Ett antal ska vara ett heltal." in err


def test_import_check_refuses_a_future_final_value(world: World, tmp_path: Path, capsys: Any) -> None:
    goals.record_measurement(SYSTEM, world.indicator.series, year=THIS_YEAR + 1, value=3.0)  # old bad data
    data = json.loads(dumps(export_version(world.version)))
    path = tmp_path / "fel.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", str(path), "--org", world.org.slug, "--check"]) == 1
    assert f"År {THIS_YEAR + 1} är inte slut ännu" in capsys.readouterr().err


def test_a_corrected_old_value_in_the_file_is_history_and_not_judged(
    world: World, tmp_path: Path, capsys: Any
) -> None:
    data = json.loads(dumps(export_version(world.version)))
    rows = data["series"][0]["measurements"]
    rows.append({**rows[0], "value": -3, "replaced_at": "2021-01-01T00:00:00.000000Z"})
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", str(path), "--org", world.org.slug, "--check"]) == 0


def test_existing_bad_data_is_shown_on_the_indicator_page(world: World, editor: Client) -> None:
    goals.record_measurement(
        SYSTEM, world.indicator.series, year=2021, value=-3.0
    )  # entered before the rules
    html = editor.get(reverse("indicator_detail", kwargs={"pk": world.indicator.pk})).content.decode()
    assert "Att kontrollera" in html
    assert "Mätvärdet för 2021: Ett antal kan inte vara negativt." in html


def test_a_target_year_outside_the_period_is_a_warning_on_the_indicator_page(
    world: World, editor: Client
) -> None:
    goals.update_indicator(SYSTEM, world.indicator, target_year=2035)
    html = editor.get(reverse("indicator_detail", kwargs={"pk": world.indicator.pk})).content.decode()
    assert "Obs: Målåret 2035 ligger utanför programperioden 2027–2030" in html


def test_a_plausible_indicator_page_has_nothing_to_check(world: World, editor: Client) -> None:
    html = editor.get(reverse("indicator_detail", kwargs={"pk": world.indicator.pk})).content.decode()
    assert "Att kontrollera" not in html


def test_egenkontroll_reports_existing_bad_data_as_a_finding(world: World) -> None:
    from lsoplan.checks.selectors import live_evaluation

    goals.record_measurement(SYSTEM, world.indicator.series, year=2021, value=55.5)
    [finding] = [f for f in live_evaluation(world.version).findings if f.rule_id == "data-rimlighet"]
    assert finding.status == "brist"
    assert (
        finding.message == "Indikatorn ”Bränder i bostad”: Mätvärdet för 2021: Ett antal ska vara ett heltal."
    )
    assert finding.target is not None and finding.target.object_id == world.indicator.pk


def test_import_check_warns_about_a_target_year_after_the_period_but_accepts_the_file(
    world: World, tmp_path: Path, capsys: Any
) -> None:
    data = json.loads(dumps(export_version(world.version)))
    data["safety_goals"][0]["indicators"][0]["target_year"] = 2035
    path = tmp_path / "obs.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", str(path), "--org", world.org.slug, "--check"]) == 0
    captured = capsys.readouterr()
    assert "Obs: $.safety_goals[0].indicators[0].target_year: Målåret 2035 ligger utanför" in captured.err
    assert "inga fel, filen kan importeras" in captured.out
