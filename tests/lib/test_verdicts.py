"""Verdicts by the goal's own rule (lib.verdicts): one test per kind and verdict, expectations by hand."""

from __future__ import annotations

from dataclasses import replace

from lsoplan.lib.followup import IndicatorSpec
from lsoplan.lib.stats import count_goal_status
from lsoplan.lib.verdicts import Point, decimals_for, judge

BASE = [Point(2016, 370), Point(2017, 380), Point(2018, 390), Point(2019, 380)]  # mean 380
EVERY = IndicatorSpec(
    "higher",
    False,
    False,
    "antal",
    380.0,
    2016,
    2019,
    450.0,
    2026,
    target_kind="every_year",
    window_start=2023,
    window_end=2026,
    indicator_kind="prestation",
)


def pts(*pairs: tuple[int, float], prelim: tuple[int, ...] = ()) -> list[Point]:
    return BASE + [Point(y, v, y in prelim) for y, v in pairs]


def test_every_year_target_is_not_met_when_a_finished_year_missed_and_names_it() -> None:
    v = judge(EVERY, pts((2023, 438), (2024, 460), (2025, 470)), today_year=2026)
    assert v is not None
    assert (v.status, v.code, v.failing_years, v.value) == ("ej uppnått", "ej_uppnatt", (2023,), 438)
    assert "2023 nåddes det inte (2023: 438)" in v.sentence
    assert "varje år 2023–2026 för sig" in v.sentence  # the rule used


def test_every_year_target_met_so_far_is_on_track_while_the_window_runs() -> None:
    v = judge(EVERY, pts((2023, 455), (2024, 460), (2025, 470)), today_year=2026)
    assert v is not None and v.code == "pa_vag"
    assert v.years_used == (2023, 2024, 2025) and v.value == 455  # the worst year
    assert "2026 återstår" in v.sentence


def test_every_year_target_met_every_finished_final_year_is_achieved() -> None:
    v = judge(EVERY, pts((2023, 455), (2024, 460), (2025, 470), (2026, 451)), today_year=2027)
    assert v is not None and v.code == "uppnatt" and not v.preliminary


def test_a_preliminary_value_is_never_the_ground_for_achieved() -> None:
    v = judge(EVERY, pts((2023, 455), (2024, 460), (2025, 470), (2026, 451), prelim=(2026,)), today_year=2027)
    assert v is not None and v.code == "pa_vag" and v.preliminary
    assert "preliminärt" in v.sentence


def test_a_finished_year_without_a_value_leaves_an_every_year_target_unjudged() -> None:
    v = judge(EVERY, pts((2023, 455), (2025, 470)), today_year=2026)
    assert v is not None and v.code == "for_lite_data" and "saknas för 2024" in v.sentence


def test_a_value_for_a_year_that_is_not_over_is_left_out_and_said() -> None:
    with_future = pts((2023, 455), (2024, 460), (2025, 470), (2026, 500), (2027, 500))
    v = judge(EVERY, with_future, today_year=2026)
    assert v is not None and v.code == "pa_vag" and v.years_used == (2023, 2024, 2025)
    assert "Värdena för 2026–2027 räknas inte" in v.sentence


def test_a_window_not_begun_is_not_judged_unless_the_level_is_already_there() -> None:
    later = replace(EVERY, window_start=2027, window_end=2030, target_year=2030)
    below = judge(later, pts((2025, 440)), today_year=2026)
    above = judge(later, pts((2025, 460)), today_year=2026)
    assert below is not None and below.code == "for_lite_data" and "har inte börjat" in below.sentence
    assert above is not None and above.code == "pa_vag"


def test_a_mean_target_is_judged_on_the_mean_of_the_window_not_each_year() -> None:
    mean = replace(EVERY, target_kind="mean")
    v = judge(mean, pts((2023, 440), (2024, 460), (2025, 450), (2026, 470)), today_year=2027)
    assert v is not None and v.code == "uppnatt" and v.value == 455  # (440+460+450+470)/4
    missed = judge(mean, pts((2023, 440), (2024, 450), (2025, 450), (2026, 450)), today_year=2027)
    assert missed is not None and missed.code == "ej_uppnatt" and missed.value == 447.5


def test_a_total_target_is_achieved_once_the_final_sum_reaches_it() -> None:
    total = replace(EVERY, target_kind="total", target_value=1350.0)
    v = judge(total, pts((2023, 440), (2024, 460), (2025, 455)), today_year=2026)
    assert v is not None and v.code == "uppnatt" and v.value == 1355  # 440+460+455 ≥ 1350
    short = judge(total, pts((2023, 300), (2024, 300)), today_year=2025)
    assert short is not None and short.code == "ingen_sakerstalld_forandring"  # pace 600 over 4 years


def test_a_lower_is_better_total_already_exceeded_is_not_achieved() -> None:
    total = replace(
        EVERY, direction="lower", target_kind="total", target_value=100.0, indicator_kind="utfall"
    )
    v = judge(total, pts((2023, 60), (2024, 50)), today_year=2025)
    assert v is not None and v.code == "ej_uppnatt" and v.value == 110


def test_an_output_level_target_is_compared_directly_in_the_target_year() -> None:
    level = replace(EVERY, target_kind="level", window_start=None, window_end=None)
    met = judge(level, pts((2025, 449), (2026, 450)), today_year=2027)
    missed = judge(level, pts((2025, 460), (2026, 449)), today_year=2027)
    assert met is not None and met.code == "uppnatt" and met.value == 450 and met.ci_low is None
    assert missed is not None and missed.code == "ej_uppnatt"


def test_an_output_level_target_before_its_year_is_on_track_or_worse_against_the_baseline() -> None:
    level = replace(EVERY, target_kind="level", window_start=None, window_end=None)
    better = judge(level, pts((2024, 420)), today_year=2025)
    worse = judge(level, pts((2024, 350)), today_year=2025)
    assert better is not None and better.code == "pa_vag"  # 420 > baseline 380
    assert worse is not None and worse.code == "forsamring"  # 350 < 380


def test_rounding_never_shows_a_missed_target_as_reached() -> None:
    share = IndicatorSpec(
        "higher", False, False, "%", 93.0, None, None, 100.0, 2025, indicator_kind="prestation"
    )
    v = judge(share, [Point(2025, 99.97)], today_year=2026)
    assert v is not None and v.code == "ej_uppnatt"
    assert "99,97" in v.sentence and decimals_for(99.97, 100.0, 1) == 2


OUTCOME = IndicatorSpec(
    "lower", True, False, "antal", 25.0, 2016, 2019, 20.0, 2026, target_kind="relative_change"
)
FIRES = [Point(y, v) for y, v in [(2016, 26), (2017, 24), (2018, 25), (2019, 25), (2020, 23)]]


def test_an_outcome_met_before_its_target_year_is_only_on_track() -> None:
    series = [*FIRES, Point(2021, 18), Point(2022, 16), Point(2023, 15)]
    stats = count_goal_status("lower", [26, 24, 25, 25], [18, 16, 15], 20.0)
    assert stats.status == "uppnått"  # what the test alone says on 2021–2023
    v = judge(OUTCOME, series, today_year=2024)
    assert v is not None and v.code == "pa_vag" and v.years_used == (2021, 2022, 2023)
    assert "målåret 2026 är inte slut" in v.sentence and "är uppnått" not in v.sentence
    assert v.value is not None and abs(v.value - 49 / 3) < 1e-12


def test_an_outcome_keeps_the_statistical_verdict_once_the_target_year_is_over() -> None:
    series = [*FIRES, Point(2024, 14), Point(2025, 15), Point(2026, 13)]
    v = judge(OUTCOME, series, today_year=2027)
    assert v is not None and v.code == "uppnatt" and v.years_used == (2024, 2025, 2026)
    assert v.stats is not None and v.ci_low == v.stats.current_lower


def test_an_outcome_whose_target_year_is_over_and_missed_is_not_achieved() -> None:
    series = [*FIRES, Point(2024, 23), Point(2025, 24), Point(2026, 22)]
    v = judge(OUTCOME, series, today_year=2027)
    assert v is not None and v.code == "ej_uppnatt"
    assert v.stats is not None and v.stats.status == "ingen säkerställd förändring"


def test_an_outcome_worse_than_the_baseline_keeps_the_worsening_verdict_before_the_deadline() -> None:
    series = [*FIRES, Point(2021, 40), Point(2022, 42), Point(2023, 41)]
    v = judge(OUTCOME, series, today_year=2024)
    assert v is not None and v.code == "forsamring"


def test_rates_use_each_years_population_and_say_when_the_nearest_year_stands_in() -> None:
    spec = replace(OUTCOME, per_1000=True, target_kind="level")
    population = {2016: 50_000.0, 2017: 50_000.0, 2018: 50_000.0, 2019: 50_000.0, 2021: 40_000.0}
    series = [*FIRES, Point(2021, 18), Point(2022, 16), Point(2023, 15)]
    v = judge(spec, series, today_year=2024, population=population)
    assert v is not None and v.unit == "per 1 000 invånare"
    assert v.value is not None and abs(v.value - 49 / 120) < 1e-12  # 49 events over 3 × 40 000
    assert "Folkmängden för 2022 saknas; närmaste år med uppgift (2021)" in v.sentence


def test_no_target_gives_no_verdict() -> None:
    assert judge(replace(EVERY, target_value=None), pts((2023, 1)), today_year=2026) is None


def test_a_mean_target_with_a_finished_year_missing_is_not_judged() -> None:
    mean = replace(EVERY, target_kind="mean")
    v = judge(mean, pts((2023, 460), (2024, 460), (2026, 470)), today_year=2027)
    assert v is not None and v.code == "for_lite_data" and "saknas för 2025" in v.sentence


def test_a_mean_target_met_so_far_is_on_track_while_the_window_runs() -> None:
    mean = replace(EVERY, target_kind="mean")
    v = judge(mean, pts((2023, 440), (2024, 470)), today_year=2025)
    assert v is not None and v.code == "pa_vag" and v.value == 455
    assert "målperioden 2023–2026 är inte slut" in v.sentence


def test_a_miss_in_a_final_year_is_not_marked_preliminary_because_a_later_year_is() -> None:
    final_miss = judge(EVERY, pts((2023, 438), (2024, 460), (2025, 470), prelim=(2025,)), today_year=2026)
    prelim_miss = judge(EVERY, pts((2023, 455), (2024, 460), (2025, 440), prelim=(2025,)), today_year=2026)
    assert final_miss is not None and final_miss.code == "ej_uppnatt" and not final_miss.preliminary
    assert prelim_miss is not None and prelim_miss.code == "ej_uppnatt" and prelim_miss.preliminary
