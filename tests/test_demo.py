"""The demo loader: what it creates, that it is idempotent and deterministic, and its planted weaknesses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from lsoplan.accounts.models import Membership, Organisation
from lsoplan.audit.models import AuditEntry
from lsoplan.conditions.models import Capability, Risk
from lsoplan.demo import DEMO_PASSWORD, RATES, YEARS, DemoInfo, generate_measurements, load_demo
from lsoplan.goals.models import Indicator, Measurement, PerformanceGoal, SafetyGoal
from lsoplan.goals.selectors import (
    chain_report,
    history_by_series,
    performance_goals,
    safety_goals,
    smart_input,
    smart_results,
)
from lsoplan.lib.smart import check_goal
from lsoplan.programmes.models import Chapter, Programme, ProgrammeVersion, VersionStatus


def test_generator_is_deterministic() -> None:
    first, second = generate_measurements(), generate_measurements()
    assert first == second
    assert set(first) == set(RATES)
    assert all([year for year, _ in series] == list(YEARS) for series in first.values())
    assert generate_measurements(seed=1) != first


def test_generated_rates_are_plausible() -> None:
    data = generate_measurements()
    mean = {key: sum(v for _, v in series) / len(series) for key, series in data.items()}
    # ≈ 0.56 dwelling fires and ≈ 1.6 traffic accidents a year per 1,000 of 162,034 inhabitants.
    assert 70 < mean["bostadsbrand"] < 100
    assert 230 < mean["trafikolycka"] < 290
    assert 11 < mean["responstid"] < 14
    assert all(0 <= v <= 100 for key in ("brandvarnare", "sba", "skolelever") for _, v in data[key])
    assert all(v == int(v) for key in ("bostadsbrand", "tillsyner") for _, v in data[key])


@pytest.mark.django_db
def test_refuses_when_a_demo_username_is_taken() -> None:
    User.objects.create_user("admin", password="något-annat-lösen")
    with pytest.raises(ValidationError, match="admin"):
        load_demo()
    assert not Organisation.objects.exists()


@pytest.fixture(scope="class")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoInfo]:
    """Load the demo once for the class (it takes seconds) and roll it back afterwards.

    Each test still runs in its own savepoint inside this transaction, so the tests cannot leak
    changes into each other; pytest tears the fixture down before any test outside the class.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def _versions(info: DemoInfo) -> tuple[ProgrammeVersion, ProgrammeVersion]:
    v2, v1 = ProgrammeVersion.objects.filter(programme_id=info.programme_id).order_by("-number")
    return v1, v2


@pytest.mark.django_db
class TestLoadedDemo:
    def test_organisations_and_users(self, demo: DemoInfo, settings: Any) -> None:
        org = Organisation.objects.get(slug=demo.org_slug)
        assert sorted(org.municipalities.values_list("code", flat=True)) == ["0482", "0484", "0486"]
        neighbour = Organisation.objects.get(slug=demo.neighbour_slug)
        assert list(neighbour.municipalities.values_list("code", flat=True)) == ["0483"]
        memberships = Membership.objects.select_related("user", "organisation")
        roles = {(m.user.username, m.organisation.slug): m.role for m in memberships}
        assert roles == {
            ("planerare", "demo"): "redaktor",
            ("lasare", "demo"): "lasare",
            ("admin", "demo"): "administrator",
            ("granne", "grannkommun"): "redaktor",
        }
        assert demo.password == DEMO_PASSWORD
        assert set(demo.usernames) == {"planerare", "lasare", "admin", "granne"}
        # The class fixture hashed with the production hasher, before conftest switched to MD5.
        settings.PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.Argon2PasswordHasher",
            "django.contrib.auth.hashers.MD5PasswordHasher",
        ]
        assert authenticate(username="planerare", password=DEMO_PASSWORD) is not None
        hashes = set(User.objects.filter(username__in=demo.usernames).values_list("password", flat=True))
        assert len(hashes) == 1

    def test_programme_versions_and_adoption(self, demo: DemoInfo) -> None:
        programme = Programme.objects.get(pk=demo.programme_id)
        assert (programme.period_start, programme.period_end) == (2023, 2026)
        v1, v2 = _versions(demo)
        assert v1.status == VersionStatus.ANTAGEN
        assert v1.adopted_body == "forbundsdirektion"
        assert v1.adopted_on is not None and (v1.adopted_on.year, v1.adopted_on.month) == (2022, 12)
        assert v1.adopted_paragraph.startswith("§")
        assert "Länsstyrelsen i Södermanlands län" in v1.consultation_parties
        assert v2.status == VersionStatus.UTKAST and v2.based_on_id == v1.pk
        # Version 2 differs: one more risk and a rewritten goal, both in the audit trail.
        assert Risk.objects.filter(version=v2).count() == Risk.objects.filter(version=v1).count() + 1
        s2_old, s2_new = (SafetyGoal.objects.get(version=v, code="S2").text for v in (v1, v2))
        assert s2_old != s2_new and "2016–2019" in s2_new
        assert AuditEntry.objects.filter(version_id=v2.pk, action="update", model="goals.safetygoal").exists()
        assert AuditEntry.objects.filter(version_id=v2.pk, action="update", model="goals.measure").exists()
        assert (
            not AuditEntry.objects.filter(actor_label="demo").exclude(model__startswith="accounts.").exists()
        )

    def test_the_2022_remiss_has_parties_and_decided_responses(self, demo: DemoInfo) -> None:
        from lsoplan.consultation.models import Party, Response

        v1, _ = _versions(demo)
        assert Party.objects.filter(version=v1).count() == 10
        responses = Response.objects.filter(version=v1)
        assert responses.count() == 3 and not responses.filter(decision="").exists()

    def test_content_counts(self, demo: DemoInfo) -> None:
        _, version = _versions(demo)
        assert Risk.objects.filter(version=version).count() >= 8
        assert SafetyGoal.objects.filter(version=version).count() >= 5
        assert PerformanceGoal.objects.filter(version=version).count() >= 10
        chapters = Chapter.objects.filter(version=version)
        assert chapters.exists() and all(c.text.strip() for c in chapters)
        assert "107 346" in chapters.get(key="kommunen").text.replace("\u00a0", " ")
        capabilities = Capability.objects.filter(version=version)
        assert {c.kind for c in capabilities} >= {"olyckstyp", "samtidiga", "omfattande", "ledning"}
        assert {c.readiness for c in capabilities} == {"fred", "hojd_beredskap"}
        assert all(c.resources for c in capabilities)
        for pg in PerformanceGoal.objects.filter(version=version).prefetch_related("measures"):
            for measure in pg.measures.all():
                assert measure.owner and measure.due_year

    def test_indicators_have_ten_years_with_vintage_and_one_correction(self, demo: DemoInfo) -> None:
        _, version = _versions(demo)
        indicators = list(Indicator.objects.filter(version=version))
        assert len(indicators) >= 12
        for indicator in indicators:
            current = Measurement.objects.filter(series=indicator.series, replaced_at__isnull=True)
            years = sorted(current.values_list("year", flat=True))
            if indicator.source == "incidents":
                # Computed from the demo incidents, which reach back to 2014.
                assert set(YEARS) <= set(years) and current.filter(source="incidents").count() == len(years)
                continue
            assert years == list(YEARS)
            vintages = dict(current.values_list("year", "vintage"))
            assert vintages[2025] == "preliminar" and vintages[2024] == "slutlig"
        old = Measurement.objects.get(replaced_at__isnull=False)
        new = Measurement.objects.get(series=old.series, year=old.year, replaced_at__isnull=True)
        assert new.value < old.value and new.note.startswith("Rättat")
        assert new.entered_at > old.entered_at

    def test_second_load_adds_nothing(self, demo: DemoInfo) -> None:
        counts = (AuditEntry.objects.count(), Measurement.objects.count(), User.objects.count())
        again = load_demo()
        assert again.programme_id == demo.programme_id and not again.created and demo.created
        assert (AuditEntry.objects.count(), Measurement.objects.count(), User.objects.count()) == counts

    def test_stored_measurements_match_the_generator(self, demo: DemoInfo) -> None:
        expected = generate_measurements()
        _, version = _versions(demo)
        stored = {}
        for indicator in Indicator.objects.filter(version=version).select_related("series"):
            rows = Measurement.objects.filter(series=indicator.series, replaced_at__isnull=True).order_by(
                "year"
            )
            stored[indicator.series.name] = [(m.year, m.value) for m in rows]
        assert stored["Bränder i bostad"] == expected["bostadsbrand"]
        assert stored["Responstid, median"] == expected["responstid"]

    def test_goal_chain_finds_the_planted_gaps(self, demo: DemoInfo) -> None:
        _, version = _versions(demo)
        names = {
            "sakerhetsmal": dict(SafetyGoal.objects.filter(version=version).values_list("pk", "code")),
            "prestationsmal": dict(PerformanceGoal.objects.filter(version=version).values_list("pk", "code")),
            "risk": dict(Risk.objects.filter(version=version).values_list("pk", "title")),
        }
        by_code: dict[str, set[str]] = {}
        for gap in chain_report(version).gaps:
            by_code.setdefault(gap.code, set()).add(names[gap.kind][gap.object_id])
        assert by_code["SG-PRESTATION"] == {"S7"}  # säkerhetsmål without prestationsmål
        assert by_code["PM-SAKERHET"] == {"P9"}  # prestationsmål without säkerhetsmål
        assert by_code["MAL-INDIKATOR"] == {"S5", "P7"}  # goals without indicator
        assert by_code["RISK-MAL"] == {"Utsläpp av farligt ämne vid transport av farligt gods"}
        assert "SG-NATIONELLT" not in by_code

    def test_smart_check_flags_the_weak_goals(self, demo: DemoInfo) -> None:
        _, version = _versions(demo)
        sgs, pgs = safety_goals(version), performance_goals(version)
        results = smart_results([*sgs, *pgs])
        verdict = {g.code: results[("sakerhetsmal", g.pk)] for g in sgs}
        verdict |= {g.code: results[("prestationsmal", g.pk)] for g in pgs}
        assert sum(1 for r in verdict.values() if not r.smart) >= 2
        assert verdict["S5"].criteria["specifikt"].status == "brist"  # "säker och trygg"
        assert verdict["S5"].criteria["accepterat"].status == "brist"  # no owner
        assert verdict["S6"].criteria["matbart"].status == "brist"  # "ska öka" without baseline
        assert verdict["S4"].criteria["realistiskt"].status == "brist"  # halving a flat series

    def test_most_goals_are_smart_while_the_programme_runs(self, demo: DemoInfo) -> None:
        # Judged as of 2026, the programme's last year: from 2027 every deadline has passed by design.
        _, version = _versions(demo)
        goals: list[SafetyGoal | PerformanceGoal] = [*safety_goals(version), *performance_goals(version)]
        history = history_by_series([i.series_id for g in goals for i in g.indicators.all()])
        smart = {g.code for g in goals if check_goal(smart_input(g, history), today_year=2026).smart}
        assert {"S3", "P1", "P2", "P9"} <= smart
        assert not smart & {"S4", "S5", "S6"}
        # Fire deaths (≈1.5 a year) and drownings (≈4 a year) are too few for a 30 % cut to be shown
        # statistically by 2026: the detectability check makes "realistiskt" a brist.
        for code in ("S2", "S7"):
            goal = next(g for g in goals if g.code == code)
            realism = check_goal(smart_input(goal, history), today_year=2026).criteria["realistiskt"]
            assert realism.status == "brist" and any("inte säkerställas" in r for r in realism.reasons)
        assert len(smart) >= len(goals) / 2

    def test_neighbour_is_separate(self, demo: DemoInfo) -> None:
        neighbour = Programme.objects.get(pk=demo.neighbour_programme_id)
        assert neighbour.organisation.slug == demo.neighbour_slug
        version = neighbour.versions.get()
        assert Risk.objects.filter(version=version).count() == 2
        assert all(
            r.organisation_id == neighbour.organisation_id for r in Risk.objects.filter(version=version)
        )
        assert Measurement.objects.filter(organisation=neighbour.organisation).count() == len(YEARS)
