"""Control charts against textbook examples, and the run rules on constructed sequences.

References:
- Montgomery, Introduction to Statistical Quality Control (6th ed.), Example 7.3: nonconformities
  in 26 samples of 100 printed circuit boards; c̄ = 19.85, UCL = 33.22, LCL = 6.48, samples 6 and 20
  outside the limits.
- NIST/SEMATECH e-Handbook of Statistical Methods, §6.3.3.1 "Counts control charts": defects on
  25 wafers, c̄ = 16, UCL = 28, LCL = 4.
- NIST/SEMATECH e-Handbook, §6.3.2.2 "Individuals control charts": flow rate of 10 batches,
  x̄ = 50.81, MR̄ = 1.8778, UCL = 55.8041, LCL = 45.8159.
- SAS/QC sample SHWUEX3 (u chart, varying number of inspection units): fabric defects on 25 rolls;
  limits checked with the u-chart formula evaluated here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lsoplan.lib.stats.control_charts import (
    c_chart,
    control_chart,
    find_signals,
    individuals_chart,
    u_chart,
)

MONTGOMERY_PCB = [
    21,
    24,
    16,
    12,
    15,
    5,
    28,
    20,
    31,
    25,
    20,
    24,
    16,
    19,
    10,
    17,
    13,
    22,
    18,
    39,
    30,
    24,
    16,
    19,
    17,
    15,
]
NIST_WAFERS = [
    16,
    14,
    28,
    16,
    12,
    20,
    10,
    12,
    10,
    17,
    19,
    17,
    14,
    16,
    15,
    13,
    14,
    16,
    11,
    20,
    11,
    19,
    16,
    31,
    13,
]
NIST_FLOW = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]
SAS_FABRIC_DEFECTS = [7, 11, 15, 6, 11, 15, 5, 10, 8, 3, 3, 14, 3, 9, 7, 6, 7, 5, 14, 13, 11, 6, 6, 9, 11]
SAS_FABRIC_M2 = [
    30.0, 27.6, 30.4, 34.8, 26.0, 28.6, 28.0, 30.2, 28.2, 31.4, 30.3, 27.8, 27.0,
    30.0, 32.1, 34.8, 26.5, 30.0, 31.3, 31.6, 29.4, 28.6, 27.5, 32.6, 31.7,
]  # fmt: skip


def test_montgomery_example_7_3_c_chart() -> None:
    chart = c_chart(MONTGOMERY_PCB, rules=[1])
    assert chart.center == pytest.approx(19.85, abs=0.005)
    # The book rounds c̄ to 19.85 before adding 3√c̄, hence the 0.01 tolerance.
    assert chart.ucl[0] == pytest.approx(33.22, abs=0.01)
    assert chart.lcl[0] == pytest.approx(6.48, abs=0.01)
    assert [s.period for s in chart.signals] == [6, 20]  # default labels are 1-based sample numbers


def test_nist_wafer_c_chart() -> None:
    chart = c_chart(NIST_WAFERS, rules=[1])
    assert chart.center == 16
    assert set(chart.ucl) == {28.0}
    assert set(chart.lcl) == {4.0}
    assert [s.index for s in chart.signals] == [23]  # the 31 on wafer 24


def test_nist_individuals_chart() -> None:
    chart = individuals_chart(NIST_FLOW)
    assert chart.center == pytest.approx(50.81)
    assert chart.sigma[0] == pytest.approx(1.8778 / 1.128, abs=1e-4)
    assert chart.ucl[0] == pytest.approx(55.8041, abs=1e-3)
    assert chart.lcl[0] == pytest.approx(45.8159, abs=1e-3)


def test_sas_fabric_u_chart_has_per_point_limits() -> None:
    chart = u_chart(SAS_FABRIC_DEFECTS, SAS_FABRIC_M2)
    u_bar = sum(SAS_FABRIC_DEFECTS) / sum(SAS_FABRIC_M2)
    assert chart.center == pytest.approx(u_bar)
    for i, size in enumerate(SAS_FABRIC_M2):
        assert chart.values[i] == pytest.approx(SAS_FABRIC_DEFECTS[i] / size)
        assert chart.ucl[i] == pytest.approx(u_bar + 3 * math.sqrt(u_bar / size))
        assert chart.lcl[i] == pytest.approx(max(0.0, u_bar - 3 * math.sqrt(u_bar / size)))
    assert len(set(chart.ucl)) > 1


def test_lower_limit_is_floored_at_zero_for_small_counts() -> None:
    chart = c_chart([6, 7, 5, 6, 6, 4, 3, 4])
    assert chart.center == pytest.approx(41 / 8)
    assert set(chart.lcl) == {0.0}
    assert chart.ucl[0] == pytest.approx(41 / 8 + 3 * math.sqrt(41 / 8))


def test_phase_one_uses_only_the_first_points() -> None:
    counts = [6, 7, 5, 6, 6, 2, 1, 2, 1, 1]
    chart = c_chart(counts, periods=list(range(2015, 2025)), phase1=5)
    assert chart.center == 6.0
    assert chart.phase1 == 5
    assert chart.periods[0] == 2015


def test_individuals_phase_one_moving_range() -> None:
    values = [10.0, 12.0, 11.0, 13.0, 30.0, 31.0]
    chart = individuals_chart(values, phase1=4)
    assert chart.center == pytest.approx(11.5)
    assert chart.sigma[0] == pytest.approx(np.mean([2, 1, 2]) / 1.128)
    assert {s.index for s in chart.signals if s.rule == 1} == {4, 5}


def _signals(values: list[float], rules: list[int], run_length: int = 9) -> list[tuple[int, int]]:
    n = len(values)
    found = find_signals(values, 0.0, [1.0] * n, [-3.0] * n, [3.0] * n, rules=rules, run_length=run_length)
    return [(s.index, s.rule) for s in found]


def test_rule_1_beyond_three_sigma() -> None:
    assert _signals([0, 3.1, 0, -3.2, 2.9], [1]) == [(1, 1), (3, 1)]


def test_rule_2_nine_on_one_side_nelson_and_eight_western_electric() -> None:
    eight = [0.5] * 8
    assert _signals(eight, [2]) == []
    assert _signals(eight, [2], run_length=8) == [(7, 2)]
    assert _signals([0.5] * 10, [2]) == [(8, 2), (9, 2)]
    # A point exactly on the centre line breaks the run.
    assert _signals([0.5] * 4 + [0.0] + [0.5] * 5, [2]) == []


def test_rule_3_six_trending() -> None:
    assert _signals([0, 0.1, 0.2, 0.3, 0.4, 0.5], [3]) == [(5, 3)]
    assert _signals([0.5, 0.4, 0.3, 0.2, 0.1, 0.0, -0.1], [3]) == [(5, 3), (6, 3)]
    assert _signals([0, 0.1, 0.2, 0.2, 0.4, 0.5], [3]) == []  # a tie is not a trend


def test_rule_4_fourteen_alternating() -> None:
    alternating = [(-1) ** i * 0.5 for i in range(14)]
    assert _signals(alternating, [4]) == [(13, 4)]
    assert _signals(alternating[:13], [4]) == []


def test_rule_5_two_of_three_beyond_two_sigma_same_side() -> None:
    assert _signals([2.5, 0.0, 2.1], [5]) == [(2, 5)]
    assert _signals([2.5, 0.0, -2.1], [5]) == []
    assert _signals([2.5, 0.0, 0.0, 2.1], [5]) == []


def test_rule_6_four_of_five_beyond_one_sigma_same_side() -> None:
    assert _signals([1.5, 1.2, 0.0, 1.1, 1.9], [6]) == [(4, 6)]
    assert _signals([1.5, 1.2, 0.0, -1.1, 1.9], [6]) == []


def test_rule_7_fifteen_within_one_sigma() -> None:
    hugging = [0.3, -0.3] * 7 + [0.2]
    assert _signals(hugging, [7]) == [(14, 7)]


def test_rule_8_eight_beyond_one_sigma_both_sides() -> None:
    assert _signals([1.5, -1.5] * 4, [8]) == [(7, 8)]
    assert _signals([1.5] * 8, [8]) == []


def test_default_rules_are_the_five_asked_for() -> None:
    chart = c_chart([5, 5])
    assert chart.rules == (1, 2, 3, 5, 6)


def test_zero_phase_one_makes_any_event_a_signal() -> None:
    chart = c_chart([0, 0, 0, 0, 2], phase1=4, rules=[1])
    assert chart.center == 0
    assert [s.index for s in chart.signals] == [4]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chart": "c", "values": [1, 2], "phase1": 3}, "fas I"),
        ({"chart": "i", "values": [1.0]}, "minst 2"),
        ({"chart": "u", "values": [1, 2]}, "storlek"),
        ({"chart": "x", "values": [1, 2]}, "okänd diagramtyp"),
        ({"chart": "c", "values": [1, -2]}, "heltal"),
        ({"chart": "c", "values": [1, 2], "rules": [9]}, "okända regler"),
    ],
)
def test_bad_input_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        control_chart(**kwargs)  # type: ignore[arg-type]
