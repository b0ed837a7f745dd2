"""Reads for documents, exports and the version comparison: the programme's data as plain values.

The incidents, evaluation and checks apps are optional here: a document must still be produced
when one of them is not installed yet or has no data, so their reads return ``None`` (absent) or
an empty list, and the builders say so in the document instead of failing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import DatabaseError, models, transaction

from lsoplan.accounts.models import Organisation, Population
from lsoplan.conditions.models import Capability, EventType, Risk
from lsoplan.goals.models import Indicator, Measure, Measurement, PerformanceGoal, SafetyGoal
from lsoplan.goals.selectors import history_by_series, performance_goals, safety_goals
from lsoplan.lib.goalchain import RiskNode, is_high
from lsoplan.programmes.models import Chapter, Programme, ProgrammeVersion, VersionStatus
from lsoplan.reference.lso import risk_matrix

log = logging.getLogger(__name__)
T = TypeVar("T")


def _optional(read: Callable[[], T]) -> T | None:
    """Run a read on an app built separately; None if its code or its tables are not there yet."""
    try:
        with transaction.atomic():  # a failed query must not poison the caller's transaction
            return read()
    except (ImportError, LookupError, AttributeError, DatabaseError) as exc:
        log.info("optional report data unavailable: %s", exc)
        return None


# --- versions -------------------------------------------------------------------------------


def pick_version(programme: Programme, number: int | None, *, adopted_first: bool) -> ProgrammeVersion | None:
    """The version a document is made from: the given number, else for a follow-up the adopted
    version in force (follow-ups refer to what was adopted), else the one being worked on."""
    versions = list(programme.versions.all())
    if number is not None:
        return next((v for v in versions if v.number == number), None)
    if adopted_first:
        adopted = [v for v in versions if v.status == VersionStatus.ANTAGEN]
        if adopted:
            return adopted[0]
    open_versions = [v for v in versions if v.status in (VersionStatus.UTKAST, VersionStatus.REMISS)]
    candidates = open_versions or versions
    return candidates[0] if candidates else None


def other_versions(version: ProgrammeVersion) -> list[ProgrammeVersion]:
    return list(version.programme.versions.exclude(pk=version.pk).order_by("number"))


# --- the municipality ----------------------------------------------------------------------


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name: str
    county: str
    population: int | None
    year: int | None
    estimated: bool
    source: str


def municipalities(organisation: Organisation, as_of: dt.date | None = None) -> list[MunicipalityRow]:
    """Each municipality with its latest known population (SCB).

    ``as_of``: the latest population year up to that date's year; when none is that old, the
    earliest there is (the table names the year, so the reader sees which).
    """
    rows = []
    for m in organisation.municipalities.order_by("name"):
        known = Population.objects.filter(municipality=m)
        if as_of is not None:
            earlier = known.filter(year__lte=as_of.year).order_by("-year").first()
            latest = earlier or known.order_by("year").first()
        else:
            latest = known.order_by("-year").first()
        rows.append(
            MunicipalityRow(
                m.code,
                m.name,
                m.county_name,
                latest.population if latest else None,
                latest.year if latest else None,
                latest.estimated if latest else False,
                latest.source if latest else "",
            )
        )
    return rows


# --- risks, matrix, capabilities ---------------------------------------------------------------


def risks(version: ProgrammeVersion) -> list[Risk]:
    return list(
        Risk.objects.filter(version=version)
        .select_related("event_type")
        .prefetch_related("vulnerabilities", "safety_goals")
    )


@dataclass(frozen=True)
class MatrixCell:
    likelihood: int
    consequence: int
    numbers: tuple[int, ...]  # the risks' numbers in the risk list (R1, R2 …)
    level: str  # lag | medel | hog


@dataclass(frozen=True)
class Matrix:
    likelihood_labels: tuple[str, ...]
    consequence_labels: tuple[str, ...]
    rows: tuple[tuple[MatrixCell, ...], ...]  # highest likelihood first, as the page shows it


def matrix(version: ProgrammeVersion, risk_list: list[Risk]) -> Matrix:
    """The same cells and colour levels as the Förutsättningar page, holding risk numbers."""
    _, ref = risk_matrix()
    lik_labels = tuple(version.likelihood_labels or ref.likelihood)
    con_labels = tuple(version.consequence_labels or ref.consequence)
    n_l, n_c = len(lik_labels), len(con_labels)
    rows = []
    for lik in range(n_l, 0, -1):
        cells = []
        for con in range(1, n_c + 1):
            high = is_high(RiskNode(0, "", lik, con), (n_l, n_c), ref.high_share)
            medium = lik * con >= ref.high_share * n_l * n_c / 2
            numbers = tuple(
                i for i, r in enumerate(risk_list, 1) if r.likelihood == lik and r.consequence == con
            )
            cells.append(MatrixCell(lik, con, numbers, "hog" if high else "medel" if medium else "lag"))
        rows.append(tuple(cells))
    return Matrix(lik_labels, con_labels, tuple(rows))


def capabilities(version: ProgrammeVersion) -> list[Capability]:
    return list(Capability.objects.filter(version=version).select_related("risk"))


# --- goals and indicators ---------------------------------------------------------------------


def goals(version: ProgrammeVersion) -> tuple[list[SafetyGoal], list[PerformanceGoal]]:
    return safety_goals(version), performance_goals(version)


def indicators(version: ProgrammeVersion) -> list[Indicator]:
    """Safety goals' indicators first, then performance goals', each in goal order."""
    items = Indicator.objects.filter(version=version).select_related(
        "safety_goal", "performance_goal", "series"
    )

    def key(i: Indicator) -> tuple[int, int, int, int]:
        goal = i.safety_goal or i.performance_goal
        return (0 if i.safety_goal_id else 1, goal.order if goal else 0, goal.pk if goal else 0, i.pk)

    return sorted(items, key=key)


def history(items: list[Indicator], up_to: int | None = None) -> dict[int, list[tuple[int, float]]]:
    out = history_by_series([i.series_id for i in items])
    if up_to is None:
        return out
    return {k: [(y, v) for y, v in series if y <= up_to] for k, series in out.items()}


def measurements(items: list[Indicator]) -> list[Measurement]:
    """Current (not replaced) values of the indicators' series, oldest year first."""
    return list(
        Measurement.objects.filter(series_id__in=[i.series_id for i in items], replaced_at__isnull=True)
        .select_related("entered_by")
        .order_by("series_id", "year")
    )


def measures(version: ProgrammeVersion) -> list[Measure]:
    return list(Measure.objects.filter(version=version).select_related("performance_goal").order_by("id"))


def measured_years(items: list[Indicator]) -> list[int]:
    years = Measurement.objects.filter(
        series_id__in=[i.series_id for i in items], replaced_at__isnull=True
    ).values_list("year", flat=True)
    return sorted(set(years))


def short(text: str, limit: int) -> str:
    """A label-length version of a text, cut between words, never inside one."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def goal_label(goal: SafetyGoal | PerformanceGoal | None) -> str:
    if goal is None:
        return ""
    return goal.code or short(goal.text, 60)


# --- the optional apps -----------------------------------------------------------------------


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in Swedish time: incidents alarmed before it count."""
    local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=ZoneInfo("Europe/Stockholm"))
    return local.astimezone(dt.UTC)  # the statistics copy keeps alarm times in UTC


def incident_counts(organisation: Organisation, as_of: dt.date | None = None) -> list[dict[str, Any]] | None:
    """Incidents per year and event type (keys year, handelsetyp, count), or None if unavailable.

    ``as_of`` counts only incidents alarmed up to and including that day. The incidents app gives
    the event type as MCF's id (konvHandelsetypId); documents show its name.
    """

    def read() -> list[dict[str, Any]]:
        module = importlib.import_module("lsoplan.incidents.selectors")
        if as_of is None:
            found = module.yearly_counts(organisation)
        else:
            import polars as pl

            frame = module.incident_frame(organisation, ["larm_tid", "handelsetyp"])
            frame = frame.filter(pl.col("larm_tid") < end_of_day(as_of))
            found = module.counts(organisation, ["year", "handelsetyp"], frame=frame)["groups"]
        rows = [dict(row) for row in found]
        names = dict(EventType.objects.values_list("pk", "name"))
        for row in rows:
            kind = row.get("handelsetyp")
            if kind is None or kind == "":
                row["handelsetyp"] = "Okänd händelsetyp"
            elif isinstance(kind, int) or str(kind).isdigit():
                row["handelsetyp"] = names.get(int(kind), f"Händelsetyp {kind}")
        return rows

    return _optional(read)


def _for_version(app_label: str, model_name: str, version: ProgrammeVersion, field: str) -> list[Any] | None:
    def read() -> list[Any]:
        model: type[models.Model] = apps.get_model(app_label, model_name)
        return list(model._default_manager.filter(**{field: version}).order_by("pk"))

    return _optional(read)


def _year_of(value: Any) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, int):
        return value
    return None


def evaluations(version: ProgrammeVersion, year: int | None = None) -> list[Any] | None:
    """Evaluations of the version whose period includes ``year`` (all when the period is unknown)."""
    found = _for_version("evaluation", "Evaluation", version, "programme_version")
    if found is None or year is None:
        return found
    out = []
    for e in found:
        start, end = _year_of(getattr(e, "period_start", None)), _year_of(getattr(e, "period_end", None))
        if (start is None or start <= year) and (end is None or year <= end):
            out.append(e)
    return out


def improvement_actions(version: ProgrammeVersion) -> list[Any] | None:
    return _for_version("evaluation", "ImprovementAction", version, "programme_version")


def latest_check_run(version: ProgrammeVersion) -> tuple[bool, Any]:
    """(whether the checks app is there, its latest run for the version or None)."""

    def read() -> Any:
        model: type[models.Model] = apps.get_model("checks", "CheckRun")
        return model._default_manager.filter(version=version).order_by("-run_at", "-pk").first()

    try:
        apps.get_model("checks", "CheckRun")
    except LookupError:
        return False, None
    return True, _optional(read)


def display(obj: Any, name: str) -> str:
    """A field's human value: the choice label when the model has one, '' when it is missing."""
    getter = getattr(obj, f"get_{name}_display", None)
    if callable(getter):
        return str(getter())
    value = getattr(obj, name, None)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


# --- records for the version comparison ----------------------------------------------------------


def _num(value: Any) -> float | None:
    return float(value) if value is not None else None


def version_records(version: ProgrammeVersion) -> dict[str, list[dict[str, Any]]]:
    """The version's content as plain records keyed by lineage, the input of lib.versiondiff."""
    sgs, pgs = goals(version)
    out: dict[str, list[dict[str, Any]]] = {
        "chapters": [
            {"lineage": c.lineage, "label": f"{c.number} {c.title}", "title": c.title, "text": c.text}
            for c in Chapter.objects.filter(version=version)
        ],
        "risks": [
            {
                "lineage": r.lineage,
                "label": r.title,
                "title": r.title,
                "accident_type": r.accident_type,
                "likelihood": r.likelihood,
                "consequence": r.consequence,
                "description": r.description,
            }
            for r in risks(version)
        ],
        "safety_goals": [
            {
                "lineage": g.lineage,
                "label": goal_label(g),
                "code": g.code,
                "text": g.text,
                "owner": g.owner,
                "national_goals": [n.reference for n in g.national_goals.all()],
                "risks": [r.title for r in g.risks.all()],
            }
            for g in sgs
        ],
        "performance_goals": [
            {
                "lineage": g.lineage,
                "label": goal_label(g),
                "code": g.code,
                "text": g.text,
                "owner": g.owner,
                "safety_goals": [goal_label(s) for s in g.safety_goals.all()],
            }
            for g in pgs
        ],
        "measures": [
            {
                "lineage": m.lineage,
                "label": short(m.text, 80),
                "text": m.text,
                "goal": goal_label(m.performance_goal),
                "owner": m.owner,
                "status": m.get_status_display(),
                "due_year": m.due_year,
                "cost_once": _num(m.cost_once),
                "cost_yearly": _num(m.cost_yearly),
            }
            for m in measures(version)
        ],
        "indicators": [
            {
                "lineage": i.lineage,
                "label": i.name,
                "name": i.name,
                "goal": goal_label(i.safety_goal or i.performance_goal),
                "unit": i.unit,
                "direction": i.get_direction_display(),
                "baseline": i.baseline_value,
                "baseline_period": i.baseline_period,
                "target": i.target_value,
                "target_year": i.target_year,
            }
            for i in indicators(version)
        ],
        "capabilities": [
            {
                "lineage": c.lineage,
                "label": f"{c.get_kind_display()}: {short(c.description, 60)}",
                "kind": c.get_kind_display(),
                "readiness": c.get_readiness_display(),
                "risk": c.risk.title if c.risk else "",
                "description": c.description,
                "planned": c.planned,
                "resources": c.resources,
            }
            for c in capabilities(version)
        ],
    }
    for records in out.values():
        for record in records:
            record["lineage"] = str(record["lineage"])
    return out
