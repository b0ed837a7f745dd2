"""Writing a programme version to the programme file format (see ``exchange``).

The output is deterministic: objects come in their display order (order, then creation), local
references are numbered in that order, keys are sorted and no database id or lineage is written.
Importing a file creates objects in file order, so exporting the imported copy gives the same
bytes.
"""

from __future__ import annotations

import json
from typing import Any

from lsoplan.conditions.models import Capability, Risk
from lsoplan.goals.models import Indicator, IndicatorSeries, Measure, PerformanceGoal, SafetyGoal
from lsoplan.programmes.exchange import (
    FORMAT,
    FORMAT_VERSION,
    REF_PREFIX,
    format_date,
    format_datetime,
)
from lsoplan.programmes.models import Chapter, ProgrammeVersion


class _Refs:
    """Hands out "risk-1", "risk-2" … in the order objects are first met."""

    def __init__(self, kind: str) -> None:
        self.prefix = REF_PREFIX[kind]
        self.by_pk: dict[int, str] = {}

    def __call__(self, pk: int) -> str:
        if pk not in self.by_pk:
            self.by_pk[pk] = f"{self.prefix}-{len(self.by_pk) + 1}"
        return self.by_pk[pk]

    def sorted(self, pks: list[int]) -> list[str]:
        # Lists of links follow the referenced objects' own order, not the database's.
        return sorted((self(pk) for pk in pks), key=lambda ref: int(ref.rsplit("-", 1)[1]))


def export_version(version: ProgrammeVersion) -> dict[str, Any]:
    """The whole content of one version, as a JSON-ready dict."""
    programme = version.programme
    risk_ref, sg_ref, pg_ref = _Refs("risk"), _Refs("safety_goal"), _Refs("performance_goal")
    series_ref = _Refs("series")
    series_seen: dict[str, IndicatorSeries] = {}

    def indicators(goal: SafetyGoal | PerformanceGoal) -> list[dict[str, Any]]:
        rows = []
        for ind in goal.indicators.select_related("series").order_by("id"):
            ref = series_ref(ind.series_id)
            series_seen.setdefault(ref, ind.series)
            rows.append(_indicator(ind, ref))
        return rows

    risks = list(Risk.objects.filter(version=version).order_by("order", "id"))
    for risk in risks:
        risk_ref(risk.pk)
    safety_goals = list(SafetyGoal.objects.filter(version=version).order_by("order", "id"))
    for goal in safety_goals:
        sg_ref(goal.pk)
    performance_goals = list(PerformanceGoal.objects.filter(version=version).order_by("order", "id"))

    sg_rows = [
        {
            "ref": sg_ref(goal.pk),
            "code": goal.code,
            "text": goal.text,
            "owner": goal.owner,
            "order": goal.order,
            "national_goals": sorted(goal.national_goals.values_list("key", flat=True)),
            "risks": risk_ref.sorted(list(goal.risks.values_list("pk", flat=True))),
            "indicators": indicators(goal),
        }
        for goal in safety_goals
    ]
    pg_rows = [
        {
            "ref": pg_ref(goal.pk),
            "code": goal.code,
            "text": goal.text,
            "owner": goal.owner,
            "order": goal.order,
            "safety_goals": sg_ref.sorted(list(goal.safety_goals.values_list("pk", flat=True))),
            "measures": [_measure(m) for m in Measure.objects.filter(performance_goal=goal).order_by("id")],
            "indicators": indicators(goal),
        }
        for goal in performance_goals
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "programme": {
            "title": programme.title,
            "period_start": programme.period_start,
            "period_end": programme.period_end,
        },
        "version": {
            "number": version.number,
            "status": version.status,
            "adopted_body": version.adopted_body,
            "adopted_on": format_date(version.adopted_on),
            "adopted_paragraph": version.adopted_paragraph,
            "consultation_parties": version.consultation_parties,
            "consultation_from": format_date(version.consultation_from),
            "consultation_to": format_date(version.consultation_to),
            "likelihood_labels": list(version.likelihood_labels),
            "consequence_labels": list(version.consequence_labels),
            **({"adopted_registration": reg} if (reg := version.adopted_registration) else {}),
        },
        "chapters": [
            {
                "key": c.key,
                "number": c.number,
                "title": c.title,
                "text": c.text,
                "order": c.order,
                "prescribed": c.prescribed,
            }
            for c in Chapter.objects.filter(version=version).order_by("order", "id")
        ],
        "risks": [
            {
                "ref": risk_ref(r.pk),
                "title": r.title,
                "event_type": r.event_type_id,
                "custom_type": r.custom_type,
                "description": r.description,
                "likelihood": r.likelihood,
                "consequence": r.consequence,
                "order": r.order,
                "vulnerabilities": [{"description": v.description} for v in r.vulnerabilities.order_by("id")],
            }
            for r in risks
        ],
        "capabilities": [
            {
                "risk": risk_ref(c.risk_id) if c.risk_id is not None else None,
                "kind": c.kind,
                "readiness": c.readiness,
                "description": c.description,
                "resources": c.resources,
                **({"planned": c.planned} if c.planned else {}),
            }
            for c in Capability.objects.filter(version=version).order_by("kind", "readiness", "id")
        ],
        "safety_goals": sg_rows,
        "performance_goals": pg_rows,
        "series": [_series(ref, series) for ref, series in series_seen.items()],
    }


def _indicator(ind: Indicator, series_ref: str) -> dict[str, Any]:
    # target_reason only when given: a file without it stays readable by earlier versions.
    reason = {"target_reason": ind.target_reason} if ind.target_reason else {}
    return {
        "series": series_ref,
        "name": ind.name,
        "unit": ind.unit,
        "direction": ind.direction,
        "normalisation": ind.normalisation,
        "is_count": ind.is_count,
        "source": ind.source,
        "source_config": ind.source_config,
        "baseline_value": ind.baseline_value,
        "baseline_start": ind.baseline_start,
        "baseline_end": ind.baseline_end,
        "target_value": ind.target_value,
        "target_year": ind.target_year,
        **reason,
        "target_kind": ind.target_kind,
        "target_window_start": ind.target_window_start,
        "target_window_end": ind.target_window_end,
        "indicator_kind": ind.indicator_kind,
    }


def _measure(m: Measure) -> dict[str, Any]:
    return {
        "text": m.text,
        "owner": m.owner,
        "cost_once": int(m.cost_once) if m.cost_once is not None else None,
        "cost_yearly": int(m.cost_yearly) if m.cost_yearly is not None else None,
        "status": m.status,
        "due_year": m.due_year,
        **({"due_date": m.due_date.isoformat()} if m.due_date else {}),
    }


def _series(ref: str, series: IndicatorSeries) -> dict[str, Any]:
    # Every row, replaced ones too: the file carries the correction history, not just the
    # values in force, so that a follow-up report can still say what was known when.
    rows = series.measurements.select_related("entered_by").order_by("year", "entered_at", "id")
    return {
        "ref": ref,
        "name": series.name,
        "measurements": [
            {
                "year": m.year,
                "value": m.value,
                "vintage": m.vintage,
                "source": m.source,
                "source_ref": m.source_ref,
                "note": m.note,
                "entered_by": m.entered_by.get_username() if m.entered_by is not None else None,
                "entered_at": format_datetime(m.entered_at),
                "replaced_at": format_datetime(m.replaced_at) if m.replaced_at is not None else None,
            }
            for m in rows
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    """The file text: sorted keys, UTF-8 characters as they are, two-space indent, final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"
