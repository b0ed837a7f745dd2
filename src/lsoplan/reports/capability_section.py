"""The programme's "Förmåga över yta och tid": the grid map and the hour × weekday heatmap.

MSBFS 2021:1 12 § (and MSB1789 on it) asks the capability chapter to end with how the capability
varies over the municipality's area and over time; this part answers with figures for the last
complete years. The räddningstjänst chapter is closed to extra sub-chapters, so the part opens with
a lead line, not a heading. Cells with fewer incidents than the organisation's threshold are left
out (an incident at an address is personal data) and the document says so under the map; the
godtagbar tid is the organisation's own (both set in its settings, ``areas.selectors``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl

from lsoplan.areas import charts as area_charts
from lsoplan.areas import selectors as areas
from lsoplan.areas.outline import SOURCE_NOTE, municipality_outline
from lsoplan.lib.geo.grid import DEFAULT_CELL, Filters, suppress_small
from lsoplan.lib.geo.settings import suppressed_note
from lsoplan.lib.geo.timeprofile import WEEKDAYS_SV, by_hour, hour_by_weekday, slowest_hours
from lsoplan.lib.incidents.records import insatstid_expr
from lsoplan.lib.incidents.responsetimes import aggregations, nest_shares
from lsoplan.lib.report_model import Cell, Figure, Section, sv_number, table
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports import charts, selectors

TITLE = "Förmåga över yta och tid"
YEARS = 5  # the last five complete years: enough incidents per cell, recent enough to describe today
MAX_AREA_ROWS = 12
MAX_CELL_ROWS = 5

Filler = Callable[[Section], None]


def after(fill: Filler, builder: Any) -> Filler:
    """``fill`` followed by this part: the hook ``programme_doc`` puts on the capability chapter."""

    def both(section: Section) -> None:
        fill(section)
        builder.advisories += add(section, builder.version, today=builder.today, as_of=builder.as_of)

    return both


def _minutes(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _min(seconds: float | None) -> str:
    return "–" if seconds is None else f"{sv_number(seconds / 60, 1)} minuter"


def _min_cell(seconds: float | None) -> Cell:
    return None if seconds is None else round(seconds / 60, 1)


def _percent(share: float | None) -> Cell:
    return None if share is None else round(share * 100)


def add(
    section: Section, version: ProgrammeVersion, *, today: dt.date, as_of: dt.date | None = None
) -> list[str]:
    """Adds the part to ``section``; returns remarks for the planner (none when all went well).

    The years are the last complete ones before the document's date (an adopted version: its
    decision date, the same cut as the incident statistics), so an adopted document stays as adopted.
    """
    last = (as_of or today).year - 1
    first = last - YEARS + 1
    section.text(TITLE, "lead")
    selection = areas.select(version.organisation, Filters(from_year=first, to_year=last))
    frame = selection.frame
    if as_of is not None:
        frame = frame.filter(pl.col("larm_tid") < selectors.end_of_day(as_of))
        selection.frame = frame
    located = frame.filter(
        pl.col("gx").is_not_null() & pl.col("gy").is_not_null() & pl.col("gx").is_not_nan()
    )
    if located.height == 0:
        section.text(
            f"Det finns inga händelser med kända platser för {first}–{last}, så förmågan över ytan kan "
            "inte redovisas på karta."
        )
        return ["Inga händelser med koordinater: kartan över förmågan saknas i programmet."]
    godtagbar = float(areas.acceptable_minutes(version.organisation))
    threshold = areas.suppression_threshold(version.organisation)
    within = (godtagbar,)
    key = _minutes(godtagbar)
    overall = nest_shares(
        frame.with_columns(insatstid_expr()).select(aggregations(within)).to_dicts()[0], within
    )
    cells = suppress_small(areas.grid(selection, cell_m=DEFAULT_CELL, within_minutes=within), threshold)
    hours = by_hour(frame, within)
    slow = slowest_hours(hours)
    section.text(_description(first, last, frame.height, overall, key, cells, slow))
    _map(section, version, cells, key, first, last, threshold)
    _heatmap(section, hour_by_weekday(frame, within), first, last)
    _tables(section, version, selection, slow, key, first, last, threshold)
    unplaced = frame.height - located.height
    if unplaced:
        section.text(
            f"{sv_number(unplaced)} av {sv_number(frame.height)} händelser saknar plats och finns inte "
            "på kartan.",
            "note",
        )
    section.text(
        f"Källa: räddningstjänstens händelseregister, {first}–{last}. Insatstid är tiden från larm till "
        "första enhet framme; median och 90:e percentil.",
        "note",
    )
    return []


def _hour_span(hour: int) -> str:
    return f"{hour:02d}–{(hour + 1) % 24:02d}"


def _description(
    first: int,
    last: int,
    n: int,
    overall: dict[str, Any],
    key: str,
    cells: list[dict[str, Any]],
    slow: list[dict[str, Any]],
) -> str:
    share = overall["share_within"].get(key)
    parts = [
        f"Under {first}–{last} genomförde räddningstjänsten {sv_number(n)} insatser. Medianen för "
        f"insatstiden var {_min(overall['median_s'])} och 90 procent av insatserna hade en insatstid "
        f"på högst {_min(overall['p90_s'])}."
    ]
    if share is not None:
        parts.append(
            f"Som godtagbar tid har organisationen angett {key} minuter: räddningstjänsten var framme "
            "inom den tiden "
            f"vid {sv_number(round(share * 100))} % av insatserna."
        )
    slow_cells = [c for c in cells if c["median_s"] is not None and c["median_s"] > float(key) * 60]
    if cells:
        parts.append(
            f"I {sv_number(len(slow_cells))} av {sv_number(len(cells))} redovisade rutor om 1 km² var "
            f"medianen längre än {key} minuter."
        )
    if slow:
        spans = ", ".join(f"kl. {_hour_span(r['hour'])} ({_min(r['median_s'])})" for r in slow)
        parts.append(f"Längst var insatstiden i median under timmarna {spans}.")
    return " ".join(parts)


def _map(
    section: Section,
    version: ProgrammeVersion,
    cells: list[dict[str, Any]],
    key: str,
    first: int,
    last: int,
    threshold: int,
) -> None:
    if not cells:
        section.text(f"Ingen ruta har minst {threshold} händelser, så kartan visas inte.")
        section.text(suppressed_note(threshold), "note")
        return
    stations = [{"name": s.name, "x": s.x, "y": s.y, "kind": s.kind} for s in areas.stations(version)]
    spec = area_charts.grid_map(
        cells,
        cell_m=DEFAULT_CELL,
        metric="median",
        minutes=key,
        stations=stations,
        outline=municipality_outline(version.organisation),
    )
    medians = [c["median_s"] for c in cells if c["median_s"] is not None]
    alt = (
        f"Karta över median insatstid per ruta om 1 km², {first}–{last}: {len(cells)} rutor med minst "
        f"{threshold} händelser"
        + (f", medianen från {_min(min(medians))} till {_min(max(medians))}" if medians else "")
        + (f", {len(stations)} stationer som trianglar" if stations else "")
        + ", kommungränserna som grå kontur. Mörkare ruta betyder längre insatstid."
    )
    section.add(Figure(charts.to_png(spec), alt, f"Median insatstid per ruta om 1 km², {first}–{last}"))
    section.text(f"{suppressed_note(threshold)} {SOURCE_NOTE}", "note")
    slowest = sorted(
        (c for c in cells if c["median_s"] is not None), key=lambda c: (-c["median_s"], c["y"], c["x"])
    )
    if slowest:
        section.add(
            table(
                f"Rutor med längst median insatstid, {first}–{last}",
                ("Ruta (SWEREF 99 TM, sydvästra hörnet)", "Insatser", "Median (min)", f"Inom {key} min (%)"),
                [
                    (
                        f"{c['x']} / {c['y']}",
                        c["n"],
                        _min_cell(c["median_s"]),
                        _percent(c["share_within"].get(key)),
                    )
                    for c in slowest[:MAX_CELL_ROWS]
                ],
                row_header=True,
            )
        )


def _heatmap(section: Section, rows: list[dict[str, Any]], first: int, last: int) -> None:
    if not rows:
        return
    timed = [r for r in rows if r["median_s"] is not None]
    alt = f"Värmekarta över median insatstid per timme och veckodag, {first}–{last}."
    if timed:
        top = max(timed, key=lambda r: r["median_s"])
        alt += (
            f" Längst median {_min(top['median_s'])}, {WEEKDAYS_SV[top['weekday'] - 1]} "
            f"kl. {_hour_span(top['hour'])}. Mörkare ruta betyder längre insatstid; tabellen visar de "
            "långsammaste timmarna."
        )
    spec = area_charts.hour_weekday_heatmap(rows)
    section.add(Figure(charts.to_png(spec), alt, f"Median insatstid per timme och veckodag, {first}–{last}"))


def _tables(
    section: Section,
    version: ProgrammeVersion,
    selection: areas.Selection,
    slow: list[dict[str, Any]],
    key: str,
    first: int,
    last: int,
    threshold: int,
) -> None:
    if slow:
        section.add(
            table(
                f"Timmar med längst insatstid, {first}–{last}",
                ("Timme", "Insatser", "Median (min)", "90:e percentil (min)", f"Inom {key} min (%)"),
                [
                    (
                        f"kl. {_hour_span(r['hour'])}",
                        r["n"],
                        _min_cell(r["median_s"]),
                        _min_cell(r["p90_s"]),
                        _percent(r["share_within"].get(key)),
                    )
                    for r in slow
                ],
                row_header=True,
            )
        )
    area_rows = areas.per_area(selection, areas.response_areas(version), (float(key),))
    shown = [r for r in area_rows if r["n"] >= threshold][:MAX_AREA_ROWS]
    hidden = sum(1 for r in area_rows if r["n"] < threshold)
    if shown:
        section.add(
            table(
                f"Insatstid per insatsområde, {first}–{last}",
                ("Insatsområde", "Insatser", "Median (min)", "90:e percentil (min)", f"Inom {key} min (%)"),
                [
                    (
                        r["name"],
                        r["n"],
                        _min_cell(r["median_s"]),
                        _min_cell(r["p90_s"]),
                        _percent(r["share_within"].get(key)),
                    )
                    for r in shown
                ],
                row_header=True,
            )
        )
    if hidden:
        section.text(
            f"{sv_number(hidden)} insatsområden med färre än {threshold} insatser redovisas inte "
            "(skydd av personuppgifter).",
            "note",
        )
