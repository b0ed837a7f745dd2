"""Storing public figures: provenance, revisions, nothing stored on a broken answer, population."""

from __future__ import annotations

import pytest
from tests.factories import World
from tests.publicdata.conftest import live

from lsoplan.accounts.models import Population
from lsoplan.lib.publicdata.errors import ResponseFormatError, UnknownKpiError
from lsoplan.lib.publicdata.http import join_url
from lsoplan.lib.publicdata.kolada import KOLADA_V3
from lsoplan.publicdata import selectors, services
from lsoplan.publicdata.models import FetchLog, PublicValue
from lsoplan.publicdata.services import Clients

pytestmark = pytest.mark.django_db
N07415_0484 = join_url(
    KOLADA_V3, "data", "kpi", "N07415", "municipality", "0484", query=[("per_page", "5000")]
)


def n07415(value_2024: float | None, status: str = "") -> dict[str, object]:
    def row(year: int, value: float | None, st: str = "") -> dict[str, object]:
        return {"kpi": "N07415", "municipality": "0484", "period": year,
                "values": [{"count": 1, "gender": "T", "status": st, "value": value}]}  # fmt: skip

    return {"count": 2, "values": [row(2024, value_2024, status), row(2025, 0.31)]}


def test_fetch_stores_values_with_provenance(world: World, clients: Clients) -> None:
    summary, _ = services.fetch_kolada("test", "N07415", ["0484", "0486"], clients=clients)
    assert (summary.created, summary.revised, summary.values) == (4, 0, 4)
    assert summary.citation == "Källa: Kolada" and summary.title.startswith("Byggnadsbränder")
    pv = PublicValue.objects.get(dataset="N07415", municipality="0484", period=2024)
    assert (pv.source, pv.dimension, pv.vintage, pv.offline) == ("kolada", "kon=T", "slutlig", True)
    assert pv.url == N07415_0484 and pv.retrieved_at is not None and pv.replaced_at is None
    log = FetchLog.objects.get(pk=summary.fetch_id)
    assert (
        log.ok and log.actor_label == "test" and log.municipalities == ["0484", "0486"] and log.created == 4
    )


def test_refetch_of_the_same_figures_only_confirms_them(world: World, clients: Clients) -> None:
    services.fetch_kolada("test", "N07415", ["0484"], clients=clients)
    before = PublicValue.objects.get(dataset="N07415", municipality="0484", period=2024)
    summary, _ = services.fetch_kolada("test", "N07415", ["0484"], clients=clients)
    assert (summary.created, summary.revised, summary.unchanged) == (0, 0, 2)
    after = PublicValue.objects.get(dataset="N07415", municipality="0484", period=2024)
    assert after.pk == before.pk and after.checked_at > before.checked_at
    assert PublicValue.objects.count() == 2


def test_a_revised_figure_keeps_the_old_one(world: World) -> None:
    services.fetch_kolada("test", "N07415", ["0484"], clients=live(("GET", N07415_0484, None, n07415(0.44))))
    summary, _ = services.fetch_kolada(
        "test", "N07415", ["0484"], clients=live(("GET", N07415_0484, None, n07415(0.47)))
    )
    assert (summary.revised, summary.unchanged) == (1, 1)
    assert summary.revisions == [
        {"municipality": "0484", "period": 2024, "dimension": "kon=T", "old": 0.44, "new": 0.47}
    ]
    rows = PublicValue.objects.filter(dataset="N07415", municipality="0484", period=2024).order_by(
        "retrieved_at"
    )
    assert [(r.value, r.replaced_at is not None) for r in rows] == [(0.44, True), (0.47, False)]
    (rev,) = selectors.revisions(["0484"])
    assert (rev.old.value, rev.new.value if rev.new else None, rev.municipality) == (0.44, 0.47, "Eskilstuna")


def test_a_changed_status_is_a_revision_too(world: World) -> None:
    services.fetch_kolada(
        "t", "N07415", ["0484"], clients=live(("GET", N07415_0484, None, n07415(0.44, "P")))
    )
    services.fetch_kolada("t", "N07415", ["0484"], clients=live(("GET", N07415_0484, None, n07415(0.44))))
    rows = PublicValue.objects.filter(dataset="N07415", municipality="0484", period=2024).order_by(
        "retrieved_at"
    )
    assert [r.vintage for r in rows] == ["preliminar", "slutlig"]


def test_example_data_never_replace_fetched_figures(world: World, clients: Clients) -> None:
    services.fetch_kolada("t", "N07415", ["0484"], clients=live(("GET", N07415_0484, None, n07415(0.44))))
    summary, _ = services.fetch_kolada("t", "N07415", ["0484"], clients=clients)
    assert summary.kept_live == 2 and summary.revised == 0
    assert PublicValue.objects.get(dataset="N07415", municipality="0484", period=2024).value == 0.44


def test_fetched_figures_replace_example_data_without_a_revision(world: World, clients: Clients) -> None:
    services.fetch_kolada("t", "N07415", ["0484"], clients=clients)
    summary, _ = services.fetch_kolada(
        "t", "N07415", ["0484"], clients=live(("GET", N07415_0484, None, n07415(0.44)))
    )
    assert (summary.created, summary.revised) == (2, 0)
    rows = PublicValue.objects.filter(dataset="N07415", municipality="0484")
    assert rows.count() == 2 and not rows.filter(offline=True).exists()
    assert selectors.revisions(["0484"]) == []


def test_missing_figure_is_stored_as_missing(world: World, clients: Clients) -> None:
    summary, _ = services.fetch_kolada("t", "U07442", ["0482"], clients=clients)
    assert summary.missing == 1
    pv = PublicValue.objects.get(dataset="U07442", municipality="0482", period=2016)
    assert pv.value is None and pv.status == "Missing"


def test_broken_answer_stores_nothing(world: World) -> None:
    broken_0486 = N07415_0484.replace("0484", "0486")
    clients = live(("GET", broken_0486, None, {"values": [{"kpi": "N07415", "municipality": "0486"}]}))
    with pytest.raises(ResponseFormatError, match="period"):
        services.fetch_kolada("t", "N07415", ["0484", "0486"], clients=clients)
    assert PublicValue.objects.count() == 0  # 0484 was read fine, but nothing is written
    log = FetchLog.objects.get()
    assert not log.ok and "period" in log.error


def test_broken_answer_on_refetch_leaves_stored_values_alone(world: World, clients: Clients) -> None:
    services.fetch_kolada("t", "N07415", ["0484"], clients=clients)
    with pytest.raises(ResponseFormatError):
        services.fetch_kolada("t", "N07415", ["0484"], clients=live(("GET", N07415_0484, None, "<html>")))
    assert PublicValue.objects.filter(replaced_at__isnull=True).count() == 2


def test_unknown_kpi(world: World, clients: Clients) -> None:
    with pytest.raises(UnknownKpiError):
        services.fetch_kolada("t", "N99999", ["0484"], clients=clients)
    assert PublicValue.objects.count() == 0


def test_mcf_counts_per_event_type(world: World, clients: Clients) -> None:
    summary, _ = services.fetch_mcf("t", "B11", ["0484"], range(2024, 2026), clients=clients)
    assert summary.created == 28 and summary.citation == "Källa: MSB/MCF"
    prel = PublicValue.objects.get(
        dataset="B/B1/B11", municipality="0484", period=2025, dimension="konvHandelsetypId=1"
    )
    assert prel.vintage == "preliminar" and prel.status == "preliminär"


def test_scb_population_offline_fills_gaps_but_never_overwrites(world: World, clients: Clients) -> None:
    reference_2024 = Population.objects.get(municipality_id="0484", year=2024)
    summary, _ = services.fetch_scb_population("t", ["0484"], range(2020, 2025), clients=clients)
    assert summary.population_rows == 4  # 2020–2023; 2024 already has SCB's 1 November figure
    assert Population.objects.get(municipality_id="0484", year=2024).population == reference_2024.population
    filled = Population.objects.get(municipality_id="0484", year=2021)
    assert not filled.estimated and "offline-exempel" in filled.source


def test_scb_population_live_is_the_31_december_figure(world: World) -> None:
    summary, obs = services.fetch_scb_population("t", ["0484"], [2024], clients=live())
    assert summary.population_rows == 1
    row = Population.objects.get(municipality_id="0484", year=2024)
    assert row.population == obs[0].value and row.source == "SCB BE0101A/BefolkningNy, folkmängd 31 december"
    assert not row.estimated


def test_kolada_population_kpi_feeds_population(world: World) -> None:
    summary, _ = services.fetch_kolada("t", "N01951", ["0486"], [2023], clients=live())
    assert summary.population_rows == 1
    assert Population.objects.get(municipality_id="0486", year=2023).source.startswith("Kolada N01951")


def test_refresh_peers_writes_renewed_files(world: World, clients: Clients, tmp_path: object) -> None:
    result = services.refresh_peers(clients=clients)
    assert result["peer_groups"] == 290 and result["skr_municipalities"] == 290
    assert result["changed_peer_groups"] == [] and len(result["written"]) == 3
