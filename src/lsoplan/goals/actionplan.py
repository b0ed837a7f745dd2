"""The action plan (handlingsplan): measures with status, owner, due date and yearly progress.

Reads for the list and the overview, and the one write: a status report. A measure's status and
progress are follow-up data, written while the version is in force, so the report is allowed on
an adopted version (the measure's text, owner and costs stay frozen with it). The row is written
here and audited with ``audit.record``, as the egenkontroll services do for their records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lsoplan.audit import services as audit
from lsoplan.audit.models import Action
from lsoplan.audit.services import Actor
from lsoplan.goals.models import Measure, MeasureProgress, MeasureStatus
from lsoplan.lib.actionplan import OVERDUE, is_overdue
from lsoplan.programmes.models import ProgrammeVersion

FIRST_PROGRESS_YEAR = 2000


@dataclass(frozen=True)
class Row:
    measure: Measure
    overdue: bool
    latest: MeasureProgress | None

    @property
    def due(self) -> str:
        if self.measure.due_date is not None:
            return self.measure.due_date.isoformat()
        return str(self.measure.due_year) if self.measure.due_year else ""


@dataclass(frozen=True)
class Filters:
    status: str = ""  # a MeasureStatus value, or "forsenad"
    owner: str = ""
    due_year: int | None = None
    goal: int | None = None  # a performance goal's id

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        def number(name: str) -> int | None:
            text = (query.get(name) or "").strip()
            return int(text) if text.isdigit() else None  # a bad value filters nothing, quietly

        status = query.get("status") or ""
        valid = {value for value, _ in MeasureStatus.choices} | {OVERDUE}
        return cls(
            status=status if status in valid else "",
            owner=(query.get("ansvarig") or "").strip(),
            due_year=number("ar"),
            goal=number("mal"),
        )


def measures(version: ProgrammeVersion) -> list[Measure]:
    return list(
        Measure.objects.filter(version=version)
        .select_related("performance_goal")
        .order_by("performance_goal__order", "performance_goal_id", "id")
    )


def progress_of(items: list[Measure]) -> dict[Any, list[MeasureProgress]]:
    """Status reports by the measure's lineage: the copy in a new draft keeps its history."""
    found: dict[Any, list[MeasureProgress]] = {}
    reports = (
        MeasureProgress.objects.filter(measure__lineage__in=[m.lineage for m in items])
        .select_related("measure", "entered_by")
        .order_by("-year", "-entered_at", "-id")
    )
    for report in reports:
        found.setdefault(report.measure.lineage, []).append(report)
    return found


def rows(version: ProgrammeVersion, filters: Filters, today: dt.date | None = None) -> list[Row]:
    today = today or timezone.localdate()
    found = []
    every = measures(version)
    history = progress_of(every)
    for m in every:
        overdue = is_overdue(m.status, m.due_year, m.due_date, today)
        if filters.status == OVERDUE and not overdue:
            continue
        if filters.status and filters.status != OVERDUE and m.status != filters.status:
            continue
        if filters.owner and m.owner != filters.owner:
            continue
        if filters.due_year is not None and _due_year(m) != filters.due_year:
            continue
        if filters.goal is not None and m.performance_goal_id != filters.goal:
            continue
        progress = history.get(m.lineage, [])  # newest year, newest report first
        found.append(Row(m, overdue, progress[0] if progress else None))
    return found


def _due_year(m: Measure) -> int | None:
    return m.due_date.year if m.due_date is not None else m.due_year


def overdue_measures(version: ProgrammeVersion, today: dt.date | None = None) -> list[Row]:
    return rows(version, Filters(status=OVERDUE), today)


@transaction.atomic
def report_progress(
    actor: Actor, measure: Measure, *, year: int, status: str, note: str = "", today: dt.date | None = None
) -> MeasureProgress:
    """A status report for a year: the measure takes the new status, the report keeps the note."""
    today = today or timezone.localdate()
    if status not in MeasureStatus.values:
        raise ValidationError({"status": "Välj en status."})
    if not FIRST_PROGRESS_YEAR <= year <= today.year:
        raise ValidationError({"year": f"Ange ett år mellan {FIRST_PROGRESS_YEAR} och {today.year}."})
    progress = MeasureProgress(
        organisation=measure.organisation,
        measure=measure,
        year=year,
        status=status,
        note=note.strip(),
        entered_by=actor.user,
        entered_at=timezone.now(),
    )
    progress.full_clean()
    progress.save()
    audit.record(actor, progress, Action.CREATE, {k: [None, v] for k, v in audit.snapshot(progress).items()})
    if measure.status != status:
        old = measure.status
        Measure.objects.filter(pk=measure.pk).update(status=status)
        measure.status = status
        audit.record(actor, measure, Action.UPDATE, {"status": [old, status]})
    return progress
