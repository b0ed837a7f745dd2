"""Builds test data through the real services, so tests exercise the audited write path."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from lsoplan.accounts.models import Organisation
from lsoplan.accounts.services import create_organisation, create_user
from lsoplan.audit.services import Actor
from lsoplan.conditions import services as conditions
from lsoplan.conditions.models import Capability, EventType, Risk
from lsoplan.goals import services as goals
from lsoplan.goals.models import Indicator, Measure, NationalGoal, PerformanceGoal, SafetyGoal
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import Chapter, Programme, ProgrammeVersion

PASSWORD = "testlösen-1234"
SYSTEM = Actor(None, "test")


@dataclass
class World:
    org: Organisation
    editor: User
    reader: User
    programme: Programme
    version: ProgrammeVersion
    chapter: Chapter
    risk: Risk
    capability: Capability
    safety_goal: SafetyGoal
    performance_goal: PerformanceGoal
    measure: Measure
    indicator: Indicator


def build_world(slug: str, codes: list[str]) -> World:
    org = create_organisation(SYSTEM, slug=slug, name=f"Räddningstjänst {slug}", municipality_codes=codes)
    editor = create_user(
        SYSTEM, username=f"{slug}-redaktor", organisation=org, role="redaktor", password=PASSWORD
    )
    reader = create_user(
        SYSTEM, username=f"{slug}-lasare", organisation=org, role="lasare", password=PASSWORD
    )
    programme = programmes.create_programme(
        SYSTEM, org, title="Handlingsprogram för skydd mot olyckor", period_start=2027, period_end=2030
    )
    version = programmes.current_version(programme)
    risk = conditions.create_risk(
        SYSTEM,
        version,
        title="Brand i bostad",
        event_type=EventType.objects.get(pk=1),
        description="Bostadsbränder är den vanligaste orsaken till dödsbränder.",
        likelihood=4,
        consequence=4,
    )
    capability = conditions.add_capability(
        SYSTEM,
        version,
        risk=risk,
        kind="olyckstyp",
        readiness="fred",
        description="Rökdykning inom 10 minuter",
    )
    sg = goals.create_safety_goal(
        SYSTEM,
        version,
        code="S1",
        text="Antalet bränder i bostad ska minska med 20 % till 2030 jämfört med medelvärdet för 2016–2019.",
        owner="Direktionen",
        national_goals=NationalGoal.objects.filter(key="lso-1-3a"),
        risks=[risk],
    )
    pg = goals.create_performance_goal(
        SYSTEM,
        version,
        code="P1",
        text="Minst 400 hembesök per år 2027–2030.",
        owner="Förebyggande",
        safety_goals=[sg],
    )
    measure = goals.create_measure(SYSTEM, pg, text="Hembesök i utsatta områden", owner="Förebyggande")
    indicator = goals.create_indicator(
        SYSTEM,
        sg,
        name="Bränder i bostad",
        unit="antal",
        direction="lower",
        is_count=True,
        baseline_value=25.0,
        baseline_start=2016,
        baseline_end=2019,
        target_value=20.0,
        target_year=2030,
    )
    for year, value in [(2016, 26), (2017, 24), (2018, 25), (2019, 25), (2020, 23)]:
        goals.record_measurement(SYSTEM, indicator.series, year=year, value=float(value))
    return World(
        org,
        editor,
        reader,
        programme,
        version,
        Chapter.objects.filter(version=version).first(),  # type: ignore[arg-type]
        risk,
        capability,
        sg,
        pg,
        measure,
        indicator,
    )
