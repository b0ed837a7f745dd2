"""Pieces both documents share: the title page facts, goal tables, incident statistics."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from lsoplan.goals.models import Indicator
from lsoplan.lib.report_model import Cell, Fact, Paragraph, Section, Table, table
from lsoplan.lib.swedish import long_date as sv_date
from lsoplan.lib.swedish import sv_number
from lsoplan.programmes.models import ProgrammeVersion, VersionStatus
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


def is_draft(version: ProgrammeVersion) -> bool:
    """Not (yet) adopted: a draft or a version out for consultation."""
    return version.status in (VersionStatus.UTKAST, VersionStatus.REMISS)


def notice(version: ProgrammeVersion) -> str:
    """A draft must not be mistaken for the adopted programme, printed or not."""
    if version.status == VersionStatus.UTKAST:
        return "Utkast – inte antaget"
    if version.status == VersionStatus.REMISS:
        return "Remissversion – inte antagen"
    if version.status == VersionStatus.ERSATT:
        return "Ersatt av en senare version"
    return ""


def marking(version: ProgrammeVersion) -> str:
    """The words on every page of a version that is not adopted (running header and watermark)."""
    if version.status == VersionStatus.UTKAST:
        return "UTKAST – inte antaget"
    if version.status == VersionStatus.REMISS:
        return "UTKAST – remissversion, inte antagen"
    if version.status == VersionStatus.ERSATT:
        return "Ersatt av en senare version"
    return ""


def draft_notice(version: ProgrammeVersion) -> str:
    """The paragraph that opens a draft: what it is and what it is not."""
    if version.status == VersionStatus.UTKAST:
        return "Detta är ett utkast. Det är inte antaget och kan ändras innan det antas."
    if version.status == VersionStatus.REMISS:
        return (
            "Detta är ett utkast som skickats på samråd. Det är inte antaget och kan ändras efter samrådet."
        )
    return ""


# Where a figure comes from, in words a council reads: the organisation and its sources, not the
# tool that holds the data ("Manuell inmatning" is a way of typing, not a source).
SOURCE_NAMES = {
    "manual": "Egen registrering",
    "incidents": "Händelseregistret",
    "kolada": "Kolada",
    "mcf": "MCF:s statistikdatabas",
    "scb": "SCB",
}


def source_name(code: str) -> str:
    return SOURCE_NAMES.get(code, "Egen registrering")


def source_reference(ref: str) -> str:
    """A measurement's source reference without internal codes (e.g. "incidents:typ=…;mått=…")."""
    ref = (ref or "").strip()
    if ref.startswith("incidents:"):
        return "Händelseregistret (" + ref.removeprefix("incidents:").replace(";", ", ") + ")"
    # A Python dotted path ("lsoplan.demo.RATES") names code, not a source.
    return re.sub(r"\s*\b(?:ur|från)?\s*lsoplan(?:\.\w+)+", "", ref).strip(" ,;")


def version_facts(version: ProgrammeVersion, today: dt.date, as_of: dt.date | None = None) -> list[Fact]:
    """The title page's facts; a document cut at ``as_of`` (an adopted version) says so instead of
    a print date, since its bytes are kept and handed out unchanged."""
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
        Fact("Uppgifter per", sv_date(as_of)) if as_of is not None else Fact("Utskrivet", sv_date(today)),
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


def incident_statistics(
    section: Section, organisation: Any, *, up_to: int | None = None, as_of: dt.date | None = None
) -> list[str]:
    """Chart and table of incidents per year and type; returns remarks for the planner.

    ``as_of`` keeps the incidents alarmed up to and including that date (an adopted programme
    shows the statistics of its decision date); ``up_to`` keeps whole years.
    """
    rows = selectors.incident_counts(organisation, as_of=as_of)
    if rows is None:
        return ["Händelsestatistiken kunde inte läsas; avsnittet Händelsestatistik är tomt."]
    rows = [r for r in rows if up_to is None or int(r["year"]) <= up_to]
    if not rows:
        section.text("Det finns inga registrerade räddningsinsatser för perioden.")
        return ["Inga händelser är inlästa: läs in räddningstjänstens händelser under Händelser."]
    # A portrait page holds about six year columns beside the type; the chart covers the same
    # years as the table under it, so the two can be read together.
    shown = sorted({int(r["year"]) for r in rows})[-6:]
    rows = [r for r in rows if int(r["year"]) in shown]
    _, pivot = charts.incidents_pivot(rows)
    section.add(charts.incidents_figure(rows, f"Händelser per år och händelsetyp {shown[0]}–{shown[-1]}"))
    body: list[tuple[Cell, ...]] = [(kind, *[pivot[kind].get(y, 0) for y in shown]) for kind in sorted(pivot)]
    body.append(("Totalt", *[sum(p.get(y, 0) for p in pivot.values()) for y in shown]))
    cut = f" till och med {sv_date(as_of)}" if as_of is not None else ""
    section.add(
        table(
            f"Händelser per händelsetyp {shown[0]}–{shown[-1]}",
            ("Händelsetyp", *[str(y) for y in shown]),
            body,
            row_header=True,
        ),
        Paragraph(
            f"Källa: räddningstjänstens händelseregister (insatsrapporter enligt MSBFS 2021:5){cut}.",
            "note",
        ),
    )
    return []
