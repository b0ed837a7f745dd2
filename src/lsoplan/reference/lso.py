"""Reference data about the programme itself: national goals, MSBFS 2021:1 chapters, risk matrix."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Meta:
    source: str
    retrieved: str
    version: str


def _read(name: str) -> tuple[Meta, dict[str, Any]]:
    raw = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return Meta(str(raw["source"]), str(raw["retrieved"]), str(raw["version"])), raw


@dataclass(frozen=True)
class NationalGoalRef:
    key: str
    reference: str
    title: str
    wording: str
    order: int


@dataclass(frozen=True)
class ChapterRef:
    key: str
    number: str
    title: str
    verified: bool
    closed: bool  # no extra sub-chapters allowed at this level (MSBFS 2021:1 § 2, allmänt råd)
    parent: str | None = None


@dataclass(frozen=True)
class RiskMatrixRef:
    likelihood: tuple[str, ...]
    consequence: tuple[str, ...]
    high_share: float


@cache
def national_goals() -> tuple[Meta, tuple[NationalGoalRef, ...]]:
    meta, raw = _read("national_goals.yaml")
    return meta, tuple(NationalGoalRef(**item) for item in raw["items"])


@cache
def msbfs_chapters() -> tuple[Meta, tuple[ChapterRef, ...]]:
    meta, raw = _read("msbfs_2021_1.yaml")
    return meta, tuple(ChapterRef(**item) for item in raw["items"])


@cache
def risk_matrix() -> tuple[Meta, RiskMatrixRef]:
    meta, raw = _read("risk_matrix.yaml")
    return meta, RiskMatrixRef(tuple(raw["likelihood"]), tuple(raw["consequence"]), float(raw["high_share"]))
