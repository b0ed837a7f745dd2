"""Reads of public statistics for the pages: tables per dataset, revisions, peers, indicators."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lsoplan import reference
from lsoplan.accounts.models import Municipality
from lsoplan.goals.models import Indicator
from lsoplan.lib.publicdata import peers
from lsoplan.lib.publicdata.observation import CITATIONS
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.publicdata.models import FetchLog, PublicValue

YEARS_SHOWN = 10


@dataclass
class DimensionTable:
    dimension: str
    label: str
    rows: list[tuple[int, list[PublicValue | None]]]


@dataclass
class DatasetTable:
    source: str
    dataset: str
    title: str
    citation: str
    municipalities: list[tuple[str, str]]  # (code, name)
    tables: list[DimensionTable] = field(default_factory=list)
    retrieved_at: Any = None
    offline: bool = False
    preliminary: bool = False
    missing: bool = False


def municipality_names(codes: Sequence[str]) -> dict[str, str]:
    names = dict(Municipality.objects.filter(code__in=codes).values_list("code", "name"))
    names.setdefault("0000", "Riket")
    return {c: names.get(c, c) for c in codes}


def dimension_label(dimension: str) -> str:
    name, _, value = dimension.partition("=")
    if name == "konvHandelsetypId":
        types = {str(t.id): t.name for t in reference.event_types()}
        return types.get(value, f"Händelsetyp {value}")
    if name == "kon":
        return {"T": "Totalt", "K": "Kvinnor", "M": "Män"}.get(value, value)
    return dimension or "Totalt"


def _titles() -> dict[tuple[str, str], str]:
    titles: dict[tuple[str, str], str] = {}
    for source, dataset, title in (
        FetchLog.objects.filter(ok=True).order_by("started_at").values_list("source", "dataset", "title")
    ):
        if title:
            titles[(source, dataset)] = title
    return titles


def dataset_tables(codes: Sequence[str], *, years_shown: int = YEARS_SHOWN) -> list[DatasetTable]:
    """Current values for the municipalities, one table per dataset and dimension, newest years."""
    names = municipality_names(codes)
    values = PublicValue.objects.filter(municipality__in=codes, replaced_at__isnull=True).exclude(
        dimension__in=("kon=K", "kon=M")
    )
    grouped: dict[tuple[str, str], list[PublicValue]] = defaultdict(list)
    for pv in values.order_by("source", "dataset", "dimension", "period"):
        grouped[(pv.source, pv.dataset)].append(pv)
    titles = _titles()
    result = []
    for (source, dataset), rows in grouped.items():
        present = sorted({r.municipality for r in rows})
        table = DatasetTable(
            source=source,
            dataset=dataset,
            title=titles.get((source, dataset), dataset),
            citation=CITATIONS.get(source, source),
            municipalities=[(c, names.get(c, c)) for c in present],
            retrieved_at=max(r.checked_at for r in rows),
            offline=any(r.offline for r in rows),
            preliminary=any(r.vintage == "preliminar" for r in rows),
            missing=any(r.value is None for r in rows),
        )
        by_dim: dict[str, dict[tuple[int, str], PublicValue]] = defaultdict(dict)
        for r in rows:
            by_dim[r.dimension][(r.period, r.municipality)] = r
        for dim, cells in sorted(by_dim.items(), key=lambda kv: _dim_order(kv[0])):
            years = sorted({y for y, _ in cells}, reverse=True)[:years_shown]
            grid = [(y, [cells.get((y, c)) for c in present]) for y in sorted(years)]
            table.tables.append(DimensionTable(dim, dimension_label(dim), grid))
        result.append(table)
    return result


def _dim_order(dimension: str) -> tuple[int, str]:
    value = dimension.partition("=")[2]
    return (int(value), dimension) if value.isdigit() else (0, dimension)


@dataclass
class Revision:
    old: PublicValue
    new: PublicValue | None
    municipality: str
    dimension: str


def revisions(codes: Sequence[str], *, limit: int = 50) -> list[Revision]:
    """Values the publisher changed: each replaced row with the row that replaced it."""
    names = municipality_names(codes)
    old_rows = list(
        PublicValue.objects.filter(municipality__in=codes, replaced_at__isnull=False).order_by(
            "-replaced_at"
        )[:limit]
    )
    pairs = []
    for old in old_rows:
        newer = (
            PublicValue.objects.filter(
                source=old.source,
                dataset=old.dataset,
                municipality=old.municipality,
                period=old.period,
                dimension=old.dimension,
                retrieved_at__gte=old.replaced_at,
            )
            .order_by("retrieved_at")
            .first()
        )
        label = dimension_label(old.dimension) if old.dimension not in ("", "kon=T") else ""
        pairs.append(Revision(old, newer, names.get(old.municipality, old.municipality), label))
    return pairs


def peer_info(codes: Sequence[str]) -> list[dict[str, Any]]:
    """For each municipality: Kolada's seven similar municipalities and its SKR group."""
    groups = peers.peer_groups()
    skr = peers.skr_groups()
    every = {c for code in codes for c in (code, *peers.peer_group(code))}
    names = municipality_names(sorted(every))
    rows = []
    for code in codes:
        skr_title, members = peers.skr_group(code)
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "peers": [(c, names.get(c, c)) for c in peers.peer_group(code)],
                "peer_title": groups[code].title if code in groups else "",
                "skr_title": skr_title,
                "skr_size": len(members),
            }
        )
    return [{"rows": rows, "peer_meta": groups.meta, "skr_meta": skr.meta}] if rows else []


def public_indicators(version: ProgrammeVersion) -> list[Indicator]:
    return list(
        Indicator.objects.filter(version=version, source__in=("kolada", "mcf", "scb"))
        .select_related("safety_goal", "performance_goal")
        .order_by("id")
    )


def recent_fetches(codes: Sequence[str], *, limit: int = 10) -> list[FetchLog]:
    wanted = set(codes)
    found = []
    for log in FetchLog.objects.order_by("-started_at", "-id")[: limit * 10]:
        if wanted & set(log.municipalities or []):
            found.append(log)
        if len(found) == limit:
            break
    return found


def indicator_values(indicator: Indicator) -> list[PublicValue]:
    """The stored public values behind a Kolada indicator (current and replaced), for its page."""
    config = indicator.source_config or {}
    if indicator.source != "kolada" or not config.get("kpi"):
        return []
    return list(
        PublicValue.objects.filter(
            source="kolada",
            dataset=config["kpi"],
            municipality=config.get("municipality", ""),
            dimension="kon=T",
        ).order_by("period", "retrieved_at")
    )
