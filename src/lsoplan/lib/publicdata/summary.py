"""What a fetch or an indicator refresh did, as the CLI prints it and the pages report it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class FetchSummary:
    source: str
    dataset: str
    title: str
    municipalities: list[str]
    offline: bool
    values: int = 0
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    missing: int = 0
    kept_live: int = 0  # offline values not written over figures fetched from the publisher
    population_rows: int = 0
    fetch_id: int | None = None
    citation: str = ""
    revisions: list[dict[str, Any]] = field(default_factory=list)  # the first 50: old and new value

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IndicatorResult:
    indicator: int
    name: str
    source: str
    source_ref: str = ""
    written: list[int] = field(default_factory=list)  # years with a new or changed measurement
    unchanged: list[int] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # years the publisher left incomplete
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
