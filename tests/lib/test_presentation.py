"""Numbers in verdict sentences never contradict the verdict, and never read "−0,0"."""

from __future__ import annotations

from lsoplan.lib.stats import continuous_goal_status, svformat
from lsoplan.lib.stats.status_wording import Wording


def test_a_share_just_below_its_target_is_shown_with_the_decimals_that_tell_them_apart() -> None:
    status = continuous_goal_status("higher", [99.0, 99.2, 99.1], [99.96, 99.98], 100.0, unit="%")
    assert status.target_met is False
    assert "99,97" in status.sentence and "100,00" in status.sentence


def test_a_value_that_rounds_to_zero_has_no_minus_sign() -> None:
    assert svformat.number(-0.04, 1) == "0,0"
    assert svformat.number(-0.0) == "0"


def test_an_interval_end_just_below_zero_keeps_its_sign_with_the_decimals_it_needs() -> None:
    words = Wording("lower", 12.0, 2026, "minuter", 0.95, 13.0)
    assert words.signed(-0.04) == "\u22120,04 minuter"
    assert words.signed(0.0) == "0,0 minuter"
