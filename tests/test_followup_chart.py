"""The follow-up chart carries a legend naming every layer it draws."""

from __future__ import annotations

from typing import Any

from lsoplan.followup.charts import indicator_chart
from lsoplan.lib.followup import ChartPoint


def _domain(spec: dict[str, Any]) -> list[str]:
    colours = [layer["encoding"]["color"] for layer in spec["layer"]]
    domains = {tuple(c["scale"]["domain"]) for c in colours}
    assert len(domains) == 1  # one shared scale, so one legend
    return list(domains.pop())


def test_the_legend_names_value_interval_limits_signal_baseline_and_target() -> None:
    points = [
        ChartPoint(2016 + i, 20 + i, 15 + i, 25 + i, 10, 30, "Punkt utanför" if i == 3 else None)
        for i in range(5)
    ]
    spec = indicator_chart("Bränder", "antal", points, 22.0, 18.0, 2026)
    assert spec["description"].startswith("Bränder:")
    assert _domain(spec) == [
        "95 % konfidensintervall",
        "Styrgränser",
        "Värde",
        "Signal (ovanligt värde)",
        "Utgångsläge",
        "Mål",
    ]


def test_the_legend_names_only_what_is_drawn() -> None:
    points = [ChartPoint(2016 + i, 90.0 + i, None, None, None, None, None) for i in range(2)]
    assert _domain(indicator_chart("Andel", "%", points, None, 95.0, 2026)) == ["Värde", "Mål"]
