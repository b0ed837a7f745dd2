"""The goal-chain check: national goal → säkerhetsmål → prestationsmål → åtgärder, and risks.

Works on plain node records so that it can be tested, and reused by egenkontroll, without a
database. Each gap says in Swedish what is missing and what to do about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RiskNode:
    id: int
    title: str
    likelihood: int
    consequence: int


@dataclass(frozen=True)
class SafetyGoalNode:
    id: int
    label: str
    national_goals: tuple[str, ...] = ()
    risks: tuple[int, ...] = ()
    indicators: int = 0


@dataclass(frozen=True)
class PerformanceGoalNode:
    id: int
    label: str
    safety_goals: tuple[int, ...] = ()
    indicators: int = 0
    measures: int = 0


@dataclass(frozen=True)
class Gap:
    code: str
    kind: str  # "risk" | "sakerhetsmal" | "prestationsmal"
    object_id: int
    message: str
    severity: str = "brist"  # "brist" or "notering"

    @property
    def label(self) -> str:
        """The short Swedish name shown in the UI; the code stays internal."""
        return GAP_LABELS.get(self.code, "Brist i målkedjan")


# One place for the gaps' short names (badges); the full sentence is the gap's message.
GAP_LABELS = {
    "SG-NATIONELLT": "Inget nationellt mål",
    "SG-RISK": "Ingen risk",
    "SG-PRESTATION": "Inget prestationsmål",
    "MAL-INDIKATOR": "Ingen indikator",
    "PM-SAKERHET": "Inget säkerhetsmål",
    "PM-ATGARD": "Inga åtgärder",
    "RISK-MAL": "Risk utan mål",
}


@dataclass(frozen=True)
class ChainReport:
    gaps: tuple[Gap, ...] = field(default_factory=tuple)

    def for_object(self, kind: str, object_id: int) -> list[Gap]:
        return [g for g in self.gaps if g.kind == kind and g.object_id == object_id]

    @property
    def count(self) -> int:
        return sum(1 for g in self.gaps if g.severity == "brist")


def is_high(risk: RiskNode, levels: tuple[int, int], high_share: float) -> bool:
    """High when likelihood × consequence reaches ``high_share`` of the matrix maximum."""
    return risk.likelihood * risk.consequence >= high_share * levels[0] * levels[1]


def check_chain(
    risks: Sequence[RiskNode],
    safety_goals: Sequence[SafetyGoalNode],
    performance_goals: Sequence[PerformanceGoalNode],
    *,
    levels: tuple[int, int] = (5, 5),
    high_share: float = 0.48,
) -> ChainReport:
    gaps: list[Gap] = []
    served = {sid for pg in performance_goals for sid in pg.safety_goals}
    covered_risks = {rid for sg in safety_goals for rid in sg.risks}
    for sg in safety_goals:
        if not sg.national_goals:
            gaps.append(
                Gap(
                    "SG-NATIONELLT",
                    "sakerhetsmal",
                    sg.id,
                    f"{sg.label} är inte kopplat till något nationellt mål (LSO 1 kap. 1, 3 eller 3 a §).",
                )
            )
        if not sg.risks:
            gaps.append(
                Gap(
                    "SG-RISK",
                    "sakerhetsmal",
                    sg.id,
                    f"{sg.label} är inte kopplat till någon risk i förutsättningarna.",
                )
            )
        if sg.id not in served:
            gaps.append(
                Gap(
                    "SG-PRESTATION",
                    "sakerhetsmal",
                    sg.id,
                    f"{sg.label} saknar prestationsmål: vad ska organisationen göra för att nå det?",
                )
            )
        if sg.indicators == 0:
            gaps.append(
                Gap(
                    "MAL-INDIKATOR",
                    "sakerhetsmal",
                    sg.id,
                    f"{sg.label} saknar indikator och kan inte följas upp.",
                )
            )
    for pg in performance_goals:
        if not pg.safety_goals:
            gaps.append(
                Gap(
                    "PM-SAKERHET",
                    "prestationsmal",
                    pg.id,
                    f"{pg.label} är inte kopplat till något säkerhetsmål.",
                )
            )
        if pg.indicators == 0:
            gaps.append(
                Gap(
                    "MAL-INDIKATOR",
                    "prestationsmal",
                    pg.id,
                    f"{pg.label} saknar indikator och kan inte följas upp.",
                )
            )
        if pg.measures == 0:
            gaps.append(
                Gap(
                    "PM-ATGARD",
                    "prestationsmal",
                    pg.id,
                    f"{pg.label} har inga åtgärder ännu.",
                    severity="notering",
                )
            )
    for risk in risks:
        if is_high(risk, levels, high_share) and risk.id not in covered_risks:
            gaps.append(
                Gap(
                    "RISK-MAL",
                    "risk",
                    risk.id,
                    f"Risken '{risk.title}' är högt värderad men inget säkerhetsmål hanterar den.",
                )
            )
    return ChainReport(tuple(gaps))
