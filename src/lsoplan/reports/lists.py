"""Every list of a programme version as workbook sheets: goals, indicators with all measurements,
measurements, risks, measures, capability, improvement actions and incident statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports import common, selectors
from lsoplan.reports.render_xlsx import Sheet


def _decimal(value: Any) -> float | None:
    return float(value) if value is not None else None


def _local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def goal_sheet(version: ProgrammeVersion) -> Sheet:
    sgs, pgs = selectors.goals(version)
    rows: list[list[Any]] = []
    for g in sgs:
        rows.append(
            [
                "Säkerhetsmål",
                g.code,
                g.text,
                g.owner,
                ", ".join(n.reference for n in g.national_goals.all()),
                ", ".join(r.title for r in g.risks.all()),
                "",
            ]
        )
    for p in pgs:
        links = ", ".join(selectors.goal_label(s) for s in p.safety_goals.all())
        rows.append(["Prestationsmål", p.code, p.text, p.owner, "", "", links])
    header = ("Typ", "Beteckning", "Måltext", "Ansvarig", "Nationella mål", "Risker", "Säkerhetsmål")
    return Sheet("Mål", header, rows, frozen_columns=2)


def indicator_sheets(version: ProgrammeVersion) -> list[Sheet]:
    items = selectors.indicators(version)
    history = selectors.history(items)
    years = sorted({y for series in history.values() for y, _ in series})
    wide = []
    for i in items:
        values = dict(history.get(i.series_id, []))
        wide.append(
            [
                selectors.goal_label(i.safety_goal or i.performance_goal),
                i.name,
                i.unit,
                i.get_direction_display(),
                i.get_normalisation_display(),
                common.source_name(i.source),
                i.baseline_value,
                i.baseline_period,
                i.target_value,
                i.target_year,
                *[values.get(y) for y in years],
            ]
        )
    header = (
        "Mål",
        "Indikator",
        "Enhet",
        "Riktning",
        "Normalisering",
        "Källa",
        "Utgångsvärde",
        "Utgångsperiod",
        "Målvärde",
        "Målår",
        *[str(y) for y in years],
    )
    by_series = {i.series_id: i for i in items}
    long = []
    for m in selectors.measurements(items):
        i = by_series[m.series_id]
        long.append(
            [
                selectors.goal_label(i.safety_goal or i.performance_goal),
                i.name,
                m.year,
                m.value,
                i.unit,
                m.get_vintage_display(),
                common.source_name(m.source),
                common.source_reference(m.source_ref),
                m.note,
                _local(m.entered_at),
                m.entered_by.get_username() if m.entered_by else "",
            ]
        )
    long_header = (
        "Mål",
        "Indikator",
        "År",
        "Värde",
        "Enhet",
        "Status",
        "Källa",
        "Källhänvisning",
        "Kommentar",
        "Registrerat",
        "Registrerat av",
    )
    return [Sheet("Indikatorer", header, wide, frozen_columns=2), Sheet("Mätvärden", long_header, long, 2)]


def risk_sheet(version: ProgrammeVersion) -> Sheet:
    rows = [
        [
            f"R{n}",
            r.title,
            r.accident_type,
            r.likelihood,
            r.consequence,
            r.score,
            r.description,
            "\n".join(v.description for v in r.vulnerabilities.all()),
            ", ".join(selectors.goal_label(g) for g in r.safety_goals.all()),
        ]
        for n, r in enumerate(selectors.risks(version), 1)
    ]
    header = (
        "Nr",
        "Risk",
        "Olyckstyp",
        "Sannolikhet",
        "Konsekvens",
        "Riskvärde",
        "Beskrivning",
        "Sårbarheter",
        "Säkerhetsmål",
    )
    return Sheet("Risker", header, rows, frozen_columns=2)


def measure_sheet(version: ProgrammeVersion) -> Sheet:
    rows = [
        [
            selectors.goal_label(m.performance_goal),
            m.text,
            m.owner,
            m.get_status_display(),
            m.due_year,
            _decimal(m.cost_once),
            _decimal(m.cost_yearly),
        ]
        for m in selectors.measures(version)
    ]
    header = (
        "Prestationsmål",
        "Åtgärd",
        "Ansvarig",
        "Status",
        "Klar år",
        "Engångskostnad (kr)",
        "Årlig kostnad (kr)",
    )
    return Sheet("Åtgärder", header, rows, frozen_columns=2)


def capability_sheet(version: ProgrammeVersion) -> Sheet:
    rows = [
        [
            c.get_kind_display(),
            c.get_readiness_display(),
            c.risk.title if c.risk else "",
            c.description,
            c.planned,
            c.resources,
        ]
        for c in selectors.capabilities(version)
    ]
    headings = ("Slag", "Beredskapsläge", "Risk", "Nuvarande förmåga", "Planerad förmåga", "Resurser")
    return Sheet("Förmåga", headings, rows)


def improvement_sheet(version: ProgrammeVersion) -> Sheet:
    found = selectors.improvement_actions(version) or []
    rows = []
    for a in found:
        due = next((getattr(a, n) for n in ("due_date", "due_on", "due") if getattr(a, n, None)), None)
        rows.append(
            [
                selectors.display(a, "title") or str(a),
                selectors.display(a, "owner"),
                due if isinstance(due, dt.date) else None,
                selectors.display(a, "status"),
            ]
        )
    return Sheet("Förbättringsåtgärder", ("Åtgärd", "Ansvarig", "Klar senast", "Status"), rows)


def incident_sheet(version: ProgrammeVersion) -> Sheet:
    counts = selectors.incident_counts(version.organisation) or []
    rows = [[int(r["year"]), str(r["handelsetyp"]), int(r["count"])] for r in counts]
    rows.sort(key=lambda r: (r[0], r[1]))
    return Sheet("Händelsestatistik", ("År", "Händelsetyp", "Antal"), rows)


def status_sheet(version: ProgrammeVersion, year: int) -> Sheet:
    from lsoplan.followup.selectors import indicator_followups

    rows = []
    # The verdicts come from the one follow-up function every page and the report use.
    for f in indicator_followups(version, year, indicators=selectors.indicators(version)):
        i, status = f.indicator, f.verdict
        rows.append(
            [
                selectors.goal_label(i.safety_goal or i.performance_goal),
                i.name,
                status.status if status else "inget målvärde",
                status.sentence if status else "",
                status.method if status else "",
            ]
        )
    return Sheet(f"Måluppfyllelse {year}", ("Mål", "Indikator", "Status", "Bedömning", "Metod"), rows, 2)


def sheets(version: ProgrammeVersion, year: int | None = None) -> list[Sheet]:
    out = [goal_sheet(version), *indicator_sheets(version)]
    if year is not None:
        out.append(status_sheet(version, year))
    out += [
        risk_sheet(version),
        measure_sheet(version),
        capability_sheet(version),
        improvement_sheet(version),
        incident_sheet(version),
    ]
    return out
