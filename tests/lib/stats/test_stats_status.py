"""Goal status: each verdict reached on purpose, and the verdict checked against independent tests.

Independent routes: scipy.stats.binomtest (exact conditional rate-ratio interval, as R's
poisson.test) for counts, scipy.stats.ttest_ind (pooled variance) for continuous values.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from lsoplan.lib.stats.status import (
    ACHIEVED,
    ACHIEVED_NOT_ASSURED,
    NO_ASSURED_CHANGE,
    ON_TRACK,
    STATUSES,
    TOO_LITTLE_DATA,
    WORSENED,
    continuous_goal_status,
    count_goal_status,
    goal_status,
    period_label,
)

BASELINE = [6, 7, 5, 6, 6]  # residential fires 2015–2019, 6 a year


def _plain(text: str) -> str:
    """The sentences keep "%" with its number by a no-break space; compare with plain spaces."""
    return text.replace("\u00a0", " ")


def _counts(current: list[int], target: float = 4.8, **kwargs: object):  # type: ignore[no-untyped-def]
    return count_goal_status(
        "lower",
        BASELINE,
        current,
        target,
        target_year=2027,
        year=2025,
        baseline_label="2015–2019",
        current_label="2023–2025",
        unit="per år",
        **kwargs,  # type: ignore[arg-type]
    )


def test_achieved_with_assured_decrease() -> None:
    status = _counts([2, 3, 2])
    assert status.status == ACHIEVED
    assert status.improved and status.target_met
    assert status.baseline_value == pytest.approx(6.0)
    assert status.current_value == pytest.approx(7 / 3)
    for text in ("2,3 per år 2023–2025", "6,0 per år 2015–2019", "högst 4,8 per år till 2027", "−61 %"):
        assert text in _plain(status.sentence)


def test_achieved_but_not_assured() -> None:
    status = _counts([5, 4, 5])
    assert status.status == ACHIEVED_NOT_ASSURED
    assert status.target_met and not status.improved
    assert "inte statistiskt säkerställd" in status.sentence
    assert "4,7 per år" in status.sentence


def test_on_track() -> None:
    status = count_goal_status("lower", [60, 70, 50, 60, 60], [45, 50, 46], 40, unit="per år")
    assert status.status == ON_TRACK
    assert status.improved and not status.target_met
    assert status.sentence.startswith("På väg")


def test_no_assured_change_and_deadline_reached() -> None:
    status = count_goal_status("lower", BASELINE, [5, 6, 5], 4.8, target_year=2025, year=2025, unit="per år")
    assert status.status == NO_ASSURED_CHANGE
    assert status.deadline_reached is True
    assert "Målåret är nått" in status.sentence


def test_worsened_even_when_the_target_is_still_met() -> None:
    status = count_goal_status("lower", [3, 2, 3, 2, 2], [8, 9, 8], 10, unit="per år")
    assert status.status == WORSENED
    assert status.worsened and status.target_met
    assert "nås ändå i siffrorna" in status.sentence


def test_met_with_margin_but_worsening_says_both() -> None:
    status = count_goal_status("lower", [2, 3, 2, 2, 3], [8, 9, 8], 30, unit="per år")
    assert status.status == ACHIEVED
    assert status.worsened
    assert "Men ökningen" in status.sentence


def test_interval_name_follows_the_level() -> None:
    status = count_goal_status("lower", BASELINE, [2, 3, 2], 4.8, level=0.998)
    assert "99,8 % KI" in _plain(status.sentence)


def test_too_little_data() -> None:
    assert count_goal_status("lower", [], [3], 4).status == TOO_LITTLE_DATA
    assert count_goal_status("lower", [3], [], 4).status == TOO_LITTLE_DATA
    none_at_all = count_goal_status("lower", [0, 0], [0], 1)
    assert none_at_all.status == TOO_LITTLE_DATA
    assert "Inga händelser" in none_at_all.sentence


def test_achieved_because_the_whole_interval_meets_the_target() -> None:
    # Few events either way, so no change is assured, but even the upper limit is below 6.
    status = count_goal_status("lower", [3, 2, 3, 2, 2], [1, 0, 1], 6, unit="per år")
    assert status.status == ACHIEVED
    assert not status.improved
    assert status.current_upper is not None and status.current_upper <= 6
    assert "Hela 95 % KI" in _plain(status.sentence)


def test_rates_per_thousand_inhabitants() -> None:
    status = count_goal_status(
        "lower",
        [30, 28, 35],
        [25, 24],
        0.5,
        baseline_exposures=[60.1, 60.5, 61.0],
        current_exposures=[61.5, 62.0],
        unit="per 1 000 inv",
    )
    assert status.baseline_value == pytest.approx(93 / 181.6)
    assert status.current_value == pytest.approx(49 / 123.5)
    assert "per 1 000 inv" in status.sentence


@pytest.mark.parametrize(
    ("baseline", "current"),
    [
        ([6, 7, 5, 6, 6], [2, 3, 2]),
        ([6, 7, 5, 6, 6], [5, 4, 5]),
        ([3, 2, 3, 2, 2], [8, 9, 8]),
        ([12, 9], [4]),
    ],
)
def test_count_verdict_matches_scipy_binomtest_interval(baseline: list[int], current: list[int]) -> None:
    xb, xc = sum(baseline), sum(current)
    tb, tc = len(baseline), len(current)
    ci = stats.binomtest(xc, xb + xc, tc / (tb + tc)).proportion_ci(method="exact")
    ratio_low = ci.low / (1 - ci.low) * tb / tc
    ratio_high = ci.high / (1 - ci.high) * tb / tc
    status = count_goal_status("lower", baseline, current, 0.1)
    assert status.change_lower == pytest.approx(ratio_low - 1, rel=1e-9)
    assert status.change_upper == pytest.approx(ratio_high - 1, rel=1e-9)
    assert status.improved == (ratio_high < 1)
    assert status.worsened == (ratio_low > 1)


def test_continuous_matches_pooled_t_test() -> None:
    baseline = [11.2, 10.8, 11.5, 11.0]
    current = [10.1, 9.8]
    status = continuous_goal_status(
        "lower", baseline, current, 10.5, unit="min", baseline_label="2018–2021", current_label="2024–2025"
    )
    ref = stats.ttest_ind(current, baseline, equal_var=True)
    assert status.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert status.change == pytest.approx(sum(current) / 2 - sum(baseline) / 4)
    assert status.status == ACHIEVED
    assert "−1,2 min" in status.sentence


def test_continuous_higher_is_better_in_percentage_points() -> None:
    status = continuous_goal_status("higher", [80, 82, 81], [85, 86], 90, unit="%")
    assert status.status == ON_TRACK
    assert "+4,5 procentenheter, 95 % KI +1,8 till +7,2 procentenheter" in _plain(status.sentence)


def test_continuous_with_single_values_cannot_assure_anything() -> None:
    met = continuous_goal_status("higher", [82], [91], 90, unit="%")
    assert met.status == ACHIEVED_NOT_ASSURED
    assert met.p_value is None
    assert "ett värde per period" in met.sentence
    assert continuous_goal_status("higher", [82], [85], 90).status == NO_ASSURED_CHANGE
    assert continuous_goal_status("higher", [], [85], 90).status == TOO_LITTLE_DATA


def test_dispatcher_and_errors() -> None:
    assert goal_status("counts", "lower", BASELINE, [2, 3, 2], 4.8).status == ACHIEVED
    assert goal_status("continuous", "lower", [1.0, 2.0], [1.5], 1.0).data_kind == "continuous"
    with pytest.raises(ValueError, match="okänd datatyp"):
        goal_status("ratio", "lower", [1], [1], 1)
    with pytest.raises(ValueError, match="okänd riktning"):
        goal_status("counts", "down", [1], [1], 1)
    with pytest.raises(ValueError, match="målvärdet"):
        count_goal_status("lower", [1], [1], -1)
    with pytest.raises(ValueError, match="exponering gäller bara antal"):
        goal_status("continuous", "lower", [1.0], [1.0], 1.0, baseline_exposures=[1.0])
    with pytest.raises(ValueError, match="heltal"):
        count_goal_status("lower", [1.5], [1], 1)


def test_period_label() -> None:
    assert period_label([2015, 2016, 2017]) == "2015–2017"
    assert period_label([2017, 2015]) == "2015, 2017"
    assert period_label([2024]) == "2024"
    assert period_label([]) == ""


@settings(max_examples=60, deadline=None)
@given(
    baseline=st.lists(st.integers(0, 40), min_size=0, max_size=6),
    current=st.lists(st.integers(0, 40), min_size=0, max_size=4),
    target=st.floats(0, 50),
    direction=st.sampled_from(["lower", "higher"]),
)
def test_status_is_always_one_of_the_six(
    baseline: list[int], current: list[int], target: float, direction: str
) -> None:
    status = count_goal_status(direction, baseline, current, target)
    assert status.status in STATUSES
    assert status.sentence
    if status.status != TOO_LITTLE_DATA:
        assert not (status.improved and status.worsened)
        assert status.current_value is not None and math.isfinite(status.current_value)
