"""The web forms and the programme file apply the same plausibility rules with the same messages.

Hypothesis draws a measurement or an indicator; the same values go once through the form (as a
planner types them, with a decimal comma) and once through the programme-file check, and both must
refuse the same fields with the same sentences, or both accept.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lsoplan.goals import services as goals
from lsoplan.goals.forms import IndicatorForm, MeasureForm, MeasurementForm
from lsoplan.goals.models import Indicator
from lsoplan.programmes.exchange_export import dumps, export_version
from lsoplan.programmes.exchange_import import validate
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KINDS = {"antal": (True, "antal"), "procent": (False, "%"), "minuter": (False, "minuter")}
THIS_YEAR = timezone.localdate().year

values = st.decimals(min_value=-150, max_value=150, places=1, allow_nan=False, allow_infinity=False)
maybe_values = st.none() | values
years = st.integers(min_value=1985, max_value=THIS_YEAR + 3)


def typed(value: Decimal | int | None) -> str:
    """The value as a planner types it: decimal comma, nothing for an empty field."""
    return "" if value is None else str(value).replace(".", ",")


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def form_errors(form: Any) -> set[tuple[str, str]]:
    form.is_valid()
    return {(name, message) for name, messages in form.errors.items() for message in messages}


def file_errors(data: dict[str, Any], prefix: str) -> set[tuple[str, str]]:
    found = set()
    for problem in validate(data):
        assert problem.path.startswith(prefix), problem  # nothing else in the file is wrong
        found.add((problem.path.removeprefix(prefix), problem.message))
    return found


@pytest.fixture
def base(world: World) -> dict[str, Any]:
    """The world's programme as a file: one safety goal with one indicator on its own series."""
    data = json.loads(dumps(export_version(world.version)))
    assert len(data["safety_goals"][0]["indicators"]) == 1 and data["series"][0]["ref"] == "series-1"
    return data


@pytest.fixture
def indicators(world: World, base: dict[str, Any]) -> dict[str, Indicator]:
    """One indicator of each kind on its own series, for the measurement form (after the export)."""
    return {
        name: goals.create_indicator(SYSTEM, world.safety_goal, name=name, unit=unit, is_count=is_count)
        for name, (is_count, unit) in KINDS.items()
    }


@PROPERTY
@given(
    kind=st.sampled_from(sorted(KINDS)),
    year=years,
    value=values,
    vintage=st.sampled_from(["preliminar", "slutlig"]),
)
def test_a_measurement_is_judged_alike_in_the_form_and_the_file(
    base: dict[str, Any], indicators: dict[str, Indicator], kind: str, year: int, value: Decimal, vintage: str
) -> None:
    form = MeasurementForm(
        {"year": str(year), "value": typed(value), "vintage": vintage, "note": ""}, indicator=indicators[kind]
    )
    data = copy.deepcopy(base)
    is_count, unit = KINDS[kind]
    data["safety_goals"][0]["indicators"][0].update(is_count=is_count, unit=unit)
    row = data["series"][0]["measurements"][0]
    data["series"][0]["measurements"] = [{**row, "year": year, "value": float(value), "vintage": vintage}]
    assert form_errors(form) == file_errors(data, "$.series[0].measurements[0].")


@PROPERTY
@given(
    kind=st.sampled_from(sorted(KINDS)),
    direction=st.sampled_from(["lower", "higher"]),
    baseline_value=maybe_values,
    target_value=maybe_values,
    baseline_start=st.none() | years,
    baseline_end=st.none() | years,
    target_year=st.none() | st.integers(min_value=1995, max_value=2105),
    target_reason=st.sampled_from(["", "Registreringen blev fullständig 2024."]),
)
def test_an_indicator_is_judged_alike_in_the_form_and_the_file(
    base: dict[str, Any],
    world: World,
    kind: str,
    direction: str,
    baseline_value: Decimal | None,
    target_value: Decimal | None,
    baseline_start: int | None,
    baseline_end: int | None,
    target_year: int | None,
    target_reason: str,
) -> None:
    is_count, unit = KINDS[kind]
    fields = {
        "direction": direction,
        "baseline_start": baseline_start,
        "baseline_end": baseline_end,
        "target_year": target_year,
    }
    post = {
        "name": "Bränder",
        "unit": unit,
        "normalisation": "none",
        "source": "manual",
        "baseline_value": typed(baseline_value),
        "target_value": typed(target_value),
        "target_reason": target_reason,
        **{k: "" if v is None else str(v) for k, v in fields.items()},
        **({"is_count": "on"} if is_count else {}),
    }
    programme = world.programme
    form = IndicatorForm(post, period=(programme.period_start, programme.period_end))
    data = copy.deepcopy(base)
    data["safety_goals"][0]["indicators"][0].update(
        is_count=is_count,
        unit=unit,
        baseline_value=number(baseline_value),
        target_value=number(target_value),
        **fields,
        **({"target_reason": target_reason} if target_reason else {}),
    )
    # The file's measurements belong to the world's count series; keep them plausible for any kind.
    data["series"][0]["measurements"] = data["series"][0]["measurements"][:1]
    assert form_errors(form) == file_errors(data, "$.safety_goals[0].indicators[0].")


@PROPERTY
@given(
    cost_once=st.none() | st.integers(min_value=-(10**6), max_value=10**9),
    cost_yearly=st.none() | st.integers(min_value=-(10**6), max_value=10**9),
    grouped=st.booleans(),
)
def test_a_measure_cost_is_judged_alike_in_the_form_and_the_file(
    base: dict[str, Any], cost_once: int | None, cost_yearly: int | None, grouped: bool
) -> None:
    def as_typed(value: int | None) -> str:
        # "150 000" as planners write it, or plain digits
        return "" if value is None else (f"{value:,}".replace(",", " ") if grouped else str(value))

    post = {
        "text": "Brandvarnare",
        "owner": "",
        "cost_once": as_typed(cost_once),
        "cost_yearly": as_typed(cost_yearly),
        "status": "planerad",
    }
    data = copy.deepcopy(base)
    data["performance_goals"][0]["measures"][0].update(cost_once=cost_once, cost_yearly=cost_yearly)
    assert form_errors(MeasureForm(post)) == file_errors(data, "$.performance_goals[0].measures[0].")
