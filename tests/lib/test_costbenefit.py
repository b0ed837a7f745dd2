"""Cost-benefit maths against hand calculations and an independent discounted-cash-flow sum."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from lsoplan.lib.costbenefit import (
    BENEFIT_KEYS,
    CostParameterError,
    Inputs,
    analyse,
    annuity_factor,
    as_dict,
    parse_parameter_set,
)
from lsoplan.reference import DATA


def _raw(index: dict[int, float] | None = None, **values: float) -> dict[str, Any]:
    """A small parameter set: every valuation 100 000 kr (low 50 000, high 200 000) in 2020 prices."""
    params = {
        key: {
            "label": key,
            "value": values.get(key, 100_000.0),
            "low": min(values.get(key, 100_000.0), 50_000.0),
            "high": max(values.get(key, 100_000.0), 200_000.0),
            "unit": "kr",
            "price_year": 2020,
            "source": "test",
        }
        for key in BENEFIT_KEYS
    }
    return {
        "version": "t1",
        "source": "test",
        "retrieved": "2026-01-01",
        "price_level_year": 2020,
        "price_index": {"name": "KPI", "values": index or {2020: 100.0}},
        "discount_rate": {"value": 0.04, "source": "test"},
        "parameters": params,
    }


def _discounted(cash_flows: list[float], rate: float) -> float:
    """Independent reference: Σ cf_t / (1 + r)^t with numpy, t = 0…N."""
    cf = np.asarray(cash_flows, dtype=float)
    return float(np.sum(cf / (1.0 + rate) ** np.arange(len(cf))))


def test_hand_calculation() -> None:
    # One-off 100 000 kr, 10 000 kr a year, 5 years at 4 %, 0,5 avoided building fires a year at
    # 100 000 kr: benefit 50 000 kr a year. Annuity factor (1 − 1,04^−5)/0,04 = 4,451822.
    ps = parse_parameter_set(_raw())
    result = analyse(Inputs(100_000, 10_000, 5, 0.04, {"building_fire": 0.5}), ps)
    central = result.scenarios["central"]
    assert result.annuity == pytest.approx(4.451822, abs=1e-6)
    assert central.pv_costs == pytest.approx(144_518.22, abs=0.01)
    assert central.pv_benefits == pytest.approx(222_591.11, abs=0.01)
    assert central.npv == pytest.approx(78_072.89, abs=0.01)
    assert central.bcr == pytest.approx(1.540229, abs=1e-6)
    # Running balance: −100 000 + 38 461,5 + 36 982,2 + 35 559,8 ≥ 0 first in year 3.
    assert central.break_even_year == 3
    # Break-even benefit: PV costs / annuity = 144 518,22 / 4,451822 = 32 462,71 kr a year.
    assert result.required_yearly_benefit == pytest.approx(32_462.71, abs=0.01)
    assert result.equivalents["building_fire"] == pytest.approx(0.3246271, abs=1e-6)


def test_low_and_high_scenarios_move_every_valuation() -> None:
    ps = parse_parameter_set(_raw())
    result = analyse(Inputs(0, 0, 1, 0.0, {"vsl": 1, "building_fire": 2}), ps)
    assert result.scenarios["low"].yearly_benefit == 150_000
    assert result.scenarios["central"].yearly_benefit == 300_000
    assert result.scenarios["high"].yearly_benefit == 600_000
    assert result.scenarios["central"].bcr is None  # no costs: no ratio
    assert result.scenarios["central"].break_even_year == 0


def test_price_index_brings_values_to_todays_prices() -> None:
    raw = _raw(index={2017: 322.11, 2020: 335.92, 2023: 403.70})
    raw["price_level_year"] = 2023
    raw["parameters"]["vsl"].update(value=40_500_000, low=24_000_000, high=60_000_000, price_year=2017)
    ps = parse_parameter_set(raw)
    assert ps.today("vsl") == pytest.approx(40_500_000 * 403.70 / 322.11)
    assert ps.today("vsl", "low") == pytest.approx(24_000_000 * 403.70 / 322.11)


def test_minutes_saved_count_per_operation() -> None:
    ps = parse_parameter_set(_raw(minute_saved=10_000))
    inputs = Inputs(0, 0, 1, 0.0, minutes_per_operation=1.5, operations_per_year=40)
    result = analyse(inputs, ps)
    assert result.scenarios["central"].yearly_benefit == pytest.approx(1.5 * 40 * 10_000)


def test_zero_rate_is_plain_sum() -> None:
    assert annuity_factor(0.0, 7) == 7
    assert annuity_factor(0.05, 3) == pytest.approx(1 / 1.05 + 1 / 1.05**2 + 1 / 1.05**3)


def test_never_breaks_even() -> None:
    ps = parse_parameter_set(_raw())
    result = analyse(Inputs(1_000_000, 0, 3, 0.03, {"slight_injury": 0.1}), ps)
    assert result.scenarios["central"].break_even_year is None
    assert result.scenarios["central"].npv < 0


@given(
    one_off=st.floats(0, 1e7),
    yearly_cost=st.floats(0, 1e6),
    years=st.integers(1, 40),
    rate=st.floats(0, 0.15),
    fires=st.floats(0, 5),
    deaths=st.floats(0, 0.2),
)
def test_matches_discounted_cash_flows(
    one_off: float, yearly_cost: float, years: int, rate: float, fires: float, deaths: float
) -> None:
    ps = parse_parameter_set(_raw())
    result = analyse(Inputs(one_off, yearly_cost, years, rate, {"building_fire": fires, "vsl": deaths}), ps)
    for name, value in (("low", 50_000.0), ("central", 100_000.0), ("high", 200_000.0)):
        benefit = (fires + deaths) * value
        flows = [-one_off] + [benefit - yearly_cost] * years
        s = result.scenarios[name]
        assert s.npv == pytest.approx(_discounted(flows, rate), rel=1e-9, abs=1e-6)
        costs = _discounted([one_off] + [yearly_cost] * years, rate)
        if costs > 1e-6:
            assert s.bcr is not None
            assert (s.bcr > 1) == (s.npv > 0) or s.npv == pytest.approx(0, abs=1e-6)
        if s.break_even_year is not None and s.break_even_year > 0:
            t = s.break_even_year
            assert _discounted(flows[: t + 1], rate) >= -1e-6 * max(1.0, one_off)
            assert _discounted(flows[:t], rate) < 0
    low, central, high = (result.scenarios[n].npv for n in ("low", "central", "high"))
    assert low <= central + 1e-6 and central <= high + 1e-6


def test_bad_inputs_are_refused() -> None:
    ps = parse_parameter_set(_raw())
    with pytest.raises(ValueError, match="kalkylperioden"):
        analyse(Inputs(0, 0, 0, 0.03), ps)
    with pytest.raises(ValueError, match="negativa"):
        analyse(Inputs(-1, 0, 5, 0.03), ps)


def test_parameter_faults_are_listed_in_swedish() -> None:
    raw = _raw()
    raw["parameters"]["vsl"]["low"] = 500_000  # above the value
    raw["parameters"]["slight_injury"]["price_year"] = 1999  # no index for it
    del raw["parameters"]["building_fire"]["source"]
    with pytest.raises(CostParameterError) as info:
        parse_parameter_set(raw)
    problems = " | ".join(info.value.problems)
    assert "parameter vsl: det ska gälla låg ≤ värde ≤ hög" in problems
    assert "parameter slight_injury: prisindex saknas för prisåret 1999" in problems
    assert "parameter building_fire: 'source' saknas" in problems


def test_missing_index_for_price_level() -> None:
    raw = _raw()
    raw["price_level_year"] = 2030
    with pytest.raises(CostParameterError, match="prisnivååret 2030"):
        parse_parameter_set(raw)


def test_reference_file_is_usable_and_honest() -> None:
    raw = yaml.safe_load((DATA / "cost_parameters.yaml").read_text(encoding="utf-8"))
    for key in ("source", "retrieved", "version"):
        assert raw[key]
    ps = parse_parameter_set(copy.deepcopy(raw))
    assert ps.parameters["vsl"].value == 40_500_000
    # Every figure not checked against its source says so, and explains itself.
    for p in ps.parameters.values():
        assert p.verified or p.note, p.key
    assert not ps.parameters["serious_injury"].verified
    assert not ps.parameters["slight_injury"].verified
    result = analyse(Inputs(100_000, 10_000, 10, ps.discount_rate.value, {"building_fire": 1}), ps)
    assert as_dict(result)["version"] == "2026.1"
