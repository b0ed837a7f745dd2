"""Versioned reference data (YAML/CSV under ``data/``) with its source, read without Django.

Every loader is cached and returns an immutable collection that also carries ``meta`` (source,
retrieved, version), so a page or a report can print "Källa: …" next to the figures. YAML files
keep that metadata at the top of the file and their rows under ``items``; CSV files have no room
for it, so theirs lives in ``data/sources.yaml`` under the file name.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

DATA = Path(__file__).parent / "data"

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Meta:
    source: str
    retrieved: str
    version: str
    licence: str = ""
    url: str = ""

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Meta:
        return cls(
            source=str(raw["source"]),
            retrieved=str(raw["retrieved"]),
            version=str(raw["version"]),
            licence=str(raw.get("licence", "")),
            url=str(raw.get("url", "")),
        )


class Sourced(tuple[T, ...], Generic[T]):
    """A tuple of reference rows that remembers where they came from.

    A tuple rather than a list because the loaders are cached: a caller must not be able to change
    what the next caller sees.
    """

    meta: Meta

    def __new__(cls, items: Any, meta: Meta) -> Sourced[T]:
        obj = super().__new__(cls, items)
        obj.meta = meta
        return obj


class SourcedMapping(Mapping[K, V]):
    """A read-only mapping with the same ``meta`` attribute as :class:`Sourced`."""

    def __init__(self, data: dict[K, V], meta: Meta) -> None:
        self._data = data
        self.meta = meta

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def load_yaml(name: str) -> tuple[Meta, list[dict[str, Any]]]:
    """Read ``data/<name>``: the metadata at the top and the rows under ``items``."""
    raw = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return Meta.from_dict(raw), list(raw.get("items") or [])


def load_csv(name: str) -> tuple[Meta, list[dict[str, str]]]:
    """Read ``data/<name>`` as text columns (codes keep their leading zeros) plus its metadata."""
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return _csv_meta(name), rows


def _csv_meta(name: str) -> Meta:
    sources = yaml.safe_load((DATA / "sources.yaml").read_text(encoding="utf-8"))
    return Meta.from_dict(sources[name])


@dataclass(frozen=True)
class EventType:
    id: int
    name: str
    since: int | None = None  # first statistics year the type exists (6 and 11 came in 2005)


@dataclass(frozen=True)
class MunicipalityRef:
    code: str
    name: str
    county_code: str
    county_name: str


@dataclass(frozen=True)
class PopulationRow:
    code: str
    year: int
    population: int
    source: str
    estimated: bool = False


@cache
def event_types() -> Sourced[EventType]:
    meta, items = load_yaml("event_types.yaml")
    return Sourced((EventType(int(i["id"]), str(i["name"]), i.get("since")) for i in items), meta)


@cache
def municipalities() -> Sourced[MunicipalityRef]:
    meta, rows = load_csv("municipalities.csv")
    return Sourced(
        (MunicipalityRef(r["code"], r["name"], r["county_code"], r["county_name"]) for r in rows), meta
    )


@cache
def population_rows() -> Sourced[PopulationRow]:
    meta, rows = load_csv("population.csv")
    return Sourced(
        (
            PopulationRow(
                code=r["code"],
                year=int(r["year"]),
                population=int(r["population"]),
                source=r["source"],
                estimated=r.get("estimated", "").strip().lower() in {"1", "true", "ja"},
            )
            for r in rows
        ),
        meta,
    )


@cache
def population() -> SourcedMapping[tuple[str, int], int]:
    """Inhabitants keyed by (kommunkod, year)."""
    rows = population_rows()
    return SourcedMapping({(r.code, r.year): r.population for r in rows}, rows.meta)
