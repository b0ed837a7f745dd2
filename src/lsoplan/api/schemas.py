"""The API's shapes. The OpenAPI document is generated from these types, so they are the contract."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from ninja import Schema
from pydantic import BaseModel, Field

MAX_ID = 2**31 - 1  # larger ids cannot exist, and SQLite refuses integers beyond 64 bits
T = TypeVar("T")

VersionStatus = Literal["utkast", "remiss", "antagen", "ersatt"]
MeasureStatus = Literal["planerad", "pagaende", "genomford", "installd"]
Vintage = Literal["preliminar", "slutlig"]
# No NUL in any text (PostgreSQL refuses it, and no person types it); no control characters at all
# in a one-line filter value.
TEXT = r"^[^\x00]*$"
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
TargetKind = Literal["level", "every_year", "mean", "total", "relative_change", "absolute_change"]


class Error(Schema):
    code: str = Field(description="Stabil kod för felet, t.ex. finns_inte, nyckel_saknas, ogiltigt_varde.")
    message: str = Field(description="Felet i klartext, på svenska.")
    field: str | None = Field(description="Fältet eller parametern som felet gäller, annars null.")


class Page(BaseModel, Generic[T]):
    count: int = Field(description="Antal träffar totalt.")
    page: int
    page_size: int
    items: list[T]


class ProgrammeOut(Schema):
    id: int
    title: str
    period_start: int
    period_end: int
    created_at: dt.datetime


class VersionOut(Schema):
    id: int
    programme: int
    number: int
    status: VersionStatus
    frozen: bool = Field(description="Antagen eller ersatt: innehållet kan inte ändras.")
    based_on: int | None
    adopted_body: str
    adopted_on: dt.date | None
    adopted_paragraph: str
    adopted_registration: str
    created_at: dt.datetime


class RiskOut(Schema):
    id: int
    version: int
    lineage: str = Field(description="Samma värde för samma risk i alla versioner.")
    title: str
    event_type: int | None = Field(description="MCF:s händelsetyp (konvHandelsetypId).")
    custom_type: str
    description: str
    likelihood: int
    consequence: int


class SafetyGoalOut(Schema):
    id: int
    version: int
    lineage: str
    code: str
    text: str
    owner: str
    national_goals: list[str] = Field(description="Nationella mål (LSO 1 kap.), t.ex. lso-1-3a.")
    risks: list[int]


class PerformanceGoalOut(Schema):
    id: int
    version: int
    lineage: str
    code: str
    text: str
    owner: str
    safety_goals: list[int]


class IndicatorOut(Schema):
    id: int
    version: int
    lineage: str
    series: str = Field(description="Mätserien: delas av indikatorns kopior i alla versioner.")
    goal_kind: Literal["sakerhetsmal", "prestationsmal"]
    goal: int
    goal_code: str
    name: str
    unit: str
    direction: Literal["lower", "higher"]
    normalisation: Literal["none", "per_1000"]
    is_count: bool
    source: str
    baseline_value: float | None
    baseline_start: int | None
    baseline_end: int | None
    target_value: float | None
    target_year: int | None
    target_kind: TargetKind = Field(
        description="Hur målet bedöms: nivå målåret, varje år, medelvärde, summa eller förändring mot "
        "utgångsläget (relativ eller absolut)."
    )
    target_window_start: int | None
    target_window_end: int | None
    target_reason: str
    indicator_kind: Literal["utfall", "prestation"]


class MeasureOut(Schema):
    id: int
    version: int
    lineage: str
    performance_goal: int
    text: str
    owner: str
    status: MeasureStatus
    cost_once: int | None
    cost_yearly: int | None
    due_year: int | None
    due_date: dt.date | None


class MeasureChange(Schema):
    """Only the fields sent are changed; the rest keep their values (as the edit form shows them)."""

    text: str | None = Field(None, min_length=1, max_length=5000, pattern=TEXT)
    owner: str | None = Field(None, max_length=200, pattern=ONE_LINE)
    cost_once: int | None = Field(None, ge=0, le=10**13, description="Engångskostnad i hela kronor.")
    cost_yearly: int | None = Field(None, ge=0, le=10**13, description="Årlig kostnad i hela kronor.")
    status: MeasureStatus | None = None
    due_year: int | None = Field(None, ge=1900, le=2100)
    due_date: dt.date | None = None


class MeasureStatusIn(Schema):
    year: int = Field(ge=1900, le=2100, description="Året lägesrapporten gäller (senast i år).")
    status: MeasureStatus
    note: str = Field("", max_length=5000, pattern=TEXT, description="Lägesbeskrivning.")


class ProgressOut(Schema):
    id: int
    measure: int
    year: int
    status: MeasureStatus
    note: str
    entered_at: dt.datetime


class MeasurementOut(Schema):
    id: int
    series: str
    year: int
    value: float
    vintage: Vintage
    source: str
    source_ref: str
    note: str
    entered_by: str | None
    entered_at: dt.datetime
    replaced_at: dt.datetime | None = Field(description="Satt när värdet har rättats eller tagits bort.")
    current: bool


class MeasurementIn(Schema):
    year: int = Field(ge=1900, le=2100)
    value: float = Field(allow_inf_nan=False, ge=-1e15, le=1e15)
    vintage: Vintage = "slutlig"
    note: str = Field("", max_length=300, pattern=TEXT)


class CorrectionIn(Schema):
    value: float = Field(allow_inf_nan=False, ge=-1e15, le=1e15)
    vintage: Vintage = "slutlig"
    note: str = Field("", max_length=300, pattern=TEXT)


class ImportJobOut(Schema):
    id: int
    status: Literal["queued", "running", "done", "rejected", "failed"] = Field(
        description="queued → running → done (importerad), rejected (filen har fel, inget importerat) "
        "eller failed."
    )
    file_name: str
    mapping: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    message: str
    result: dict[str, Any] | None = Field(
        description="Samma sammanfattning som `lsoplan incidents import`: rader, händelser, nya, "
        "uppdaterade, fel, varningar, import-id och listan över problem (rad, kolumn, meddelande)."
    )


class FollowupOut(Schema):
    goal: str
    indicator: str
    target_kind: str
    indicator_kind: str
    verdict: str
    failing_years: list[int]
    years_used: list[int]
    value: float | None
    baseline: float | None
    ci_low: float | None
    ci_high: float | None
    preliminary: bool
    sentence: str


class PublicValueOut(Schema):
    source: Literal["kolada", "mcf", "scb"]
    dataset: str
    municipality: str
    period: int
    dimension: str
    value: float | None
    publisher_status: str
    vintage: Vintage
    url: str
    retrieved_at: dt.datetime
    checked_at: dt.datetime
    offline: bool = Field(description="Ur en inspelning (exempeldata), inte hämtad från utgivaren.")
    replaced_at: dt.datetime | None
    citation: str
