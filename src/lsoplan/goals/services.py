"""Writes to the goal chain: goals, measures, indicators and measurements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lsoplan.audit import services as audit
from lsoplan.audit.models import Action
from lsoplan.audit.services import Actor
from lsoplan.goals.models import (
    Indicator,
    IndicatorSeries,
    Measure,
    Measurement,
    NationalGoal,
    PerformanceGoal,
    SafetyGoal,
)
from lsoplan.lib.targets import infer_indicator_kind, infer_target
from lsoplan.programmes.models import ProgrammeVersion


def _same_version(version: ProgrammeVersion, objects: Iterable[Any], field: str) -> list[Any]:
    items = list(objects)
    if any(getattr(o, "version_id", version.pk) != version.pk for o in items):
        raise ValidationError({field: "Kopplingar får bara göras inom samma programversion."})
    return items


def create_safety_goal(
    actor: Actor,
    version: ProgrammeVersion,
    *,
    national_goals: Iterable[NationalGoal] = (),
    risks: Iterable[Any] = (),
    **fields: Any,
) -> SafetyGoal:
    m2m = {"national_goals": list(national_goals), "risks": _same_version(version, risks, "risks")}
    return audit.create(
        actor, SafetyGoal, organisation=version.organisation, version=version, m2m=m2m, **fields
    )


def create_performance_goal(
    actor: Actor, version: ProgrammeVersion, *, safety_goals: Iterable[SafetyGoal] = (), **fields: Any
) -> PerformanceGoal:
    m2m = {"safety_goals": _same_version(version, safety_goals, "safety_goals")}
    return audit.create(
        actor, PerformanceGoal, organisation=version.organisation, version=version, m2m=m2m, **fields
    )


def update_goal(
    actor: Actor, goal: SafetyGoal | PerformanceGoal, **fields: Any
) -> SafetyGoal | PerformanceGoal:
    m2m: dict[str, list[Any]] = {}
    for name in ("national_goals", "risks", "safety_goals"):
        if name in fields:
            m2m[name] = _same_version(goal.version, fields.pop(name), name)
    return audit.update(actor, goal, m2m=m2m, **fields)


@transaction.atomic
def delete_goal(actor: Actor, goal: SafetyGoal | PerformanceGoal) -> SafetyGoal | PerformanceGoal:
    """The goal with its indicators (and a prestationsmål's measures); linked goals stay."""
    audit.ensure_editable(goal)
    for indicator in goal.indicators.all():
        audit.delete(actor, indicator)
    if isinstance(goal, PerformanceGoal):
        for measure in goal.measures.all():
            audit.delete(actor, measure)
    audit.delete(actor, goal)
    return goal


def create_measure(actor: Actor, goal: PerformanceGoal, **fields: Any) -> Measure:
    return audit.create(
        actor, Measure, organisation=goal.organisation, version=goal.version, performance_goal=goal, **fields
    )


def inferred_semantics(goal: SafetyGoal | PerformanceGoal, fields: dict[str, Any]) -> dict[str, Any]:
    """Target kind, window and indicator kind read from the goal text (lib.targets)."""
    programme = goal.version.programme
    reading = infer_target(
        goal.text,
        target_year=fields.get("target_year"),
        period=(programme.period_start, programme.period_end),
        direction=fields.get("direction"),
    )
    kind = infer_indicator_kind(
        fields.get("name", ""),
        fields.get("unit", ""),
        goal.text,
        performance_goal=isinstance(goal, PerformanceGoal),
    )
    return {
        "target_kind": reading.kind,
        "target_window_start": reading.window_start,
        "target_window_end": reading.window_end,
        "indicator_kind": kind.kind,
    }


def update_measure(actor: Actor, measure: Measure, **fields: Any) -> Measure:
    return audit.update(actor, measure, **fields)


def delete_measure(actor: Actor, measure: Measure) -> Measure:
    audit.delete(actor, measure)
    return measure


@transaction.atomic
def create_indicator(actor: Actor, goal: SafetyGoal | PerformanceGoal, **fields: Any) -> Indicator:
    fields = _with_semantics(goal, fields)
    _check_indicator(fields)
    series = fields.pop("series", None) or IndicatorSeries.objects.create(
        organisation=goal.organisation, name=fields["name"]
    )
    link = {"safety_goal": goal} if isinstance(goal, SafetyGoal) else {"performance_goal": goal}
    return audit.create(
        actor,
        Indicator,
        organisation=goal.organisation,
        version=goal.version,
        series=series,
        **link,
        **fields,
    )


def _with_semantics(goal: SafetyGoal | PerformanceGoal, fields: dict[str, Any]) -> dict[str, Any]:
    """Semantics not given (an older file, the demo, a script) or left blank in the form ("tolka
    från måltexten") are read from the goal's wording."""
    inferred: dict[str, Any] | None = None
    out = dict(fields)
    if not out.get("target_kind"):
        inferred = inferred_semantics(goal, out)
        for key in ("target_kind", "target_window_start", "target_window_end"):
            if out.get(key) in (None, ""):
                out[key] = inferred[key]
    if not out.get("indicator_kind"):
        inferred = inferred or inferred_semantics(goal, out)
        out["indicator_kind"] = inferred["indicator_kind"]
    return out


def update_indicator(actor: Actor, indicator: Indicator, **fields: Any) -> Indicator:
    if ("target_kind" in fields and not fields["target_kind"]) or (
        "indicator_kind" in fields and not fields["indicator_kind"]
    ):
        fields = _with_semantics(indicator.goal, {**_current(indicator), **fields})
    keep = ("baseline_start", "baseline_end", "target_window_start", "target_window_end")
    merged = {f: getattr(indicator, f) for f in keep} | fields
    _check_indicator(merged)
    return audit.update(actor, indicator, **fields)


def _current(indicator: Indicator) -> dict[str, Any]:
    return {f: getattr(indicator, f) for f in ("name", "unit", "target_year")}


def delete_indicator(actor: Actor, indicator: Indicator) -> Indicator:
    """The indicator leaves the version; its series and measurements stay (other versions' copies
    of the indicator read the same series)."""
    audit.delete(actor, indicator)
    return indicator


def _check_indicator(fields: dict[str, Any]) -> None:
    start, end = fields.get("baseline_start"), fields.get("baseline_end")
    if start is not None and end is not None and end < start:
        raise ValidationError({"baseline_end": "Utgångsperiodens slut kan inte ligga före dess början."})
    w_start, w_end = fields.get("target_window_start"), fields.get("target_window_end")
    if w_start is not None and w_end is not None and w_end < w_start:
        raise ValidationError({"target_window_end": "Målperiodens slut kan inte ligga före dess början."})


def current_measurements(series: IndicatorSeries) -> list[Measurement]:
    return list(series.measurements.filter(replaced_at__isnull=True).order_by("year"))


@transaction.atomic
def record_measurement(
    actor: Actor,
    series: IndicatorSeries,
    *,
    year: int,
    value: float,
    vintage: str = "slutlig",
    source: str = "manual",
    source_ref: str = "",
    note: str = "",
    entered_at: Any = None,
) -> Measurement:
    """Enter a value, or correct one: the old row is kept with ``replaced_at`` set."""
    now = timezone.now()
    current = (
        Measurement.objects.select_for_update()
        .filter(series=series, year=year, replaced_at__isnull=True)
        .first()
    )
    if current is not None:
        if current.value == value and current.vintage == vintage and current.note == note:
            return current
        current.replaced_at = now
        current.save(update_fields=["replaced_at"])
    measurement = Measurement(
        organisation=series.organisation,
        series=series,
        year=year,
        value=value,
        vintage=vintage,
        source=source,
        source_ref=source_ref,
        note=note,
        entered_by=actor.user,
        entered_at=entered_at or now,
    )
    measurement.full_clean()
    measurement.save()
    before = {"value": current.value, "vintage": current.vintage} if current else {}
    changes = {
        "year": [year, year],
        "value": [before.get("value"), value],
        "vintage": [before.get("vintage"), vintage],
    }
    audit.record(actor, measurement, Action.UPDATE if current else Action.CREATE, changes)
    return measurement


def correct_measurement(
    actor: Actor, measurement: Measurement, *, value: float, vintage: str, note: str = "", **_: Any
) -> Measurement:
    """A new value for the same year; the old row stays in the history with ``replaced_at``."""
    if measurement.replaced_at is not None:
        raise ValidationError("Värdet har redan rättats. Rätta det senaste värdet för året.")
    return record_measurement(
        actor,
        measurement.series,
        year=measurement.year,
        value=value,
        vintage=vintage,
        note=note,
        source=measurement.source,
        source_ref=measurement.source_ref,
    )


@transaction.atomic
def withdraw_measurement(actor: Actor, measurement: Measurement) -> Measurement:
    """Deleting a measurement only marks it replaced: the row and who entered it stay."""
    current = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if current.replaced_at is not None:
        raise ValidationError("Värdet är redan borttaget eller rättat.")
    current.replaced_at = timezone.now()
    current.save(update_fields=["replaced_at"])
    audit.record(
        actor,
        current,
        Action.DELETE,
        {
            "year": [current.year, current.year],
            "value": [current.value, None],
            "vintage": [current.vintage, None],
        },
    )
    measurement.replaced_at = current.replaced_at
    return measurement


@transaction.atomic
def record_measurements(actor: Actor, series: IndicatorSeries, rows: Iterable[dict[str, Any]]) -> int:
    """Several years at once (the year grid, a paste from Excel): all or nothing. Each row is
    ``record_measurement``'s keywords; a row equal to the current value changes nothing. Returns
    the number of values entered or corrected."""
    changed = 0
    for row in rows:
        before = Measurement.objects.filter(series=series, year=row["year"], replaced_at__isnull=True).first()
        try:
            after = record_measurement(actor, series, **row)
        except ValidationError as exc:
            raise ValidationError(f"{row['year']}: {' '.join(exc.messages)}") from None
        changed += before is None or after.pk != before.pk
    return changed
