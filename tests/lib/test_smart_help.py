"""The SMART help texts point at form fields that exist (issue 13)."""

from __future__ import annotations

import re

import pytest
from django.db import models

from lsoplan.goals.forms import IndicatorForm, PerformanceGoalForm, SafetyGoalForm
from lsoplan.goals.models import Indicator, SafetyGoal
from lsoplan.lib.smart import FIELD_LABELS, GoalInput, check_goal

GOAL_FIELDS = {"text", "owner"}


@pytest.mark.parametrize(("name", "label"), sorted(FIELD_LABELS.items()))
def test_each_field_named_in_the_help_has_that_label_on_its_form(name: str, label: str) -> None:
    model, forms = (
        (SafetyGoal, (SafetyGoalForm, PerformanceGoalForm))
        if name in GOAL_FIELDS
        else (
            Indicator,
            (IndicatorForm,),
        )
    )
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    assert str(field.verbose_name).capitalize() == label
    assert all(name in form.Meta.fields for form in forms)


def _quoted_fields(text: str) -> set[str]:
    # ”Målår” after "fältet"/"fälten" (possibly a list: fälten ”A”, ”B” och ”C”).
    found: set[str] = set()
    for m in re.finditer(r"fält(?:et|en)\s+((?:”[^”]+”(?:,\s*|\s+och\s+)?)+)", text):
        found |= set(re.findall(r"”([^”]+)”", m.group(1)))
    return found


def test_every_field_a_fix_points_at_is_a_known_form_label() -> None:
    goals = [
        GoalInput("Antalet bränder ska minska"),
        GoalInput("Kommunen ska minska olyckorna senast 2030", baseline=40),
        GoalInput("Antalet bränder ska minska med 10 % senast 2030", target_year=2028),
        GoalInput("Vi ska vara en säker och trygg kommun"),
    ]
    texts = [
        " ".join([c.fix or "", *c.reasons]) for goal in goals for c in check_goal(goal).criteria.values()
    ]
    named = set().union(*(_quoted_fields(t) for t in texts))
    assert named  # the fixes do point at fields
    assert named <= set(FIELD_LABELS.values())


def test_a_missing_owner_points_at_the_owner_field() -> None:
    fix = check_goal(GoalInput("Minst 400 tillsyner per år 2027–2030")).criteria["accepterat"].fix
    assert fix is not None and "fältet ”Ansvarig”" in fix
