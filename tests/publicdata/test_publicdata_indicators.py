"""Indicators fed from Kolada, MCF and SCB: measurements with source, vintage and revisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests.factories import SYSTEM, World
from tests.publicdata.conftest import live

from lsoplan.audit.models import AuditEntry
from lsoplan.goals import services as goals
from lsoplan.goals.models import Indicator, Measurement
from lsoplan.lib.publicdata.http import join_url
from lsoplan.lib.publicdata.kolada import KOLADA_V3, Kpi
from lsoplan.publicdata import services
from lsoplan.publicdata.services import Clients

pytestmark = pytest.mark.django_db
KPI = Kpi("N07415", "Byggnadsbränder med spridning från startobjektet, antal/1000 inv")
N07415_0484 = join_url(
    KOLADA_V3, "data", "kpi", "N07415", "municipality", "0484", query=[("per_page", "5000")]
)


def current(indicator: Indicator) -> dict[int, Measurement]:
    return {m.year: m for m in indicator.series.measurements.filter(replaced_at__isnull=True)}


def kolada_answer(value_2024: float) -> dict[str, object]:
    return {
        "values": [
            {"kpi": "N07415", "municipality": "0484", "period": year,
             "values": [{"gender": "T", "status": "", "value": value}]}
            for year, value in ((2024, value_2024), (2025, 0.31))
        ]
    }  # fmt: skip


def test_attach_is_an_audited_change_of_the_indicator(world: World) -> None:
    ind = services.attach_kolada_kpi(SYSTEM, world.indicator, KPI, "0484")
    ind.refresh_from_db()
    assert ind.source == "kolada"
    assert ind.source_config == {"kpi": "N07415", "title": KPI.title, "municipality": "0484"}
    assert (ind.normalisation, ind.is_count) == ("none", False)
    entry = AuditEntry.objects.filter(model="goals.indicator", object_id=str(ind.pk)).first()
    assert entry is not None and "source" in entry.changes


def test_attach_refuses_a_municipality_outside_the_organisation(world: World) -> None:
    with pytest.raises(ValidationError):
        services.attach_kolada_kpi(SYSTEM, world.indicator, KPI, "0180")


def test_kolada_indicator_gets_measurements_with_provenance(world: World, clients: Clients) -> None:
    services.attach_kolada_kpi(SYSTEM, world.indicator, KPI, "0484")
    result = services.refresh_indicator(SYSTEM, Indicator.objects.get(pk=world.indicator.pk), clients=clients)
    assert result.error == "" and result.written == [2024, 2025]
    m = current(world.indicator)[2024]
    assert (m.source, m.source_ref, m.vintage) == ("kolada", "kolada:N07415:0484", "slutlig")
    assert m.note == "Källa: Kolada, N07415 (exempeldata offline)"
    again = services.refresh_indicator(SYSTEM, Indicator.objects.get(pk=world.indicator.pk), clients=clients)
    assert again.written == [] and again.unchanged == [2024, 2025]


def test_a_publishers_revision_shows_in_the_indicator_history(world: World) -> None:
    services.attach_kolada_kpi(SYSTEM, world.indicator, KPI, "0484")
    ind = Indicator.objects.get(pk=world.indicator.pk)
    services.refresh_indicator(SYSTEM, ind, clients=live(("GET", N07415_0484, None, kolada_answer(0.44))))
    result = services.refresh_indicator(
        SYSTEM, ind, clients=live(("GET", N07415_0484, None, kolada_answer(0.47)))
    )
    assert result.written == [2024] and result.unchanged == [2025]
    rows = list(ind.series.measurements.filter(year=2024).order_by("entered_at"))
    assert [(r.value, r.replaced_at is not None) for r in rows] == [(0.44, True), (0.47, False)]
    assert rows[1].note == "Källa: Kolada, N07415; ersätter 0,44 (Kolada)"


def test_public_values_replace_manual_ones_and_keep_them(world: World, clients: Clients) -> None:
    kpi = Kpi("U07415", "Utvecklade bränder i byggnad, antal/1000 inv (-2023)")
    services.attach_kolada_kpi(SYSTEM, world.indicator, kpi, "0484")
    services.refresh_indicator(SYSTEM, Indicator.objects.get(pk=world.indicator.pk), clients=clients)
    rows = list(world.indicator.series.measurements.filter(year=2016).order_by("entered_at"))
    assert [r.source for r in rows] == ["manual", "kolada"] and rows[0].replaced_at is not None
    assert "ersätter 26 (Manuell inmatning)" in rows[1].note


def test_mcf_indicator_sums_event_types_over_the_federation(world: World, clients: Clients) -> None:
    ind = goals.update_indicator(
        SYSTEM, world.indicator, source="mcf", source_config={"table": "B11", "event_types": [1, 3]}
    )
    result = services.refresh_indicator(SYSTEM, ind, clients=clients)
    assert result.error == "" and result.source_ref == "mcf:B11:1+3:0484+0486"
    _, obs = services.fetch_mcf("t", "B11", ["0484", "0486"], [2024], clients=clients)
    wanted = {"konvHandelsetypId=1", "konvHandelsetypId=3"}
    assert current(ind)[2024].value == sum(o.value or 0 for o in obs if o.dimension in wanted)
    assert current(ind)[2025].vintage == "preliminar"


def test_mcf_years_with_a_missing_part_are_skipped_and_reported(world: World, clients: Clients) -> None:
    ind = goals.update_indicator(SYSTEM, world.indicator, source="mcf", source_config={"event_types": ["6"]})
    result = services.refresh_indicator(SYSTEM, ind, clients=clients)
    assert {s["year"] for s in result.skipped} == set(range(1998, 2005))  # type 6 exists from 2005
    assert result.skipped[0]["missing"] == ["0484 konvHandelsetypId=6", "0486 konvHandelsetypId=6"]
    assert 2004 not in current(ind) and 2005 in current(ind)


def test_scb_indicator_is_the_federations_population(world: World, clients: Clients) -> None:
    ind = goals.update_indicator(SYSTEM, world.indicator, source="scb", source_config={"from_year": 2022})
    result = services.refresh_indicator(SYSTEM, ind, clients=clients)
    assert result.written == [2022, 2023, 2024] and result.source_ref == "scb:BE0101N1:0484+0486"
    assert current(ind)[2024].note.startswith("Källa: SCB")


def test_misconfigured_indicators_report_an_error_and_write_nothing(world: World, clients: Clients) -> None:
    ind = goals.update_indicator(SYSTEM, world.indicator, source="kolada", source_config={"kpi": "N07415"})
    result = services.refresh_indicator(SYSTEM, ind, clients=clients)
    assert "kommun" in result.error  # two municipalities: which one is not said
    ind = goals.update_indicator(SYSTEM, ind, source_config={"kpi": "N99999", "municipality": "0484"})
    assert "N99999" in services.refresh_indicator(SYSTEM, ind, clients=clients).error
    ind = goals.update_indicator(SYSTEM, ind, source="mcf", source_config={"table": "B11"})
    assert "händelsetyper" in services.refresh_indicator(SYSTEM, ind, clients=clients).error
    assert not ind.series.measurements.exclude(source="manual").exists()


def test_refresh_indicators_takes_each_series_once(world: World, clients: Clients) -> None:
    services.attach_kolada_kpi(SYSTEM, world.indicator, KPI, "0484")
    goals.create_indicator(
        SYSTEM, world.performance_goal, name="Invånare", unit="antal", source="scb", source_config={}
    )
    results = services.refresh_indicators(SYSTEM, world.org, clients=clients)
    assert sorted(r.source for r in results) == ["kolada", "scb"]
    assert all(r.error == "" for r in results)
