"""Demo data: a kommunalförbund with an adopted programme, a draft version 2 and ten years of data.

``load_demo()`` writes everything through the domain services, so the demo has the same audit trail
as real use. It is idempotent: if the organisation ``demo`` exists it changes nothing. The texts and
the goal chain are in ``lsoplan.demo.content``; this module holds the rates the measurements are
drawn from and the code that loads it all.

Measurements are drawn with a fixed seed from documented national rates (``RATES``), so every
installation shows the same numbers and tests can recompute them with ``generate_measurements()``.
Count indicators store raw counts for the whole organisation (``is_count``; Poisson methods apply);
``normalisation="per_1000"`` tells the follow-up views to divide by the population. Baselines and
targets are in the same unit as the stored values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction

from lsoplan import reference
from lsoplan.accounts.models import Organisation
from lsoplan.accounts.services import create_organisation, create_user, set_publication
from lsoplan.areas.services import create_station
from lsoplan.audit import services as audit
from lsoplan.audit.services import Actor
from lsoplan.conditions import services as conditions
from lsoplan.conditions.models import EventType, Risk
from lsoplan.demo import content
from lsoplan.demo import goals as goals_content
from lsoplan.demo.consultation import load_demo_consultation
from lsoplan.demo.evaluation import load_demo_evaluation
from lsoplan.demo.incidents import demo_indicator_values, load_demo_incidents
from lsoplan.goals import services as goals
from lsoplan.goals.models import IndicatorSeries, Measure, NationalGoal, PerformanceGoal, SafetyGoal
from lsoplan.incidents.indicators import refresh_incident_indicators
from lsoplan.lib.geo.crs import SWEREF99TM, transform
from lsoplan.lib.smart_text import format_number
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import Chapter, Programme, ProgrammeVersion

SEED = 20261125
YEARS = tuple(range(2016, 2026))  # ten years; 2025 is still preliminary
PRELIMINARY_FROM = 2025
PROGRAMME_START = content.PERIOD[0]
POPULATION_YEAR = 2024  # the only year in reference/data/population.csv
DEMO_PASSWORD = "demo-lsoplan-2026"
SOURCE_REF = "Demodata, slumpad kring rimliga nivåer"  # + the rate's own source

# username → (organisation slug, role)
USERS: dict[str, tuple[str, str]] = {
    "planerare": (content.ORG_SLUG, "redaktor"),
    "lasare": (content.ORG_SLUG, "lasare"),
    "admin": (content.ORG_SLUG, "administrator"),
    "granne": (content.NEIGHBOUR_SLUG, "redaktor"),
}


@dataclass(frozen=True)
class Rate:
    """How one demo series is drawn; the comment above each entry in RATES says where it comes from.

    ``poisson``: counts with mean ``level`` (per 1,000 inhabitants if ``per_1000``, else per year for
    the organisation) × (1 + ``trend``) ** (year − 2016). ``normal``: ``level`` + ``trend`` × (year −
    2016) plus normal noise ``sd``, rounded to ``decimals``; shares are kept within 0–100.
    ``shocks`` multiply the mean in single years (the pandemic, the 2018 drought); ``effect`` is
    added from 2023 on, when the programme's measures start to work (outputs the organisation
    controls rise; most reach their targets, a few do not, so follow-up has both to show).
    """

    kind: str  # "poisson" | "normal"
    level: float
    trend: float = 0.0
    sd: float = 0.0
    per_1000: bool = False
    share: bool = False
    decimals: int = 0
    shocks: Mapping[int, float] = field(default_factory=dict)
    effect: float = 0.0
    codes: tuple[str, ...] = content.ORG_CODES  # whose population the rate applies to
    source: str = ""


_PANDEMIC = {2020: 0.55, 2021: 0.7}  # visits and courses were largely cancelled (assumption)

# The order of this table is the order of the draws: add new series at the end, or every value changes.
# Output goals are judged every year of 2023–2026 (lib.verdicts): the effects are set so that some
# outputs meet their target each year so far (på väg) and some miss a year (ej uppnått), among them
# the tillsyner of 2023 (438 against 450) and the school pupils of 2023 (94,5 % against 95 %).
RATES: dict[str, Rate] = {
    # MSB 2023: 5,900 building fires or fire incidents in dwellings / 10.5 M inhabitants ≈ 0.56 per
    # 1,000 (domain.md §4). Trend −1.5 %/year after 6,430 (1999) → 5,415 (2015), tjugofyra7.se.
    "bostadsbrand": Rate(
        "poisson", 0.56, trend=-0.015, per_1000=True, source="MSB 2024-03-21; tjugofyra7.se"
    ),
    # 9.1 fire deaths per million inhabitants 2022–2024 (MSB, domain.md §4).
    "omkomna": Rate("poisson", 0.0091, per_1000=True, source="MSB, omkomna i bränder"),
    # About 17,000 traffic accidents with rescue operations in 2023 / 10.5 M ≈ 1.6 per 1,000; flat, so
    # that halving it by 2026 (goal S4) is visibly over-ambitious.
    "trafikolycka": Rate("poisson", 1.6, per_1000=True, source="MSB 2024-03-21"),
    # Drowning and near-drowning: Uppsala 2024 had 5 per 250,000 = 0.02 per 1,000 (domain.md §9).
    "drunkning": Rate("poisson", 0.02, per_1000=True, source="MCF B/B1/B11 via domain.md §9"),
    # Median response time (Kolada U07442). Municipal averages range 7.5–29.7 min (helasverige.se);
    # a federation with one city and much countryside: 13 min, improving by about 0.1 min a year.
    "responstid": Rate(
        "normal", 13.0, trend=-0.1, sd=0.3, decimals=1, source="Antagande efter Kolada U07442"
    ),
    # Fires not in buildings: Uppsala 176 per 250,000 ≈ 0.7 per 1,000, of which about a third in forest
    # and land; share kept under one hectare is an assumption (93 %), lower in the 2018 drought.
    "skogsbrand_begransad": Rate(
        "normal", 93.0, trend=0.2, sd=1.5, share=True, decimals=1, shocks={2018: 0.9}, source="Antagande"
    ),
    # Share of households with a working smoke alarm: national target ≥ 90 % by 2030 (MSB strategy,
    # domain.md §9); start at 88 % and rise slowly (assumption, survey-based).
    "brandvarnare": Rate("normal", 88.0, trend=0.3, sd=0.8, share=True, decimals=1, source="Antagande"),
    # Share of inspected premises without SBA deficiencies (assumption; rises after 2022).
    "sba": Rate("normal", 55.0, trend=1.2, sd=2.5, share=True, decimals=1, source="Antagande"),
    # Outputs: own activity counts, drawn around plausible levels (assumptions, ≈ 2.4 inspections and
    # ≈ 20 people trained per 1,000 inhabitants a year, as in Öppna jämförelser).
    "tillsyner": Rate("normal", 380.0, trend=8.0, sd=15.0, shocks={2020: 0.8}, effect=25, source="Antagande"),
    "hembesok": Rate("normal", 1150.0, trend=25.0, sd=60.0, shocks=_PANDEMIC, effect=300, source="Antagande"),
    "utbildade": Rate(
        "normal", 3200.0, trend=60.0, sd=150.0, shocks=_PANDEMIC, effect=650, source="Antagande (ÖJ)"
    ),
    "brandskyddskontroll": Rate(
        "normal", 93.0, trend=0.4, sd=0.8, share=True, decimals=1, effect=2.5, source="Antagande"
    ),
    "anspanning": Rate("normal", 86.0, trend=0.3, sd=1.2, share=True, decimals=1, source="Antagande"),
    "rib_bemanning": Rate("normal", 92.0, trend=0.25, sd=1.0, share=True, decimals=1, source="Antagande"),
    "trafikinformation": Rate(
        "normal", 22.0, trend=0.6, sd=2.5, shocks=_PANDEMIC, effect=9, source="Antagande"
    ),
    "skolelever": Rate(
        "normal",
        88.0,
        trend=0.5,
        sd=1.5,
        share=True,
        decimals=1,
        shocks={2020: 0.6},
        effect=4,
        source="Antagande",
    ),
    "skogsbrandsovning": Rate(
        "normal", 80.0, trend=2.0, sd=3.0, share=True, decimals=1, effect=6, source="Antagande"
    ),
    "sba_radgivning": Rate("normal", 150.0, trend=4.0, sd=12.0, effect=45, source="Antagande"),
    "katrineholm_bostadsbrand": Rate(
        "poisson", 0.56, trend=-0.015, per_1000=True, codes=content.NEIGHBOUR_CODES, source="Som bostadsbrand"
    ),
}

# One value entered wrongly and corrected later, so that the measurement history shows a correction.
CORRECTION = ("bostadsbrand", 2022, 12)  # series, year, how much too high the first entry was
CORRECTION_NOTE = "Rättat: dubbelräknade händelser borttagna efter kontroll mot MCF:s statistikdatabas."


@dataclass(frozen=True)
class DemoInfo:
    org_slug: str
    neighbour_slug: str
    usernames: tuple[str, ...]
    password: str
    programme_id: int
    neighbour_programme_id: int
    created: bool  # False when the demo was already there and nothing was written


def population(codes: Iterable[str], year: int = POPULATION_YEAR) -> int:
    table = reference.population()
    return sum(table[(code, year)] for code in codes)


# Demo series whose values come from the generated incidents rather than from RATES.
INCIDENT_SERIES: dict[str, dict[str, object]] = {
    "trafikolycka": {"event_types": [2], "measure": "count"},
}


def generate_measurements(seed: int = SEED) -> dict[str, list[tuple[int, float]]]:
    """Every demo series as (year, value), drawn from RATES; the same seed gives the same values.

    The population is held at its 2024 size for all years: the reference data has no other year,
    and a few per cent of growth is lost in the noise of these small counts.
    """
    rng = np.random.default_rng(seed)
    out: dict[str, list[tuple[int, float]]] = {}
    for key, rate in RATES.items():
        exposure = population(rate.codes) / 1000 if rate.per_1000 else 1.0
        values: list[tuple[int, float]] = []
        for year in YEARS:
            mean = rate.level + (rate.trend * (year - YEARS[0]) if rate.kind == "normal" else 0.0)
            if rate.kind == "poisson":
                mean *= exposure * (1 + rate.trend) ** (year - YEARS[0])
            mean *= rate.shocks.get(year, 1.0)
            if year >= PROGRAMME_START:
                mean += rate.effect
            if rate.kind == "poisson":
                value = float(rng.poisson(mean))
            else:
                value = round(float(rng.normal(mean, rate.sd)), rate.decimals)
                if rate.share:
                    value = min(100.0, max(0.0, value))
            values.append((year, value))
        out[key] = values
    return out


def _baseline(series: list[tuple[int, float]], period: tuple[int, int], decimals: int) -> float:
    values = [v for y, v in series if period[0] <= y <= period[1]]
    return round(sum(values) / len(values), decimals)


def _indicator_fields(spec: content.IndicatorDef, series: list[tuple[int, float]]) -> dict[str, Any]:
    baseline = _baseline(series, spec.baseline, spec.decimals) if spec.baseline else None
    target = spec.target
    if spec.target_change is not None and baseline is not None:
        target = round(baseline * (1 + spec.target_change), spec.decimals)
    return {
        "name": spec.name,
        "unit": spec.unit,
        "direction": spec.direction,
        "normalisation": spec.normalisation,
        "is_count": spec.is_count,
        "baseline_value": baseline,
        "baseline_start": spec.baseline[0] if spec.baseline else None,
        "baseline_end": spec.baseline[1] if spec.baseline else None,
        "target_value": target,
        "target_year": spec.target_year,
    }


def _goal_text(goal: content.GoalDef, fields: dict[str, Any] | None, decimals: int) -> str:
    if fields is None:
        return goal.text
    fmt = {"base": fields["baseline_value"], "target": fields["target_value"]}
    return goal.text.format(**{k: format_number(v, decimals) for k, v in fmt.items() if v is not None})


def _population_texts(codes: Iterable[str]) -> dict[str, str]:
    codes = list(codes)
    texts = {f"pop_{c}": format_number(population([c]), 0) for c in codes}
    texts["pop_total"] = format_number(population(codes), 0)
    return texts


class _Loader:
    """Writes one organisation's programme; keeps the objects it made so links can be resolved."""

    def __init__(self, actor: Actor, version: ProgrammeVersion, data: dict[str, list[tuple[int, float]]]):
        self.actor = actor
        self.version = version
        self.data = data
        self.event_types = {e.pk: e for e in EventType.objects.all()}
        self.national = {n.key: n for n in NationalGoal.objects.all()}
        self.risks: dict[str, Risk] = {}
        self.safety: dict[str, SafetyGoal] = {}
        self.series: list[tuple[str, IndicatorSeries]] = []

    def chapters(self, texts: Mapping[str, str], values: Mapping[str, str]) -> None:
        for chapter in Chapter.objects.filter(version=self.version, key__in=list(texts)):
            audit.update(self.actor, chapter, text=texts[chapter.key].format(**values))

    def risk(self, spec: content.RiskDef) -> Risk:
        risk = conditions.create_risk(
            self.actor,
            self.version,
            title=spec.title,
            event_type=self.event_types.get(spec.event_type) if spec.event_type else None,
            custom_type=spec.custom_type,
            description=spec.description,
            likelihood=spec.likelihood,
            consequence=spec.consequence,
            # After the risks already in the version, so a risk added to a draft comes last.
            order=Risk.objects.filter(version=self.version).count(),
        )
        for text in spec.vulnerabilities:
            conditions.add_vulnerability(self.actor, risk, text)
        self.risks[spec.key] = risk
        return risk

    def capability(self, spec: content.CapabilityDef) -> None:
        conditions.add_capability(
            self.actor,
            self.version,
            risk=self.risks[spec.risk] if spec.risk else None,
            kind=spec.kind,
            readiness=spec.readiness,
            description=spec.description,
            resources=spec.resources,
        )

    def goal(self, spec: content.GoalDef, *, safety: bool, order: int) -> SafetyGoal | PerformanceGoal:
        fields = [_indicator_fields(i, self.data[i.series]) for i in spec.indicators]
        decimals = spec.indicators[0].decimals if spec.indicators else 0
        common = {"code": spec.code, "owner": spec.owner, "order": order}
        common["text"] = _goal_text(spec, fields[0] if fields else None, decimals)
        goal: SafetyGoal | PerformanceGoal
        if safety:
            goal = goals.create_safety_goal(
                self.actor,
                self.version,
                national_goals=[self.national[k] for k in spec.national_goals],
                risks=[self.risks[k] for k in spec.risks],
                **common,
            )
            self.safety[spec.code] = goal
        else:
            goal = goals.create_performance_goal(
                self.actor, self.version, safety_goals=[self.safety[c] for c in spec.safety_goals], **common
            )
            for m in spec.measures:
                goals.create_measure(
                    self.actor,
                    goal,
                    text=m.text,
                    owner=m.owner,
                    status=m.status,
                    due_year=m.due_year,
                    cost_once=m.cost_once,
                    cost_yearly=m.cost_yearly,
                )
        for ispec, ifields in zip(spec.indicators, fields, strict=True):
            if ispec.series in INCIDENT_SERIES:
                # Computed from the demo's own incidents, never typed (see load_demo below).
                ifields = {**ifields, "source": "incidents", "source_config": INCIDENT_SERIES[ispec.series]}
            indicator = goals.create_indicator(self.actor, goal, **ifields)
            self.series.append((ispec.series, indicator.series))
        return goal

    def measurements(self) -> None:
        """Each year's value as it would have been entered: in February the year after."""
        tz = dt.UTC
        for key, series in self.series:
            if key in INCIDENT_SERIES:
                continue
            source_ref = f"{SOURCE_REF} ({RATES[key].source})"[:200]
            for year, value in self.data[key]:
                vintage = "preliminar" if year >= PRELIMINARY_FROM else "slutlig"
                entered = dt.datetime(year + 1, 2, 15, 9, 0, tzinfo=tz)
                wrong = CORRECTION[0] == key and CORRECTION[1] == year
                goals.record_measurement(
                    self.actor,
                    series,
                    year=year,
                    value=value + CORRECTION[2] if wrong else value,
                    vintage=vintage,
                    source_ref=source_ref,
                    entered_at=entered,
                )
                if wrong:
                    goals.record_measurement(
                        self.actor,
                        series,
                        year=year,
                        value=value,
                        vintage=vintage,
                        source_ref=source_ref,
                        note=CORRECTION_NOTE,
                        entered_at=entered + dt.timedelta(days=40),
                    )


def _info(password: str, created: bool) -> DemoInfo:
    def programme_id(slug: str) -> int:
        pk = (
            Programme.objects.filter(organisation__slug=slug)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:  # only if someone has deleted it since the demo was loaded
            raise ValidationError(f"Organisationen '{slug}' finns men saknar handlingsprogram.")
        return pk

    return DemoInfo(
        org_slug=content.ORG_SLUG,
        neighbour_slug=content.NEIGHBOUR_SLUG,
        usernames=tuple(USERS),
        password=password,
        programme_id=programme_id(content.ORG_SLUG),
        neighbour_programme_id=programme_id(content.NEIGHBOUR_SLUG),
        created=created,
    )


def _check_free() -> None:
    """Refuse to touch an installation where the demo's names are already taken by real data."""
    taken = list(get_user_model().objects.filter(username__in=list(USERS)).values_list("username", flat=True))
    if Organisation.objects.filter(slug=content.NEIGHBOUR_SLUG).exists():
        taken.append(f"organisationen '{content.NEIGHBOUR_SLUG}'")
    if taken:
        raise ValidationError(
            f"Demodata kan inte läsas in: {', '.join(sorted(taken))} finns redan. "
            "Läs in demodata i en tom installation."
        )


def _users(system: Actor, orgs: Mapping[str, Organisation], password: str) -> dict[str, Actor]:
    # Argon2 is slow on purpose (≈ 0.3 s a hash); the demo users share one password, so hash it once
    # and give every account the same hash instead of hashing it four times.
    hashed = make_password(password)
    actors = {}
    for username, (slug, role) in USERS.items():
        user = create_user(system, username=username, organisation=orgs[slug], role=role)
        user.password = hashed
        user.save(update_fields=["password"])
        actors[username] = Actor(user, username)
    return actors


def _demo_programme(
    planner: Actor, admin: Actor, org: Organisation, data: dict[str, list[tuple[int, float]]]
) -> None:
    programme = programmes.create_programme(
        planner,
        org,
        title=content.PROGRAMME_TITLE,
        period_start=content.PERIOD[0],
        period_end=content.PERIOD[1],
    )
    v1 = programmes.current_version(programme)
    loader = _Loader(planner, v1, data)
    loader.chapters(content.CHAPTERS, _population_texts(content.ORG_CODES))
    for risk in content.RISKS:
        loader.risk(risk)
    for capability in content.CAPABILITIES:
        loader.capability(capability)
    _stations(planner, v1)
    for order, goal in enumerate(goals_content.SAFETY_GOALS):
        loader.goal(goal, safety=True, order=order)
    for order, goal in enumerate(goals_content.PERFORMANCE_GOALS):
        loader.goal(goal, safety=False, order=order)

    programmes.send_to_consultation(
        admin,
        v1,
        parties=content.CONSULTATION_PARTIES,
        date_from=dt.date(2022, 8, 22),
        date_to=dt.date(2022, 10, 14),
    )
    load_demo_consultation(admin, v1)  # parties, responses and decisions of the 2022 remiss
    programmes.adopt(admin, v1, body="forbundsdirektion", date=dt.date(2022, 12, 8), paragraph="§ 52")
    loader.measurements()  # follow-up data, entered while version 1 is in force
    # A year of evaluation and learning on the adopted version, carried into version 2 below.
    load_demo_evaluation(planner, v1, 2024)

    # Version 2: a draft with a sharper goal, a new risk, a finished measure and a longer chapter.
    v2 = programmes.new_draft(planner, v1)
    loader2 = _Loader(planner, v2, data)
    loader2.chapters(content.CHAPTER_EDITS_V2, {})
    for code, text in content.GOAL_EDITS_V2.items():
        goals.update_goal(planner, SafetyGoal.objects.get(version=v2, code=code), text=text)
    loader2.risk(content.RISK_V2)
    loader2.capability(content.CAPABILITY_V2)
    measure = Measure.objects.get(version=v2, text=content.MEASURE_DONE_V2)
    audit.update(planner, measure, status="genomford")


def _stations(actor: Actor, version: ProgrammeVersion) -> None:
    lon = np.array([s[3] for s in content.STATIONS])
    lat = np.array([s[2] for s in content.STATIONS])
    xs, ys = transform(lon, lat, "EPSG:4326", SWEREF99TM)
    for (name, kind, _lat, _lon, staffing), x, y in zip(content.STATIONS, xs, ys, strict=True):
        create_station(
            actor, version, name=name, kind=kind, x=round(float(x)), y=round(float(y)), staffing=staffing
        )


def _neighbour_programme(actor: Actor, org: Organisation, data: dict[str, list[tuple[int, float]]]) -> None:
    programme = programmes.create_programme(
        actor,
        org,
        title=content.PROGRAMME_TITLE,
        period_start=content.PERIOD[0],
        period_end=content.PERIOD[1],
    )
    loader = _Loader(actor, programmes.current_version(programme), data)
    loader.chapters(goals_content.NEIGHBOUR_CHAPTERS, _population_texts(content.NEIGHBOUR_CODES))
    for risk in goals_content.NEIGHBOUR_RISKS:
        loader.risk(risk)
    loader.goal(goals_content.NEIGHBOUR_SAFETY_GOAL, safety=True, order=0)
    loader.goal(goals_content.NEIGHBOUR_PERFORMANCE_GOAL, safety=False, order=0)
    loader.measurements()


@transaction.atomic
def load_demo(*, password: str = DEMO_PASSWORD) -> DemoInfo:
    """Create the demo organisations, users and programmes, unless the organisation 'demo' exists.

    On an existing demo nothing is written and the passwords are left as they are.
    """
    if Organisation.objects.filter(slug=content.ORG_SLUG).exists():
        return _info(password, created=False)
    _check_free()
    system = Actor(None, "demo")
    orgs = {
        content.ORG_SLUG: create_organisation(
            system, slug=content.ORG_SLUG, name=content.ORG_NAME, municipality_codes=content.ORG_CODES
        ),
        content.NEIGHBOUR_SLUG: create_organisation(
            system,
            slug=content.NEIGHBOUR_SLUG,
            name=content.NEIGHBOUR_NAME,
            municipality_codes=content.NEIGHBOUR_CODES,
        ),
    }
    actors = _users(system, orgs, password)
    data = generate_measurements()
    for key, config in INCIDENT_SERIES.items():
        # Goal texts and baselines must agree with the values the incidents will give.
        computed = demo_indicator_values(content.ORG_CODES, config)
        data[key] = [(year, value) for year, value in sorted(computed.items()) if year in YEARS]
    _demo_programme(actors["planerare"], actors["admin"], orgs[content.ORG_SLUG], data)
    _neighbour_programme(actors["granne"], orgs[content.NEIGHBOUR_SLUG], data)
    # Imported by each organisation's planner, as a real import would be.
    load_demo_incidents(orgs[content.ORG_SLUG], actor=actors["planerare"])
    load_demo_incidents(orgs[content.NEIGHBOUR_SLUG], actor=actors["granne"])
    refresh_incident_indicators(actors["planerare"], orgs[content.ORG_SLUG])
    # The demo shows the public page (/allmanhet/demo/); the neighbour stays unpublished (opt-in).
    set_publication(actors["admin"], orgs[content.ORG_SLUG], published=True)
    return _info(password, created=True)
