"""The yearly follow-up report: a summary in words, the action plan's follow-up, detectability per
count goal and costs; charts with a legend, a colour-blind-safe palette and print-sized text."""

from __future__ import annotations

from typing import Any

import pytest

from lsoplan.goals import services as goals
from lsoplan.lib.report_model import Document, Section, Table
from lsoplan.reports import charts
from lsoplan.reports.followup_doc import build_followup
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db


def _section(doc: Document, heading: str) -> Section:
    return next(s for s in doc.walk() if s.heading == heading)


def _table(section: Section) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table))


def test_the_report_opens_with_the_year_in_words(world: World) -> None:
    doc = build_followup(world.version, 2020)
    first = doc.sections[0]
    assert first.heading == "Året 2020 i korthet"
    texts = [getattr(b, "text", "") for b in first.blocks]
    assert any(t.startswith("Av 1 indikatorer går") for t in texts)
    assert any("Det som" in t for t in texts)


def test_the_action_plan_shows_each_measures_status_and_what_is_late(world: World) -> None:
    goals.create_measure(
        SYSTEM, world.performance_goal, text="Brandskyddsutbildning", owner="", due_year=2019
    )
    doc = build_followup(world.version, 2020)
    rows = _table(_section(doc, "Handlingsplanens åtgärder")).text_rows()
    assert rows[0][1:] == ["Hembesök i utsatta områden", "Förebyggande", "–", "Planerad"]
    assert rows[1][1:] == ["Brandskyddsutbildning", "–", "2019", "Planerad, försenad"]


def test_each_count_goal_says_whether_its_change_can_be_detected(world: World) -> None:
    doc = build_followup(world.version, 2020)
    rows = _table(_section(doc, "Går målen att följa upp statistiskt?")).text_rows()
    ((goal, name, detectable, sentence),) = rows
    assert (goal, name) == ("S1", "Bränder i bostad")
    assert detectable in ("ja", "nej") and "minskning på 20" in sentence


def test_costs_are_summed_over_the_priced_measures(world: World) -> None:
    goals.create_measure(
        SYSTEM, world.performance_goal, text="Brandvarnare", cost_once=150000, cost_yearly=20000
    )
    goals.create_measure(SYSTEM, world.performance_goal, text="Kampanj", cost_yearly=5000)
    doc = build_followup(world.version, 2020)
    rows = _table(_section(doc, "Kostnader")).text_rows()
    assert rows[-1] == ["Totalt", "", "", "150\u00a0000", "25\u00a0000"]


def _rows(kinds: int) -> list[dict[str, Any]]:
    return [
        {"year": y, "handelsetyp": f"Typ {k:02d}", "count": 10 + k}
        for y in (2024, 2025)
        for k in range(kinds)
    ]


def test_the_incident_chart_uses_eight_colour_blind_safe_colours_and_a_legend() -> None:
    spec = charts.incidents_spec(_rows(14))
    colour = spec["encoding"]["color"]
    assert len(colour["scale"]["domain"]) == 8 and colour["scale"]["domain"][-1] == "Övriga händelsetyper"
    assert colour["scale"]["range"] == list(charts.OKABE_ITO)
    assert colour["legend"] is not None and colour["title"] == "Händelsetyp"
    assert sum(v["antal"] for v in spec["data"]["values"]) == sum(r["count"] for r in _rows(14))


def test_printed_charts_have_text_of_at_least_eight_points() -> None:
    fixed = charts.print_config({"config": {"axis": {"labelFontSize": 5}}})
    # A chart is printed 15 cm (425 pt) wide and renders at most about 740 px wide.
    points_per_px = 425 / 740
    for part in ("axis", "legend", "title"):
        for key, size in fixed["config"][part].items():
            assert size * points_per_px >= 8, (part, key)
    png = charts._render_png(charts.incidents_spec(_rows(14)), charts.WIDTH_PX)
    width_px = int.from_bytes(png[16:20], "big") / charts.SCALE
    assert width_px <= 740
