"""Evaluations and improvement actions: the closing rule, adopted versions, carry-over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lsoplan.audit.models import AuditEntry
from lsoplan.evaluation import services
from lsoplan.evaluation.models import Evaluation, ImprovementAction
from lsoplan.goals import services as goals
from lsoplan.goals.models import SafetyGoal
from lsoplan.programmes import services as programmes
from tests.evaluation import helpers
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db


def _achieved_goal(w: World) -> SafetyGoal:
    """A goal whose indicator fell from 100 to 40 a year against a target of 70 for 2022: "uppnått".

    The target year is over (a target still to come can only be "på väg", see lib.verdicts)."""
    sg = goals.create_safety_goal(SYSTEM, w.version, code="S2", text="Bränderna ska bli färre.")
    indicator = goals.create_indicator(
        SYSTEM,
        sg,
        name="Bränder",
        unit="antal",
        direction="lower",
        is_count=True,
        baseline_value=100.0,
        baseline_start=2016,
        baseline_end=2019,
        target_value=70.0,
        target_year=2022,
    )
    for year, value in [
        (2016, 100),
        (2017, 100),
        (2018, 100),
        (2019, 100),
        (2020, 40),
        (2021, 40),
        (2022, 40),
    ]:
        goals.record_measurement(SYSTEM, indicator.series, year=year, value=float(value))
    return sg


def _adopt(w: World) -> None:
    programmes.adopt(
        SYSTEM, w.version, body="kommunfullmaktige", date=dt.date(2026, 11, 20), paragraph="§ 12"
    )
    w.version.refresh_from_db()


def test_evaluation_stores_goal_and_followup_verdict(world: World) -> None:
    evaluation = helpers.evaluation(world, why="Fler hembesök.")
    assert evaluation.goal_lineage == world.safety_goal.lineage
    assert evaluation.goal_label.startswith("Säkerhetsmål S1:")
    snap = evaluation.followup_snapshot
    assert snap["year"] == 2020
    assert snap["overall"] == "ingen säkerställd förändring"
    assert snap["indicators"][0]["name"] == "Bränder i bostad"
    assert "Ingen säkerställd förändring" in snap["indicators"][0]["sentence"]


def test_period_is_checked_field_by_field(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        services.create_evaluation(SYSTEM, world.safety_goal, period_start=2022, period_end=2020)
    assert info.value.message_dict == {"period_end": ["Periodens slut kan inte ligga före dess början."]}
    assert not Evaluation.objects.exists()


def test_goal_not_met_cannot_close_without_action_or_reason(world: World) -> None:
    evaluation = helpers.evaluation(world)
    with pytest.raises(ValidationError) as info:
        services.close_evaluation(SYSTEM, evaluation, assessment="inte_uppnatt")
    message = info.value.message_dict["no_action_reason"][0]
    assert "Koppla minst en förbättringsåtgärd" in message
    assert "ingen säkerställd förändring" in message
    evaluation.refresh_from_db()
    assert evaluation.status == "oppen"


def test_closing_needs_an_assessment(world: World) -> None:
    evaluation = helpers.evaluation(world)
    with pytest.raises(ValidationError) as info:
        services.close_evaluation(SYSTEM, evaluation, assessment="", no_action_reason="Se text.")
    assert "assessment" in info.value.message_dict


def test_written_reason_is_enough(world: World) -> None:
    evaluation = helpers.evaluation(world)
    closed = services.close_evaluation(
        SYSTEM, evaluation, assessment="delvis", no_action_reason="Åtgärderna pågår redan i P1."
    )
    assert closed.status == "avslutad" and closed.closed_at is not None


def test_linked_action_is_enough_but_not_a_cancelled_one(world: World) -> None:
    evaluation = helpers.evaluation(world)
    action = helpers.action(world, evaluation=evaluation, status="avbruten")
    assert action.source == "utvardering"  # linked to an evaluation, so that is where it came from
    with pytest.raises(ValidationError):
        services.close_evaluation(SYSTEM, evaluation, assessment="inte_uppnatt")
    helpers.action(world, evaluation=evaluation)
    closed = services.close_evaluation(SYSTEM, evaluation, assessment="inte_uppnatt")
    assert closed.is_closed


def test_goal_met_closes_without_action(world: World) -> None:
    sg = _achieved_goal(world)
    evaluation = services.create_evaluation(SYSTEM, sg, period_start=2020, period_end=2022)
    assert evaluation.followup_snapshot["overall"] == "uppnått"
    assert services.close_evaluation(SYSTEM, evaluation, assessment="uppnatt").is_closed


def test_goal_met_but_judged_partly_still_needs_action(world: World) -> None:
    sg = _achieved_goal(world)
    evaluation = services.create_evaluation(SYSTEM, sg, period_start=2020, period_end=2022)
    with pytest.raises(ValidationError):
        services.close_evaluation(SYSTEM, evaluation, assessment="delvis")


def test_closed_evaluation_is_read_only_until_reopened(world: World) -> None:
    evaluation = helpers.evaluation(world)
    services.close_evaluation(SYSTEM, evaluation, assessment="delvis", no_action_reason="Skäl.")
    with pytest.raises(ValidationError, match="avslutad"):
        services.update_evaluation(SYSTEM, evaluation, why="Ny text")
    services.reopen_evaluation(SYSTEM, evaluation)
    assert services.update_evaluation(SYSTEM, evaluation, why="Ny text").why == "Ny text"


def test_evaluation_and_actions_are_allowed_on_an_adopted_version(world: World) -> None:
    _adopt(world)
    assert world.version.is_frozen
    evaluation = helpers.evaluation(world)
    action = helpers.action(world, evaluation=evaluation)
    services.update_action(SYSTEM, action, status="pagar")
    services.close_evaluation(SYSTEM, evaluation, assessment="inte_uppnatt")
    # The audit trail files them under the version, so they show on its history page.
    entries = AuditEntry.objects.filter(version_id=world.version.pk, model__startswith="evaluation.")
    assert {e.model for e in entries} == {"evaluation.evaluation", "evaluation.improvementaction"}


def test_evaluation_survives_its_goal_being_deleted(world: World) -> None:
    evaluation = helpers.evaluation(world)
    goals.delete_goal(SYSTEM, world.safety_goal)
    evaluation.refresh_from_db()
    assert evaluation.goal is None
    assert evaluation.goal_label.startswith("Säkerhetsmål S1")


def test_surveys_of_another_organisation_are_refused(world: World, other_world: World) -> None:
    foreign = helpers.survey(other_world)
    with pytest.raises(ValidationError) as info:
        helpers.evaluation(world, surveys=[foreign])
    assert "surveys" in info.value.message_dict


def test_action_cannot_link_an_evaluation_of_another_programme(world: World, other_world: World) -> None:
    foreign = helpers.evaluation(other_world)
    with pytest.raises(ValidationError) as info:
        helpers.action(world, evaluation=foreign)
    assert "evaluation" in info.value.message_dict


def test_control_finding_reference_is_kept(world: World) -> None:
    action = helpers.action(world, source="egenkontroll", source_ref={"rule": "HP-12", "run": 5})
    action.refresh_from_db()
    assert action.source_ref == {"rule": "HP-12", "run": 5}


def test_open_actions_carry_into_the_next_version(world: World) -> None:
    evaluation = helpers.evaluation(world)
    open_one = helpers.action(world, evaluation=evaluation, due_date=dt.date(2027, 6, 30))
    ongoing = helpers.action(world, title="Ny rutin för tillsyn", status="pagar")
    helpers.action(world, title="Klar sak", status="klar")
    helpers.action(world, title="Avbruten sak", status="avbruten")
    _adopt(world)
    draft = programmes.new_draft(SYSTEM, world.version)
    # new_draft may already carry them over once the lead wires it in; either way the result is the same.
    services.carry_open_actions(SYSTEM, world.version, draft)
    copies = ImprovementAction.objects.filter(programme_version=draft).order_by("title")
    assert [(a.title, a.status) for a in copies] == [
        ("Fler hembesök i flerbostadshus", "oppen"),
        ("Ny rutin för tillsyn", "pagar"),
    ]
    by_lineage = {a.lineage: a for a in copies}
    assert set(by_lineage) == {open_one.lineage, ongoing.lineage}
    carried = by_lineage[open_one.lineage]
    assert carried.evaluation_id == evaluation.pk and carried.due_date == dt.date(2027, 6, 30)
    # Calling again copies nothing twice.
    assert services.carry_open_actions(SYSTEM, world.version, draft) == 0
    # The originals stay with the old version.
    assert ImprovementAction.objects.filter(programme_version=world.version).count() == 4


def test_carry_counts_what_it_copied(world: World) -> None:
    helpers.action(world)
    helpers.action(world, title="Två", status="pagar")
    other = programmes.create_programme(SYSTEM, world.org, title="Annat", period_start=2027, period_end=2030)
    with pytest.raises(ValueError):
        services.carry_open_actions(SYSTEM, world.version, programmes.current_version(other))
    _adopt(world)
    draft = programmes.new_draft(SYSTEM, world.version)
    ImprovementAction.objects.filter(programme_version=draft).delete()  # start clean whatever new_draft did
    assert services.carry_open_actions(SYSTEM, world.version, draft) == 2


def test_demo_content_loads_on_an_adopted_version(world: World) -> None:
    from lsoplan.demo.evaluation import load_demo_evaluation

    _adopt(world)
    evaluations = load_demo_evaluation(SYSTEM, world.version, 2020)
    assert len(evaluations) == 1  # the world has one säkerhetsmål
    evaluation = Evaluation.objects.get(pk=evaluations[0].pk)
    assert evaluation.is_closed and evaluation.actions.count() == 1
    assert evaluation.surveys.count() == 1
    draft = programmes.new_draft(SYSTEM, world.version)
    services.carry_open_actions(SYSTEM, world.version, draft)
    assert ImprovementAction.objects.filter(programme_version=draft, status="pagar").count() == 1


def test_stage_summary_for_the_overview(world: World) -> None:
    from lsoplan.evaluation.selectors import stage_summary

    evaluation = helpers.evaluation(world)
    helpers.action(world, evaluation=evaluation, due_date=dt.date(2020, 1, 1))
    helpers.action(world, title="Senare", due_date=dt.date(2030, 1, 1))
    helpers.action(world, title="Klar", status="klar", due_date=dt.date(2020, 1, 1))
    assert stage_summary(world.version, today=dt.date(2026, 1, 1)) == {
        "evaluations": 1,
        "open_evaluations": 1,
        "open_actions": 2,
        "overdue_actions": 1,
    }
