"""Reference data about the programme itself: national goals, MSBFS 2021:1 chapters, risk matrix."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from lsoplan.reference import DATA, Meta, load_yaml


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
    status: str = "unverified"  # verified | msb1789 | unverified (see the data file's header)
    note: str = ""
    hint: str = ""  # what the chapter should describe, shown while it has no text


@dataclass(frozen=True)
class RiskMatrixRef:
    likelihood: tuple[str, ...]
    consequence: tuple[str, ...]
    high_share: float


@cache
def national_goals() -> tuple[Meta, tuple[NationalGoalRef, ...]]:
    meta, items = load_yaml("national_goals.yaml")
    return meta, tuple(NationalGoalRef(**item) for item in items)


@cache
def msbfs_chapters() -> tuple[Meta, tuple[ChapterRef, ...]]:
    meta, items = load_yaml("msbfs_2021_1.yaml")
    return meta, tuple(ChapterRef(**item) for item in items)


@cache
def risk_matrix() -> tuple[Meta, RiskMatrixRef]:
    # The matrix file holds one record, not a list of items, so it is read whole.
    raw = yaml.safe_load((DATA / "risk_matrix.yaml").read_text(encoding="utf-8"))
    meta = Meta.from_dict(raw)
    return meta, RiskMatrixRef(tuple(raw["likelihood"]), tuple(raw["consequence"]), float(raw["high_share"]))
