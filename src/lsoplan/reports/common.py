"""Pieces both documents share: the title page facts, goal tables, incident statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lsoplan.goals.models import Indicator
from lsoplan.lib.report_model import Cell, Fact, Paragraph, Section, Table, table
from lsoplan.lib.swedish import long_date as sv_date
from lsoplan.lib.swedish import sv_number
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports import charts, selectors

LAW = "Lagen (2003:778) om skydd mot olyckor, 3 kap. 3 och 8 §§; MSBFS 2021:1"


# The deciding body in the definite form a sentence needs ("antogs av förbundsdirektionen").
DEFINITE_BODY = {"kommunfullmaktige": "Kommunfullmäktige", "forbundsdirektion": "Förbundsdirektionen"}


def adoption_text(version: ProgrammeVersion) -> str:
    if version.adopted_on is None:
        return "Inte antaget"
    body = DEFINITE_BODY.get(version.adopted_body) or version.get_adopted_body_display() or "Beslutande organ"
    paragraph = f", {version.adopted_paragraph}" if version.adopted_paragraph else ""
    return f"{body} {sv_date(version.adopted_on)}{paragraph}"


def consultation_text(version: ProgrammeVersion) -> str:
    if version.consultation_from is None:
        return "Inte på samråd"
    if version.consultation_to is None:
        return f"Från {sv_date(version.consultation_from)}"
    return f"{sv_date(version.consultation_from)} – {sv_date(version.consultation_to)}"


def consultation_parties(version: ProgrammeVersion) -> list[str]:
    return [line.strip(" -•\t") for line in version.consultation_parties.splitlines() if line.strip(" -•\t")]


def notice(version: ProgrammeVersion) -> str:
    """A draft must not be mistaken for the adopted programme, printed or not."""
    if version.status == "utkast":
        return "Utkast – inte antaget"
    if version.status == "remiss":
        return "Remissversion – inte antagen"
    if version.status == "ersatt":
        return "Ersatt av en senare version"
    return ""


def version_facts(version: ProgrammeVersion, today: dt.date) -> list[Fact]:
    org = version.organisation
    names = ", ".join(m.name for m in selectors.municipalities(org))
    return [
        Fact("Organisation", org.name),
        Fact("Kommuner" if org.is_federation else "Kommun", names or "–"),
        Fact("Programperiod", version.programme.period_label),
        Fact("Version", f"{version.number} ({version.get_status_display().lower()})"),
        Fact("Antaget av", adoption_text(version)),
        Fact("Samråd", consultation_text(version)),
        Fact("Grund", LAW),
        Fact("Utskrivet", sv_date(today)),
    ]


def value_with_year(value: float | None, year: int | str | None) -> Any:
    if value is None:
        return None
    return value if not year else f"{sv_number(value)} ({year})"


def indicator_table(caption: str, items: list[Indicator]) -> Table:
    rows = []
    for i in items:
        rows.append(
            (
                selectors.goal_label(i.safety_goal or i.performance_goal),
                i.name,
                i.unit,
                value_with_year(i.baseline_value, i.baseline_period),
                value_with_year(i.target_value, i.target_year),
                i.get_direction_display(),
            )
        )
    return table(
        caption,
        ("Mål", "Indikator", "Enhet", "Utgångsvärde (period)", "Målvärde (år)", "Riktning"),
        rows,
        widths=(1, 4, 2, 2.4, 2.4, 2),
    )


def incident_statistics(section: Section, organisation: Any, *, up_to: int | None = None) -> None:
    """Chart and table of incidents per year and type; a note when the statistics are missing."""
    rows = selectors.incident_counts(organisation)
    if rows is None:
        section.add(
            Paragraph(
                "Händelsestatistiken kan inte visas: importen av räddningstjänstens händelser är inte "
                "installerad i den här versionen av lsoplan.",
                "note",
            )
        )
        return
    rows = [r for r in rows if up_to is None or int(r["year"]) <= up_to]
    if not rows:
        section.add(
            Paragraph(
                "Inga händelser är inlästa ännu. Läs in räddningstjänstens händelser under Händelser "
                "för att få statistiken med i dokumentet.",
                "note",
            )
        )
        return
    years, pivot = charts.incidents_pivot(rows)
    shown = years[-6:]  # a portrait page holds about six year columns beside the type
    section.add(charts.incidents_figure(rows, f"Händelser per år och händelsetyp {years[0]}–{years[-1]}"))
    body: list[tuple[Cell, ...]] = [(kind, *[pivot[kind].get(y, 0) for y in shown]) for kind in sorted(pivot)]
    body.append(("Totalt", *[sum(p.get(y, 0) for p in pivot.values()) for y in shown]))
    section.add(
        table(
            f"Händelser per händelsetyp {shown[0]}–{shown[-1]}",
            ("Händelsetyp", *[str(y) for y in shown]),
            body,
            row_header=True,
        ),
        Paragraph("Källa: räddningstjänstens händelserapporter (MSBFS 2021:5), inlästa i lsoplan.", "note"),
    )
