"""Cost and benefit of a measure or a goal: present values, benefit-cost ratio, break-even.

The model is the plain one of a Swedish socio-economic appraisal (samhällsekonomisk kalkyl):

* costs: a one-off cost paid at the start (year 0) and a yearly cost paid in years 1…N;
* benefits: harm avoided each year in years 1…N — deaths, serious and slight injuries, building
  fires, and minutes saved per rescue operation — each valued with a parameter;
* both discounted at a real rate r, so the present value of an amount ``a`` every year is
  ``a · (1 − (1 + r)^−N) / r`` (``a · N`` when r = 0).

Every valuation parameter carries its source and price year; it is brought to one price level
("today's prices", ``price_level_year``) by the ratio of consumer price index (KPI) annual means,
``KPI[price_level_year] / KPI[price_year]``. The costs a planner enters are taken to be in that
same price level. The low and high scenarios put every valuation parameter at its low or high
value at once (the discount rate and the planner's own estimates stay as entered), which gives the
range the result can move within because of the valuations alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Valuation parameters the analysis uses, in the order shown, with the Swedish label of the
# avoided harm they value.
BENEFIT_KEYS: tuple[str, ...] = ("vsl", "serious_injury", "slight_injury", "building_fire", "minute_saved")
HARM_LABELS: Mapping[str, str] = {
    "vsl": "undvikna dödsfall",
    "serious_injury": "undvikna svårt skadade",
    "slight_injury": "undvikna lindrigt skadade",
    "building_fire": "undvikna bränder i byggnad",
    "minute_saved": "sparade insatsminuter",
}
SCENARIOS: tuple[str, ...] = ("low", "central", "high")
SCENARIO_LABELS: Mapping[str, str] = {"low": "låg", "central": "central", "high": "hög"}


class CostParameterError(ValueError):
    """A parameter set cannot be used; ``problems`` lists each fault in Swedish."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    value: float
    low: float
    high: float
    unit: str
    price_year: int
    source: str
    verified: bool
    note: str = ""

    def at(self, scenario: str) -> float:
        return {"low": self.low, "central": self.value, "high": self.high}[scenario]


@dataclass(frozen=True)
class Rate:
    value: float
    source: str
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class ParameterSet:
    version: str
    source: str
    retrieved: str
    index_name: str
    index_source: str
    price_index: Mapping[int, float]
    price_level_year: int
    discount_rate: Rate
    parameters: Mapping[str, Parameter]

    def factor(self, price_year: int) -> float:
        """Multiply an amount in ``price_year`` prices by this to get ``price_level_year`` prices."""
        return self.price_index[self.price_level_year] / self.price_index[price_year]

    def today(self, key: str, scenario: str = "central") -> float:
        p = self.parameters[key]
        return p.at(scenario) * self.factor(p.price_year)


def _number(raw: Mapping[str, Any], name: str, where: str, problems: list[str]) -> float | None:
    value = raw.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"{where}: '{name}' måste vara ett tal (fick {value!r})")
        return None
    return float(value)


def _text(raw: Mapping[str, Any], name: str, where: str, problems: list[str]) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{name}' saknas")
        return ""
    return value.strip()


def _index(raw: Any, problems: list[str]) -> dict[int, float]:
    index: dict[int, float] = {}
    if not isinstance(raw, Mapping) or not raw:
        problems.append("prisindex: 'values' måste vara en tabell år → indextal")
        return index
    for year, value in raw.items():
        try:
            y = int(year)
        except (TypeError, ValueError):
            problems.append(f"prisindex: {year!r} är inte ett år")
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            problems.append(f"prisindex {y}: indextalet måste vara ett positivt tal (fick {value!r})")
            continue
        index[y] = float(value)
    return index


def _parameter(key: str, raw: Any, index: Mapping[int, float], problems: list[str]) -> Parameter | None:
    where = f"parameter {key}"
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: saknas eller har fel form")
        return None
    before = len(problems)
    value = _number(raw, "value", where, problems)
    low = _number(raw, "low", where, problems)
    high = _number(raw, "high", where, problems)
    label = _text(raw, "label", where, problems)
    unit = _text(raw, "unit", where, problems)
    source = _text(raw, "source", where, problems)
    price_year = raw.get("price_year")
    if isinstance(price_year, bool) or not isinstance(price_year, int):
        problems.append(f"{where}: 'price_year' måste vara ett år (fick {price_year!r})")
    elif index and price_year not in index:
        problems.append(f"{where}: prisindex saknas för prisåret {price_year}")
    if value is not None and low is not None and high is not None:
        if min(value, low, high) < 0:
            problems.append(f"{where}: värdena kan inte vara negativa")
        elif not low <= value <= high:
            problems.append(f"{where}: det ska gälla låg ≤ värde ≤ hög (fick {low} ≤ {value} ≤ {high})")
    if len(problems) > before:
        return None
    assert value is not None and low is not None and high is not None and isinstance(price_year, int)
    return Parameter(
        key=key,
        label=label,
        value=value,
        low=low,
        high=high,
        unit=unit,
        price_year=price_year,
        source=source,
        verified=bool(raw.get("verified", False)),
        note=str(raw.get("note") or "").strip(),
    )


def parse_parameter_set(raw: Mapping[str, Any]) -> ParameterSet:
    """Check and read a parameter set (the YAML file's shape, also what the database stores)."""
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        raise CostParameterError(["parameteruppsättningen har fel form"])
    version = str(raw.get("version") or "").strip()
    if not version:
        problems.append("'version' saknas")
    index_raw = raw.get("price_index")
    if not isinstance(index_raw, Mapping):
        problems.append("'price_index' saknas")
        index_raw = {}
    index = _index(index_raw.get("values"), problems)
    level = raw.get("price_level_year")
    if isinstance(level, bool) or not isinstance(level, int):
        problems.append(f"'price_level_year' måste vara ett år (fick {level!r})")
        level = 0
    elif index and level not in index:
        problems.append(f"prisindex saknas för prisnivååret {level}")
    rate_raw = raw.get("discount_rate")
    rate: Rate | None = None
    if not isinstance(rate_raw, Mapping):
        problems.append("'discount_rate' saknas")
    else:
        r = _number(rate_raw, "value", "kalkylränta", problems)
        if r is not None and not 0 <= r < 1:
            problems.append(f"kalkylränta: ska vara en andel mellan 0 och 1 (fick {r})")
        elif r is not None:
            rate = Rate(
                r,
                _text(rate_raw, "source", "kalkylränta", problems),
                bool(rate_raw.get("verified", False)),
                str(rate_raw.get("note") or "").strip(),
            )
    params_raw = raw.get("parameters")
    parameters: dict[str, Parameter] = {}
    if not isinstance(params_raw, Mapping):
        problems.append("'parameters' saknas")
    else:
        for key in BENEFIT_KEYS:
            p = _parameter(key, params_raw.get(key), index, problems)
            if p is not None:
                parameters[key] = p
    if problems or rate is None:
        raise CostParameterError(problems or ["kalkylränta saknas"])
    return ParameterSet(
        version=version,
        source=str(raw.get("source") or ""),
        retrieved=str(raw.get("retrieved") or ""),
        index_name=str(index_raw.get("name") or "KPI"),
        index_source=str(index_raw.get("source") or ""),
        price_index=index,
        price_level_year=level,
        discount_rate=rate,
        parameters=parameters,
    )


@dataclass(frozen=True)
class Inputs:
    """What the planner estimates: costs in today's prices and harm avoided per year."""

    one_off_cost: float
    yearly_cost: float
    years: int
    discount_rate: float
    avoided: Mapping[str, float] = field(default_factory=dict)  # per year, keyed like BENEFIT_KEYS
    # Minutes saved per operation times operations a year gives the yearly minutes.
    minutes_per_operation: float = 0.0
    operations_per_year: float = 0.0

    def yearly_quantity(self, key: str) -> float:
        if key == "minute_saved":
            return self.minutes_per_operation * self.operations_per_year
        return float(self.avoided.get(key, 0.0))


@dataclass(frozen=True)
class BenefitLine:
    key: str
    label: str
    quantity: float  # per year
    unit_value: float  # today's prices, central
    factor: float  # price index ratio applied
    price_year: int
    yearly: float  # quantity × unit_value


@dataclass(frozen=True)
class Scenario:
    name: str
    yearly_benefit: float
    pv_benefits: float
    pv_costs: float
    npv: float
    bcr: float | None  # None when there are no costs
    break_even_year: int | None  # first year the discounted running balance is ≥ 0, None if never


@dataclass(frozen=True)
class Analysis:
    version: str
    price_level_year: int
    discount_rate: float
    years: int
    annuity: float
    lines: tuple[BenefitLine, ...]
    scenarios: Mapping[str, Scenario]
    required_yearly_benefit: float  # for NPV = 0 (break-even benefit level)
    equivalents: Mapping[str, float]  # that level expressed in avoided deaths / building fires a year
    method: str


def annuity_factor(rate: float, years: int) -> float:
    """Present value of 1 kr a year in years 1…N."""
    if years < 0:
        raise ValueError("antalet år kan inte vara negativt")
    if rate == 0:
        return float(years)
    # (1 − (1 + r)^−N) / r written with expm1/log1p, which stay exact for rates near zero.
    return -math.expm1(-years * math.log1p(rate)) / rate


def _check(inputs: Inputs) -> None:
    problems = []
    if not 1 <= inputs.years <= 100:
        problems.append("kalkylperioden ska vara 1–100 år")
    if not 0 <= inputs.discount_rate < 1:
        problems.append("kalkylräntan ska vara mellan 0 och 100 %")
    if inputs.one_off_cost < 0 or inputs.yearly_cost < 0:
        problems.append("kostnader kan inte vara negativa")
    for key in BENEFIT_KEYS:
        q = inputs.yearly_quantity(key)
        if q < 0 or not math.isfinite(q):
            problems.append(f"{HARM_LABELS[key]} kan inte vara negativt")
    if problems:
        raise ValueError("; ".join(problems))


def _break_even(one_off: float, yearly_net: float, rate: float, years: int) -> int | None:
    balance = -one_off
    if balance >= 0:
        return 0
    for t in range(1, years + 1):
        balance += yearly_net / (1 + rate) ** t
        # A relative tolerance: a sum of discounted terms may land a hair below an exact zero.
        if balance >= -1e-9 * max(1.0, one_off):
            return t
    return None


def analyse(inputs: Inputs, params: ParameterSet) -> Analysis:
    _check(inputs)
    r, n = inputs.discount_rate, inputs.years
    a = annuity_factor(r, n)
    lines = tuple(
        BenefitLine(
            key=key,
            label=HARM_LABELS[key],
            quantity=inputs.yearly_quantity(key),
            unit_value=params.today(key),
            factor=params.factor(params.parameters[key].price_year),
            price_year=params.parameters[key].price_year,
            yearly=inputs.yearly_quantity(key) * params.today(key),
        )
        for key in BENEFIT_KEYS
    )
    pv_costs = inputs.one_off_cost + inputs.yearly_cost * a
    scenarios = {}
    for name in SCENARIOS:
        yearly = sum(inputs.yearly_quantity(k) * params.today(k, name) for k in BENEFIT_KEYS)
        pv_benefits = yearly * a
        scenarios[name] = Scenario(
            name=name,
            yearly_benefit=yearly,
            pv_benefits=pv_benefits,
            pv_costs=pv_costs,
            npv=pv_benefits - pv_costs,
            bcr=pv_benefits / pv_costs if pv_costs > 0 else None,
            break_even_year=_break_even(inputs.one_off_cost, yearly - inputs.yearly_cost, r, n),
        )
    required = pv_costs / a
    equivalents = {k: required / params.today(k) for k in ("vsl", "building_fire") if params.today(k) > 0}
    method = (
        f"Nuvärden över {n} år med kalkylräntan {r * 100:.1f} %".replace(".", ",")
        + f"; engångskostnaden år 0, årliga kostnader och nyttor år 1–{n}. Värderingarna är "
        f"omräknade till {params.price_level_year} års priser med {params.index_name} "
        f"(parameterversion {params.version}). Låg och hög: alla värderingar på sitt låga "
        "respektive höga värde samtidigt."
    )
    return Analysis(
        version=params.version,
        price_level_year=params.price_level_year,
        discount_rate=r,
        years=n,
        annuity=a,
        lines=lines,
        scenarios=scenarios,
        required_yearly_benefit=required,
        equivalents=equivalents,
        method=method,
    )


def as_dict(analysis: Analysis) -> dict[str, Any]:
    """A JSON-ready copy, stored with each analysis so the result stays as it was computed."""
    return {
        "version": analysis.version,
        "price_level_year": analysis.price_level_year,
        "discount_rate": analysis.discount_rate,
        "years": analysis.years,
        "annuity": analysis.annuity,
        "lines": [line.__dict__ for line in analysis.lines],
        "scenarios": {k: s.__dict__ for k, s in analysis.scenarios.items()},
        "required_yearly_benefit": analysis.required_yearly_benefit,
        "equivalents": dict(analysis.equivalents),
        "method": analysis.method,
    }
