"""Survey imports (all or nothing) and versioned cost parameters with the analyses that use them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lsoplan.audit.models import AuditEntry
from lsoplan.evaluation import selectors, services
from lsoplan.evaluation.models import CostBenefitAnalysis, CostParameterSet, Survey, SurveyAnswer
from lsoplan.lib.costbenefit import parse_parameter_set
from tests.evaluation import helpers
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db


def test_survey_import_with_margins(world: World) -> None:
    survey = helpers.survey(world)
    assert survey.answers.count() == 3
    table = dict(selectors.survey_table(survey))
    first = table["Hur trygg känner du dig i din bostad?"][0]
    assert first.option == "Mycket trygg" and first.respondents == 812
    assert first.interval.lower < 0.453 < first.interval.upper
    assert first.interval.margin == pytest.approx(0.034, abs=0.001)  # ≈ 1,96·√(0,453·0,547/812)
    entry = AuditEntry.objects.get(model="evaluation.survey", object_id=str(survey.pk))
    assert entry.changes["svarsrader"] == [None, 3]


def test_bad_survey_file_writes_nothing(world: World) -> None:
    bad = helpers.SURVEY_CSV + "Ny fråga;Ja;femtio;100\nNy fråga;Nej;50;-3\n"
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as info:
        services.import_survey(
            SYSTEM, world.org, name="X", year=2024, source="Y", data=bad.encode("cp1252"), file_name="x.csv"
        )
    problems = info.value.message_dict["file"]
    assert problems == [
        "x.csv rad 5, kolumn 'andel': 'femtio' är inte ett tal",
        "x.csv rad 6, kolumn 'antal_svarande': '-3' ska vara ett heltal från 1 till 11 miljoner",
    ]
    assert not Survey.objects.exists() and not SurveyAnswer.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_survey_needs_name_source_and_year(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        services.import_survey(SYSTEM, world.org, name=" ", year=0, source="", data=b"")
    assert set(info.value.message_dict) == {"name", "year", "source", "file"}


def test_survey_in_use_cannot_be_deleted(world: World) -> None:
    survey = helpers.survey(world)
    helpers.evaluation(world, surveys=[survey])
    with pytest.raises(ValidationError, match="används"):
        services.delete_survey(SYSTEM, survey)
    unused = services.import_survey(
        SYSTEM, world.org, name="B", year=2023, source="S", data=helpers.SURVEY_CSV.encode()
    )
    services.delete_survey(SYSTEM, unused)
    assert not SurveyAnswer.objects.filter(survey_id=unused.pk).exists()


def test_analysis_records_the_parameter_version(world: World) -> None:
    assert selectors.current_parameter_set(world.org) is None  # the reference file until first use
    analysis = helpers.analysis(world)
    assert analysis.parameter_version == "2026.1"
    assert analysis.parameter_set.parameter_version == "2026.1"
    assert analysis.subject_label.startswith("Åtgärd: Hembesök")
    central = analysis.result["scenarios"]["central"]
    assert central["pv_costs"] == pytest.approx(50_000 + 200_000 * 8.316605, rel=1e-6)
    assert (
        analysis.result["scenarios"]["low"]["npv"]
        < central["npv"]
        < analysis.result["scenarios"]["high"]["npv"]
    )


def test_new_parameters_are_a_new_version_and_old_results_stay(world: World) -> None:
    first = helpers.analysis(world)
    raw = selectors.reference_parameters()
    raw["parameters"]["building_fire"].update(value=700_000, high=900_000, verified=True)
    saved = services.save_parameter_set(SYSTEM, world.org, raw, note="Ny skattning från försäkringsbolagen.")
    assert saved.parameter_version == "2026.1-lokal1"
    assert saved.based_on is not None and saved.based_on.parameter_version == "2026.1"
    assert CostParameterSet.objects.filter(organisation=world.org).count() == 2
    second = helpers.analysis(world)
    assert second.parameter_version == "2026.1-lokal1"
    first.refresh_from_db()
    assert first.parameter_version == "2026.1"  # never recomputed behind the user's back
    fires_first = next(line for line in first.result["lines"] if line["key"] == "building_fire")
    fires_second = next(line for line in second.result["lines"] if line["key"] == "building_fire")
    assert fires_second["unit_value"] / fires_first["unit_value"] == pytest.approx(700_000 / 500_000)
    again = services.save_parameter_set(SYSTEM, world.org, raw, note="Igen.")
    assert again.parameter_version == "2026.1-lokal2"


def test_parameter_changes_are_checked(world: World) -> None:
    raw = selectors.reference_parameters()
    raw["parameters"]["vsl"]["low"] = 99_000_000
    with pytest.raises(ValidationError, match="låg ≤ värde ≤ hög"):
        services.save_parameter_set(SYSTEM, world.org, raw, note="Fel.")
    with pytest.raises(ValidationError) as info:
        services.save_parameter_set(SYSTEM, world.org, selectors.reference_parameters(), note="")
    assert "note" in info.value.message_dict


def test_adopting_the_reference_file_once(world: World) -> None:
    services.ensure_parameter_set(SYSTEM, world.org)
    with pytest.raises(ValidationError, match="finns redan"):
        services.adopt_reference_parameters(SYSTEM, world.org)


def test_analysis_inputs_are_checked(world: World) -> None:
    with pytest.raises(ValidationError, match="Kalkylperioden"):
        services.create_analysis(
            SYSTEM, world.version, world.measure, title="X", one_off_cost=0, yearly_cost=0, years=0,
            discount_rate=0.03,
        )  # fmt: skip
    assert not CostBenefitAnalysis.objects.exists()


def test_analyses_of_a_goal_include_its_measures(world: World) -> None:
    analysis = helpers.analysis(world)  # on the measure of P1
    evaluation = services.create_evaluation(
        SYSTEM, world.performance_goal, period_start=2027, period_end=2027
    )
    assert selectors.analyses_for(evaluation) == [analysis]
    assert parse_parameter_set(analysis.parameter_set.params).version == "2026.1"
