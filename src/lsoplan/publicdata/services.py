"""Writes of public statistics: fetch, store with provenance and revisions, feed indicators.

Every fetch reads the publisher's whole answer and parses it before anything is written; a broken
or changed answer raises a ``PublicDataError`` and leaves the database as it was (only the failed
run is logged in ``FetchLog``). Values from recordings (``--offline``) are marked as such, never
replace a value fetched from the publisher, and never overwrite a population figure.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lsoplan import __version__
from lsoplan.accounts.models import Municipality, Organisation, Population
from lsoplan.audit import dataversion
from lsoplan.audit.services import Actor
from lsoplan.goals import services as goals
from lsoplan.goals.models import Indicator, Measurement
from lsoplan.lib.publicdata import kolada as kolada_lib
from lsoplan.lib.publicdata import peers as peers_lib
from lsoplan.lib.publicdata.errors import PublicDataError, UnknownTableError
from lsoplan.lib.publicdata.http import (
    DiskCache,
    HttpClient,
    RateLimiter,
    RecordedTransport,
    Transport,
    UrllibTransport,
    user_agent,
)
from lsoplan.lib.publicdata.kolada import KoladaClient, Kpi
from lsoplan.lib.publicdata.observation import CITATIONS, Observation
from lsoplan.lib.publicdata.pxweb import POPULATION, TABLES, PxWebClient, TableSpec
from lsoplan.lib.publicdata.series import YearValue, aggregate
from lsoplan.lib.publicdata.summary import FetchSummary, IndicatorResult
from lsoplan.publicdata.models import FetchLog, PublicValue

FIXTURES = Path(__file__).parent / "fixtures"
T = TypeVar("T")
PUBLIC_SOURCES = ("kolada", "mcf", "scb")


# --- clients -----------------------------------------------------------------------------------


@dataclass
class Clients:
    kolada: KoladaClient
    mcf: PxWebClient
    scb: PxWebClient
    offline: bool


def offline_default() -> bool:
    """Offline when settings say so, else when LSOPLAN_OFFLINE is set (demo machines, CI)."""
    configured = getattr(settings, "LSOPLAN_PUBLICDATA_OFFLINE", None)
    if configured is not None:
        return bool(configured)
    return os.environ.get("LSOPLAN_OFFLINE", "").lower() in ("1", "true", "ja", "yes")


def build_clients(
    *,
    offline: bool | None = None,
    use_cache: bool = True,
    transport: Transport | None = None,
    interactive: bool = False,
) -> Clients:
    """Clients for the three publishers; ``interactive`` (a web request) fails fast instead of waiting."""
    offline = offline_default() if offline is None else offline
    if transport is None:
        transport = RecordedTransport(FIXTURES) if offline else UrllibTransport()
    contact = getattr(settings, "LSOPLAN_CONTACT", "") or os.environ.get("LSOPLAN_CONTACT", "")
    cache = None if offline or not use_cache else DiskCache(Path(settings.HOME) / "cache" / "publicdata")

    def http(limiter: RateLimiter | None) -> HttpClient:
        return HttpClient(
            transport,
            user_agent=user_agent(__version__, contact),
            limiter=None if offline else limiter,
            cache=cache,
            retries=1 if interactive else 3,
            timeout=10.0 if interactive else 30.0,
        )

    return Clients(
        # Kolada documents no limit; a few calls a second is polite for a public service.
        kolada=KoladaClient(http(RateLimiter(5, 1.0))),
        # SCB allows 30 calls per 10 s; MCF runs the same PxWeb software, so the same limit.
        mcf=PxWebClient(http(RateLimiter(30, 10.0))),
        scb=PxWebClient(http(RateLimiter(30, 10.0))),
        offline=offline,
    )


# --- storing -----------------------------------------------------------------------------------


def _read(log: tuple[str, str, Sequence[str], str, bool], read: Callable[[], T]) -> T:
    """Run a read from a publisher; on failure log the failed fetch, then pass the error on."""
    try:
        return read()
    except PublicDataError as exc:
        source, dataset, codes, actor_label, offline = log
        now = timezone.now()
        FetchLog.objects.create(
            source=source,
            dataset=dataset[:120],
            municipalities=list(codes),
            actor_label=actor_label[:150],
            started_at=now,
            finished_at=now,
            offline=offline,
            error=str(exc)[:2000],
        )
        raise


@transaction.atomic
def store_observations(
    observations: Sequence[Observation], summary: FetchSummary, *, actor_label: str, started: dt.datetime
) -> FetchLog:
    """Upsert with history: unchanged rows are re-confirmed, changed ones replaced and kept."""
    now = timezone.now()
    log = FetchLog.objects.create(
        source=summary.source,
        dataset=summary.dataset,
        title=summary.title[:300],
        municipalities=summary.municipalities,
        actor_label=actor_label[:150],
        started_at=started,
        offline=summary.offline,
    )
    keys = {(o.source, o.dataset, o.municipality) for o in observations}
    current: dict[tuple[str, str, str, int, str], PublicValue] = {}
    for source, dataset, code in keys:
        for pv in PublicValue.objects.select_for_update().filter(
            source=source, dataset=dataset, municipality=code, replaced_at__isnull=True
        ):
            current[(pv.source, pv.dataset, pv.municipality, pv.period, pv.dimension)] = pv
    new_rows, replaced, confirmed, examples = [], [], [], []
    for o in observations:
        summary.values += 1
        summary.missing += o.value is None
        old = current.get(o.key)
        if old is not None and summary.offline and not old.offline:
            summary.kept_live += 1
            continue
        if old is not None and old.offline and not summary.offline:
            examples.append(old.pk)  # example data give way to the real figure, leaving no history
            old = None
        if old is not None and (old.value, old.status, old.vintage) == (o.value, o.status, o.vintage):
            old.checked_at = now
            confirmed.append(old)
            summary.unchanged += 1
            continue
        if old is not None:
            old.replaced_at = now
            replaced.append(old)
            summary.revised += 1
            if len(summary.revisions) < 50:
                summary.revisions.append(
                    {"municipality": o.municipality, "period": o.period, "dimension": o.dimension,
                     "old": old.value, "new": o.value}
                )  # fmt: skip
        else:
            summary.created += 1
        new_rows.append(
            PublicValue(
                source=o.source,
                dataset=o.dataset,
                municipality=o.municipality,
                period=o.period,
                dimension=o.dimension,
                value=o.value,
                status=o.status[:40],
                vintage=o.vintage,
                url=o.url[:500],
                retrieved_at=now,
                checked_at=now,
                offline=summary.offline,
                fetch=log,
            )
        )
    PublicValue.objects.filter(pk__in=examples).delete()
    PublicValue.objects.bulk_update(replaced, ["replaced_at"])
    PublicValue.objects.bulk_update(confirmed, ["checked_at"])
    PublicValue.objects.bulk_create(new_rows)
    log.finished_at = timezone.now()
    log.ok = True
    for name in ("created", "revised", "unchanged", "missing"):
        setattr(log, name, getattr(summary, name))
    log.save()
    summary.fetch_id = log.pk
    # Public values are shared by every organisation: the global data version changes.
    dataversion.bump(None)
    return log


def write_population(observations: Iterable[Observation], *, source_text: str, offline: bool) -> int:
    """Population per municipality and year into ``accounts.Population`` (31 December figures)."""
    known = set(Municipality.objects.values_list("code", flat=True))
    existing = set(Population.objects.values_list("municipality_id", "year"))
    written = 0
    for o in observations:
        if o.value is None or o.municipality not in known or o.dimension not in ("", "kon=T"):
            continue
        if offline and (o.municipality, o.period) in existing:
            continue  # example data never replace a real figure
        Population.objects.update_or_create(
            municipality_id=o.municipality,
            year=o.period,
            defaults={"population": round(o.value), "estimated": False, "source": source_text[:200]},
        )
        written += 1
    if written:
        dataversion.bump(None)  # populations feed every organisation's rates per 1 000
    return written


def _population_source(text: str, offline: bool) -> str:
    return f"{text} (offline-exempel, konstruerat)" if offline else text


# --- fetches -----------------------------------------------------------------------------------


def search_kpis(title: str, *, clients: Clients | None = None) -> list[Kpi]:
    clients = clients or build_clients(interactive=True)
    return clients.kolada.search_kpis(title)


def fetch_kolada(
    actor_label: str, kpi_id: str, codes: Sequence[str], years: Iterable[int] | None = None,
    *, clients: Clients | None = None,
) -> tuple[FetchSummary, list[Observation]]:  # fmt: skip
    clients = clients or build_clients()
    started = timezone.now()
    wanted = list(years) if years is not None else None
    kpi = _read(
        ("kolada", kpi_id.upper(), codes, actor_label, clients.offline), lambda: clients.kolada.kpi(kpi_id)
    )

    def read() -> list[Observation]:
        found = []
        for code in codes:
            found += clients.kolada.values(kpi.id, code, wanted)
        return found

    observations = _read(("kolada", kpi.id, codes, actor_label, clients.offline), read)
    summary = FetchSummary(
        "kolada", kpi.id, kpi.title, list(codes), clients.offline, citation=CITATIONS["kolada"]
    )
    with transaction.atomic():
        store_observations(observations, summary, actor_label=actor_label, started=started)
        if kpi.id == kolada_lib.POPULATION_KPI:
            summary.population_rows = write_population(
                kolada_lib.totals(observations),
                source_text=_population_source("Kolada N01951, invånare 31 december", clients.offline),
                offline=clients.offline,
            )
    return summary, observations


def table_spec(key: str) -> TableSpec:
    if key not in TABLES or TABLES[key].source != "mcf":
        known = ", ".join(k for k, t in TABLES.items() if t.source == "mcf")
        raise UnknownTableError(f"okänd MCF-tabell '{key}' (kända: {known})")
    return TABLES[key]


def fetch_mcf(
    actor_label: str, key: str, codes: Sequence[str], years: Iterable[int] | None = None,
    *, clients: Clients | None = None,
) -> tuple[FetchSummary, list[Observation]]:  # fmt: skip
    spec = table_spec(key)
    return _fetch_pxweb(actor_label, spec, codes, years, clients or build_clients(), "mcf")


def fetch_scb_population(
    actor_label: str, codes: Sequence[str], years: Iterable[int] | None = None,
    *, clients: Clients | None = None,
) -> tuple[FetchSummary, list[Observation]]:  # fmt: skip
    clients = clients or build_clients()
    with transaction.atomic():
        summary, observations = _fetch_pxweb(actor_label, POPULATION, codes, years, clients, "scb")
        summary.population_rows = write_population(
            observations,
            source_text=_population_source(
                "SCB BE0101A/BefolkningNy, folkmängd 31 december", clients.offline
            ),
            offline=clients.offline,
        )
    return summary, observations


def _fetch_pxweb(
    actor_label: str, spec: TableSpec, codes: Sequence[str], years: Iterable[int] | None,
    clients: Clients, which: str,
) -> tuple[FetchSummary, list[Observation]]:  # fmt: skip
    client = clients.mcf if which == "mcf" else clients.scb
    started = timezone.now()
    wanted = list(years) if years is not None else None

    def read() -> list[Observation]:
        found = []
        for code in codes:
            found += client.values(spec, code, wanted)
        return found

    observations = _read((spec.source, spec.path, codes, actor_label, clients.offline), read)
    summary = FetchSummary(
        spec.source, spec.path, spec.title, list(codes), clients.offline, citation=CITATIONS[spec.source]
    )
    store_observations(observations, summary, actor_label=actor_label, started=started)
    return summary, observations


# --- indicators --------------------------------------------------------------------------------


def organisation_codes(organisation: Organisation) -> list[str]:
    return sorted(organisation.municipalities.values_list("code", flat=True))


def attach_kolada_kpi(actor: Actor, indicator: Indicator, kpi: Kpi, municipality: str) -> Indicator:
    """Make a Kolada KPI the indicator's source (an audited change of the indicator)."""
    if municipality not in organisation_codes(indicator.organisation):
        raise ValidationError({"municipality": "Välj en av organisationens kommuner."})
    config = {"kpi": kpi.id, "title": kpi.title, "municipality": municipality}
    # Kolada's figures are already rates, medians or shares: counting methods and a second
    # division by population would both be wrong.
    return goals.update_indicator(
        actor, indicator, source="kolada", source_config=config, normalisation="none", is_count=False
    )


def _config_years(config: dict[str, Any]) -> range | None:
    first, last = config.get("from_year"), config.get("to_year")
    if first is None and last is None:
        return None
    return range(int(first or 1990), int(last or 2200) + 1)


def indicator_series(
    indicator: Indicator, actor_label: str, clients: Clients
) -> tuple[list[YearValue], str, str]:
    """Fetch what the indicator's source config names; return its yearly series and references."""
    config = dict(indicator.source_config or {})
    years = _config_years(config)
    codes = [str(c) for c in config.get("municipalities") or organisation_codes(indicator.organisation)]
    if indicator.source == "kolada":
        kpi = str(config.get("kpi", ""))
        code = str(config.get("municipality") or (codes[0] if len(codes) == 1 else ""))
        if not kpi or not code:
            raise ValidationError(
                "Kolada-indikatorn saknar nyckeltal eller kommun; koppla nyckeltalet på nytt."
            )
        _, obs = fetch_kolada(actor_label, kpi, [code], years, clients=clients)
        return aggregate(obs, municipalities=[code], dimensions=["kon=T"]), f"kolada:{kpi}:{code}", kpi
    if indicator.source == "mcf":
        spec = table_spec(str(config.get("table", "B11")))
        dims = [""]
        if spec.breakdown:
            types = [str(t) for t in config.get("event_types") or []]
            if not types:
                raise ValidationError("MCF-indikatorn saknar händelsetyper (source_config 'event_types').")
            dims = [f"{spec.breakdown}={t}" for t in types]
        _, obs = fetch_mcf(actor_label, spec.key, codes, years, clients=clients)
        kinds = "+".join(d.partition("=")[2] for d in dims if d) or "-"
        return (
            aggregate(obs, municipalities=codes, dimensions=dims),
            f"mcf:{spec.key}:{kinds}:{'+'.join(codes)}",
            spec.path,
        )
    if indicator.source == "scb":
        _, obs = fetch_scb_population(actor_label, codes, years, clients=clients)
        return aggregate(obs, municipalities=codes), f"scb:BE0101N1:{'+'.join(codes)}", POPULATION.path
    raise ValidationError(f"Indikatorn har ingen offentlig källa (källa: {indicator.source}).")


def refresh_indicator(
    actor: Actor, indicator: Indicator, *, clients: Clients | None = None
) -> IndicatorResult:
    """Fetch the indicator's source and write its yearly values as measurements.

    Only years whose value or status changed get a new measurement; ``record_measurement`` keeps
    the replaced one, so a publisher's revision shows in the indicator's history.
    """
    clients = clients or build_clients()
    result = IndicatorResult(indicator.pk, indicator.name, indicator.source)
    try:
        series, result.source_ref, dataset = indicator_series(indicator, actor.label, clients)
    except (PublicDataError, ValidationError) as exc:
        result.error = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return result
    citation = CITATIONS[indicator.source]
    note = f"{citation}, {dataset}" + (" (exempeldata offline)" if clients.offline else "")
    with transaction.atomic():
        for yv in series:
            if yv.value is None:
                result.skipped.append({"year": yv.year, "missing": list(yv.missing)})
                continue
            current = Measurement.objects.filter(
                series=indicator.series, year=yv.year, replaced_at__isnull=True
            ).first()
            if current is not None and (current.value, current.vintage, current.source) == (
                yv.value,
                yv.vintage,
                indicator.source,
            ):
                result.unchanged.append(yv.year)
                continue
            text = (
                note
                if current is None
                else f"{note}; ersätter {_sv(current.value)} ({current.get_source_display()})"
            )
            goals.record_measurement(
                actor,
                indicator.series,
                year=yv.year,
                value=yv.value,
                vintage=yv.vintage,
                source=indicator.source,
                source_ref=result.source_ref[:200],
                note=text[:300],
            )
            result.written.append(yv.year)
    return result


def _sv(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def public_indicators(organisation: Organisation) -> list[Indicator]:
    """One indicator per series with a public source: the copy in the newest version."""
    chosen: dict[int, Indicator] = {}
    for ind in (
        Indicator.objects.filter(organisation=organisation, source__in=PUBLIC_SOURCES)
        .select_related("version", "series", "organisation")
        .order_by("series_id", "-version__number", "-id")
    ):
        chosen.setdefault(ind.series_id, ind)
    return list(chosen.values())


def refresh_indicators(
    actor: Actor, organisation: Organisation, *, clients: Clients | None = None
) -> list[IndicatorResult]:
    clients = clients or build_clients()
    return [refresh_indicator(actor, ind, clients=clients) for ind in public_indicators(organisation)]


# --- peers -------------------------------------------------------------------------------------


def refresh_peers(*, directory: Path | None = None, clients: Clients | None = None) -> dict[str, Any]:
    """Renew the peer-group files from Kolada; report which municipalities' groups changed."""
    clients = clients or build_clients()
    before_peers = {code: g.members for code, g in peers_lib.peer_groups().items()}
    before_skr = {code: g.group_id for code, g in peers_lib.skr_groups().items()}
    peer_groups = clients.kolada.municipality_groups(title=peers_lib.PEER_TITLE)
    skr_groups = clients.kolada.municipality_groups(ids=peers_lib.SKR_GROUP_IDS)
    peer_rows, skr_rows = peers_lib.peer_rows(peer_groups), peers_lib.skr_rows(skr_groups)
    target = directory or peers_lib.override_dir()
    note = "offline-inspelning" if clients.offline else "hämtat från Kolada"
    try:
        written = peers_lib.write_peer_files(
            target, peer_rows, skr_rows, retrieved=timezone.localdate(), source_note=note
        )
    except ValueError as exc:
        raise PublicDataError(str(exc)) from exc
    after_peers = {code: g.members for code, g in peers_lib.peer_groups(target).items()}
    after_skr = {code: g.group_id for code, g in peers_lib.skr_groups(target).items()}
    return {
        "source": "kolada",
        "offline": clients.offline,
        "peer_groups": len(after_peers),
        "skr_municipalities": len(after_skr),
        "changed_peer_groups": sorted(c for c in after_peers if before_peers.get(c) != after_peers[c]),
        "changed_skr_groups": sorted(c for c in after_skr if before_skr.get(c) != after_skr[c]),
        "written": [str(p) for p in written],
        "citation": CITATIONS["kolada"],
    }
